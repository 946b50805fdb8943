"""``clarinb.Client``: every operation of the endpoint table, with paging done for you."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import requests

from clarinb._wire import to_snake
from clarinb.api._http import Transport
from clarinb.api._paging import iter_cursor, iter_pages, list_items
from clarinb.api._query import prepare_request
from clarinb.api.endpoints import ENDPOINTS, Endpoint
from clarinb.config import Settings
from clarinb.errors import InvalidArgumentError

__all__ = ["BaseClient"]

MAX_PER_PAGE = 1000


class BaseClient:
    """A connection to the Clarifai API v2 (or the local emulator).

    Parameters
    ----------
    pat : str, optional
        Personal access token; ``CLARIFAI_PAT`` when omitted.
    user_id : str, optional
        User scope of requests; ``CLARIFAI_USER_ID`` when omitted.
    app_id : str, optional
        App scope of requests; ``CLARIFAI_APP_ID`` when omitted.
    base_url : str, optional
        API root; ``CLARIFAI_API_BASE`` or ``https://api.clarifai.com``.
        Only https is accepted, except for loopback hosts (the emulator).
    timeout : float
        Seconds to wait for each response.
    max_retries : int
        Retries of a request that failed in a way worth retrying.
    max_workers : int
        Pages fetched at once by :meth:`paginate`.
    progress : bool
        Show a ``tqdm`` progress bar of items fetched while paging.
    rate_limit : float, None or "auto"
        Requests per second to keep to; ``"auto"`` means the service's
        published 15 per second, and no pacing on loopback hosts.
    retry_backoff : float
        First back-off delay in seconds; doubled on each retry, with jitter.
    session : requests.Session, optional
        A session to send requests with.

    Raises
    ------
    ConfigError
        When a token, user id or app id is missing (the message names the
        environment variable to set) or the base URL is not acceptable.
    """

    def __init__(
        self,
        pat: str | None = None,
        user_id: str | None = None,
        app_id: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 60.0,
        max_retries: int = 5,
        max_workers: int = 8,
        progress: bool = False,
        rate_limit: float | str | None = "auto",
        retry_backoff: float = 0.5,
        session: requests.Session | None = None,
    ) -> None:
        self.settings = Settings.resolve(
            pat,
            user_id,
            app_id,
            base_url,
            rate_limit=rate_limit,
            timeout=timeout,
            max_retries=max_retries,
            max_workers=max_workers,
            progress=progress,
            retry_backoff=retry_backoff,
        )
        self._transport = Transport(self.settings, session=session)
        self._scope = {"user_id": self.settings.user_id, "app_id": self.settings.app_id}

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"{type(self).__name__}(base_url={s.base_url!r}, user_id={s.user_id!r}, "
            f"app_id={s.app_id!r})"
        )

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close pooled connections."""
        self._transport.close()

    @property
    def operations(self) -> list[str]:
        """The ids of every operation this client can call, in table order."""
        return list(ENDPOINTS)

    @staticmethod
    def endpoint(operation_id: str) -> Endpoint:
        """Look up an operation's table row.

        Raises
        ------
        InvalidArgumentError
            For an unknown operation id, listing close matches.
        """
        try:
            return ENDPOINTS[operation_id]
        except (KeyError, TypeError):
            import difflib  # noqa: PLC0415

            close = difflib.get_close_matches(str(operation_id), ENDPOINTS, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise InvalidArgumentError(
                f"unknown operation {operation_id!r}; see Client.operations for the "
                f"{len(ENDPOINTS)} known ids.{hint}"
            ) from None

    def call(
        self,
        operation_id: str,
        /,
        *,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        **path_params: Any,
    ) -> dict[str, Any]:
        """Call one operation and return its checked response.

        Parameters
        ----------
        operation_id : str
            An id from :attr:`operations`, e.g. ``"V2_GetEvaluation2"``.
        query : dict, optional
            Query parameters by their API names (``{"fields.confusionMatrix": True}``).
        body : dict, optional
            The JSON body, for operations that take one.  It is copied, never changed.
        **path_params
            Path parameters by their API names (``evaluationId="..."``).

        Returns
        -------
        dict
            The response body in snake_case.  A ``MIXED_STATUS`` (10010) body is
            returned so that per-item statuses can be read.

        Raises
        ------
        InvalidArgumentError
            For an unknown operation, parameter or body field.
        ApiError
            Or a subclass, when the API answers with an error status.
        TransportError, ResponseFormatError
            When no usable response arrives after the retries.

        Examples
        --------
        >>> client.call("V2_GetEvaluation2", evaluationId="ev-1",
        ...             query={"fields.confusionMatrix": True})  # doctest: +SKIP
        """
        endpoint = self.endpoint(operation_id)
        path, pairs, payload = prepare_request(endpoint, query, body, path_params, self._scope)
        return self._transport.request(
            endpoint.method, path, query=pairs, body=payload, retry_safe=endpoint.retry_safe
        )

    def paginate(
        self,
        operation_id: str,
        /,
        *,
        per_page: int = 128,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        **path_params: Any,
    ) -> Iterator[dict[str, Any]]:
        """Iterate over the items of a list operation across all its pages.

        Numbered pages are fetched concurrently (up to ``max_workers``) and
        yielded in order; ``V2_StreamInputs2`` follows its ``lastId`` cursor.
        Paging stops at the first empty, missing or short page.

        Parameters
        ----------
        operation_id : str
            A list operation (its table row has a ``paging`` mode).
        per_page : int
            Items per request, 1 to 1000.
        query, body, **path_params
            As for :meth:`call`; paging parameters are set by this method.

        Returns
        -------
        Iterator[dict]
            The items of the response's list key (inputs, evaluations, ...),
            fetched lazily as the iterator is consumed.

        Raises
        ------
        InvalidArgumentError
            At once, before any request, when the operation does not page,
            ``per_page`` is out of range or a parameter is invalid.
        ApiError, TransportError, ResponseFormatError
            While iterating, when a page cannot be fetched after the retries;
            the items of earlier pages have been yielded by then.
        """
        endpoint = self.endpoint(operation_id)
        if endpoint.paging is None or endpoint.list_key is None:
            pageable = ", ".join(e.operation_id for e in ENDPOINTS.values() if e.paging)
            raise InvalidArgumentError(
                f"{operation_id} does not page; use call() instead. Operations that page: "
                f"{pageable}."
            )
        if not isinstance(per_page, int) or isinstance(per_page, bool):
            raise InvalidArgumentError(f"per_page must be an int, not {per_page!r}.")
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise InvalidArgumentError(f"per_page must be 1 to {MAX_PER_PAGE}, not {per_page}.")
        paging_names = ("page", "per_page", "last_id")
        base = {k: v for k, v in (query or {}).items() if to_snake(k) not in paging_names}
        # Validate everything once, before any request goes out.
        prepare_request(endpoint, base, body, path_params, self._scope)
        key = endpoint.list_key

        def fetch_page(page: int) -> list[dict[str, Any]]:
            if endpoint.paging == "body":
                paged = {**(body or {}), "pagination": {"page": page, "per_page": per_page}}
                response = self.call(operation_id, query=base, body=paged, **path_params)
            else:
                paged_query = {**base, "page": page, "perPage": per_page}
                response = self.call(operation_id, query=paged_query, body=body, **path_params)
            return list_items(response, key, operation_id)

        def fetch_after(last_id: str | None) -> list[dict[str, Any]]:
            paged_query = {**base, "perPage": per_page, "lastId": last_id}
            response = self.call(operation_id, query=paged_query, body=body, **path_params)
            return list_items(response, key, operation_id)

        pages = (
            iter_cursor(fetch_after, per_page)
            if endpoint.paging == "last_id"
            else iter_pages(fetch_page, per_page, self.settings.max_workers)
        )
        return self._with_progress(operation_id, pages)

    def _with_progress(
        self, operation_id: str, pages: Iterator[list[dict[str, Any]]]
    ) -> Iterator[dict[str, Any]]:
        from tqdm.auto import tqdm  # noqa: PLC0415

        with tqdm(
            desc=operation_id, unit=" items", disable=not self.settings.progress, leave=False
        ) as bar:
            for page_items in pages:
                bar.update(len(page_items))
                yield from page_items

    def download(self, url: str) -> bytes:
        """Download a media file (an image, a thumbnail) or an export archive.

        Parameters
        ----------
        url : str
            The URL found in a response (``input.data.image.url``, an export's
            ``url``), or a path starting with ``/`` below the base URL.  The
            token goes only to the base URL's own origin (scheme, host and
            port) and to https hosts under ``clarifai.com``; other URLs get an
            anonymous request, and a redirect to another origin drops it.

        Returns
        -------
        bytes
            The file's content.

        Raises
        ------
        InvalidArgumentError
            For something that is not a valid absolute http(s) URL.
        NotFoundError, AuthError, ThrottledError, ServerError, ApiError
            For an HTTP error status, or a 2xx whose body is a Clarifai error
            status (after retries where retrying helps).
        TransportError
            When no response came back after the retries.
        ResponseFormatError
            When every response's body was cut off, or a redirect could not be followed.

        Only :class:`~clarinb.errors.ClarinbError` subclasses are raised.
        """
        return self._transport.download(url)

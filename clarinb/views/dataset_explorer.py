"""``DatasetVersionExplorer``: a dataset's versions, their status (polled) and exports."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb import frames
from clarinb._html import Block, Markup, html_widget, plotly_text, set_html, tag
from clarinb._html import table as html_table
from clarinb.dataset_version import EXPORT_FORMATS, DatasetVersion, status_label
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.views._base import View

__all__ = ["DatasetVersionExplorer", "status_label"]


def _versions_frame(versions: Sequence[DatasetVersion]) -> pd.DataFrame:
    """Tabulate the versions: id, status code and name, state, creation time, description."""
    full = frames.dataset_versions([v.raw for v in versions])
    codes = full["code"].astype("Int64")
    frame = pd.DataFrame(
        {
            "id": full["id"].astype(str),
            "status_code": codes.mask(codes == 0),
            "status": full["code_name"].astype(str),
            "state": [status_label(c or None) for c in full["code"]],
            "created_at": full["created_at"],
            "description": full["description"].astype(str),
        }
    )
    frame = frame.sort_values("created_at", ascending=False, kind="stable", na_position="last")
    return frame.reset_index(drop=True)


class DatasetVersionExplorer(View):
    """Pick a version of a dataset, watch its status until ready, see its metrics and exports.

    Polling runs in a background thread (so the notebook stays responsive),
    at most ``max_polls`` times, ``poll_interval`` seconds apart, and stops as
    soon as the selected version and its exports are ready or failed.

    Parameters
    ----------
    client : clarinb.Client
        A connection to the API (or the emulator).
    dataset_id : str
        The dataset whose versions are shown.
    poll_interval : float
        Seconds between polls.
    max_polls : int
        Upper bound on the polls of one :meth:`poll` call.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    versions_ : pandas.DataFrame
        ``id``, ``status_code``, ``status``, ``state`` (pending, in progress,
        ready, failed), ``created_at``, ``description``; newest first.
    exports_ : pandas.DataFrame
        The selected version's exports: ``format``, ``status``, ``state``, ``url``, ``size``.
    version_id : str or None
        The selected version.

    Examples
    --------
    >>> explorer = DatasetVersionExplorer(client, "my-dataset")  # doctest: +SKIP
    >>> explorer.create_version("after relabelling").poll()  # doctest: +SKIP
    """

    title = "Dataset versions"

    def __init__(
        self,
        client: Any,
        dataset_id: str,
        *,
        poll_interval: float = 2.0,
        max_polls: int = 150,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        validate.client(client, needs=("call", "paginate"))
        self.client, self.dataset_id = client, validate.string(dataset_id, "dataset_id")
        self.max_polls = validate.positive_int(max_polls, "max_polls")
        self.poll_interval = validate.non_negative(poll_interval, "poll_interval (seconds)")
        self.version_id: str | None = None
        self.exports_ = frames.dataset_version_exports([])
        self._versions: dict[str, DatasetVersion] = {}
        self.polls_ = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._metrics_view: Any = None
        self.refresh()

    @classmethod
    def from_client(cls, client: Any, dataset_id: str, **kwargs: Any) -> DatasetVersionExplorer:
        """Build the explorer (the same as the constructor)."""
        return cls(client, dataset_id, **kwargs)

    # -- reading and writing through the read model -------------------------------------
    def refresh(self) -> DatasetVersionExplorer:
        """Fetch the versions (and the selected version's exports, if any) once."""
        versions = DatasetVersion.of_dataset(self.client, self.dataset_id)
        frame = _versions_frame(versions)
        with self._lock:
            self.versions_ = frame
            self._versions = {v.id: v for v in versions}
            if self.version_id is None and len(self.versions_):
                self.version_id = str(self.versions_["id"].iloc[0])
        if self.version_id is not None and self._export_requested():
            self._request_exports(list(self.exports_["format"]))
        self._update()
        return self

    def _selected(self) -> DatasetVersion:
        version = self._versions.get(str(self.version_id))
        if version is None:
            raise InvalidArgumentError(
                f"version {self.version_id!r} is not a version of {self.dataset_id!r}; refresh()."
            )
        return version

    def _export_requested(self) -> bool:
        return bool(len(self.exports_)) and any(s != "ready" for s in self.exports_["state"])

    def _request_exports(self, formats: Sequence[str]) -> None:
        self.exports_ = self._selected().request_exports(formats)

    def create_version(self, description: str = "") -> DatasetVersionExplorer:
        """Create a new version of the dataset and select it; :meth:`poll` follows it."""
        created = DatasetVersion.create(self.client, self.dataset_id, description)
        self.version_id = created.id
        self.exports_ = frames.dataset_version_exports([])
        self._metrics_view = None
        return self.refresh()

    def export(
        self, formats: Sequence[str] = ("CLARIFAI_DATA_PROTOBUF",)
    ) -> DatasetVersionExplorer:
        """Request exports of the selected version; :meth:`poll` follows their status."""
        hint = f"some of {list(EXPORT_FORMATS)}"
        chosen = validate.strings(formats, "formats", hint=hint)
        for name in validate.non_empty(chosen, "formats", hint=f"pick {hint}"):
            validate.choice(name, "every item of formats", EXPORT_FORMATS)
        if self.version_id is None:
            raise InvalidArgumentError("the dataset has no version to export.")
        self._request_exports(chosen)
        self._update()
        return self

    def select(self, version_id: str) -> DatasetVersionExplorer:
        """Select a version by id."""
        if not isinstance(version_id, str) or version_id not in set(self.versions_["id"]):
            raise InvalidArgumentError(
                f"version {version_id!r} is not a version of {self.dataset_id!r}; "
                f"known: {self.versions_['id'].tolist()[:10]}."
            )
        self.version_id = version_id
        self.exports_ = frames.dataset_version_exports([])
        self._metrics_view = None
        self._update()
        return self

    @property
    def state_(self) -> str:
        """State of the selected version: pending, in progress, ready, failed or unknown."""
        rows = self.versions_[self.versions_["id"] == self.version_id]
        return str(rows["state"].iloc[0]) if len(rows) else "unknown"

    # -- polling ------------------------------------------------------------------------
    def done(self) -> bool:
        """Whether the selected version and its exports have stopped changing."""
        return self.state_ in ("ready", "failed", "unknown") and not self._export_requested()

    def poll(self, *, background: bool = True) -> DatasetVersionExplorer:
        """Refresh until :meth:`done` (at most ``max_polls`` times), in a thread by default."""
        self.stop()
        self._stop.clear()

        def run() -> None:
            for _ in range(self.max_polls):
                if self._stop.is_set() or self.done():
                    return
                if self._stop.wait(self.poll_interval):
                    return
                try:
                    self.refresh()
                except ClarinbError as err:
                    self._note(f"polling stopped: {err}")
                    return
                self.polls_ += 1

        if background:
            self._poller = threading.Thread(target=run, name="clarinb-version-poll", daemon=True)
            self._poller.start()
        else:
            run()
        return self

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop a running poll and wait for its thread."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout)
            self._poller = None

    # -- figure and widget --------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        v = self.versions_
        colours = {
            "ready": "#009E73",
            "failed": "#D55E00",
            "pending": "#E69F00",
            "in progress": "#56B4E9",
        }
        fill = [colours.get(s, "#999999") for s in v["state"]]
        cells = [
            [plotly_text(x) for x in v["id"]],
            v["state"].tolist(),
            [plotly_text(x) for x in v["status"]],
            [str(t)[:19] for t in v["created_at"]],
            [plotly_text(x) for x in v["description"]],
        ]
        fig = go.Figure(
            go.Table(
                header={"values": ["version", "state", "status", "created", "description"]},
                cells={"values": cells, "fill_color": [["rgba(0,0,0,0)"] * len(v), fill]},
            )
        )
        fig.update_layout(
            title=plotly_text(f"{self.dataset_id}: {len(v)} versions"), height=200 + 28 * len(v)
        )
        return fig

    def _exports_html(self) -> Markup:
        if not len(self.exports_):
            return tag("i", "no export requested")
        shown = self.exports_[["format", "state", "status", "size"]].copy()
        shown["download"] = ["available" if u else "" for u in self.exports_["url"]]
        return html_table(shown)

    def _note(self, text: str) -> None:
        if self._widget is not None:
            set_html(self._status, text)

    def _update(self) -> None:
        if self._widget is None:
            self._figure = None
            return
        self._figure = None
        set_html(self._table, self._figure_table_html())
        ids = self.versions_["id"].tolist()
        if list(self._picker.options) != ids:
            self._picker.options = ids
        if self.version_id is not None and self._picker.value != self.version_id:
            self._picker.value = self.version_id
        set_html(self._status, tag("b", str(self.version_id)) + f": {self.state_}")
        set_html(self._exports, self._exports_html())
        if self.state_ == "ready" and self._metrics_view is None:
            self._show_metrics()

    def _figure_table_html(self) -> Markup:
        return html_table(self.versions_[["id", "state", "status", "created_at", "description"]])

    def _show_metrics(self) -> None:
        from clarinb.views.metrics_groups import MetricsGroupsView  # noqa: PLC0415

        try:
            view = MetricsGroupsView.from_dataset_version(self._selected(), theme=self.theme)
        except (ClarinbError, ValueError) as err:
            self._metrics.children = [html_widget(f"no metrics yet: {err}")]
            return
        self._metrics_view = view
        self._metrics.children = [view.widget_]

    def _build_widget(self) -> Any:
        self._picker = widgets.Dropdown(
            options=self.versions_["id"].tolist(), description="Version"
        )
        if self.version_id is not None:
            self._picker.value = self.version_id
        self._status, self._exports = html_widget(), html_widget()
        self._table, self._metrics = html_widget(), widgets.VBox()
        buttons = {
            name: widgets.Button(description=name.capitalize())
            for name in ("refresh", "poll", "new version", "export")
        }
        fmt = widgets.Dropdown(options=list(EXPORT_FORMATS), description="Format")
        self._picker.observe(
            lambda c: c["new"] != self.version_id and self.select(c["new"]), names="value"
        )
        buttons["refresh"].on_click(lambda _: self.refresh())
        buttons["poll"].on_click(lambda _: self.poll())
        buttons["new version"].on_click(lambda _: self.create_version().poll())
        buttons["export"].on_click(lambda _: self.export([fmt.value]).poll())
        self.controls_ = {"version": self._picker, "format": fmt, **buttons}
        self._widget = widgets.VBox(
            [
                widgets.HBox(
                    [self._picker, buttons["refresh"], buttons["poll"], buttons["new version"]]
                ),
                self._status,
                self._table,
                widgets.HBox([fmt, buttons["export"]]),
                self._exports,
                self._metrics,
            ]
        )
        self._widget.add_class("clarinb-dataset-explorer")
        self._update()
        return self._widget

    def _html_sections(self) -> Sequence[Block]:
        return [Block(self.title, self.figure_), Block("Exports", self._exports_html())]

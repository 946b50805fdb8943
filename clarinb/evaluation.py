"""``clarinb.Evaluation``: one model evaluation, fetched lazily part by part.

An evaluation's heavy parts (confusion matrix, curves, test set...) only come
back from GetEvaluation when their ``fields.*`` flag is set.  ``Evaluation``
asks for each part the first time a method needs it, once, and caches both
the body and the frames built from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clarinb import _validate as validate
from clarinb import frames, metrics
from clarinb._numbers import number_text
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.frames._coerce import field, obj
from clarinb.frames._parts import FLAGS, evaluation_of
from clarinb.frames.matrices import Normalize
from clarinb.frames.summary import model_kind
from clarinb.metrics.interval_frame import with_rates

if TYPE_CHECKING:
    from clarinb.api.client import BaseClient

__all__ = ["Evaluation", "EvaluationFailedError", "EvaluationNotReadyError", "as_evaluation"]

FAILED_CODES = frozenset({*range(21310, 21318), 43103, 43104, 43105, 43107, 43108})
PENDING_CODES = frozenset({21301, 21302, 21303, 43100, 43101, 43106})
_LIST_PARTS = {"binary_metrics", "test_set", "metrics_by_area", "metrics_by_class"}


class EvaluationFailedError(ClarinbError):
    """The evaluation failed, so it has no metrics; the message gives its status."""


class EvaluationNotReadyError(ClarinbError):
    """The evaluation is queued or running; its metrics are not there yet."""


def _empty(key: str) -> Any:
    """Value of a part the service left out although its flag was set: proto3 drops empty ones."""
    return [] if key in _LIST_PARTS else {}


class Evaluation:
    """One model evaluation: its status and ids, and its metrics as DataFrames.

    Build it with :meth:`Client.evaluation <clarinb.Client.evaluation>` (lazy:
    each heavy part is fetched once, when first needed) or
    :meth:`from_dict` (everything must already be in the body).

    Parameters
    ----------
    body : dict
        An EvalMetrics dict or a GetEvaluation response.
    client : Client, optional
        Used to fetch the parts the body lacks.

    Examples
    --------
    >>> ev = Evaluation.from_dict({"id": "ev1", "status": {"code": 21300},
    ...                            "model": {"id": "m", "model_type_id": "visual-classifier"}})
    >>> ev
    Evaluation(id='ev1', model_id='m', kind='classifier', status=MODEL_EVALUATED)
    """

    def __init__(self, body: Mapping[str, Any], *, client: BaseClient | None = None) -> None:
        self._data: dict[str, Any] = dict(evaluation_of(dict(body)))
        self._client = client
        self._frames: dict[Any, pd.DataFrame] = {}
        self._images: dict[str, bytes | None] = {}
        self._image_urls: dict[str, Any] | None = None
        self._matrix: metrics.TestSetMatrix | None = None
        self._light = frames.evaluations([self._data]).iloc[0]

    @classmethod
    def from_dict(cls, body: Mapping[str, Any]) -> Evaluation:
        """Wrap a body that already holds the parts you will ask for.

        Raises
        ------
        ResponseFormatError
            When the body is not an evaluation.
        """
        if not isinstance(body, Mapping):
            raise InvalidArgumentError(
                f"Evaluation.from_dict takes a dict (an EvalMetrics or its response), "
                f"not {type(body).__name__}."
            )
        return cls(body)

    @classmethod
    def fetch(cls, client: BaseClient, evaluation_id: str) -> Evaluation:
        """Fetch an evaluation's status, ids and summary (the light part) and wrap it."""
        validate.string(evaluation_id, "evaluation_id")
        body = client.call("V2_GetEvaluation2", evaluationId=evaluation_id)
        return cls(body, client=client)

    # -- identity and status ---------------------------------------------------------------

    @property
    def client(self) -> BaseClient | None:
        """The client this evaluation fetches its parts with (``None`` when built from a dict)."""
        return self._client

    @property
    def id(self) -> str:
        """The evaluation id."""
        return str(self._light["id"])

    @property
    def model_id(self) -> str:
        """Id of the evaluated model."""
        return str(self._light["model_id"])

    @property
    def model_version_id(self) -> str:
        """Id of the evaluated model version."""
        return str(self._light["model_version_id"])

    @property
    def dataset_id(self) -> str:
        """Id of the ground-truth dataset."""
        return str(self._light["dataset_id"])

    @property
    def dataset_version_id(self) -> str:
        """Id of the ground-truth dataset version."""
        return str(self._light["dataset_version_id"])

    @property
    def code(self) -> int:
        """The evaluation's status code (21300 when evaluated)."""
        return int(self._light["code"])

    @property
    def code_name(self) -> str:
        """Name of :attr:`code` (``"MODEL_EVALUATED"``)."""
        return str(self._light["code_name"])

    @property
    def description(self) -> str:
        """The status description."""
        return str(self._light["description"])

    @property
    def is_failed(self) -> bool:
        """Whether the evaluation failed (codes 21310-21317 and the failed 431xx codes)."""
        return self.code in FAILED_CODES

    @property
    def is_pending(self) -> bool:
        """Whether the evaluation is queued or running."""
        return self.code in PENDING_CODES

    @property
    def kind(self) -> str:
        """``"detector"`` or ``"classifier"``: see :func:`clarinb.frames.summary.model_kind`.

        From the model type, the parts present or the summary; ``"classifier"``
        when none of them tells.
        """
        return model_kind(self._data) or "classifier"

    @property
    def model_kind(self) -> str:
        """Which views can show it: ``"single-label"``, ``"multi-label"`` or ``"detector"``.

        A classifier is multi-label when an input of its test set has two or
        more true concepts (see :func:`clarinb.metrics.label_kind`; this
        fetches the test set). ``"classifier"`` when the evaluation has no
        test set to tell (failed, not finished, or sent without one).
        """
        if self.kind == "detector":
            return "detector"
        try:
            ts = self.test_set()
        except ClarinbError:
            return "classifier"
        return metrics.label_kind(ts) if len(ts) else "classifier"

    @property
    def summary(self) -> pd.Series:
        """The MetricsSummary fields (and ids and status) as a Series.

        A metric that does not apply to the model's kind (a detector's ROC
        AUC, a classifier's mAP) is NaN; see :func:`clarinb.frames.evaluations`.
        """
        return self._light.copy()

    @property
    def raw(self) -> dict[str, Any]:
        """The EvalMetrics body as fetched so far (parts fetched later are merged in)."""
        return self._data

    @property
    def concepts(self) -> dict[str, str]:
        """Concept id -> name, from the parts fetched so far (fetching label counts if none)."""
        found = self._concepts_known()
        if not found and self._client is not None and not self.is_failed:
            self._part("label_counts")
            found = self._concepts_known()
        return found

    def _concepts_known(self) -> dict[str, str]:
        found: dict[str, str] = {}
        readers = {
            "binary_metrics": frames.binary_metrics,
            "metrics_by_class": frames.metrics_by_class,
            "label_counts": frames.label_counts,
        }
        for key, read in readers.items():
            if field(self._data, key) is not None:
                table = read(self._data)
                found.update(zip(table["concept_id"], table["concept_name"], strict=True))
        return {k: (v or k) for k, v in found.items() if k}

    # -- fetching -------------------------------------------------------------------------------

    def _ready(self) -> None:
        if self.is_failed:
            raise EvaluationFailedError(
                f"evaluation {self.id!r} failed ({self.code} {self.code_name}: "
                f"{self.description or 'no description'}); it has no metrics."
            )
        if self.is_pending:
            raise EvaluationNotReadyError(
                f"evaluation {self.id!r} is not finished ({self.code} {self.code_name}); "
                "refresh() it later."
            )

    def _part(self, key: str) -> dict[str, Any]:
        """Make sure ``key`` is in the body, fetching it once; return the body."""
        self._ready()
        if field(self._data, key) is None and self._client is not None and key in FLAGS:
            body = self._client.call(
                "V2_GetEvaluation2", evaluationId=self.id, query={FLAGS[key]: True}
            )
            fetched = field(evaluation_of(body), key)
            self._data[key] = fetched if fetched is not None else _empty(key)
        return self._data

    def load(self, *parts: str) -> Evaluation:
        """Fetch several heavy parts in one request (those not fetched yet).

        Parameters
        ----------
        *parts : str
            Part names: ``"confusion_matrix"``, ``"cooccurrence_matrix"``,
            ``"label_counts"``, ``"binary_metrics"``, ``"test_set"``,
            ``"metrics_by_area"``, ``"metrics_by_class"``; none means all.

        Returns
        -------
        Evaluation
            ``self``, for chaining.

        Raises
        ------
        InvalidArgumentError
            For an unknown part name.
        EvaluationFailedError, EvaluationNotReadyError
            When the evaluation failed or is not finished.
        """
        unknown = [p for p in parts if p not in FLAGS]
        if unknown:
            raise InvalidArgumentError(
                f"unknown part(s) {', '.join(map(repr, unknown))}; choose from {', '.join(FLAGS)}."
            )
        self._ready()
        missing = [p for p in (parts or tuple(FLAGS)) if field(self._data, p) is None]
        if missing and self._client is not None:
            query = {FLAGS[p]: True for p in missing}
            body = evaluation_of(
                self._client.call("V2_GetEvaluation2", evaluationId=self.id, query=query)
            )
            for key in missing:
                fetched = field(body, key)
                self._data[key] = fetched if fetched is not None else _empty(key)
        return self

    def refresh(self) -> Evaluation:
        """Fetch the status, ids and summary again (for a pending evaluation); parts are kept."""
        if self._client is None:
            raise InvalidArgumentError(
                "this Evaluation has no client; build it with client.evaluation()."
            )
        body = evaluation_of(self._client.call("V2_GetEvaluation2", evaluationId=self.id))
        self._data.update(body)
        self._light = frames.evaluations([self._data]).iloc[0]
        return self

    def _cached(self, name: str, build: Any, key: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = build(self._part(key))
        return self._frames[name]

    # -- frames ---------------------------------------------------------------------------------

    def confusion_matrix(self, normalize: Normalize = None) -> pd.DataFrame:
        """Return the confusion matrix; see :func:`clarinb.frames.confusion_matrix`.

        Raises
        ------
        EvaluationFailedError, EvaluationNotReadyError
            When the evaluation failed or is not finished.
        """
        table = self._cached("confusion_matrix", frames.confusion_matrix, "confusion_matrix")
        return frames.matrices.normalize_matrix(table, normalize).copy()

    def cooccurrence_matrix(self) -> pd.DataFrame:
        """Return the co-occurrence counts; see :func:`clarinb.frames.cooccurrence_matrix`."""
        return self._cached("cooccurrence", frames.cooccurrence_matrix, "cooccurrence_matrix")

    def label_counts(self) -> pd.DataFrame:
        """Ground-truth positives per concept; see :func:`clarinb.frames.label_counts`."""
        return self._cached("label_counts", frames.label_counts, "label_counts")

    def binary_metrics(self) -> pd.DataFrame:
        """Per-concept metrics; see :func:`clarinb.frames.binary_metrics`."""
        return self._cached("binary_metrics", frames.binary_metrics, "binary_metrics")

    def metrics_by_class(self) -> pd.DataFrame:
        """Detector metrics per class, IoU and area; see :func:`clarinb.frames.metrics_by_class`."""
        return self._cached("metrics_by_class", frames.metrics_by_class, "metrics_by_class")

    def metrics_by_area(self) -> pd.DataFrame:
        """Detector metrics per area and IoU; see :func:`clarinb.frames.metrics_by_area`."""
        return self._cached("metrics_by_area", frames.metrics_by_area, "metrics_by_area")

    def _curve_source(self) -> str:
        return "metrics_by_class" if self.kind == "detector" else "binary_metrics"

    def roc_curves(self) -> pd.DataFrame:
        """ROC curves as the service computed them; see :func:`clarinb.frames.roc_curves`."""
        source = self._curve_source()
        return self._cached("roc", lambda b: frames.roc_curves(b, source), source)

    def pr_curves(self) -> pd.DataFrame:
        """Precision-recall curves; see :func:`clarinb.frames.pr_curves`."""
        source = self._curve_source()
        return self._cached("pr", lambda b: frames.pr_curves(b, source), source)

    def test_set(self) -> pd.DataFrame:
        """The test set, one row per (input, concept); see :func:`clarinb.frames.test_set`."""
        return self._cached("test_set", frames.test_set, "test_set")

    def app_inputs(self) -> pd.DataFrame:
        """List the test set's inputs as the app holds them now (metadata, labels), once.

        The evaluation's own test set carries the images, not the inputs'
        metadata; slicing by a metadata field (:func:`clarinb.metrics.metadata_slices`)
        reads it from here. See :func:`clarinb.frames.inputs` for the columns.

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no client (built with :meth:`from_dict`).
        """
        if self._client is None:
            raise InvalidArgumentError(
                "this Evaluation has no client to list its inputs with; build it with "
                "client.evaluation()."
            )
        if "app_inputs" not in self._frames:
            ids = set(self.test_set()["input_id"].astype(str))
            listed = frames.inputs(list(self._client.paginate("V2_ListInputs2")))
            kept = listed[listed["id"].astype(str).isin(ids)]
            self._frames["app_inputs"] = kept.reset_index(drop=True)
        return self._frames["app_inputs"]

    def test_set_or_none(self) -> pd.DataFrame | None:
        """Return the test set, or ``None`` when the evaluation has none (not sent, or empty).

        Raises
        ------
        EvaluationFailedError, EvaluationNotReadyError
            When the evaluation failed or is not finished.
        """
        try:
            frame = self.test_set()
        except (EvaluationFailedError, EvaluationNotReadyError):
            raise
        except ClarinbError:
            return None
        return frame if len(frame) else None

    def test_set_matrix_or_none(self) -> metrics.TestSetMatrix | None:
        """Return :meth:`test_set_matrix`, or ``None`` when the evaluation has no test set.

        Like :meth:`test_set_or_none`, without building the long frame.

        Raises
        ------
        EvaluationFailedError, EvaluationNotReadyError
            When the evaluation failed or is not finished.
        """
        try:
            m = self.test_set_matrix()
        except (EvaluationFailedError, EvaluationNotReadyError):
            raise
        except ClarinbError:
            return None
        return m if m.n_inputs and m.n_concepts else None

    def test_set_matrix(self) -> metrics.TestSetMatrix:
        """The test set as dense score and label matrices, built once.

        Built from the body's test-set entries batch by batch, without the
        long frame (see :func:`clarinb.metrics.matrix_from_body`); equal to
        ``TestSetMatrix.from_frame(self.test_set())``.  For a body still in
        JSON bytes, :func:`clarinb.metrics.read_test_set_matrix` streams it.

        Raises
        ------
        EvaluationFailedError, EvaluationNotReadyError
            When the evaluation failed or is not finished.
        """
        if self._matrix is None:
            self._matrix = metrics.matrix_from_body(self._part("test_set"))
        return self._matrix

    def test_set_inputs(self) -> pd.DataFrame:
        """The test set's inputs with image URLs and sizes."""
        return self._cached("test_set_inputs", frames.test_set_inputs, "test_set")

    def test_set_regions(self) -> pd.DataFrame:
        """Predicted and ground-truth boxes of a detector's test set."""
        return self._cached("test_set_regions", frames.test_set_regions, "test_set")

    def detection_curves(self) -> pd.DataFrame:
        """Return a detector's PR curves per class, area and IoU, from its metrics by class.

        Unlike :meth:`pr_curves`, whatever :attr:`kind` says; see
        :func:`clarinb.frames.pr_curves` with ``source="metrics_by_class"``.
        """
        return self._cached(
            "detection_curves",
            lambda b: frames.pr_curves(b, source="metrics_by_class"),
            "metrics_by_class",
        )

    def detection_boxes(self) -> pd.DataFrame:
        """Ground-truth and predicted boxes of a detector's test set, with each image's URL.

        See :func:`clarinb.frames.test_set_boxes`.
        """
        return self._cached("detection_boxes", frames.test_set_boxes, "test_set")

    @property
    def metrics_summary(self) -> dict[str, Any]:
        """The MetricsSummary as the service sent it (``{}`` when the body has none).

        Unlike :attr:`summary`, fields left out stay left out.

        Raises
        ------
        ResponseFormatError
            When the body's summary is not an object.
        """
        return dict(obj(field(self._data, "summary"), "eval_metrics.summary"))

    def fetch_image(self, url: str) -> bytes:
        """Download an image of the evaluation's test set with the client's auth.

        The one way the views get image bytes: they are handed this method as
        a plain ``url -> bytes`` callable and never hold a client.

        Parameters
        ----------
        url : str
            An ``image_url`` of :meth:`test_set_inputs` or :meth:`detection_boxes`.

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no client (built with :meth:`from_dict`)
            or ``url`` is not a non-empty string.
        """
        if self._client is None:
            raise InvalidArgumentError(
                "this Evaluation has no client to download images with; "
                "build it with client.evaluation()."
            )
        validate.string(url, "url")
        return self._client.download(url)

    def fetch_input_image(self, input_id: str) -> bytes | None:
        """Download the image of one test-set input, once, with the client's auth.

        A plain ``input_id -> bytes`` callable for the views (the confusion
        view's drill-down shows thumbnails with it); each image is fetched on
        first use and kept.

        Parameters
        ----------
        input_id : str
            An ``input_id`` of :meth:`test_set`.

        Returns
        -------
        bytes or None
            The image, or ``None`` when the input has no image URL.

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no client or ``input_id`` is not a non-empty string.
        ClarinbError
            When the download fails (not kept: the next call tries again).
        """
        validate.string(input_id, "input_id")
        if input_id not in self._images:
            if self._image_urls is None:
                inputs = self.test_set_inputs()
                self._image_urls = dict(
                    zip(inputs["input_id"].astype(str), inputs["image_url"], strict=True)
                )
            url = self._image_urls.get(input_id)
            self._images[input_id] = self.fetch_image(url) if isinstance(url, str) and url else None
        return self._images[input_id]

    def tracker_metrics(self) -> pd.DataFrame:
        """Tracker metrics; see :func:`clarinb.frames.tracker_metrics`."""
        return self._cached("tracker_metrics", frames.tracker_metrics, "tracker_metrics")

    def at_threshold(
        self, threshold: float | Mapping[Any, float] | pd.Series = 0.5, *, default: float = 0.5
    ) -> pd.DataFrame:
        """Recompute per-concept counts and rates from the test set at a threshold.

        See :func:`clarinb.metrics.at_threshold`.
        """
        return metrics.at_threshold(self.test_set(), threshold, default=default)

    def metric_intervals(
        self,
        threshold: float | Mapping[Any, float] | pd.Series = 0.5,
        *,
        default: float = 0.5,
        ci: float = 0.95,
        n_resamples: int = 1000,
        seed: int | None = 0,
    ) -> pd.DataFrame:
        """Per-concept and macro metrics with bootstrap intervals from the test set, cached.

        See :func:`clarinb.metrics.metric_intervals`.  ROC AUC and AP are
        drawn once per ``ci``, ``n_resamples`` and ``seed``; at another
        threshold only precision, recall and F1 are drawn again (the same
        resamples: the result equals a full computation).

        Raises
        ------
        ClarinbError
            When the evaluation has no test set, or for bad arguments.
        """
        settings = (ci, n_resamples, seed)
        given = dict(threshold) if isinstance(threshold, Mapping | pd.Series) else threshold
        key = ("intervals", repr(settings), repr(given), repr(default))
        if key not in self._frames:
            test_set = self.test_set()
            if not len(test_set):
                raise ClarinbError(f"evaluation {self.id} has no test set to draw intervals from.")
            base_key = ("intervals", repr(settings))
            kwargs: dict[str, Any] = {"default": default, "ci": ci}
            kwargs.update(n_resamples=n_resamples, seed=seed)
            if base_key not in self._frames:
                self._frames[base_key] = metrics.metric_intervals(test_set, threshold, **kwargs)
                self._frames[key] = self._frames[base_key]
            else:
                rates = metrics.metric_intervals(test_set, threshold, ranking=False, **kwargs)
                self._frames[key] = with_rates(self._frames[base_key], rates)
        return self._frames[key].copy()

    def curve_bands(
        self, *, ci: float = 0.95, n_resamples: int = 200, seed: int | None = 0, grid: int = 101
    ) -> pd.DataFrame:
        """Bootstrap bands of every concept's ROC and PR curve from the test set, cached.

        See :func:`clarinb.metrics.curve_bands`.

        Raises
        ------
        ClarinbError
            When the evaluation has no test set, or for bad arguments.
        """
        key = ("bands", repr((ci, n_resamples, seed, grid)))
        if key not in self._frames:
            test_set = self.test_set()
            if not len(test_set):
                raise ClarinbError(f"evaluation {self.id} has no test set to draw bands from.")
            self._frames[key] = metrics.curve_bands(
                test_set, ci=ci, n_resamples=n_resamples, seed=seed, grid=grid
            )
        return self._frames[key].copy()

    # -- display --------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"Evaluation(id={self.id!r}, model_id={self.model_id!r}, kind={self.kind!r}, "
            f"status={self.code_name or self.code})"
        )

    def _repr_html_(self) -> str:
        rows = {
            "id": self.id,
            "model": f"{self.model_id} / {self.model_version_id}",
            "dataset": f"{self.dataset_id} / {self.dataset_version_id}",
            "kind": self.kind,
            "status": f"{self.code} {self.code_name}",
        }
        summary = self._light
        keys = (
            ("mean_avg_precision_iou_50", "mean_avg_precision_iou_range")
            if self.kind == "detector"
            else (
                "macro_avg_roc_auc",
                "macro_avg_f1_score",
                "macro_avg_precision",
                "macro_avg_recall",
            )
        )
        for key in keys:
            rows[key] = number_text(summary[key], ".4f")
        from clarinb._html import tag  # noqa: PLC0415 - only when a notebook shows it

        cells = [
            tag("tr", tag("th", k, style="text-align:left"), tag("td", str(v)))
            for k, v in rows.items()
        ]
        return str(tag("table", tag("caption", "clarinb.Evaluation"), *cells))


def as_evaluation(value: Any, name: str = "evaluation") -> Evaluation:
    """Return ``value`` as an :class:`Evaluation`; a body dict is read with ``from_dict``.

    The one check of the views' ``from_evaluation(evaluation)``.

    Raises
    ------
    InvalidArgumentError
        For anything but an Evaluation or a dict.

    Examples
    --------
    >>> as_evaluation({"id": "ev-1"}).id
    'ev-1'
    """
    if isinstance(value, Evaluation):
        return value
    if isinstance(value, Mapping):
        return Evaluation.from_dict(value)
    raise InvalidArgumentError(
        f"{name} must be a clarinb.Evaluation or an evaluation dict, not "
        f"{validate.shown(value)}; get one with client.evaluation(evaluation_id) or "
        "Evaluation.from_dict(body)."
    )

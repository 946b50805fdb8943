"""``EvaluationExplorer``: pick a model and an evaluation, then browse it in tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, html_widget, set_html
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.views._base import View, figure_widget
from clarinb.views._explorer_tabs import (
    TAB_TITLES,
    describe_error,
    facts_html,
    inputs_html,
    message,
    message_html,
    per_concept_metrics,
    summary_figure,
    summary_html,
)
from clarinb.views._source import (
    FRAME_NAMES,
    EvaluationLike,
    EvaluationParts,
    FrameParts,
    evaluation_parts,
)

#: Status code of an evaluation that finished (MODEL_EVALUATED).
EVALUATED = 21300

__all__ = ["EvaluationExplorer"]


class EvaluationExplorer(View):
    """Model and evaluation pickers over tabs Summary, Confusion, Curves, Thresholds, Test set.

    Parameters
    ----------
    source : clarinb.Client, clarinb.Evaluation or dict
        A client: the dropdowns list its evaluations (``client.evaluations()``)
        and the chosen one is fetched with ``client.evaluation(id)``. An
        evaluation: the explorer shows that one.
    evaluation_id : str, optional
        With a client, the evaluation shown first (the newest otherwise).
    theme : {"light", "dark"}
        Plotly template family.

    Attributes
    ----------
    figure_ : plotly.graph_objects.Figure
        Per-concept ROC AUC of the shown evaluation.
    widget_ : ipywidgets.VBox
        Pickers, a progress bar, a message line and the tabs.
    views_ : dict of str to View
        The views inside the tabs (``confusion``, ``curves``, ``thresholds``).

    Examples
    --------
    >>> explorer = EvaluationExplorer(client)  # doctest: +SKIP
    >>> explorer  # doctest: +SKIP
    """

    title = "Evaluation explorer"

    def __init__(
        self, source: Any, *, evaluation_id: str | None = None, theme: str = "light"
    ) -> None:
        super().__init__(theme=theme)
        self.client = source if _is_client(source) else None
        if self.client is not None and evaluation_id is not None:
            validate.string(evaluation_id, "evaluation_id")
        self.listing = pd.DataFrame(columns=["id", "model_id"])
        self.parts: EvaluationParts | None = None
        self.error: str | None = None
        self.views_: dict[str, View] = {}
        self._tabs: list[widgets.Box] = [widgets.VBox() for _ in TAB_TITLES]
        self._status = html_widget()
        self._progress = widgets.IntProgress(
            min=0, max=len(TAB_TITLES), description="loading", layout={"visibility": "hidden"}
        )
        self._model = widgets.Dropdown(description="model")
        self._evaluation = widgets.Dropdown(description="evaluation")
        self._filling = False
        if self.client is None:
            self.parts = evaluation_parts(source)
        else:
            self._list(evaluation_id)
        self._load_current()

    # -- construction -----------------------------------------------------------------
    @classmethod
    def from_evaluation(cls, evaluation: EvaluationLike, **kwargs: Any) -> EvaluationExplorer:
        """Explore one evaluation (``clarinb.Evaluation`` or dict).

        Examples
        --------
        >>> EvaluationExplorer.from_evaluation(evaluation)  # doctest: +SKIP
        """
        return cls(evaluation, **kwargs)

    @classmethod
    def from_frames(cls, label: str = "evaluation", **frames: Any) -> EvaluationExplorer:
        """Explore frames: ``binary_metrics``, ``confusion_matrix``, ``roc``, ``pr``, ``test_set``.

        Examples
        --------
        >>> EvaluationExplorer.from_frames(test_set=ts)  # doctest: +SKIP
        """
        theme = frames.pop("theme", "light")
        validate.known_keys(frames, FRAME_NAMES, what="frames")
        return cls(FrameParts(validate.text(label, "label"), **frames), theme=theme)

    # -- listing and loading -----------------------------------------------------------
    def _list(self, evaluation_id: str | None) -> None:
        assert self.client is not None
        try:
            listing = self.client.evaluations(show_failed=True)
        except Exception as err:
            self.error = f"Could not list evaluations. {describe_error(err)}"
            return
        if listing is None or not len(listing):
            self.error = "This workspace has no evaluations."
            return
        self.listing = listing.reset_index(drop=True)
        models = list(dict.fromkeys(self.listing["model_id"].astype(str)))
        start = _first_to_show(self.listing)
        if evaluation_id is not None:
            match = self.listing[self.listing["id"].astype(str) == evaluation_id]
            if not len(match):
                raise InvalidArgumentError(f"No evaluation {evaluation_id!r} in the listing.")
            start = match.iloc[0]
        self._model.options = models
        self._model.value = str(start["model_id"])
        self._fill_evaluations(str(start["id"]))
        self._fetch(str(start["id"]))
        self._model.observe(self._on_model, names="value")
        self._evaluation.observe(self._on_evaluation, names="value")

    def _on_model(self, change: dict[str, Any]) -> None:
        self._fill_evaluations(None)
        if self._evaluation.value is not None:
            self.select(self._evaluation.value)

    def _on_evaluation(self, change: dict[str, Any]) -> None:
        if not self._filling and change["new"] is not None:
            self.select(change["new"])

    def _fill_evaluations(self, chosen: str | None) -> None:
        rows = self.listing[self.listing["model_id"].astype(str) == self._model.value]
        options = [(_option_label(row), str(row["id"])) for _, row in rows.iterrows()]
        self._filling = True
        try:
            self._evaluation.options = options
            if options:
                self._evaluation.value = chosen or options[0][1]
        finally:
            self._filling = False

    def _fetch(self, evaluation_id: str) -> None:
        assert self.client is not None
        self.error = None
        self._set_progress(0, f"Fetching evaluation {evaluation_id}…")
        try:
            self.parts = EvaluationParts(self.client.evaluation(evaluation_id))
        except Exception as err:
            self.parts = None
            self.error = f"Could not fetch evaluation {evaluation_id}. {describe_error(err)}"

    def select(self, evaluation_id: str) -> EvaluationExplorer:
        """Fetch an evaluation by id and show it (what picking it in the dropdown does)."""
        if self.client is None:
            raise InvalidArgumentError("This explorer shows one evaluation; it has no client.")
        self._fetch(validate.string(evaluation_id, "evaluation_id"))
        self._load_current()
        return self

    def _set_progress(self, step: int, text: str) -> None:
        self._progress.value = step
        self._progress.layout.visibility = "visible" if step < len(TAB_TITLES) else "hidden"
        set_html(self._status, message_html(text))

    def _load_current(self) -> None:
        self.views_ = {}
        self._figure = None
        for tab in self._tabs:
            tab.children = ()
        if self.parts is None or self.error:
            self._fail(self.error or "No evaluation to show.")
            return
        ev = self.parts.evaluation
        if ev is not None and getattr(ev, "is_failed", False):
            status = getattr(ev, "code_name", "") or getattr(ev, "status", "")
            why = getattr(ev, "description", "")
            detail = f"{status}: {why}" if why else str(status)
            self._fail(f"Evaluation {self.parts.label} failed ({detail}); it has no metrics.")
            return
        if ev is not None and getattr(ev, "kind", "classifier") == "detector":
            self._detector()
            return
        steps: list[tuple[str, Callable[[], list[widgets.Widget]]]] = [
            ("summary", self._summary_tab),
            ("confusion matrix", self._confusion_tab),
            ("curves", self._curves_tab),
            ("thresholds", self._thresholds_tab),
            ("test set", self._test_set_tab),
        ]
        problems = []
        for i, (name, build) in enumerate(steps):
            self._set_progress(i, f"Loading the {name} of {self.parts.label}…")
            try:
                self._tabs[i].children = tuple(build())
            except Exception as err:
                problems.append(name)
                self._tabs[i].children = (message(describe_error(err), kind="error"),)
        self._progress.value = len(TAB_TITLES)
        self._progress.layout.visibility = "hidden"
        done = f"Evaluation {self.parts.label}."
        if problems:
            done += f" Could not show: {', '.join(problems)} (see those tabs)."
        set_html(self._status, message_html(done, kind="warning" if problems else "info"))

    def _detector(self) -> None:
        """Detectors are read per class, IoU and area: point to the detection views."""
        assert self.parts is not None
        text = (
            f"Evaluation {self.parts.label} is a detector evaluation: its metrics are per "
            "class, IoU and area. Open it with clarinb.views.DetectionMetricsView.from_evaluation"
            "(ev) and DetectionBrowser.from_evaluation(ev)."
        )
        self._tabs[0].children = (
            message(text, kind="warning"),
            html_widget(facts_html(self._facts())),
        )
        for tab in self._tabs[1:]:
            tab.children = (message(text, kind="warning"),)
        self._progress.layout.visibility = "hidden"
        set_html(self._status, message_html(text, kind="warning"))

    def _fail(self, text: str) -> None:
        self._progress.layout.visibility = "hidden"
        set_html(self._status, message_html(text, kind="error"))
        for tab in self._tabs:
            tab.children = (message(text, kind="error"),)

    # -- tabs -----------------------------------------------------------------------------
    def _facts(self) -> dict[str, Any]:
        assert self.parts is not None
        ev = self.parts.evaluation
        return {
            "evaluation": getattr(ev, "id", None) or self.parts.label,
            "model": getattr(ev, "model_id", None),
            "dataset version": getattr(ev, "dataset_version_id", None),
            "status": getattr(ev, "code_name", None) or getattr(ev, "status", None),
        }

    def _summary_tab(self) -> list[widgets.Widget]:
        assert self.parts is not None
        table = per_concept_metrics(self.parts)
        self._figure = summary_figure(table, self.parts.concept_names)
        self._figure.update_layout(template=self._template)
        return [html_widget(summary_html(self._facts(), table)), figure_widget(self._figure)]

    def _confusion_tab(self) -> list[widgets.Widget]:
        from clarinb.views.confusion import ConfusionMatrixView  # noqa: PLC0415

        parts = self.parts
        assert parts is not None
        test_set = parts.test_set
        view = ConfusionMatrixView.from_frames(
            matrix=parts.confusion_matrix if test_set is None else None,
            test_set=test_set,
            concept_names=parts.concept_names,
            thumbnails=parts.thumbnails if test_set is not None else None,
            theme=self.theme,
        )
        self.views_["confusion"] = view
        return [view.widget_]

    def _curves_tab(self) -> list[widgets.Widget]:
        from clarinb.views.curves import CurvesView  # noqa: PLC0415

        assert self.parts is not None
        parts = self.parts
        view = CurvesView.from_frames(
            roc=parts.roc,
            pr=parts.pr,
            binary_metrics=parts.binary_metrics,
            test_set=parts.test_set,
            concept_names=parts.concept_names,
            theme=self.theme,
        )
        self.views_["curves"] = view
        return [view.widget_]

    def _thresholds_tab(self) -> list[widgets.Widget]:
        from clarinb.views.thresholds import ThresholdView  # noqa: PLC0415

        assert self.parts is not None
        if self.parts.test_set is None:
            return [message("This evaluation has no test set, so thresholds cannot be moved.")]
        view = ThresholdView.from_frames(
            test_set=self.parts.test_set, concept_names=self.parts.concept_names, theme=self.theme
        )
        self.views_["thresholds"] = view
        return [view.widget_]

    def _test_set_tab(self) -> list[widgets.Widget]:
        assert self.parts is not None
        if self.parts.test_set is None:
            return [message("This evaluation has no test set.")]
        return [html_widget(inputs_html(self.parts.test_set))]

    # -- View API -------------------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        if self.parts is None or self.error:
            raise ClarinbError(self.error or "No evaluation loaded.")
        return summary_figure(per_concept_metrics(self.parts), self.parts.concept_names)

    def _html_sections(self) -> list[Block]:
        sections: list[Block] = [Block("Summary", self.figure_)]
        for view in self.views_.values():
            sections.extend(view._html_sections())
        return sections

    def _build_widget(self) -> widgets.VBox:
        tabs = widgets.Tab(children=self._tabs, titles=TAB_TITLES)
        pickers = widgets.HBox([self._model, self._evaluation])
        pickers.layout.display = "flex" if self.client is not None else "none"
        box = widgets.VBox([pickers, self._progress, self._status, tabs])
        box.add_class("clarinb-explorer")
        return box

    @property
    def tab_contents(self) -> dict[str, tuple[widgets.Widget, ...]]:
        """The widgets inside each tab, by tab title."""
        return {t: tab.children for t, tab in zip(TAB_TITLES, self._tabs, strict=True)}


def _first_to_show(listing: pd.DataFrame) -> pd.Series:
    """Pick the listing row to open on: an evaluated classifier, if there is one.

    Failed evaluations and detectors stay in the pickers; they are just not
    the first thing shown, since this explorer's tabs are for classifiers.
    """
    rows = listing
    if "code" in rows:
        rows = rows[rows["code"] == EVALUATED]
    if "model_type_id" in rows:
        classifiers = rows[~rows["model_type_id"].astype(str).str.contains("detector")]
        rows = classifiers if len(classifiers) else rows
    return rows.iloc[0] if len(rows) else listing.iloc[0]


def _is_client(source: Any) -> bool:
    return callable(getattr(source, "evaluations", None)) and callable(
        getattr(source, "evaluation", None)
    )


def _option_label(row: pd.Series) -> str:
    status = row.get("code_name") or ""
    return " · ".join(str(p) for p in (row["id"], status) if p)

"""``EvaluationExplorer``: pick a model and an evaluation, then browse it in tabs of views."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._html import Block, html_widget, set_html
from clarinb.apps import _listing
from clarinb.apps._eval_tabs import BUILDERS, TABS, Built, TabContext, summary_bars
from clarinb.apps._messages import describe_error, message, message_html
from clarinb.apps._summary import facts_html
from clarinb.errors import ClarinbError, InvalidArgumentError
from clarinb.evaluation import Evaluation, as_evaluation
from clarinb.views._base import View
from clarinb.views._theme import COLORWAY

__all__ = ["EvaluationExplorer"]


class EvaluationExplorer(View):
    """Model and evaluation pickers, one threshold, and tabs of views over the chosen evaluation.

    Tabs are built when first opened, so the first plot shows fast. Every
    tab that depends on a threshold follows the explorer's one threshold.

    Parameters
    ----------
    client : clarinb.Client
        The dropdowns list its evaluations; the chosen one is fetched with
        ``client.evaluation(id)``.
    evaluation_id : str, optional
        The evaluation shown first; by default the first evaluated
        single-label classifier (else the first evaluated one).
    threshold : float
        The threshold every tab starts at.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    listing_ : pandas.DataFrame
        The evaluations the pickers offer.
    evaluation_ : clarinb.Evaluation or None
        The evaluation shown.
    kind_ : str or None
        Its kind: ``"single-label"``, ``"multi-label"`` or ``"detector"``.
    views_ : dict of str to View
        The views built so far, by tab title.
    figure_ : plotly.graph_objects.Figure
        The Summary tab's per-concept figure.

    Examples
    --------
    >>> EvaluationExplorer(client)  # doctest: +SKIP
    >>> EvaluationExplorer(client).set(threshold=0.7, tab="Confusion")  # doctest: +SKIP
    """

    title = "Evaluation explorer"
    settable = ("evaluation_id", "threshold", "tab")

    def __init__(
        self,
        client: Any,
        *,
        evaluation_id: str | None = None,
        threshold: float = 0.5,
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.client = validate.client(client, needs=("evaluations", "evaluation"))
        self._setup(validate.probability(threshold))
        if evaluation_id is not None:
            validate.string(evaluation_id, "evaluation_id")
        self._list()
        if self.listing_ is not None and len(self.listing_):
            self._open_first(evaluation_id)

    @classmethod
    def from_evaluation(cls, evaluation: Any, **kwargs: Any) -> EvaluationExplorer:
        """Explore one evaluation (a :class:`clarinb.Evaluation` or its dict), without pickers."""
        explorer = cls.__new__(cls)
        View.__init__(explorer, theme=kwargs.pop("theme", "light"))
        validate.known_keys(kwargs, ("threshold",), what="arguments")
        explorer.client = None
        explorer._setup(validate.probability(kwargs.get("threshold", 0.5)))
        explorer._show(as_evaluation(evaluation))
        return explorer

    def _setup(self, threshold: float) -> None:
        self.threshold = threshold
        self.listing_: pd.DataFrame | None = None
        self.evaluation_: Evaluation | None = None
        self.kind_: str | None = None
        self._views: dict[str, View] = {}
        self.error_: str | None = None
        self._panels: dict[str, Any] = {}
        self._context: TabContext | None = None
        self._summary: Any = None
        self._drawn: Any = None
        self._titles: tuple[str, ...] = ()
        self._boxes: list[widgets.VBox] = []
        self._tabs = widgets.Tab()
        self._tabs.observe(self._on_tab, names="selected_index")
        self._status = html_widget()
        self._model = widgets.Dropdown(description="model", layout={"width": "260px"})
        self._evaluation = widgets.Dropdown(
            description="evaluation", layout={"width": "380px", "min_width": "300px"}
        )
        self._slider = widgets.FloatSlider(
            value=threshold, min=0.0, max=1.0, step=0.01, description="threshold",
            continuous_update=False,
        )  # fmt: skip
        self._slider.observe(lambda c: self.set(threshold=c["new"]), names="value")
        self._filling = self._building = False

    # -- listing and opening -------------------------------------------------------------
    def _list(self) -> None:
        assert self.client is not None
        try:
            listing = self.client.evaluations(show_failed=True)
        except ClarinbError as err:
            self._fail(f"Could not list evaluations. {describe_error(err)}")
            return
        if listing is None or not len(listing):
            self._fail("This workspace has no evaluations.")
            return
        self.listing_ = listing.reset_index(drop=True)
        self._model.options = list(dict.fromkeys(self.listing_["model_id"].astype(str)))
        self._model.observe(self._on_model, names="value")
        self._evaluation.observe(self._on_evaluation, names="value")

    def _open_first(self, evaluation_id: str | None) -> None:
        assert self.listing_ is not None
        if evaluation_id is not None:
            if evaluation_id not in set(self.listing_["id"].astype(str)):
                raise InvalidArgumentError(
                    f"no evaluation {evaluation_id!r} in this workspace; pick one of "
                    f"{self.listing_['id'].astype(str).tolist()[:10]}."
                )
            self._open(evaluation_id)
            return
        tried: Evaluation | None = None
        for candidate in _listing.candidates(self.listing_):
            ev = self._fetch(candidate)
            if ev is not None and not ev.is_failed and _kind(ev) == "single-label":
                self._open(candidate, ev)
                return
            tried = tried or ev
        first = _listing.candidates(self.listing_)[0]
        self._open(first, tried if tried is not None and tried.id == first else None)

    def _fetch(self, evaluation_id: str) -> Evaluation | None:
        assert self.client is not None
        try:
            ev: Evaluation = self.client.evaluation(evaluation_id)
        except ClarinbError as err:
            self._fail(f"Could not fetch evaluation {evaluation_id}. {describe_error(err)}")
            return None
        return ev

    def _open(self, evaluation_id: str, ev: Evaluation | None = None) -> None:
        assert self.listing_ is not None
        row = self.listing_[self.listing_["id"].astype(str) == evaluation_id].iloc[0]
        self._fill_pickers(str(row["model_id"]), evaluation_id)
        ev = ev if ev is not None else self._fetch(evaluation_id)
        if ev is not None:
            self._show(ev)

    def _fill_pickers(self, model_id: str, evaluation_id: str) -> None:
        assert self.listing_ is not None
        self._filling = True
        try:
            self._model.value = model_id
            ids = _listing.for_model(self.listing_, model_id)
            self._evaluation.options = _listing.options(self.listing_, ids)
            self._evaluation.value = evaluation_id
        finally:
            self._filling = False
        self._describe_choice()

    def _describe_choice(self) -> None:
        """Put the chosen evaluation's full description in the picker's tooltip."""
        assert self.listing_ is not None
        rows = self.listing_[self.listing_["id"].astype(str) == self._evaluation.value]
        self._evaluation.tooltip = _listing.option_title(rows.iloc[0]) if len(rows) else None

    def _on_model(self, change: dict[str, Any]) -> None:
        if not self._filling and change["new"] is not None and self.listing_ is not None:
            self.set(evaluation_id=_listing.for_model(self.listing_, change["new"])[0])

    def _on_evaluation(self, change: dict[str, Any]) -> None:
        if not self._filling and change["new"] is not None:
            self.set(evaluation_id=change["new"])

    # -- showing -------------------------------------------------------------------------
    def _show(self, ev: Evaluation) -> None:
        self.evaluation_, self._views, self._panels, self._figure = ev, {}, {}, None
        self.error_, self._context, self._summary, self._drawn = None, None, None, None
        if ev.is_failed or ev.is_pending:
            why = f"{ev.code_name}: {ev.description}" if ev.description else ev.code_name
            state = "failed" if ev.is_failed else "is not finished"
            self.kind_ = None
            self._fail(f"Evaluation {ev.id} {state} ({why}); it has no metrics to show.")
            facts = {"model": ev.model_id, "evaluation": ev.id, "status": ev.code_name,
                     "why": ev.description, "dataset version": ev.dataset_version_id}  # fmt: skip
            self._titles, self._boxes = ("About",), [widgets.VBox([html_widget(facts_html(facts))])]
            self._tabs.children, self._tabs.titles = self._boxes, self._titles
            return
        self.kind_ = _kind(ev)
        self._context = TabContext(
            ev,
            self.kind_,
            self.threshold,
            self.theme,
            self._color(ev.model_id),
            self._others,
            self._open_cell,
        )
        self._titles = TABS[self.kind_]
        self._boxes = [widgets.VBox() for _ in self._titles]
        self._building = True  # the tab widget resets its selection: build tab 0 once, here
        try:
            self._tabs.children = self._boxes
            self._tabs.titles = self._titles
            self._tabs.selected_index = 0
        finally:
            self._building = False
        self._build_tab(0)
        set_html(self._status, message_html(self._headline()))

    def _headline(self) -> str:
        assert self.evaluation_ is not None
        ev = self.evaluation_
        where = ev.dataset_version_id or "its test set"
        return f"{ev.model_id} on {where}: a {self.kind_} evaluation ({ev.id})."

    def _fail(self, text: str) -> None:
        self.error_ = text
        set_html(self._status, message_html(text, kind="error"))
        self._titles, self._boxes = (), []
        self._tabs.children = ()

    def _on_tab(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if (
            not self._building
            and index is not None
            and 0 <= index < len(self._boxes)
            and not self._boxes[index].children
        ):
            self._build_tab(index)

    def _build_tab(self, index: int) -> None:
        title = self._titles[index]
        assert self._context is not None
        try:
            built = BUILDERS[title](self._context)
        except ClarinbError as err:
            built = Built([message(f"{title}: {describe_error(err)}", kind="warning")])
        if built.view is not None:
            self._views[title] = built.view
        if built.figure is not None:
            self._figure, self._summary, self._drawn = built.figure, built.summary, built.drawn
        if built.panel is not None:
            self._panels[title] = built.panel
        self._boxes[index].children = tuple(built.children)

    def _open_cell(self, cell: tuple[str, str]) -> None:
        """Open the Confusion tab on one cell (the link from the Mistakes tab)."""
        self.set(tab="Confusion")
        confusion = self.views_.get("Confusion")
        if confusion is not None and "cell" in confusion.settable:
            confusion.set(cell=cell)

    def _others(self) -> list[Evaluation]:
        """Other evaluated classifiers on the same dataset version (their labels slice this one)."""
        ev = self.evaluation_
        if self.client is None or self.listing_ is None or ev is None:
            return []
        rows = self.listing_
        same = rows[
            (rows["dataset_version_id"].astype(str) == str(ev.dataset_version_id))
            & (rows["id"].astype(str) != ev.id)
        ]
        found = []
        for evaluation_id in _listing.candidates(same):
            other = self._fetch_quietly(evaluation_id)
            if other is not None and not other.is_failed and other.kind != "detector":
                found.append(other)
        return found

    def _fetch_quietly(self, evaluation_id: str) -> Evaluation | None:
        assert self.client is not None
        try:
            other: Evaluation = self.client.evaluation(evaluation_id)
        except ClarinbError:
            return None
        return other

    def _color(self, model_id: str) -> str:
        models = list(self._model.options) or [model_id]
        return (
            COLORWAY[models.index(model_id) % len(COLORWAY)] if model_id in models else COLORWAY[0]
        )

    # -- state ---------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        threshold = validate.probability(changes.get("threshold", self.threshold))
        tab = changes.get("tab")
        if tab is not None:
            validate.choice(tab, "tab", self._titles or ("(none)",))
        evaluation_id = changes.get("evaluation_id")
        if evaluation_id is not None:
            validate.string(evaluation_id, "evaluation_id")
            if self.client is None or self.listing_ is None:
                raise InvalidArgumentError(
                    "this explorer shows one evaluation and has no client; build it with "
                    "EvaluationExplorer(client) to switch evaluations."
                )
            validate.choice(
                evaluation_id, "evaluation_id", self.listing_["id"].astype(str).tolist()
            )
            self._open(evaluation_id)
        if threshold != self.threshold:
            self.threshold = threshold
            self._follow_threshold()
        if tab is not None:
            index = self._titles.index(tab)
            self._tabs.selected_index = index
            if not self._boxes[index].children:
                self._build_tab(index)

    def _follow_threshold(self) -> None:
        """Bring the slider and every built tab to the explorer's threshold."""
        if self._slider.value != self.threshold:
            self._slider.value = self.threshold
        for view in self.views_.values():
            if "threshold" in view.settable:
                view.set(threshold=self.threshold)
        for panel in self._panels.values():
            panel.set_threshold(self.threshold)
        if self._context is not None:
            self._context.threshold = self.threshold
            if self._summary is not None:
                set_html(self._summary, self._context.summary_markup())
            if self._drawn is not None:
                self._figure = summary_bars(self._context)
                self._drawn.show(self._figure)

    def _update(self) -> None:
        """Tabs redraw themselves; nothing else to do."""

    # -- View API ------------------------------------------------------------------------
    def _build_figure(self) -> go.Figure:
        if self.evaluation_ is None or self.error_:
            raise ClarinbError(self.error_ or "no evaluation is shown.")
        if self._figure is None:
            self._build_tab(0)
        if self._figure is None:
            raise ClarinbError(f"a {self.kind_} evaluation's summary has no figure.")
        return self._figure

    def _frame(self) -> pd.DataFrame:
        if self._context is None:
            raise ClarinbError(self.error_ or "no evaluation is shown.")
        return self._context.per_concept().copy()

    def _html_sections(self) -> list[Block]:
        sections: list[Block] = [Block("Summary", self.figure_)]
        for view in self.views_.values():
            sections.extend(view._html_sections())
        return sections

    def _build_widget(self) -> widgets.VBox:
        pickers = widgets.HBox([self._model, self._evaluation, self._slider])
        pickers.layout.display = "flex" if self.client is not None else "none"
        box = widgets.VBox([pickers, self._status, self._tabs])
        box.add_class("clarinb-explorer")
        return box

    @property
    def views_(self) -> dict[str, View]:
        """The views built so far, by tab title."""
        shown = dict(self._views)
        for title, panel in self._panels.items():
            if getattr(panel, "view", None) is not None:
                shown[title] = panel.view
        return shown

    @property
    def tab_contents_(self) -> dict[str, tuple[widgets.Widget, ...]]:
        """The widgets inside each tab, by title (empty until a tab is first opened)."""
        return {t: box.children for t, box in zip(self._titles, self._boxes, strict=True)}


def _kind(ev: Evaluation) -> str:
    """Pick the tab set of an evaluation (a classifier of unknown kind counts as single-label)."""
    kind = ev.model_kind
    return kind if kind in TABS else "single-label"

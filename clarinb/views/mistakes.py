"""``MistakesView``: the inputs to look at first, and the labels most likely wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb import _validate as validate
from clarinb._atomic import write_text
from clarinb._html import Block, html_widget, set_html, tag
from clarinb._html import table as html_table
from clarinb._names import concept_name, named_concepts
from clarinb.errors import InvalidArgumentError
from clarinb.evaluation import as_evaluation
from clarinb.metrics.matrix import TestSetMatrix, as_matrix
from clarinb.metrics.mistakes import FALSE_POSITIVE, MISSED, input_outcomes, mistakes
from clarinb.views._base import View, figure_widget, sync_figure
from clarinb.views._drilldown import inputs_panel
from clarinb.views._mistakes_figure import mistakes_figure

__all__ = ["MistakesView"]

_KINDS = (FALSE_POSITIVE, MISSED)
_ISSUE_COLUMNS = ("input_id", "label_quality")
#: Given and suggested label columns of single-label and multi-label label issues.
_LABEL_COLUMNS = (("given_label", "suggested_label"), ("given_labels", "suggested_labels"))
_SHOWN_ISSUES = 50
#: Inputs listed under the figure when every concept is shown (pick a concept for all of its).
_LISTED = 24
#: Most concepts drawn when every concept is shown: those with the surest mistakes (a
#: concept axis of thousands is unreadable, and each point costs the page its hover text).
FIGURE_CONCEPTS = 100


class MistakesView(View):
    """Per concept, the surest false positives and the faintest misses; and likely label errors.

    Built from data only; :meth:`from_evaluation` reads an evaluation's test
    set. Clicking a point (or ``set(selection=[...])``) selects inputs for
    review; ``selection_`` holds them as a frame and :meth:`to_csv` writes it.

    Parameters
    ----------
    test_set : pandas.DataFrame or TestSetMatrix
        As :func:`clarinb.frames.test_set`, or its
        :class:`clarinb.metrics.TestSetMatrix` (a frame is turned into one
        once, on first use; :meth:`from_evaluation` passes the evaluation's
        own, shared with the other views).
    label_issues : pandas.DataFrame, optional
        Likely label errors, most likely first, as :func:`clarinb.metrics.label_issues`
        gives them (``input_id``, ``given_label(s)``, ``suggested_label(s)``,
        ``label_quality``).
    concept_names : mapping, optional
        Display name per concept id.
    thumbnails : callable, optional
        ``input_id -> image bytes`` (``None`` when there is no image).
    threshold : float
        A concept is predicted at or above this score.
    k : int
        At most this many mistakes of each kind per concept.
    concept : str, optional
        Show one concept only.
    kind : {"false positive", "missed positive"}, optional
        Show one kind only.
    selection : sequence of str
        Input ids selected for review.
    theme : {"light", "dark"}
        Plotly theme.

    Attributes
    ----------
    mistakes_ : pandas.DataFrame
        The mistakes shown (see :func:`clarinb.metrics.mistakes.mistakes`).
    selection_ : pandas.DataFrame
        The selected inputs: ``input_id``, their mistakes and label issue, if any.
    frame_ : pandas.DataFrame
        The same as ``mistakes_``.

    Examples
    --------
    >>> view = MistakesView.from_evaluation(ev, k=5)  # doctest: +SKIP
    >>> view.set(concept="jaguar", kind="false positive").selection_  # doctest: +SKIP
    """

    title = "Mistakes to look at first"
    settable = ("threshold", "k", "concept", "kind", "selection")

    def __init__(
        self,
        *,
        test_set: pd.DataFrame | TestSetMatrix,
        label_issues: pd.DataFrame | None = None,
        concept_names: Mapping[str, str] | None = None,
        thumbnails: Callable[[str], bytes | None] | None = None,
        threshold: float = 0.5,
        k: int = 10,
        concept: str | None = None,
        kind: str | None = None,
        selection: Sequence[str] = (),
        theme: str = "light",
    ) -> None:
        super().__init__(theme=theme)
        self.test_set = validate.test_set_or_matrix(test_set)
        self.label_issues = None if label_issues is None else _issues(label_issues)
        given = validate.mapping(concept_names, "concept_names")
        self.concept_names = {str(k): str(v) for k, v in given.items()}
        self.thumbnails = validate.function(thumbnails, "thumbnails", takes="input_id -> bytes")
        self.threshold, self.k = 0.5, 10
        self.concept: str | None = None
        self.kind: str | None = None
        self.selection: list[str] = []
        self._all: pd.DataFrame | None = None
        self._known: dict[str, set[str]] = {}
        self._matrix: TestSetMatrix | None = None
        self._apply(
            {"threshold": threshold, "k": k, "concept": concept, "kind": kind,
             "selection": selection}
        )  # fmt: skip

    @classmethod
    def from_frames(cls, **kwargs: Any) -> MistakesView:
        """Build the view from frames (the constructor's keywords)."""
        return cls(**kwargs)

    @classmethod
    def from_evaluation(cls, evaluation: Any, **kwargs: Any) -> MistakesView:
        """Build the view from a :class:`clarinb.Evaluation` (or its body as a dict).

        Raises
        ------
        InvalidArgumentError
            When the evaluation has no test set.
        """
        ev = as_evaluation(evaluation)
        matrix = ev.test_set_matrix_or_none()  # shared with the other views: no second conversion
        if matrix is None:
            raise InvalidArgumentError(
                f"evaluation {ev.id!r} has no test set, so its mistakes cannot be listed; "
                "evaluate the model with a test set first."
            )
        kwargs.setdefault("concept_names", ev.concepts)
        if "label_issues" not in kwargs:
            from clarinb.metrics import label_issues  # noqa: PLC0415 - cleanlab loads on use

            found = label_issues(matrix, issues_only=False)
            kwargs["label_issues"] = found.head(_SHOWN_ISSUES)
        kwargs.setdefault("thumbnails", ev.fetch_input_image if ev.client is not None else None)
        return cls(test_set=matrix, **kwargs)

    # -- state --------------------------------------------------------------------------
    def _apply(self, changes: dict[str, Any]) -> None:
        threshold = validate.probability(changes.get("threshold", self.threshold))
        k = validate.positive_int(changes.get("k", self.k), "k")
        concept = changes.get("concept", self.concept)
        if concept is not None:
            concept = validate.choice(concept, "concept", sorted(self._ids("concept_id")))
        kind = changes.get("kind", self.kind)
        if kind is not None:
            kind = validate.choice(kind, "kind", _KINDS)
        selection = validate.strings(changes.get("selection", self.selection), "selection")
        unknown = sorted(set(selection) - self._ids("input_id")) if selection else []
        if unknown:
            raise InvalidArgumentError(
                f"selection names inputs not in the test set: {unknown[:5]}; pick input ids "
                "from mistakes_."
            )
        if (threshold, k) != (self.threshold, self.k):
            self._all = None
        self.threshold, self.k, self.concept, self.kind = threshold, k, concept, kind
        self.selection = list(dict.fromkeys(selection))

    def _test_matrix(self) -> TestSetMatrix:
        """Return the test set as matrices, built once (every threshold reads them)."""
        if self._matrix is None:
            self._matrix = as_matrix(self.test_set)
        return self._matrix

    def _ids(self, column: str) -> set[str]:
        """Return the concept or input ids of the test set, as strings, found once."""
        if column not in self._known:
            m = self._test_matrix()
            ids = m.concepts if column == "concept_id" else m.inputs
            self._known[column] = set(ids.astype(str))
        return self._known[column]

    # -- results ------------------------------------------------------------------------
    @property
    def mistakes_(self) -> pd.DataFrame:
        """The mistakes shown: all concepts and kinds, or the chosen one."""
        if self._all is None:
            self._all = mistakes(self._test_matrix(), threshold=self.threshold, k=self.k)
        shown = self._all
        if self.concept is not None:
            shown = shown[shown["concept_id"] == self.concept]
        if self.kind is not None:
            shown = shown[shown["kind"] == self.kind]
        return shown.reset_index(drop=True)

    @property
    def selection_(self) -> pd.DataFrame:
        """The selected inputs, with their listed mistakes and label issue where there is one."""
        picked = pd.DataFrame({"input_id": self.selection})
        found = self._all if self._all is not None else self.mistakes_
        per_input = found.groupby("input_id", sort=False).agg(
            mistakes=("concept_id", lambda c: ", ".join(sorted(set(c)))),
            truth=("truth", "first"),
            top_concept=("top_concept", "first"),
        )
        picked = picked.merge(per_input, on="input_id", how="left")
        if self.label_issues is not None:
            issues = self.label_issues.astype({"input_id": str})
            picked = picked.merge(issues, on="input_id", how="left")
        return picked

    @property
    def drilldown_(self) -> tuple[str, str] | None:
        """The confusion-matrix cell of the last selected input: (actual, predicted).

        Its true concept and its top concept at the threshold (``"(none)"`` under
        it), as :class:`ConfusionMatrixView` counts it: ``set(cell=drilldown_)``
        there lists the inputs confused the same way. ``None`` with nothing
        selected, or for an input with other than one true concept.
        """
        if not self.selection:
            return None
        outcomes = input_outcomes(self._test_matrix(), threshold=self.threshold)
        row = outcomes[outcomes["input_id"] == self.selection[-1]]
        if not len(row) or not row["truth"].iloc[0] or "," in row["truth"].iloc[0]:
            return None
        return str(row["truth"].iloc[0]), str(row["predicted"].iloc[0])

    def _frame(self) -> pd.DataFrame:
        return self.mistakes_

    def to_csv(self, path: str | Path) -> Path:
        """Write ``selection_`` as CSV (atomically) and return the path.

        Raises
        ------
        InvalidArgumentError
            When nothing is selected.
        """
        if not self.selection:
            raise InvalidArgumentError("nothing is selected; set(selection=[...]) first.")
        target = Path(path)
        write_text(target, self.selection_.to_csv(index=False))
        return target

    # -- figure and widget --------------------------------------------------------------
    def _heading(self) -> str:
        what = self.kind + "s" if self.kind else "false positives and missed positives"
        where = f" of {concept_name(self.concept, self.concept_names)}" if self.concept else ""
        return f"Surest {what}{where} at threshold {self.threshold:.2f} (at most {self.k} each)"

    def _drawn(self) -> tuple[pd.DataFrame, str]:
        """Return the mistakes drawn, and what the title adds when some concepts are left out.

        With every concept shown and more than :data:`FIGURE_CONCEPTS` of
        them, the figure keeps those whose surest mistake is surest (the
        highest false-positive score, or the lowest missed score); the
        ``mistakes_`` frame keeps them all.
        """
        rows = self.mistakes_
        concepts = rows["concept_id"].to_numpy(dtype=object)
        n = len(pd.unique(concepts))
        if self.concept is not None or n <= FIGURE_CONCEPTS:
            return rows, ""
        score = rows["score"].to_numpy(dtype=float)
        sure = np.where(rows["kind"].to_numpy() == FALSE_POSITIVE, score, 1.0 - score)
        surest = pd.Series(sure).groupby(concepts, sort=True).max()
        keep = surest.sort_values(ascending=False, kind="stable").index[:FIGURE_CONCEPTS]
        note = (
            f"; the {FIGURE_CONCEPTS} of {n:,} concepts with the surest mistakes "
            "(pick a concept to see any other)"
        )
        return rows[rows["concept_id"].isin(keep)].reset_index(drop=True), note

    def _build_figure(self) -> go.Figure:
        rows, note = self._drawn()
        return mistakes_figure(
            rows, self.concept_names, threshold=self.threshold, title=self._heading() + note
        )

    def _issues_html(self) -> Any:
        if self.label_issues is None:
            return tag("i", "No label-issue search was given to this view.")
        shown = self.label_issues.head(_SHOWN_ISSUES)
        return tag("b", "Likely label errors (cleanlab), most likely first") + html_table(
            named_concepts(shown, self.concept_names)
        )

    def _refresh_widget(self) -> None:
        sync_figure(self._plot, self.figure_)
        self._fill()

    def _fill(self) -> None:
        rows = self.mistakes_
        if self.concept is None:  # every concept: the surest mistakes first, a screenful
            rows = rows.sort_values("rank", kind="stable").head(_LISTED)
        self._inputs.children = inputs_panel(
            named_concepts(
                rows[["input_id", "concept_id", "kind", "score", "top_concept", "truth"]],
                self.concept_names,
            ),
            self._heading() + ("" if self.concept else f"; the first {len(rows)} listed"),
            self.thumbnails,
        )
        chosen = tag("b", f"Selected for review: {len(self.selection)}")
        if self.selection:
            chosen += html_table(named_concepts(self.selection_, self.concept_names))
        set_html(self._chosen, chosen)

    def _on_click(self, trace: Any, points: Any, _state: Any) -> None:
        rows = self._drawn()[0]
        for index in points.point_inds:
            kind = _KINDS[points.trace_index] if points.trace_index < len(_KINDS) else None
            ids = rows.loc[rows["kind"] == kind, "input_id"].tolist()
            if index < len(ids):
                toggled = [i for i in self.selection if i != ids[index]]
                if len(toggled) == len(self.selection):
                    toggled.append(ids[index])
                self.set(selection=toggled)

    def _build_widget(self) -> widgets.VBox:
        concepts = sorted(self._ids("concept_id"))
        pick = widgets.Dropdown(
            options=[("(all concepts)", None)]
            + [(concept_name(c, self.concept_names), c) for c in concepts],
            value=self.concept,
            description="concept",
        )
        kind = widgets.ToggleButtons(
            options=[("both", None), ("false positives", FALSE_POSITIVE), ("missed", MISSED)],
            value=self.kind,
        )
        pick.observe(lambda c: self.set(concept=c["new"]), names="value")
        kind.observe(lambda c: self.set(kind=c["new"]), names="value")
        self._plot = figure_widget(self.figure_)
        for trace in self._plot.data:
            trace.on_click(self._on_click)
        self._inputs, self._chosen = widgets.VBox(), html_widget()
        self._fill()
        issues = html_widget(self._issues_html())
        box = widgets.VBox(
            [widgets.HBox([pick, kind]), self._plot, self._inputs, self._chosen, issues]
        )
        box.add_class("clarinb-mistakes")
        return box

    def _html_sections(self) -> Sequence[Block]:
        return [
            Block(self._heading(), self.figure_),
            Block("Likely label errors", self._issues_html()),
        ]


def _issues(frame: Any) -> pd.DataFrame:
    """Label issues as the view shows them: input id, given, suggested, label quality."""
    validate.frame(frame, "label_issues", columns=_ISSUE_COLUMNS)
    for given, suggested in _LABEL_COLUMNS:
        if given in frame and suggested in frame:
            break
    else:
        raise InvalidArgumentError(
            "label_issues needs given_label and suggested_label columns (or given_labels and "
            "suggested_labels); build it with clarinb.metrics.label_issues()."
        )

    def text(values: pd.Series) -> list[str]:
        return [", ".join(map(str, v)) if isinstance(v, tuple | list) else str(v) for v in values]

    return pd.DataFrame(
        {
            "input_id": frame["input_id"].astype(str).to_numpy(),
            "given": text(frame[given]),
            "suggested": text(frame[suggested]),
            "label_quality": frame["label_quality"].to_numpy(dtype=float),
        }
    )

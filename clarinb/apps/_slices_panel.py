"""The explorer's Slices tab: pick what to slice the test set by, see the worst slices first."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd

from clarinb.apps._messages import describe_error, message
from clarinb.errors import ClarinbError
from clarinb.evaluation import Evaluation
from clarinb.views.slices import SlicesView

__all__ = ["SlicesPanel", "slice_choices"]

_MAX_CONCEPT_CHOICES = 12


def slice_choices(ev: Evaluation, others: Sequence[Evaluation] = ()) -> list[tuple[str, str]]:
    """List what an evaluation's test set can be sliced by: (label, choice).

    The labels of other evaluations on the same inputs (e.g. a scene
    tagger's ``night``, as ``"concept:night@<evaluation id>"``), the metadata
    fields and extra labels the inputs carry when the evaluation has a client
    to list them with, and image size and aspect ratio always.
    """
    choices: list[tuple[str, str]] = []
    evaluated = set(ev.test_set()["concept_id"].astype(str))
    for other in others:
        try:
            ts = other.test_set()
        except ClarinbError:
            continue
        positives = ts.loc[ts["ground_truth"].to_numpy(dtype=bool), "concept_id"].astype(str)
        for concept in positives.value_counts().index[:_MAX_CONCEPT_CHOICES]:
            if concept not in evaluated:
                choices.append((f"{concept} ({other.model_id})", f"concept:{concept}@{other.id}"))
    inputs = _inputs(ev)
    if inputs is not None:
        fields = sorted({k for meta in inputs.get("metadata", []) if isinstance(meta, dict)
                         for k in meta})  # fmt: skip
        choices += [(f"metadata: {f}", f"metadata:{f}") for f in fields]
        counts = pd.Series(
            [
                c
                for labels in inputs.get("concepts", [])
                if isinstance(labels, list | tuple)
                for c in labels
                if c not in evaluated
            ],
            dtype=object,
        ).value_counts()
        for concept in counts.index[:_MAX_CONCEPT_CHOICES]:
            choices.append((f"label: {concept}", f"concept:{concept}"))
    return [*choices, ("image size", "size"), ("aspect ratio", "aspect")]


def _inputs(ev: Evaluation) -> pd.DataFrame | None:
    if ev.client is None:
        return None
    try:
        return ev.app_inputs()
    except ClarinbError:
        return None


class SlicesPanel:
    """A "slice by" picker over a :class:`SlicesView` rebuilt for each choice.

    Parameters
    ----------
    evaluation : clarinb.Evaluation
        The evaluation shown.
    threshold : float
        The explorer's threshold (precision, recall and F1 of each slice).
    theme : str
        Plotly theme.
    others : sequence of clarinb.Evaluation
        Other evaluations on the same inputs, whose labels can slice this one.

    Attributes
    ----------
    view : SlicesView or None
        The view of the current choice.
    """

    def __init__(
        self,
        evaluation: Evaluation,
        threshold: float,
        theme: str,
        others: Sequence[Evaluation] = (),
    ) -> None:
        self.evaluation, self.threshold, self.theme = evaluation, threshold, theme
        self.others = {o.id: o for o in others}
        choices = slice_choices(evaluation, others)
        self.by = widgets.Dropdown(options=choices, value=choices[0][1], description="slice by")
        self.body = widgets.VBox()
        self.by.observe(lambda _change: self.refresh(), names="value")
        self.widget = widgets.VBox([self.by, self.body])
        self.view: SlicesView | None = None
        self.refresh()

    def set_threshold(self, threshold: float) -> None:
        """Recompute the slices at the explorer's new threshold."""
        self.threshold = threshold
        self.refresh()

    def refresh(self) -> None:
        """Slice by the picked key and show the view (or why it cannot)."""
        try:
            by, _, source = str(self.by.value).partition("@")
            self.view = SlicesView.from_evaluation(
                self.evaluation,
                by=by,
                labels_from=self.others.get(source),
                threshold=self.threshold,
                theme=self.theme,
            )
        except ClarinbError as err:
            self.body.children = (message(describe_error(err), kind="warning"),)
            return
        self.body.children = (self.view.widget_,)

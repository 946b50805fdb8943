"""Figures of the comparison view: summary bars, delta bars, curves, confusion difference.

Colours mean one thing each: a model keeps its colour in every figure (from
its position in the list given, :data:`clarinb.views._theme.COLORWAY`), and
the delta bars and the confusion difference use :data:`VERDICT_COLORS`
(better, worse, indistinguishable), which no model uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb._html import plotly_text
from clarinb._names import readable
from clarinb._numbers import number_text
from clarinb.metrics.curve_points import join_points
from clarinb.metrics.significance import McNemarResult
from clarinb.views._theme import COLORWAY, score_axis

__all__ = [
    "VERDICT_COLORS",
    "confusion_diff_figure",
    "curves_figure",
    "delta_figure",
    "largest_changes",
    "mcnemar_line",
    "model_colors",
    "summary_figure",
]

#: Colours of the verdicts (purple-green, colour-blind safe); no model has one of them.
VERDICT_COLORS = {
    "better": "#1B7837",
    "worse": "#762A83",
    "indistinguishable": "#C4C4C4",
    "n/a": "#8C8C8C",
}
_SCALE = [[0.0, VERDICT_COLORS["worse"]], [0.5, "#F7F7F7"], [1.0, VERDICT_COLORS["better"]]]


def _cells(values: np.ndarray) -> list[list[float | None]]:
    """Rows of a matrix with ``None`` for NaN (widget state is JSON, where NaN is not allowed)."""
    return [[None if math.isnan(v) else float(v) for v in row] for row in values.tolist()]


def model_colors(labels: list[str]) -> dict[str, str]:
    """Each model's colour, from its position in the list of compared models."""
    return {label: COLORWAY[i % len(COLORWAY)] for i, label in enumerate(labels)}


def mcnemar_line(result: McNemarResult, names: tuple[str, str]) -> str:
    """One sentence of McNemar's test on top-1 correctness (``names``: A, then B)."""
    a, b = names
    test = "exact binomial" if result.method == "exact" else "chi-square"
    return (
        f"McNemar's test on top-1 correctness over {result.n_inputs} inputs: {b} right where "
        f"{a} is wrong on {result.b_only}, the reverse on {result.a_only}; "
        f"p = {result.p_value:.2g} ({test})"
    )


def summary_figure(means: pd.DataFrame, colors: Mapping[str, str]) -> go.Figure:
    """Draw grouped bars: the mean of each metric over concepts, one bar per evaluation.

    ``means`` has one row per metric and one column per evaluation (as
    :func:`clarinb.metrics.deltas.metric_means` returns); NaN shows as "n/a";
    ``colors`` maps each evaluation to its colour.
    """
    metric_names = [readable(m) for m in means.index]
    fig = go.Figure(
        [
            go.Bar(
                x=metric_names,
                y=means[label].to_numpy(dtype=float),
                name=plotly_text(str(label)),
                marker={"color": colors.get(str(label))},
                text=[number_text(v) for v in means[label]],
                hovertemplate=f"{plotly_text(str(label))}<br>%{{x}}: %{{y:.4f}}<extra></extra>",
            )
            for label in means.columns
        ]
    )
    fig.update_layout(
        title={"text": "Mean over concepts"},
        barmode="group",
        yaxis=score_axis(means.to_numpy(dtype=float), "mean over concepts", top=1.05),
        height=420,
    )
    return fig


def largest_changes(diffs: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """Keep the rows of the ``top`` largest absolute changes (of the first column), in order."""
    if top is None or len(diffs) <= top or diffs.columns.empty:
        return diffs
    keep = set(diffs[diffs.columns[0]].abs().fillna(0).nlargest(top).index)
    return diffs.loc[[c for c in diffs.index if c in keep]]


def delta_figure(
    rows: pd.DataFrame, heading: str, names: Mapping[str, str], total: int, ci: float
) -> go.Figure:
    """Horizontal bars of one pair's per-concept deltas with their intervals, by verdict.

    ``rows`` (one per drawn bar, in drawing order) has ``concept_id``,
    ``delta``, ``delta_lo``, ``delta_hi`` and ``verdict``; one trace per
    verdict, coloured by :data:`VERDICT_COLORS`. ``heading`` (plotly text)
    is the title; ``total`` the number of concepts, of which ``rows`` may hold
    the largest changes; ``ci`` the level of the intervals.
    """
    order = [plotly_text(names.get(c, c)) for c in rows["concept_id"]]
    traces = []
    for mark, color in VERDICT_COLORS.items():
        part = rows[rows["verdict"] == mark]
        if part.empty:
            continue
        delta = part["delta"].to_numpy(dtype=float)
        traces.append(
            go.Bar(
                y=[plotly_text(names.get(c, c)) for c in part["concept_id"]],
                x=delta,
                orientation="h",
                name=mark,
                marker={"color": color},
                error_x={
                    "type": "data",
                    "array": part["delta_hi"].to_numpy(dtype=float) - delta,
                    "arrayminus": delta - part["delta_lo"].to_numpy(dtype=float),
                    "color": "#444",
                    "thickness": 1.2,
                },
                customdata=[plotly_text(c) for c in part["concept_id"]],
                text=[
                    f"{lo:+.3f} to {hi:+.3f}" if not (math.isnan(lo) or math.isnan(hi)) else "n/a"
                    for lo, hi in zip(part["delta_lo"], part["delta_hi"], strict=True)
                ],
                hovertemplate="%{y}<br>delta: %{x:+.4f}<br>interval: %{text}<extra>"
                + mark
                + "</extra>",
                textposition="none",
            )
        )
    suffix = f" ({len(rows)} largest changes of {total})" if len(rows) < total else ""
    fig = go.Figure(traces)
    fig.update_layout(
        title={"text": heading + suffix, "font": {"size": 14}},
        barmode="overlay",
        yaxis={"autorange": "reversed", "type": "category", "categoryorder": "array",
               "categoryarray": order},
        xaxis={"title": {"text": f"difference ({ci:.0%} interval)", "standoff": 4},
               "zeroline": True},
        legend={"title": {"text": "verdict"}},
        margin={"t": 90},
        height=min(1600, 200 + 20 * len(rows)),
    )  # fmt: skip
    return fig


def curves_figure(
    curves: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]],
    concept: str,
    name: str,
    colors: Mapping[str, str],
) -> go.Figure:
    """ROC and PR of one concept, one line per evaluation in its colour, side by side."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("ROC", "Precision-recall"))
    for label, (roc, pr) in curves.items():
        mine = join_points(
            roc[roc["concept_id"].astype(str) == concept],
            pr[pr["concept_id"].astype(str) == concept],
        )
        color = colors.get(label)
        hover = (
            f"{plotly_text(label)}<br>threshold %{{customdata[0]:.3f}}"
            "<br>precision %{customdata[1]:.3f}"
            "<br>recall %{customdata[2]:.3f}<br>FPR %{customdata[3]:.3f}<extra></extra>"
        )
        roc_part = mine.dropna(subset=["fpr", "tpr"])
        pr_part = mine.dropna(subset=["tpr", "precision"])
        fig.add_trace(
            go.Scattergl(
                x=roc_part["fpr"].to_numpy(), y=roc_part["tpr"].to_numpy(), mode="lines",
                name=plotly_text(label), legendgroup=plotly_text(label), line={"color": color},
                customdata=roc_part[["threshold", "precision", "tpr", "fpr"]].to_numpy(dtype=float),
                hovertemplate=hover,
            ),
            row=1, col=1,
        )  # fmt: skip
        fig.add_trace(
            go.Scattergl(
                x=pr_part["tpr"].to_numpy(), y=pr_part["precision"].to_numpy(), mode="lines",
                name=plotly_text(label), legendgroup=plotly_text(label), showlegend=False,
                line={"color": color},
                customdata=pr_part[["threshold", "precision", "tpr", "fpr"]].to_numpy(dtype=float),
                hovertemplate=hover,
            ),
            row=1, col=2,
        )  # fmt: skip
    fig.update_xaxes(title_text="false positive rate", range=[-0.01, 1.01], row=1, col=1)
    fig.update_yaxes(title_text="true positive rate", range=[-0.01, 1.01], row=1, col=1)
    fig.update_xaxes(title_text="recall", range=[-0.01, 1.01], row=1, col=2)
    fig.update_yaxes(title_text="precision", range=[-0.01, 1.05], row=1, col=2)
    fig.update_layout(title={"text": f"Curves of {plotly_text(name)}"}, height=440)
    return fig


def confusion_diff_figure(
    change: pd.DataFrame,
    labels: tuple[str, str],
    names: Mapping[str, str],
    total: int,
    note: str = "",
) -> go.Figure:
    """Heatmap of the change of confusion rates by actual concept (``labels[1]`` minus ``[0]``).

    ``change`` is square over the concepts drawn (as
    :func:`clarinb.metrics.deltas.confusion_rate_change` returns, or the
    block of the largest changes of
    :func:`clarinb.metrics.largest_confusion_changes`; NaN cells are not
    drawn); ``total`` is the number of concepts compared, said in the title
    when fewer are drawn.  The colour says better or worse: a cell's colour
    is the change on the diagonal (more right is better) and minus the
    change off it (more confusion is worse); the hover shows the change
    itself.
    """
    concepts = [str(c) for c in change.index]
    diff = change.to_numpy(dtype=float)
    keep = np.arange(len(concepts))
    sign = np.where(np.eye(len(keep), dtype=bool), 1.0, -1.0)
    gain = diff * sign
    shown = [plotly_text(concepts[i]) for i in keep]
    ticks = [plotly_text(names.get(concepts[i], concepts[i])) for i in keep]
    known = np.abs(gain[~np.isnan(gain)])
    limit = float(known.max()) if known.size and known.max() > 0 else 1.0
    words = np.where(gain > 0, "better", np.where(gain < 0, "worse", "no change"))
    fig = go.Figure(
        go.Heatmap(
            z=_cells(gain), x=shown, y=shown, colorscale=_SCALE, zmid=0, zmin=-limit,
            zmax=limit, customdata=_cells(diff), text=words.tolist(),
            hovertemplate=(
                "actual: %{y}<br>predicted: %{x}<br>rate change: %{customdata:+.3f}"
                "<br>%{text}<extra></extra>"
            ),
            colorbar={"title": {"text": "worse \u2190 \u2192 better"}},
        )
    )  # fmt: skip
    title = (
        f"Confusion rates by actual: {plotly_text(labels[1])} minus {plotly_text(labels[0])}"
        "<br><span style='font-size:12px'>green: better (more right on the diagonal, "
        f"less confusion off it), purple: worse{note}{_shown_of(len(keep), total)}</span>"
    )
    fig.update_layout(
        title={"text": title},
        height=min(900, max(440, 16 * len(shown) + 180)),
        margin={"t": 90},
        xaxis={"title": {"text": "predicted"}, "type": "category",
               "tickvals": shown, "ticktext": ticks},
        yaxis={"title": {"text": "actual"}, "type": "category", "autorange": "reversed",
               "tickvals": shown, "ticktext": ticks},
    )  # fmt: skip
    return fig


def _shown_of(shown: int, total: int) -> str:
    """Say which concepts a bounded heatmap draws, or ``""`` when it draws them all."""
    if shown >= total:
        return ""
    return f"; showing the {shown} of {total:,} concepts with the largest changes"

"""Figures of the comparison view: summary bars, delta bars, curves, confusion difference."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clarinb._html import plotly_text
from clarinb._numbers import number_text
from clarinb.metrics.curve_points import join_points
from clarinb.metrics.order import top_confused

__all__ = [
    "confusion_diff_figure",
    "curves_figure",
    "delta_figure",
    "largest_changes",
    "summary_figure",
]

_NAMES = {"roc_auc": "ROC AUC", "avg_precision": "average precision", "f1": "F1"}


def summary_figure(means: pd.DataFrame) -> go.Figure:
    """Draw grouped bars: the mean of each metric over concepts, one bar per evaluation.

    ``means`` has one row per metric and one column per evaluation (as
    :func:`clarinb.metrics.deltas.metric_means` returns); NaN shows as "n/a".
    """
    metric_names = [_NAMES.get(str(m), str(m)) for m in means.index]
    fig = go.Figure(
        [
            go.Bar(
                x=metric_names,
                y=means[label].to_numpy(dtype=float),
                name=plotly_text(str(label)),
                text=[number_text(v) for v in means[label]],
                hovertemplate=f"{plotly_text(str(label))}<br>%{{x}}: %{{y:.4f}}<extra></extra>",
            )
            for label in means.columns
        ]
    )
    fig.update_layout(
        title={"text": "Mean over concepts"},
        barmode="group",
        yaxis={"range": [0, 1.05], "title": {"text": "value"}},
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
    shown: pd.DataFrame, metric: str, baseline: str, names: Mapping[str, str], total: int
) -> go.Figure:
    """Horizontal bars of per-concept differences against the baseline, sorted by delta.

    ``shown`` holds the drawn rows (see :func:`largest_changes`) of ``total``.
    """
    labels = [plotly_text(names.get(c, c)) for c in shown.index]
    fig = go.Figure(
        [
            go.Bar(
                y=labels,
                x=shown[label].to_numpy(),
                orientation="h",
                name=plotly_text(f"{label} - {baseline}"),
                customdata=[plotly_text(c) for c in shown.index],
                hovertemplate="%{y}<br>delta: %{x:+.4f}<extra>" + plotly_text(label) + "</extra>",
            )
            for label in shown.columns
        ]
    )
    suffix = f" ({len(shown)} largest changes)" if len(shown) < total else ""
    fig.update_layout(
        title={
            "text": plotly_text(f"{_NAMES.get(metric, metric)} per concept vs {baseline}{suffix}")
        },
        barmode="group",
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"title": {"text": "difference", "standoff": 4}, "zeroline": True},
        height=min(1600, 160 + 18 * len(shown) * max(1, len(shown.columns) // 2 + 1)),
    )
    return fig


def curves_figure(
    curves: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]], concept: str, name: str
) -> go.Figure:
    """ROC and PR of one concept, one line per evaluation, side by side."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("ROC", "Precision-recall"))
    for i, (label, (roc, pr)) in enumerate(curves.items()):
        points = join_points(roc, pr)
        mine = points[points["concept_id"] == concept]
        color = f"hsl({(i * 67) % 360},65%,45%)"
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
    top_n: int | None,
) -> go.Figure:
    """Heatmap of the change of confusion rates by actual concept (``labels[1]`` minus ``[0]``).

    ``change`` is square over concepts (as
    :func:`clarinb.metrics.deltas.confusion_rate_change` returns); with
    ``top_n`` only the concepts of the largest absolute changes are drawn.
    """
    concepts = [str(c) for c in change.index]
    diff = change.to_numpy(dtype=float)
    keep = np.arange(len(concepts))
    if top_n is not None and len(concepts) > top_n:
        keep = top_confused(np.abs(diff) + np.diag(np.abs(np.diag(diff))), top_n)
    diff = diff[np.ix_(keep, keep)]
    shown = [plotly_text(concepts[i]) for i in keep]
    ticks = [plotly_text(names.get(concepts[i], concepts[i])) for i in keep]
    limit = float(np.abs(diff).max()) if diff.size and np.abs(diff).max() > 0 else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=diff, x=shown, y=shown, colorscale="RdBu", zmid=0, zmin=-limit, zmax=limit,
            hovertemplate=(
                "actual: %{y}<br>predicted: %{x}<br>rate change: %{z:+.3f}<extra></extra>"
            ),
            colorbar={"title": {"text": "rate change"}},
        )
    )  # fmt: skip
    fig.update_layout(
        title={"text": plotly_text(f"Confusion rates (by actual): {labels[1]} minus {labels[0]}")},
        height=min(900, max(420, 16 * len(shown) + 160)),
        xaxis={"title": {"text": "predicted"}, "type": "category",
               "tickvals": shown, "ticktext": ticks},
        yaxis={"title": {"text": "actual"}, "type": "category", "autorange": "reversed",
               "tickvals": shown, "ticktext": ticks},
    )  # fmt: skip
    return fig

"""ROC and precision-recall figures: per-concept curves, averages, iso-F1, operating points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clarinb._html import plotly_text
from clarinb._numbers import interval_text, number_text
from clarinb.metrics.curve_averages import mean_of_known
from clarinb.views._curve_data import thin
from clarinb.views._theme import COLORWAY

__all__ = ["CurveSet", "drawn_points", "operating_trace", "pr_figure", "roc_figure"]

#: Above this many concepts, curves are drawn as one WebGL trace without a legend entry each.
SEPARATE_MAX = 40
#: Points per curve in the one trace of many concepts, and in all (bounds the page size).
STACKED_PER_CURVE, STACKED_POINTS = 60, 40_000
_POINT = (
    "<b>%{text}</b><br>threshold: %{customdata[0]:.3f}"
    "<br>precision: %{customdata[1]:.3f}<br>recall: %{customdata[2]:.3f}"
    "<br>FPR: %{customdata[3]:.3f}<br>%{customdata[4]}"
)
_HOVER = _POINT + "<extra></extra>"
_POINT_NUMBERS = _POINT.removesuffix("<br>%{customdata[4]}")


@dataclass
class CurveSet:
    """What a curve figure draws.

    Attributes
    ----------
    points : pandas.DataFrame
        Joined points of the shown concepts (``concept_id``, ``threshold``,
        ``fpr``, ``tpr``, ``precision``).
    scores : pandas.DataFrame
        ``concept_id``, ``roc_auc``, ``avg_precision`` (all concepts); with
        intervals also ``<metric>_lo``, ``<metric>_hi`` and ``note``.
    names : mapping of str to str
        Display names.
    operating : pandas.DataFrame or None
        Operating points of the shown concepts at ``threshold``.
    threshold : float or None
        The threshold the operating points follow.
    micro, macro_roc, macro_pr : pandas.DataFrame or None
        Average curves.
    macro_interval : pandas.Series or None
        The macro row of the intervals (``roc_auc_lo``, ``avg_precision_hi``, ...).
    bands : pandas.DataFrame or None
        Bootstrap bands of the shown concepts, as :func:`clarinb.metrics.curve_bands`:
        drawn behind each concept's curve, in its colour.
    """

    points: pd.DataFrame
    scores: pd.DataFrame
    names: Mapping[str, str]
    operating: pd.DataFrame | None = None
    threshold: float | None = None
    micro: pd.DataFrame | None = None
    macro_roc: pd.DataFrame | None = None
    macro_pr: pd.DataFrame | None = None
    label: str = field(default="")
    macro_interval: pd.Series | None = None
    bands: pd.DataFrame | None = None

    def band_text(self) -> str:
        """Return the title's notes: curves thinned into one trace, bands ("" for none)."""
        count = self.points["concept_id"].nunique() if len(self.points) else 0
        thin = (
            f" · {count:,} concepts, at most {stacked_limit(count)} points each"
            if count > SEPARATE_MAX
            else ""
        )
        if self.bands is None or not len(self.bands):
            return thin
        ci = self.bands.attrs.get("ci")
        level = f"{100 * float(ci):g}% " if isinstance(ci, int | float) else ""
        return f"{thin} · shaded: {level}bootstrap band"


def _labels(frame: pd.DataFrame, names: Mapping[str, str]) -> np.ndarray:
    """Hover label (display name, escaped) of every point, as a numpy string array."""
    ids = frame["concept_id"].astype(str)
    shown = (ids.map(names).fillna(ids) if names else ids).astype(str)
    escaped = {v: plotly_text(v) for v in shown.unique()}  # once per concept, not per point
    return np.asarray(shown.map(escaped).to_numpy(), dtype=str)


def _custom(frame: pd.DataFrame, scores: pd.DataFrame | None = None) -> np.ndarray:
    """Hover data of every point: threshold, precision, recall, FPR, and its TP / FP / FN.

    The counts come from the rates and each concept's positives and negatives
    (``num_pos``, ``num_neg`` of ``scores``); the line is empty where they are
    not known (an average curve, or metrics without counts).
    """
    tpr, fpr = frame["tpr"].to_numpy(dtype=float), frame["fpr"].to_numpy(dtype=float)
    counts = np.full(len(frame), "", dtype=object)
    if scores is not None and {"num_pos", "num_neg"} <= set(scores.columns) and len(frame):
        known = scores.set_index(scores["concept_id"].astype(str))
        ids = frame["concept_id"].astype(str)
        pos = ids.map(known["num_pos"]).to_numpy(dtype=float)
        neg = ids.map(known["num_neg"]).to_numpy(dtype=float)
        tp, fp = np.rint(tpr * pos), np.rint(fpr * neg)
        fn = pos - tp
        ok = np.isfinite(tp) & np.isfinite(fp) & np.isfinite(fn)
        counts[ok] = [
            f"TP {int(a)} · FP {int(b)} · FN {int(c)}"
            for a, b, c in zip(tp[ok], fp[ok], fn[ok], strict=True)
        ]
    return np.column_stack(
        [
            frame["threshold"].to_numpy(dtype=float),
            frame["precision"].to_numpy(dtype=float),
            tpr,
            fpr,
            counts,
        ]
    )


def _score_texts(curves: CurveSet, metric: str, short: str) -> dict[str, tuple[str, str]]:
    """Per concept: the legend's score (with its interval when known) and the hover's line."""
    scores = curves.scores
    ids = scores["concept_id"].astype(str)
    values = scores[metric].to_numpy(dtype=float)
    if metric + "_lo" not in scores:
        return {c: (f"{short} {number_text(v)}",) * 2 for c, v in zip(ids, values, strict=True)}
    los, his = scores[metric + "_lo"].to_numpy(float), scores[metric + "_hi"].to_numpy(float)
    notes = scores["note"].fillna("").astype(str) if "note" in scores else [""] * len(scores)
    out = {}
    for concept, value, lo, hi, note in zip(ids, values, los, his, notes, strict=True):
        shown = f"{short} {interval_text(value, lo, hi)}"
        out[concept] = (shown, f"{shown}<br>{plotly_text(note)}" if note else shown)
    return out


def _hover_lines(frame: pd.DataFrame, lines: dict[str, tuple[str, str]]) -> np.ndarray:
    """Give each point the score line of its concept, for a trace of many concepts."""
    mapped = frame["concept_id"].astype(str).map({c: t[1] for c, t in lines.items()})
    return np.asarray(mapped.fillna("").to_numpy(), dtype=str)


def stacked_limit(count: int) -> int:
    """Points drawn per curve when ``count`` curves share one trace: 60, fewer past 666."""
    return int(min(STACKED_PER_CURVE, max(8, STACKED_POINTS // max(count, 1))))


def _stacked(points: pd.DataFrame, limit: int = 60) -> pd.DataFrame:
    """All curves in one frame, each thinned, each followed by an all-NaN row (a gap)."""
    kept = thin(points, limit).reset_index(drop=True)
    codes, _ = pd.factorize(kept["concept_id"])
    ends = np.r_[np.flatnonzero(np.diff(codes)) + 1, len(kept)]
    take = np.insert(np.arange(len(kept)), ends, -1)
    out = kept.iloc[np.where(take < 0, 0, take)].reset_index(drop=True)
    out.loc[take < 0, ["fpr", "tpr", "precision", "threshold"]] = np.nan
    return out


def _concept_traces(
    curves: CurveSet, x: str, y: str, metric: str, short: str
) -> list[go.Scattergl]:
    points = curves.points.dropna(subset=[x, y])
    lines = _score_texts(curves, metric, short)
    count = points["concept_id"].nunique()
    if count > SEPARATE_MAX:
        limit = stacked_limit(count)
        joined = _stacked(points, limit)
        custom = _custom(joined, curves.scores)
        return [
            go.Scattergl(  # 4 decimals: finer than a screen shows, a third of the page
                x=joined[x].to_numpy(dtype=float).round(4),
                y=joined[y].to_numpy(dtype=float).round(4),
                mode="lines",
                name=f"{count} concepts (at most {limit} points each)",
                line={"width": 1, "color": "rgba(120,120,120,0.35)"},
                # numbers only in customdata, the counts' text in hovertext (a str
                # array): plotly copies an object array item by item
                customdata=custom[:, :4].astype(float).round(4),
                text=_labels(joined, curves.names),
                hovertext=np.char.add(
                    np.char.add(custom[:, 4].astype(str), "<br>"), _hover_lines(joined, lines)
                ),
                hovertemplate=_POINT_NUMBERS + "<br>%{hovertext}<extra></extra>",
                connectgaps=False,
            )
        ]
    groups = [g for _, g in points.groupby("concept_id", sort=False)]  # thinned by the view
    traces: list[go.Scattergl] = []
    bands = []
    for i, group in enumerate(groups):
        concept = str(group["concept_id"].iloc[0])
        legend, hover = lines.get(concept, (f"{short} n/a",) * 2)
        color = COLORWAY[i % len(COLORWAY)]  # the same in ROC and PR, and for the band
        bands.extend(_band_trace(curves, concept, color, x, y))
        traces.append(
            go.Scattergl(
                x=group[x].to_numpy(),
                y=group[y].to_numpy(),
                mode="lines",
                name=f"{plotly_text(curves.names.get(concept, concept))} ({legend})",
                legendgroup=plotly_text(concept),
                line={"color": color},
                customdata=_custom(group, curves.scores),
                text=_labels(group, curves.names),
                hovertemplate=f"{_POINT}<br>{hover}<extra></extra>",
            )
        )
    return [*bands, *traces]  # bands first: drawn behind every curve


def _band_trace(curves: CurveSet, concept: str, color: str, x: str, y: str) -> list[go.Scatter]:
    """One concept's band as a closed filled outline (upper edge out, lower edge back)."""
    if curves.bands is None:
        return []
    bx, lo, hi = (
        ("fpr", "tpr_lo", "tpr_hi") if x == "fpr" else ("recall", "precision_lo", "precision_hi")
    )
    rows = curves.bands[curves.bands["concept_id"].astype(str) == concept]
    rows = rows.dropna(subset=[lo, hi])
    if not len(rows):
        return []  # n/a: no positives (or, for ROC, no negatives)
    at = rows[bx].to_numpy(dtype=float)
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return [
        go.Scatter(
            x=np.r_[at, at[::-1]],
            y=np.r_[rows[hi].to_numpy(dtype=float), rows[lo].to_numpy(dtype=float)[::-1]],
            mode="lines",
            fill="toself",
            fillcolor=f"rgba({red},{green},{blue},0.18)",
            line={"width": 0, "color": color},
            name=f"{plotly_text(curves.names.get(concept, concept))}{curves.band_text()}",
            legendgroup=plotly_text(concept),
            showlegend=False,
            hoverinfo="skip",
        )
    ]


def _average_traces(curves: CurveSet, x: str, y: str, metric: str, short: str) -> list[go.Scatter]:
    traces = []
    if curves.micro is not None:
        micro = thin(curves.micro.assign(concept_id="micro average"), 300)
        traces.append(
            go.Scatter(
                x=micro[x].to_numpy(),
                y=micro[y].to_numpy(),
                mode="lines",
                name="micro average",
                line={"width": 3, "dash": "dash"},
                customdata=_custom(micro),
                text=_labels(micro, {}),
                hovertemplate=_HOVER,
            )
        )
    macro = curves.macro_roc if x == "fpr" else curves.macro_pr
    if macro is not None:
        mean = mean_of_known(curves.scores[metric])  # n/a: a detector has no ROC AUC
        shown = number_text(mean)
        if curves.macro_interval is not None:
            row = curves.macro_interval
            shown = interval_text(mean, row[metric + "_lo"], row[metric + "_hi"])
        mx, my = ("fpr", "tpr") if x == "fpr" else ("recall", "precision")
        traces.append(
            go.Scatter(
                x=macro[mx].to_numpy(),
                y=macro[my].to_numpy(),
                mode="lines",
                name=f"macro average ({short} {shown})",
                line={"width": 3, "dash": "dot"},
                hovertemplate=(
                    f"macro average ({short} {shown})<br>{mx}: %{{x:.2f}}<br>{my}: %{{y:.3f}}"
                    "<extra></extra>"
                ),
            )
        )
    return traces


def operating_trace(curves: CurveSet, x: str, y: str) -> list[go.Scatter]:
    """Draw the operating-point markers at the threshold (empty without one)."""
    if curves.operating is None or curves.threshold is None:
        return []
    op = curves.operating
    return [
        go.Scatter(
            x=op[x].to_numpy(),
            y=op[y].to_numpy(),
            mode="markers",
            name=f"threshold {curves.threshold:.2f}",
            marker={"size": 10, "symbol": "circle-open", "line": {"width": 2}},
            customdata=_custom(op, curves.scores),
            text=_labels(op, curves.names),
            hovertemplate=_HOVER,
        )
    ]


def roc_figure(curves: CurveSet) -> go.Figure:
    """Draw ROC: chance line, concept curves (AUC in the legend), averages, operating points.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: chance line, concept curves, averages, then operating points.
    """
    chance = go.Scatter(
        x=[0, 1],
        y=[0, 1],
        mode="lines",
        name="chance",
        hoverinfo="skip",
        line={"dash": "dash", "width": 1, "color": "grey"},
    )
    fig = go.Figure(
        [
            chance,
            *_concept_traces(curves, "fpr", "tpr", "roc_auc", "AUC"),
            *_average_traces(curves, "fpr", "tpr", "roc_auc", "AUC"),
            *operating_trace(curves, "fpr", "tpr"),
        ]
    )
    fig.update_layout(
        title={"text": f"ROC curves{plotly_text(curves.label)}{curves.band_text()}"},
        xaxis={"title": {"text": "false positive rate"}, "range": [-0.01, 1.01]},
        yaxis={"title": {"text": "true positive rate (recall)"}, "range": [-0.01, 1.01]},
        height=520,
    )
    return fig


def _iso_f1() -> list[go.Scatter]:
    traces = []
    for i, f in enumerate((0.2, 0.4, 0.6, 0.8)):
        r = np.linspace(f / (2 - f), 1.0, 60)
        traces.append(
            go.Scatter(
                x=r,
                y=f * r / (2 * r - f),
                mode="lines",
                name="iso-F1",
                legendgroup="iso-F1",
                showlegend=i == 0,
                hoverinfo="skip",
                line={"dash": "dot", "width": 1, "color": "rgba(128,128,128,0.6)"},
            )
        )
    return traces


def pr_figure(curves: CurveSet) -> go.Figure:
    """Draw precision-recall: iso-F1 lines, concept curves (AP), averages, operating points.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: four iso-F1 lines, concept curves, averages, then operating points.
    """
    fig = go.Figure(
        [
            *_iso_f1(),
            *_concept_traces(curves, "tpr", "precision", "avg_precision", "AP"),
            *_average_traces(curves, "tpr", "precision", "avg_precision", "AP"),
            *operating_trace(curves, "tpr", "precision"),
        ]
    )
    fig.update_layout(
        title={"text": f"Precision-recall curves{plotly_text(curves.label)}{curves.band_text()}"},
        xaxis={"title": {"text": "recall"}, "range": [-0.01, 1.01]},
        yaxis={"title": {"text": "precision"}, "range": [-0.01, 1.05]},
        height=520,
    )
    return fig


def drawn_points(curves: CurveSet) -> pd.DataFrame:
    """Gather the points a curve figure draws, one row each, in one tidy frame.

    Returns
    -------
    pandas.DataFrame
        ``line`` ("concept", "micro average", "macro average", "operating
        point"), ``concept_id`` and ``concept_name`` (for concepts),
        ``threshold``, ``fpr``, ``tpr`` (= recall) and ``precision``; the
        macro ROC rows have no precision, the macro PR rows no FPR.
    """
    parts = [curves.points.assign(line="concept")]
    for name, frame in (("micro average", curves.micro), ("macro average", curves.macro_roc)):
        if frame is not None:
            parts.append(frame.assign(line=name))
    if curves.macro_pr is not None:
        parts.append(curves.macro_pr.rename(columns={"recall": "tpr"}).assign(line="macro average"))
    if curves.operating is not None:
        parts.append(curves.operating.assign(line="operating point"))
    out = pd.concat(parts, ignore_index=True)
    ids = out["concept_id"] if "concept_id" in out else pd.Series(np.nan, index=out.index)
    out["concept_id"] = ids.where(out["line"].isin(["concept", "operating point"]))
    names = out["concept_id"].map(lambda c: curves.names.get(c, c))
    out["concept_name"] = names.where(out["concept_id"].notna())
    columns = ["line", "concept_id", "concept_name", "threshold", "fpr", "tpr", "precision"]
    return out.reindex(columns=columns)

"""Every metric of the demo evaluations equals what scikit-learn (or a plain COCO loop) recomputes
from the evaluation's own test set."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from sklearn import metrics as skm

from clarinb.emulator.demo import (
    MODELS,
    EvaluationFailed,
    build_workspace,
    evaluate,
    predict,
    read_labels,
    run_evaluation,
)

TOL = 1e-9
GRID = [round(i / 100, 2) for i in range(101)]


@functools.lru_cache(maxsize=1)
def _ws() -> dict[str, Any]:
    return build_workspace(0)


def _evaluation(model_id: str) -> dict[str, Any]:
    return next(e for e in _ws()["evaluations"] if e["model"]["id"] == model_id and "summary" in e)


CLASSIFIERS = [m for m, s in MODELS.items() if s.kind in ("classifier", "multilabel")]


def _matrices(ev: dict[str, Any]) -> tuple[list[str], np.ndarray, np.ndarray]:
    ids = list(MODELS[ev["model"]["id"]].concepts)
    col = {c: j for j, c in enumerate(ids)}
    scores = np.zeros((len(ev["test_set"]), len(ids)))
    truth = np.zeros_like(scores, dtype=bool)
    for i, entry in enumerate(ev["test_set"]):
        for c in entry["predicted_concepts"]:
            scores[i, col[c["id"]]] = c["value"]
        for c in entry["ground_truth_concepts"]:
            truth[i, col[c["id"]]] = c["value"] > 0
    return ids, scores, truth


def _num(x: float | str) -> float:
    return float(x)  # "NaN" too


# -- classifiers ---------------------------------------------------------------------------


@pytest.mark.parametrize("model_id", CLASSIFIERS)
def test_binary_metrics_equal_scikit_learn(model_id: str) -> None:
    ev = _evaluation(model_id)
    ids, s, y = _matrices(ev)
    assert [b["concept"]["id"] for b in ev["binary_metrics"]] == ids
    for j, b in enumerate(ev["binary_metrics"]):
        assert b["num_pos"] == y[:, j].sum()
        assert b["num_neg"] == (~y[:, j]).sum()
        assert b["num_tot"] == len(y)
        assert _num(b["roc_auc"]) == pytest.approx(skm.roc_auc_score(y[:, j], s[:, j]), abs=TOL)
        assert _num(b.get("avg_precision", 0)) == pytest.approx(
            skm.average_precision_score(y[:, j], s[:, j]), abs=TOL
        )
        assert b["f1"] == pytest.approx(
            skm.f1_score(y[:, j], s[:, j] >= 0.5, zero_division=0), abs=TOL
        )


@pytest.mark.parametrize("model_id", CLASSIFIERS)
def test_curves_on_the_threshold_grid_equal_scikit_learn(model_id: str) -> None:
    ev = _evaluation(model_id)
    _, s, y = _matrices(ev)
    grid = np.array(GRID)
    for j, b in enumerate(ev["binary_metrics"]):
        roc, pr = b["roc_curve"], b["precision_recall_curve"]
        assert roc["thresholds"] == GRID[::-1]
        assert pr["thresholds"] == GRID
        # Read scikit-learn's exact curves at the grid: the point of the lowest
        # threshold still >= t (none: nothing predicted).
        fpr, tpr, thr = skm.roc_curve(y[:, j], s[:, j], drop_intermediate=False)
        at = np.searchsorted(-thr, -grid, side="right") - 1
        np.testing.assert_allclose(roc["fpr"][::-1], fpr[at], atol=TOL)
        np.testing.assert_allclose(roc["tpr"][::-1], tpr[at], atol=TOL)
        precision, recall, thr = skm.precision_recall_curve(y[:, j], s[:, j])
        at = np.searchsorted(thr, grid, side="left")
        np.testing.assert_allclose(pr["precision"], precision[at], atol=TOL)
        np.testing.assert_allclose(pr["recall"], recall[at], atol=TOL)
    # And a few points straight from the confusion counts.
    for j in (0, len(ev["binary_metrics"]) - 1):
        b = ev["binary_metrics"][j]
        for k in (0, 10, 50, 73, 100):
            t = GRID[k]
            tn, fp, fn, tp = skm.confusion_matrix(
                y[:, j], s[:, j] >= t, labels=[False, True]
            ).ravel()
            assert b["precision_recall_curve"]["recall"][k] == pytest.approx(tp / (tp + fn))
            assert b["precision_recall_curve"]["precision"][k] == pytest.approx(
                tp / (tp + fp) if tp + fp else 1.0
            )
            assert b["roc_curve"]["fpr"][100 - k] == pytest.approx(fp / (fp + tn))


@pytest.mark.parametrize("model_id", CLASSIFIERS)
def test_confusion_matrix_equals_scikit_learn_normalised_by_row(model_id: str) -> None:
    ev = _evaluation(model_id)
    ids, s, y = _matrices(ev)
    rows, cols = np.nonzero(y)  # each input once per positive concept
    expected = skm.confusion_matrix(
        rows * 0 + cols, s.argmax(axis=1)[rows], labels=range(len(ids)), normalize="true"
    )
    got = np.zeros_like(expected)
    for cell in ev["confusion_matrix"]["matrix"]:
        got[ids.index(cell["actual"]), ids.index(cell["predicted"])] += cell["value"]
        assert cell["actual_concept"]["id"] == cell["actual"]
        assert cell["predicted_concept"]["id"] == cell["predicted"]
        assert cell["value"] > 0
    np.testing.assert_allclose(got, expected, atol=TOL)
    order = ev["confusion_matrix"]["concept_ids"]
    assert sorted(order) == sorted(ids)
    diagonal = [expected[ids.index(c), ids.index(c)] for c in order]
    assert diagonal == sorted(diagonal, reverse=True)


@pytest.mark.parametrize("model_id", CLASSIFIERS)
def test_label_counts_and_cooccurrence(model_id: str) -> None:
    ev = _evaluation(model_id)
    ids, _, y = _matrices(ev)
    counts = {
        c["concept"]["id"]: c.get("count", 0) for c in ev["label_counts"]["positive_label_counts"]
    }
    assert counts == dict(zip(ids, y.sum(axis=0).tolist(), strict=True))
    both = y.T.astype(int) @ y.astype(int)
    got = np.zeros_like(both)
    for cell in ev["cooccurrence_matrix"]["matrix"]:
        got[ids.index(cell["row"]), ids.index(cell["col"])] = cell["count"]
    np.testing.assert_array_equal(got, both)
    if MODELS[model_id].kind == "classifier":
        assert np.count_nonzero(both - np.diag(np.diag(both))) == 0  # mutually exclusive


@pytest.mark.parametrize("model_id", CLASSIFIERS)
def test_summary_is_the_macro_average(model_id: str) -> None:
    ev = _evaluation(model_id)
    _, s, y = _matrices(ev)
    has = y.any(axis=0)
    pred = s >= 0.5
    auc = [skm.roc_auc_score(y[:, j], s[:, j]) for j in np.flatnonzero(has)]
    f1 = skm.f1_score(y[:, has], pred[:, has], average=None, zero_division=0)
    precision = skm.precision_score(y[:, has], pred[:, has], average=None, zero_division=0)
    recall = skm.recall_score(y[:, has], pred[:, has], average=None, zero_division=0)
    summary = ev["summary"]
    assert summary["macro_avg_roc_auc"] == pytest.approx(np.mean(auc), abs=TOL)
    assert summary["macro_std_roc_auc"] == pytest.approx(np.std(auc), abs=TOL)
    assert summary["macro_avg_f1_score"] == pytest.approx(np.mean(f1), abs=TOL)
    assert summary["macro_std_f1_score"] == pytest.approx(np.std(f1), abs=TOL)
    assert summary["macro_avg_precision"] == pytest.approx(np.mean(precision), abs=TOL)
    assert summary["macro_avg_recall"] == pytest.approx(np.mean(recall), abs=TOL)


@pytest.mark.parametrize("model_id", CLASSIFIERS)
def test_top_k_accuracy_is_filled_as_scikit_learn_counts_it(model_id: str) -> None:
    ev = _evaluation(model_id)
    _, s, y = _matrices(ev)
    assert y.any(axis=1).all()  # every test-set input has a true concept
    summary = ev["summary"]
    for k, key in ((1, "top1_accuracy"), (5, "top5_accuracy")):
        if MODELS[model_id].kind == "classifier":  # one true concept per input
            assert (y.sum(axis=1) == 1).all()
            expected = skm.top_k_accuracy_score(y.argmax(axis=1), s, k=k, labels=range(y.shape[1]))
        else:  # multi-label: right when one of the k best-scored concepts is true
            best = np.argsort(-s, axis=1)[:, :k]
            expected = np.take_along_axis(y, best, axis=1).any(axis=1).mean()
        assert summary[key] == pytest.approx(expected, abs=TOL)
    assert 0 < summary["top1_accuracy"] <= summary["top5_accuracy"] <= 1


def test_the_detector_summary_has_no_top_k_accuracy() -> None:
    summary = _evaluation("animals-detector")["summary"]
    assert "top1_accuracy" not in summary
    assert "top5_accuracy" not in summary


def test_mutually_exclusive_scores_sum_to_one() -> None:
    _, s, y = _matrices(_evaluation("animals-base"))
    np.testing.assert_allclose(s.sum(axis=1), 1.0, atol=20 * 5e-5)
    assert (y.sum(axis=1) == 1).all()


# -- detector ------------------------------------------------------------------------------

AREAS = {
    "all": (0.0, 1e10),
    "small": (0.0, 1024.0),
    "medium": (1024.0, 9216.0),
    "large": (9216.0, 1e10),
}


def _iou(a: list[float], b: list[float]) -> float:
    top, left = max(a[0], b[0]), max(a[1], b[1])
    bottom, right = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, bottom - top) * max(0.0, right - left)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _boxes(annotation: dict[str, Any], cid: str) -> list[tuple[list[float], float]]:
    out = []
    for r in annotation["data"].get("regions", []):
        if r["data"]["concepts"][0]["id"] == cid:
            b = r["region_info"]["bounding_box"]
            box = [b["top_row"], b["left_col"], b["bottom_row"], b["right_col"]]
            out.append((box, r["data"]["concepts"][0]["value"]))
    return out


def _coco_ap(
    test_set: list[dict], cid: str, thr: float, area: str
) -> tuple[float, int, list[float], float]:
    """AP the way pycocotools' evaluateImg + accumulate compute it (one class, one range)."""
    lo, hi = AREAS[area]
    found: list[tuple[float, bool]] = []
    n_gt = 0
    for entry in test_set:
        info = entry["input"]["data"]["image"]["image_info"]
        px = info["width"] * info["height"]
        gts = _boxes(entry["ground_truth_annotation"], cid)
        dts = sorted(_boxes(entry["predicted_annotation"], cid), key=lambda d: -d[1])
        g_area = [(g[2] - g[0]) * (g[3] - g[1]) * px for g, _ in gts]
        g_ignore = [not lo <= a <= hi for a in g_area]
        order = np.argsort(g_ignore, kind="mergesort")
        gts = [gts[i] for i in order]
        g_ignore = [g_ignore[i] for i in order]
        n_gt += g_ignore.count(False)
        matched = [False] * len(gts)
        for d, score in dts:
            best, m = min(thr, 1 - 1e-10), -1
            for g, (gbox, _) in enumerate(gts):
                if matched[g]:
                    continue
                if m > -1 and not g_ignore[m] and g_ignore[g]:
                    break
                v = _iou(d, gbox)
                if v < best:
                    continue
                best, m = v, g
            d_area = (d[2] - d[0]) * (d[3] - d[1]) * px
            if m > -1:
                matched[m] = True
                if not g_ignore[m]:
                    found.append((score, True))
            elif lo <= d_area <= hi:
                found.append((score, False))
    if n_gt == 0:
        return float("nan"), 0, [], 0.0
    found.sort(key=lambda f: -f[0])
    tp = np.cumsum([f[1] for f in found])
    fp = np.cumsum([not f[1] for f in found])
    recall = tp / n_gt
    precision = (tp / np.maximum(tp + fp, np.spacing(1))).tolist()
    for i in range(len(precision) - 1, 0, -1):
        precision[i - 1] = max(precision[i - 1], precision[i])
    q = []
    for r in np.linspace(0.0, 1.0, 101):
        i = int(np.searchsorted(recall, r, side="left"))
        q.append(precision[i] if i < len(precision) else 0.0)
    f1 = max((2 * t / (2 * t + f + (n_gt - t)) for t, f in zip(tp, fp, strict=True)), default=0.0)
    return float(np.mean(q)), n_gt, q, f1


def test_detector_metrics_by_class_equal_a_plain_coco_loop() -> None:
    ev = _evaluation("animals-detector")
    by_class = ev["metrics_by_class"]
    concepts = {m["concept"]["id"] for m in by_class}
    assert len(concepts) >= 15
    assert {m["area_name"] for m in by_class} == set(AREAS)
    assert len(by_class) == len(concepts) * 10 * 4
    # A sample across concepts, IoUs and areas (the whole grid takes a few seconds).
    for m in by_class[::7]:
        ap, n_gt, q, f1 = _coco_ap(ev["test_set"], m["concept"]["id"], m["iou"], m["area_name"])
        assert m["f1"] == pytest.approx(f1, abs=TOL)
        assert m["num_tot"] == n_gt
        if n_gt == 0:
            assert m["avg_precision"] == "NaN"
        else:
            assert m.get("avg_precision", 0.0) == pytest.approx(ap, abs=TOL)
            curve = m["precision_recall_curve"]
            assert curve["recall"] == [round(0.05 * i, 2) for i in range(21)]
            np.testing.assert_allclose(curve["precision"], q[::5], atol=TOL)


def test_detector_summary_and_by_area_are_means_of_the_classes() -> None:
    ev = _evaluation("animals-detector")
    ap = {
        (m["concept"]["id"], m["iou"], m["area_name"]): _num(m.get("avg_precision", 0))
        for m in ev["metrics_by_class"]
    }
    ious = sorted({k[1] for k in ap})
    assert ious == [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]
    per_iou = [np.nanmean([v for k, v in ap.items() if k[1] == t and k[2] == "all"]) for t in ious]
    assert ev["summary"]["mean_avg_precision_iou_50"] == pytest.approx(per_iou[0], abs=TOL)
    assert ev["summary"]["mean_avg_precision_iou_range"] == pytest.approx(np.mean(per_iou), abs=TOL)
    assert (
        0.3
        < ev["summary"]["mean_avg_precision_iou_range"]
        < ev["summary"]["mean_avg_precision_iou_50"]
        < 0.95
    )
    for m in ev["metrics_by_area"]:
        values = [v for k, v in ap.items() if k[1] == m["iou"] and k[2] == m["area_name"]]
        assert _num(m.get("avg_precision", 0)) == pytest.approx(np.nanmean(values), abs=TOL)
    all_50 = next(m for m in ev["metrics_by_area"] if m["iou"] == 0.5 and m["area_name"] == "all")
    n_objects = sum(len(e["ground_truth_annotation"]["data"]["regions"]) for e in ev["test_set"])
    assert all_50["num_tot"] == n_objects


# -- the emulator's path ---------------------------------------------------------------------


@pytest.mark.parametrize("model_id", list(MODELS))
def test_evaluate_on_the_stored_test_set_reproduces_the_stored_metrics(model_id: str) -> None:
    ev = _evaluation(model_id)
    kind = "detector" if MODELS[model_id].kind == "detector" else "classifier"
    again = evaluate(ev["test_set"], kind=kind)
    for key, value in again.items():
        assert value == ev[key], key


@pytest.mark.parametrize("model_id", ["animals-mobile", "scene-tagger", "animals-detector"])
def test_predictions_for_an_input_do_not_depend_on_the_others(model_id: str) -> None:
    ws = _ws()
    inputs = [i for i in ws["inputs"] if "image" in i["data"]]
    labels = read_labels(ws["annotations"])
    full = predict(model_id, inputs, labels)
    some = {i["id"] for i in inputs[100:110]}
    part = predict(model_id, list(reversed(inputs[100:110])), labels)
    assert sorted(part, key=lambda e: e["input"]["id"]) == [
        e for e in full if e["input"]["id"] in some
    ]
    assert predict(model_id, inputs[:20], labels, seed=1) != full[:20]


def test_one_input_difficulty_equals_the_batch() -> None:
    from clarinb.emulator.demo._predict import difficulties, difficulty

    ids = ["img-0001", "img-0002", "vid-0000", "anything"]
    np.testing.assert_allclose([difficulty(i, 3) for i in ids], difficulties(ids, 3), rtol=1e-12)
    assert 0 < difficulties([f"x{i}" for i in range(2000)]).mean() < 0.5


def test_run_evaluation_gives_the_failure_codes() -> None:
    ws = _ws()
    unlabelled = [i for i in ws["inputs"] if "new-uploads" in i["dataset_ids"]]
    assert unlabelled
    with pytest.raises(EvaluationFailed) as need_labels:
        run_evaluation("animals-large", unlabelled, ws["annotations"])
    assert need_labels.value.code == 21315
    with pytest.raises(EvaluationFailed) as need_inputs:
        run_evaluation("animals-large", [], ws["annotations"])
    assert need_inputs.value.code == 21316
    with pytest.raises(ValueError, match="kind"):
        evaluate(_evaluation("animals-base")["test_set"], kind="segmenter")


def test_run_evaluation_on_current_labels_matches_its_own_test_set() -> None:
    ws = _ws()
    inputs = [i for i in ws["inputs"] if "image" in i["data"]][:150]
    body = run_evaluation("scene-tagger", inputs, ws["annotations"])
    assert len(body["test_set"]) == sum(
        1 for i in inputs if i["id"] in read_labels(ws["annotations"]).positive
    )
    assert body == evaluate(body["test_set"])

"""Build times of the dataset-version and detection views at scale.

Sizes: a dataset version of 100,000 inputs described by metrics groups over
1,000 concepts (top level plus each concept's own groups), and a detector
evaluation with 1,000 concepts x 10 IoU thresholds x 3 areas.  Every figure is
printed with its sizes and as a ratio against a baseline measured in the same
run: building the frame the view draws from the parsed response body.

Run: ``python benchmarks/bench_dataset_views.py``.
"""

from __future__ import annotations

import numpy as np
from _util import best_of, report  # also puts the repository on sys.path

from clarinb import frames
from clarinb.views import DetectionMetricsView, MetricsGroupsView, VersionDiffView

N_INPUTS = 100_000
N_CONCEPTS = 1_000
IOUS = [round(0.5 + 0.05 * i, 2) for i in range(10)]
AREAS = ("all", "small", "medium")


def _group(path: str, kind: str | None, value: object, inputs: int) -> dict:
    group: dict = {"parent_path": path, "value": value, "metrics": {"inputs_count": str(inputs)}}
    if kind:
        group["type"] = kind
    return group


def _level(path: str, inputs: int, rng: np.random.Generator, concepts: list[str]) -> list[dict]:
    out = [_group(path, None, "total", inputs)]
    out[0]["metrics"]["region_location_matrix"] = {
        "n_cols": "4",
        "data": [str(v) for v in rng.integers(0, inputs + 1, 16)],
    }
    out.append(_group(path, "INPUT_TYPE", "image", inputs))
    for concept in concepts:
        out.append(_group(path, "CONCEPT_ID", concept, int(rng.integers(1, 2_000))))
    for kind in ("CONCEPTS_COUNT", "BOUNDING_BOXES_COUNT", "POLYGONS_COUNT"):
        out += [_group(path, kind, k, int(rng.integers(1, inputs + 1))) for k in range(12)]
    out += [
        _group(path, "PIXELS_COUNT", 200_000 + 400 * k, int(rng.integers(1, 999)))
        for k in range(40)
    ]
    out += [_group(path, "ASPECT_RATIO", round(0.3 + 0.1 * k, 1), 99) for k in range(20)]
    return out


def metrics_groups_body(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    concepts = [f"concept-{i:04d}" for i in range(N_CONCEPTS)]
    groups = _level("", N_INPUTS, rng, concepts)
    for concept in concepts:
        groups += _level(f"/concept_id/{concept}", int(rng.integers(1, 2_000)), rng, [concept])
    return {"dataset_version_metrics_groups": groups}


def detector_body(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    entries = []
    recall = np.linspace(0, 1, 21).tolist()
    for i in range(N_CONCEPTS):
        for area in AREAS:
            for iou in IOUS:
                ap = float(rng.random())
                entries.append(
                    {
                        "concept": {"id": f"concept-{i:04d}"},
                        "area_name": area,
                        "iou": iou,
                        "num_tot": 10,
                        "avg_precision": ap,
                        "precision_recall_curve": {
                            "recall": recall,
                            "precision": np.linspace(1, ap, 21).tolist(),
                            "thresholds": np.linspace(1, 0, 21).tolist(),
                        },
                    }
                )
    return {"eval_metrics": {"metrics_by_class": entries}}


def main() -> None:
    body = metrics_groups_body()
    n_groups = len(body["dataset_version_metrics_groups"])
    sizes = f"{n_groups:,} groups, {N_CONCEPTS:,} concepts, {N_INPUTS:,} inputs"
    base = best_of(lambda: frames.dataset_version_metrics_groups(body), repeat=3, warmup=1)
    report("clarinb.frames metrics-groups frame (baseline)", base, base, sizes=sizes)
    report(
        "view frame with region matrices",
        best_of(lambda: frames.dataset_version_metrics_groups(body, matrices=True), repeat=3),
        base,
        sizes=sizes,
    )
    frame = frames.dataset_version_metrics_groups(body, matrices=True)
    report(
        "MetricsGroupsView figure_",
        best_of(lambda: MetricsGroupsView(groups=frame, top_n=None).figure_, repeat=3),
        base,
        sizes=sizes,
    )
    view = MetricsGroupsView(groups=frame)
    assert view.widget_ is not None

    def drill() -> None:
        view.set(path=["concept-0500"])
        view.set(path=[])

    report(
        "MetricsGroupsView drill + up (live widget)", best_of(drill, repeat=3), base, sizes=sizes
    )
    report(
        "MetricsGroupsView search (live widget)",
        best_of(lambda: view.set(search=f"{np.random.randint(10):d}"), repeat=3),
        base,
        sizes=sizes,
    )
    other = frame.copy()
    other["inputs_count"] = other["inputs_count"] + 1
    report(
        "VersionDiffView figure_ (all concepts)",
        best_of(lambda: VersionDiffView(a=frame, b=other, top_n=None).figure_, repeat=3),
        base,
        sizes=sizes,
    )

    det = detector_body()
    det_sizes = (
        f"{N_CONCEPTS:,} concepts x {len(IOUS)} IoU x {len(AREAS)} areas, 21-point PR curves"
    )
    det_base = best_of(lambda: frames.metrics_by_class(det), repeat=3, warmup=1)
    report("clarinb.frames metrics_by_class (baseline)", det_base, det_base, sizes=det_sizes)
    metrics, curves = frames.metrics_by_class(det), frames.pr_curves(det)
    report(
        "DetectionMetricsView figure_",
        best_of(
            lambda: DetectionMetricsView(metrics=metrics, curves=curves, iou=0.9).figure_, repeat=3
        ),
        det_base,
        sizes=det_sizes,
    )
    det_view = DetectionMetricsView(metrics=metrics, curves=curves)
    assert det_view.widget_ is not None
    report(
        "DetectionMetricsView IoU change (live widget)",
        best_of(lambda: det_view.set(iou=0.8 if det_view.iou != 0.8 else 0.9), repeat=3),
        det_base,
        sizes=det_sizes,
    )


if __name__ == "__main__":
    main()

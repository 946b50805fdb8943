"""The one table of readable names, and the one rule for a concept's display name.

API enum values (``CONCEPT_ID``, ``DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET``),
count fields (``inputs_count``) and metric fields (``macro_avg_roc_auc``) are
shown to a reader by :func:`readable`; dropdowns take :func:`readable_options`
(label shown, API value kept). A concept is shown by :func:`concept_name`: its
name from the API when there is one, else its id, in every view, explorer and
the report.

Examples
--------
>>> readable("DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET"), readable("inputs_count")
('Whole version', 'inputs')
>>> concept_name("red-fox", {"red-fox": "red fox"}), concept_name("wolf", {"wolf": ""})
('red fox', 'wolf')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COUNT_NAMES",
    "EXPORT_FORMAT_NAMES",
    "GROUP_TYPE_NAMES",
    "METRIC_NAMES",
    "concept_name",
    "named_concepts",
    "named_text",
    "readable",
    "readable_options",
]

#: Metrics-group type (the API enum, plus clarinb's region-location panel) -> name.
GROUP_TYPE_NAMES = {
    "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET": "Whole version",
    "CONCEPT_ID": "Concepts",
    "INPUT_TYPE": "Input types",
    "CONCEPTS_COUNT": "Concepts per input",
    "BOUNDING_BOXES_COUNT": "Bounding boxes per input",
    "POLYGONS_COUNT": "Polygons per input",
    "POINTS_COUNT": "Points per input",
    "MASKS_COUNT": "Masks per input",
    "PIXELS_COUNT": "Pixels per input",
    "ASPECT_RATIO": "Aspect ratio",
    "REGION_LOCATION": "Region locations",
}

#: Count of a DatasetVersionMetrics message -> name.
COUNT_NAMES = {
    "inputs_count": "inputs",
    "unlabeled_inputs_count": "unlabeled inputs",
    "inputs_with_metadata_count": "inputs with metadata",
    "inputs_with_geo_count": "inputs with a location",
    "regions_count": "regions",
    "bounding_boxes_count": "bounding boxes",
    "polygons_count": "polygons",
    "points_count": "points",
    "masks_count": "masks",
    "region_inputs_count": "inputs with regions",
    "region_frames_count": "frames with regions",
    "frames_count": "frames",
    "frame_inputs_count": "inputs with frames",
    "embeddings_count": "embeddings",
    "positive_input_tags_count": "input labels",
    "positive_region_tags_count": "region labels",
    "positive_frame_tags_count": "frame labels",
}

#: Dataset-version export format -> name.
EXPORT_FORMAT_NAMES = {
    "DATASET_VERSION_EXPORT_FORMAT_NOT_SET": "(not set)",
    "CLARIFAI_DATA_PROTOBUF": "Clarifai protobuf",
    "CLARIFAI_DATA_JSON": "Clarifai JSON",
    "COCO": "COCO",
}

#: Evaluation metric field (or clarinb column) -> name.
METRIC_NAMES = {
    "top1_accuracy": "Top-1 accuracy",
    "top5_accuracy": "Top-5 accuracy",
    "macro_avg_roc_auc": "ROC AUC (mean over concepts)",
    "macro_std_roc_auc": "ROC AUC spread (std over concepts)",
    "macro_avg_f1_score": "F1 (mean over concepts)",
    "macro_std_f1_score": "F1 spread (std over concepts)",
    "macro_avg_precision": "Precision (mean over concepts)",
    "macro_avg_recall": "Recall (mean over concepts)",
    "mean_avg_precision_iou_50": "Mean average precision at IoU 0.5",
    "mean_avg_precision_iou_range": "Mean average precision, IoU 0.5 to 0.95",
    "roc_auc": "ROC AUC",
    "avg_precision": "Average precision",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "num_pos": "Positives",
    "num_neg": "Negatives",
    "concept_name": "Concept",
    "concept_id": "Concept id",
}

_NAMES: dict[str, str] = {
    **GROUP_TYPE_NAMES,
    **COUNT_NAMES,
    **EXPORT_FORMAT_NAMES,
    **METRIC_NAMES,
}


def readable(value: object) -> str:
    """Return the name a reader sees for an API enum value or field (the value if it has none)."""
    text = str(value)
    return _NAMES.get(text, text)


def readable_options(values: Iterable[object]) -> list[tuple[str, object]]:
    """Dropdown options ``(readable name, value)``: the reader sees the name, code the value."""
    return [(readable(v), v) for v in values]


def concept_name(concept_id: object, names: Mapping[str, str] | None = None) -> str:
    """Return a concept's display name: its name from the API when present, else its id."""
    key = str(concept_id)
    name = (names or {}).get(key)
    return str(name) if name else key


#: Columns of clarinb's frames that hold concept ids (or several, comma-separated).
CONCEPT_COLUMNS = (
    "concept_id", "predicted", "top_concept", "truth", "given_label", "suggested_label",
    "given", "suggested",
)  # fmt: skip


def named_concepts(
    frame: pd.DataFrame,
    names: Mapping[str, str] | None,
    columns: Sequence[str] = CONCEPT_COLUMNS,
) -> pd.DataFrame:
    """Return a copy of ``frame`` for display, its concept ids shown by :func:`concept_name`.

    Comma-separated lists (a multi-label ``truth``) and tuples (multi-label
    label issues) are named one by one; a ``concept_id`` column is renamed
    ``concept``.

    Examples
    --------
    >>> import pandas as pd
    >>> named_concepts(pd.DataFrame({"concept_id": ["red-fox"], "truth": ["red-fox, wolf"]}),
    ...                {"red-fox": "red fox"}).values.tolist()
    [['red fox', 'red fox, wolf']]
    """
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = [named_text(value, names) for value in out[column]]
    return out.rename(columns={"concept_id": "concept"})


def named_text(value: object, names: Mapping[str, str] | None) -> object:
    """Name the concept ids of one value: an id, a comma-separated list, or a tuple of ids.

    Values of other types come back unchanged.

    Examples
    --------
    >>> named_text("red-fox, wolf", {"red-fox": "red fox"})
    'red fox, wolf'
    """
    if isinstance(value, tuple | list):  # a multi-label given or suggested set
        return ", ".join(concept_name(c, names) for c in value)
    if not isinstance(value, str):
        return value
    return ", ".join(concept_name(c, names) for c in value.split(", "))

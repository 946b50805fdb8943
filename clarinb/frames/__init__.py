"""Pure functions from Clarifai API response bodies to tidy pandas DataFrames.

Every function takes the object itself or the whole response envelope, in
snake_case or camelCase, with enums as numbers or names, 64-bit integers as
strings, ``"NaN"``/``"Infinity"`` strings and zero values omitted.  Unknown
fields are ignored.  A body that lacks what a function needs, or holds the
wrong types, raises :class:`~clarinb.errors.ResponseFormatError` naming the
part; no other exception escapes.

Evaluations
-----------
evaluations, binary_metrics, metrics_by_class, metrics_by_area,
label_counts, tracker_metrics, confusion_matrix, cooccurrence_matrix,
roc_curves, pr_curves, test_set, test_set_inputs, test_set_regions, test_set_boxes

Dataset versions
----------------
dataset_versions, dataset_version_metrics_groups, region_location_matrix,
dataset_version_exports

Resources
---------
inputs, models, model_types, label_orders, input_add_jobs
"""

from __future__ import annotations

from clarinb.frames.curves import pr_curves, roc_curves
from clarinb.frames.dataset_exports import dataset_version_exports
from clarinb.frames.datasets import (
    dataset_version_metrics_groups,
    dataset_versions,
    region_location_matrix,
)
from clarinb.frames.evaluations import (
    binary_metrics,
    evaluations,
    label_counts,
    metrics_by_area,
    metrics_by_class,
    tracker_metrics,
)
from clarinb.frames.matrices import confusion_matrix, cooccurrence_matrix
from clarinb.frames.predictions import test_set
from clarinb.frames.regions import test_set_boxes, test_set_inputs, test_set_regions
from clarinb.frames.resources import input_add_jobs, inputs, label_orders, model_types, models

__all__ = [
    "binary_metrics",
    "confusion_matrix",
    "cooccurrence_matrix",
    "dataset_version_exports",
    "dataset_version_metrics_groups",
    "dataset_versions",
    "evaluations",
    "input_add_jobs",
    "inputs",
    "label_counts",
    "label_orders",
    "metrics_by_area",
    "metrics_by_class",
    "model_types",
    "models",
    "pr_curves",
    "region_location_matrix",
    "roc_curves",
    "test_set",
    "test_set_boxes",
    "test_set_inputs",
    "test_set_regions",
    "tracker_metrics",
]

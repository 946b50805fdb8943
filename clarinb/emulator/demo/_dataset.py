"""Inputs, annotations and pictures of the demo dataset, in wire form.

Data-making code.  Image URLs are written relative to the server root
(``/media/<id>.png``); the emulator makes them absolute.  Served pictures are
small renderings (longest side 64 px) with the same aspect ratio as the size
the input claims in ``image_info``.  The video input's frames have pictures
of their own, keyed ``<video id>.f<nn>`` in the workspace's ``images``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clarinb.emulator.demo._catalog import (
    APP_ID,
    DATASET_ID,
    SCENES,
    USER_ID,
    colour_of,
    concept,
    pattern_of,
    timestamp,
)
from clarinb.emulator.demo._facts import Picture, Region
from clarinb.emulator.demo._png import Shape, render_base64

__all__ = [
    "VIDEO_ID",
    "image_inputs",
    "label_annotations",
    "images",
    "video_annotation",
    "video_input",
]

VIDEO_ID = "vid-0000"
_VIDEO_FRAMES = 8
_VIDEO_ANIMAL = "red-fox"
_THUMB = 64


def _box(box: tuple[float, float, float, float]) -> dict[str, float]:
    top, left, bottom, right = box
    return {"top_row": top, "left_col": left, "bottom_row": bottom, "right_col": right}


def _region_info(region: Region) -> dict[str, Any]:
    top, left, bottom, right = region.box
    if region.kind == "point":
        return {"point": {"row": top, "col": left}}
    if region.kind == "polygon":
        mid_r, mid_c = round((top + bottom) / 2, 4), round((left + right) / 2, 4)
        points = [(top, mid_c), (mid_r, right), (bottom, mid_c), (mid_r, left)]
        return {"polygon": {"points": [{"row": r, "col": c} for r, c in points]}}
    return {"bounding_box": _box(region.box)}


def _status(code: int, description: str) -> dict[str, Any]:
    return {"code": code, "description": description}


def _input(pic: Picture, label: str, index: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "image": {
            "url": f"/media/{pic.input_id}.png",
            "image_info": {
                "width": pic.width,
                "height": pic.height,
                "format": "PNG",
                "color_mode": "RGB",
            },
        }
    }
    if pic.labelled:
        data["concepts"] = [concept(label, 1.0, app_id=APP_ID)]
    data["metadata"] = {"source": pic.source, "shot": index}
    if index % 5 == 0:
        data["geo"] = {
            "geo_point": {"longitude": -110.0 + index % 37, "latitude": 40.0 + index % 11}
        }
    when = timestamp(index * 0.5)
    return {
        "id": pic.input_id,
        "data": data,
        "created_at": when,
        "modified_at": when,
        "status": _status(30000, "Download complete"),
        "dataset_ids": [DATASET_ID],
    }


def image_inputs(pics: Iterable[Picture], *, relabelled: bool) -> list[dict[str, Any]]:
    """Return the Input of every picture.

    Parameters
    ----------
    pics : iterable of Picture
        The pictures, in id order.
    relabelled : bool
        Use the fixed labels (latest version) instead of the original ones.

    Returns
    -------
    list of dict
    """
    return [_input(p, p.animal if relabelled else p.old_animal, i) for i, p in enumerate(pics)]


def _annotation(ann_id: str, input_id: str, data: dict[str, Any], minutes: float) -> dict:
    when = timestamp(minutes)
    return {
        "id": ann_id,
        "input_id": input_id,
        "data": data,
        "status": _status(24150, "Annotation success"),
        "created_at": when,
        "modified_at": when,
        "user_id": USER_ID,
    }


def label_annotations(pics: Iterable[Picture], *, relabelled: bool) -> list[dict[str, Any]]:
    """Return the annotations of the pictures: input-level labels, then one per region.

    The input-level annotation (id ``<input>-tags``, ``input_level`` true)
    holds the animal and the scene tags with value 1; each region (box,
    polygon or point) is an annotation of its own (id ``<input>-r<k>``) whose
    region carries the animal.  Unlabelled pictures have none.

    Parameters
    ----------
    pics : iterable of Picture
        The pictures.
    relabelled : bool
        Use the fixed labels (latest version) instead of the original ones.

    Returns
    -------
    list of dict
    """
    out = []
    for i, p in enumerate(pics):
        if not p.labelled:
            continue
        label = p.animal if relabelled else p.old_animal
        minutes = 400 + i * 0.5
        tags = [concept(label, 1.0)] + [concept(s, 1.0) for s in p.scenes]
        ann = _annotation(f"{p.input_id}-tags", p.input_id, {"concepts": tags}, minutes)
        ann["input_level"] = True
        out.append(ann)
        for k, region in enumerate(p.regions):
            reg = {
                "id": f"{p.input_id}-reg{k}",
                "region_info": _region_info(region),
                "data": {"concepts": [concept(label, 1.0)]},
            }
            out.append(_annotation(f"{p.input_id}-r{k}", p.input_id, {"regions": [reg]}, minutes))
    return out


def _thumb_size(width: int, height: int) -> tuple[int, int]:
    if width >= height:
        return _THUMB, max(1, round(_THUMB * height / width))
    return max(1, round(_THUMB * width / height)), _THUMB


def _frame_box(n: int) -> tuple[float, float, float, float]:
    left = round(0.05 + 0.08 * n, 4)
    return (0.45, left, 0.75, round(left + 0.25, 4))


def images(pics: Iterable[Picture]) -> dict[str, str]:
    """Return base64 PNGs: one per picture (drawn as it really is) and the video's frames.

    Parameters
    ----------
    pics : iterable of Picture
        The pictures.

    Returns
    -------
    dict
        Keyed by input id; the video's thumbnail under its id and frame ``n``
        under ``<video id>.f<nn>``.
    """
    out = {}
    for p in pics:
        w, h = _thumb_size(p.width, p.height)
        shapes: list[Shape] = [
            (r.box, colour_of(p.animal), pattern_of(p.animal))
            for r in p.regions
            if r.kind != "point"
        ]
        out[p.input_id] = render_base64(w, h, SCENES[p.scenes[0]], shapes)
    fox = (colour_of(_VIDEO_ANIMAL), pattern_of(_VIDEO_ANIMAL))
    for n in range(_VIDEO_FRAMES):
        out[f"{VIDEO_ID}.f{n:02d}"] = render_base64(
            64, 36, SCENES["forest"], [(_frame_box(n), *fox)]
        )
    out[VIDEO_ID] = out[f"{VIDEO_ID}.f00"]
    return out


def video_input(index: int) -> dict[str, Any]:
    """Return the demo video Input (10 s, 25 fps, 640x360).

    Parameters
    ----------
    index : int
        Its position among the dataset's inputs (sets its creation time).

    Returns
    -------
    dict
    """
    when = timestamp(index * 0.5)
    return {
        "id": VIDEO_ID,
        "data": {
            "video": {
                "url": f"/media/{VIDEO_ID}.mp4",
                "thumbnail_url": f"/media/{VIDEO_ID}.png",
                "video_info": {
                    "width": 640,
                    "height": 360,
                    "fps": 25.0,
                    "video_format": "mp4",
                    "bit_rate": 800000,
                    "frame_count": 250,
                    "duration_seconds": 10.0,
                },
            },
            "concepts": [concept(_VIDEO_ANIMAL, 1.0, app_id=APP_ID)],
        },
        "created_at": when,
        "modified_at": when,
        "status": _status(30000, "Download complete"),
        "dataset_ids": [DATASET_ID],
    }


def video_annotation() -> dict[str, Any]:
    """Return the video's frame annotation: a fox crossing, one box per sampled frame.

    Frames are sampled every 1.25 s (every 31st frame); each carries its
    picture's URL, its time in milliseconds and the box of the fox.

    Returns
    -------
    dict
    """
    frames = []
    for n in range(_VIDEO_FRAMES):
        frames.append(
            {
                "id": f"{VIDEO_ID}-frame{n}",
                "frame_info": {"index": n, "time": str(n * 1250), "number": n * 31},
                "data": {
                    "image": {"url": f"/media/{VIDEO_ID}.f{n:02d}.png"},
                    "regions": [
                        {
                            "id": f"{VIDEO_ID}-frame{n}-reg0",
                            "region_info": {"bounding_box": _box(_frame_box(n))},
                            "data": {"concepts": [concept(_VIDEO_ANIMAL, 1.0)]},
                            "track_id": "fox-track",
                        }
                    ],
                },
            }
        )
    tags = {"concepts": [concept(_VIDEO_ANIMAL, 1.0)], "frames": frames}
    ann = _annotation(f"{VIDEO_ID}-tags", VIDEO_ID, tags, 399.0)
    ann["input_level"] = True
    return ann

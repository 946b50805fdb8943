"""DetectionBrowser on a synthetic region test set: boxes at the image's real size, controls."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from clarinb import frames
from clarinb.errors import InvalidArgumentError, NotFoundError
from clarinb.views import DetectionBrowser
from clarinb.views._det_boxes import data_uri, image_size


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _region(concept: str, score: float, box: tuple[float, float, float, float]) -> dict:
    top, left, bottom, right = box
    return {
        "region_info": {
            "bounding_box": {
                "top_row": top,
                "left_col": left,
                "bottom_row": bottom,
                "right_col": right,
            }
        },
        "data": {"concepts": [{"id": concept, "value": score}]},
    }


def region_eval() -> dict:
    return {
        "test_set": [
            {
                # no image_info: the size comes from the image itself
                "input": {"id": "in-1", "data": {"image": {"url": "https://img/1.png"}}},
                "ground_truth_annotation": {
                    "data": {"regions": [_region("cat", 1.0, (0.1, 0.2, 0.5, 0.6))]}
                },
                "predicted_annotation": {
                    "data": {
                        "regions": [
                            _region("cat", 0.9, (0.12, 0.22, 0.52, 0.58)),
                            _region("dog", 0.3, (0.6, 0.6, 0.9, 0.9)),
                        ]
                    }
                },
            },
            {
                "input": {
                    "id": "in-2",
                    "data": {
                        "image": {
                            "url": "https://img/2.png",
                            "image_info": {"width": 300, "height": 150},
                        }
                    },
                },
                "ground_truth_annotation": {
                    "data": {"regions": [_region("dog", 1.0, (0.0, 0.0, 1.0, 0.5))]}
                },
            },
            {"input": {"id": "in-3", "data": {"image": {"url": "https://img/missing.png"}}}},
        ]
    }


IMAGES = {"https://img/1.png": png(40, 20), "https://img/2.png": png(30, 15)}


class FakeClient:
    def __init__(self) -> None:
        self.fetched: list[str] = []

    def download(self, url: str) -> bytes:
        self.fetched.append(url)
        if url not in IMAGES:
            raise NotFoundError(http_status=404, code=11101, description="no such image")
        return IMAGES[url]


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


@pytest.fixture
def browser(client) -> DetectionBrowser:
    return DetectionBrowser.from_evaluation(region_eval(), fetch=client.download)


def test_image_helpers():
    assert image_size(png(40, 20)) == (40, 20)
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08" + struct.pack(">HH", 480, 640) + b"\x03"
    )
    assert image_size(jpeg + b"\x00" * 16) == (640, 480)
    assert image_size(b"not an image") is None
    uri = data_uri(png(2, 2))
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == png(2, 2)


def test_region_frame():
    boxes = frames.test_set_boxes(region_eval())
    assert boxes["kind"].tolist() == [
        "ground truth",
        "predicted",
        "predicted",
        "ground truth",
        "none",
    ]
    assert boxes.loc[3, "width"] == 300


def test_boxes_scaled_by_the_image_size_read_from_the_image(browser, client):
    fig = browser.figure_
    predicted, false, missed, truth = fig.data[:4]  # TP, FP, FN, found
    # 40 x 20 px from the PNG header; box (top .1, left .2, bottom .5, right .6)
    assert list(truth.x[:5]) == pytest.approx([8, 24, 24, 8, 8])
    assert list(truth.y[:5]) == pytest.approx([2, 2, 10, 10, 2])
    # the cat prediction finds the cat; the dog prediction scores 0.3 < 0.5: hidden
    assert len(predicted.x) == 6
    assert (list(false.x), list(missed.x)) == ([None], [None])  # in the legend, nothing drawn
    image = fig.layout.images[0]
    assert image.source == data_uri(IMAGES["https://img/1.png"])
    assert image.visible is True
    assert (image.sizex, image.sizey) == (40, 20)
    assert tuple(fig.layout.yaxis.range) == (20, 0)
    assert client.fetched == ["https://img/1.png"]


def test_declared_size_wins_and_controls_update(browser, client):
    assert browser.widget_ is not None
    live = browser._plot_widget
    browser.controls_["threshold"].value = 0.25
    assert (len(live.data[0].x), len(live.data[1].x)) == (6, 6)  # a TP cat, an FP dog
    browser.controls_["concept"].value = "cat"
    assert (len(live.data[0].x), list(live.data[1].x)) == (6, [None])
    browser.controls_["concept"].value = ""
    browser.controls_["next"].click()
    assert browser.input_id == "in-2"
    assert browser.controls_["input"].value == "in-2"
    # image_info says 300 x 150 (the image is 30 x 15): the declared size is used
    assert list(live.data[2].x[:2]) == pytest.approx([0, 150])  # the dog, missed
    assert list(live.data[2].y[:3]) == pytest.approx([0, 0, 150])
    assert live.layout.images[0].sizex == 300
    browser.controls_["next"].click()
    assert browser.input_id == "in-3"
    assert "image not loaded" in browser._note.value
    assert live.layout.images[0].visible is False
    browser.set(input_id="in-1")
    assert client.fetched.count("https://img/1.png") == 1  # cached


def test_errors_and_html(tmp_path, browser):
    with pytest.raises(InvalidArgumentError, match="threshold"):
        browser.set(threshold=2)
    with pytest.raises(InvalidArgumentError, match="input_id must be one of"):
        browser.set(input_id="nope")
    with pytest.raises(InvalidArgumentError, match="an input id of the test set"):
        browser.set(input_id=7)
    with pytest.raises(InvalidArgumentError, match="no inputs"):
        DetectionBrowser.from_evaluation({"test_set": []})
    text = browser.to_html(tmp_path / "boxes.html").read_text()
    assert "data:image/png;base64," in text
    assert "Boxes" in text
    blank = DetectionBrowser.from_evaluation(region_eval(), theme="dark")
    assert blank.figure_.layout.images[0].visible is False


def test_boxes_and_frame_follow_the_settings(browser):
    assert browser.boxes_["concept_id"].tolist() == ["cat", "cat"]  # the dog scores 0.3
    browser.set(threshold=0.25, concept="dog")
    assert browser.boxes_["kind"].tolist() == ["predicted"]
    frame = browser.frame_
    assert frame[["input_id", "kind", "concept_id"]].values.tolist() == [
        ["in-1", "predicted", "dog"]
    ]
    # (top .6, left .6, bottom .9, right .9) on the 40 x 20 px image
    corners = frame.loc[0, ["x0", "y0", "x1", "y1"]].tolist()
    assert corners == pytest.approx([24, 12, 36, 18])
    browser.set(input_id="in-2", concept=None)
    assert browser.frame_["concept_id"].tolist() == ["dog"]
    assert browser.frame_["x1"].tolist() == pytest.approx([150])  # the declared 300 px


def test_starts_on_the_input_asked_for(client):
    boxes = frames.test_set_boxes(region_eval())
    view = DetectionBrowser(boxes=boxes, input_id="in-2")
    assert view.input_id == "in-2"
    with pytest.raises(TypeError):
        DetectionBrowser(boxes)  # type: ignore[misc]
    with pytest.raises(InvalidArgumentError, match="input_id"):
        DetectionBrowser(boxes=boxes, input_id="in-9")
    assert not hasattr(DetectionBrowser, "from_client")
    assert not hasattr(DetectionBrowser, "select")

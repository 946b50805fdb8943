"""The slices view on the demo: the mobile model's night shots stand out."""

from __future__ import annotations

import pytest

from clarinb.errors import InvalidArgumentError
from clarinb.views import SlicesView


@pytest.fixture(scope="module")
def night(eval_demo) -> SlicesView:
    ev = eval_demo.evaluation("animals-mobile-on-v2")
    tagger = eval_demo.evaluation("scene-tagger-on-v2")
    return SlicesView.from_evaluation(ev, by="concept:night", labels_from=tagger, n_resamples=200)


def test_the_mobile_model_fails_at_night(night: SlicesView) -> None:
    frame = night.frame_
    worst = frame.iloc[0]
    assert worst["slice"] == "night"
    assert worst["n_inputs"] == 116
    assert bool(worst["differs"]) is True
    assert worst["accuracy_hi"] < night.whole["accuracy_lo"].iloc[0]
    assert (
        "top-1 accuracy by whether night is labelled, worst first"
        in night.figure_.layout.title.text
    )


def test_metadata_and_size_slices(eval_demo) -> None:
    ev = eval_demo.evaluation("animals-mobile-on-v2")
    by_source = SlicesView.from_evaluation(ev, by="metadata:source", n_resamples=50)
    assert set(by_source.frame_["slice"]) == {"trail-cam", "phone", "dslr"}
    assert by_source.frame_["slice"].iloc[0] == "trail-cam"
    assert by_source.frame_["n_inputs"].sum() == 617
    sized = SlicesView.from_evaluation(ev, by="size", n_resamples=50)
    assert sized.frame_["n_inputs"].sum() == 617


def test_top_n_and_bad_keys(night: SlicesView, eval_demo) -> None:
    assert len(night.set(top_n=1).frame_) == 1
    night.set(top_n=None)
    ev = eval_demo.evaluation("animals-mobile-on-v2")
    with pytest.raises(InvalidArgumentError, match="by must be"):
        SlicesView.from_evaluation(ev, by="colour")


def test_a_bounded_run_says_what_it_left_out(eval_demo, tmp_path) -> None:
    ev = eval_demo.evaluation("animals-mobile-on-v2")
    tagger = eval_demo.evaluation("scene-tagger-on-v2")
    view = SlicesView.from_evaluation(
        ev, by="concept:night", labels_from=tagger, n_resamples=50, budget=100, metric="f1"
    )
    assert "not computed: accuracy" in view.note
    assert view.frame_["f1_lo"].isna().all()
    assert view.frame_["differs"].isna().all()  # no interval: unknown
    subtitle = view.figure_.layout.title.subtitle.text
    assert subtitle.startswith("no intervals; some metrics left out")
    assert [s.value for s in view.widget_.children[1:]] == [view.note]
    page = view.to_html(tmp_path / "slices.html").read_text()
    assert "macro metrics without intervals" in page
    with pytest.raises(InvalidArgumentError, match="metric"):
        view.set(metric="accuracy")  # not computed: refused, not drawn as 0

"""A sealed list (a finished evaluation's test set) renders once and never changes."""

from __future__ import annotations

import copy
import pickle

import pytest

from clarinb.emulator.wire import Sealed, render

ENTRIES = [
    {"input": {"id": f"in-{i}"}, "predicted_concepts": [{"id": "c", "value": i / 10}]}
    for i in range(3)
]


def test_a_sealed_list_renders_as_the_plain_list_does_and_only_once() -> None:
    plain = render({"test_set": list(ENTRIES)}, "EvalMetrics")
    sealed = Sealed(ENTRIES)
    first = render({"test_set": sealed}, "EvalMetrics")
    again = render({"test_set": sealed}, "EvalMetrics")
    assert first == plain
    assert again["test_set"] is first["test_set"]  # the second request reuses the rendering


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.append({}),
        lambda s: s.extend([{}]),
        lambda s: s.pop(),
        lambda s: s.__setitem__(0, {}),
        lambda s: s.__delitem__(0),
        lambda s: s.sort(),
    ],
)
def test_a_sealed_list_refuses_changes(change) -> None:
    with pytest.raises(TypeError, match="does not change"):
        change(Sealed(ENTRIES))


def test_copies_and_pickles_stay_sealed_and_equal() -> None:
    sealed = Sealed(ENTRIES)
    for other in (copy.copy(sealed), copy.deepcopy(sealed), pickle.loads(pickle.dumps(sealed))):
        assert isinstance(other, Sealed)
        assert other == sealed


def test_two_emulators_each_send_their_own_media_urls() -> None:
    from clarinb import connect
    from clarinb.emulator import serve

    urls = []
    with serve(data="demo") as a, serve(data="demo") as b:
        for emulator in (a, b, a):
            client = connect(emulator=emulator)
            ev = client.evaluation("animals-base-on-v2")
            url = str(ev.test_set_inputs()["image_url"].iloc[0])
            assert url.startswith(emulator.url)
            assert client.download(url)[:4] == b"\x89PNG"
            urls.append(url)
    assert urls[0] == urls[2] != urls[1]

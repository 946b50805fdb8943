"""``clarinb.connect(emulator=...)``: a client on a running emulator, built by the product."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import clarinb
from clarinb.emulator import Emulator, serve


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with serve(data="demo") as running:
        yield running


def test_connect_to_a_running_emulator(emu: Emulator, capsys) -> None:
    with clarinb.connect(emulator=emu, max_retries=0) as client:
        assert isinstance(client, clarinb.Client)
        assert client.settings.base_url == emu.url
        assert (client.settings.user_id, client.settings.app_id) == (emu.user_id, emu.app_id)
        assert client.settings.max_retries == 0
        assert client.call("V2_GetInputCount2")["counts"]
    assert capsys.readouterr().out == ""


def test_connect_keywords_override_the_emulator_scope(emu: Emulator) -> None:
    client = clarinb.connect(emulator=emu, app_id="another-app")
    assert client.settings.app_id == "another-app"
    assert client.settings.user_id == emu.user_id


def test_connect_refuses_a_snapshot_and_an_emulator_together(emu: Emulator, tmp_path) -> None:
    with pytest.raises(clarinb.InvalidArgumentError, match="not both"):
        clarinb.connect(emulator=emu, snapshot=tmp_path / "snap.json")


@pytest.mark.parametrize("bad", ["http://127.0.0.1:1", 3, object()])
def test_connect_refuses_what_is_not_an_emulator(bad: object) -> None:
    with pytest.raises(clarinb.InvalidArgumentError, match="emulator must be an Emulator"):
        clarinb.connect(emulator=bad)  # type: ignore[arg-type]

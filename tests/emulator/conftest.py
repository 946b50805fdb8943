from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tiny import tiny_workspace

from clarinb import connect
from clarinb.emulator import Emulator, serve


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with serve(data=tiny_workspace()) as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator) -> Any:
    with connect(emulator=emu, retry_backoff=0.001, max_retries=2) as c:
        yield c

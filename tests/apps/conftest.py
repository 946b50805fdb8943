"""A client on the demo emulator, shared by the app tests of a session."""

from __future__ import annotations

import pytest

from clarinb import connect


@pytest.fixture(scope="session")
def demo_client():
    from clarinb.emulator import serve

    with serve(data="demo") as emulator:
        yield connect(emulator=emulator)

"""Fixtures of the API tests: the loopback server and clients that talk to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from clarinb.api._http import Transport
from clarinb.api.client import BaseClient

from ._server import FakeApi

#: A token that must never show up anywhere.
SECRET = "pat-SECRET-0123456789abcdef"


class SleepRecorder:
    """Stands in for ``time.sleep``: records each wait, waits for none."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def server() -> Iterator[FakeApi]:
    with FakeApi() as api:
        yield api


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(server: FakeApi, sleeps: SleepRecorder) -> Iterator[Callable[..., BaseClient]]:
    """Build clients against ``server`` whose back-off waits are recorded, not slept."""
    made: list[BaseClient] = []

    def make(**options: Any) -> BaseClient:
        options.setdefault("retry_backoff", 0.001)
        options.setdefault("timeout", 5.0)
        client = BaseClient(SECRET, "u1", "a1", server.url, **options)
        client._transport.close()
        client._transport = Transport(client.settings, sleep=sleeps, seed=0)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., BaseClient]) -> BaseClient:
    return make_client()

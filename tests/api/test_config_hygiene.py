"""Settings from arguments and the environment, https only, and the token kept secret."""

from __future__ import annotations

import logging
import pickle

import pytest

import clarinb
from clarinb.api.client import BaseClient
from clarinb.config import Settings
from clarinb.errors import ConfigError, InvalidArgumentError

from ._server import FAULTS, Reply
from .conftest import SECRET

ENV = {"CLARIFAI_PAT": SECRET, "CLARIFAI_USER_ID": "eu", "CLARIFAI_APP_ID": "ea"}


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("CLARIFAI_PAT", "CLARIFAI_USER_ID", "CLARIFAI_APP_ID", "CLARIFAI_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_missing_token_names_the_variable(clean_env) -> None:
    with pytest.raises(ConfigError, match="CLARIFAI_PAT"):
        clarinb.Client(user_id="u", app_id="a")


def test_missing_ids_name_their_variables(clean_env) -> None:
    with pytest.raises(ConfigError) as caught:
        BaseClient(pat=SECRET)
    assert "CLARIFAI_USER_ID" in str(caught.value)
    assert "CLARIFAI_APP_ID" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_values_come_from_the_environment(clean_env) -> None:
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    clean_env.setenv("CLARIFAI_API_BASE", "http://127.0.0.1:8123/")
    client = BaseClient()
    s = client.settings
    assert (s.pat, s.user_id, s.app_id, s.base_url) == (SECRET, "eu", "ea", "http://127.0.0.1:8123")


def test_arguments_win_over_the_environment(clean_env) -> None:
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    client = BaseClient(user_id="mine", app_id="app")
    assert (client.settings.user_id, client.settings.app_id) == ("mine", "app")
    assert client.settings.base_url == "https://api.clarifai.com"


@pytest.mark.parametrize(
    "url",
    [
        "http://api.clarifai.com",
        "http://10.0.0.5:8080",
        "ftp://api.clarifai.com",
        "/v2",
        "https://api.clarifai.com/?x=1",
    ],
)
def test_only_https_except_loopback(url) -> None:
    with pytest.raises(ConfigError, match="base_url"):
        BaseClient(SECRET, "u", "a", url)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example\\@api.clarifai.com",  # requests would reach evil.example
        "https://user:pw@api.clarifai.com",
        "http://api.clarifai.com@127.0.0.1:8080",
        "https://api.clarifai.com:99999",
        "https://api.clarifai.com:x",
        "http://[::1",
        "https://evil.example\uff0fa.clarifai.com",
        "https://api.clarifai.com /v2",
        "https://",
    ],
)
def test_an_ambiguous_or_malformed_base_is_a_config_error(url) -> None:
    with pytest.raises(ConfigError, match="base_url"):
        BaseClient(SECRET, "u", "a", url)


def test_a_password_in_a_base_url_is_not_repeated() -> None:
    with pytest.raises(ConfigError) as caught:
        BaseClient(SECRET, "u", "a", f"https://me:{SECRET}@api.clarifai.com")
    assert SECRET not in str(caught.value)
    assert "api.clarifai.com" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1234", "http://localhost:8000", "http://[::1]:80", "https://x.y"]
)
def test_loopback_http_and_any_https_are_accepted(url) -> None:
    assert BaseClient(SECRET, "u", "a", url).settings.base_url == url


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("max_retries", -1),
        ("max_workers", 0),
        ("max_workers", True),
        ("max_retries", 2.5),
        ("timeout", "60"),
        ("retry_backoff", -1.0),
        ("rate_limit", 0),
        ("rate_limit", "fast"),
    ],
)
def test_bad_options_are_rejected(option, value) -> None:
    with pytest.raises(ConfigError, match=option):
        BaseClient(SECRET, "u", "a", **{option: value})


def test_bare_host_means_https() -> None:
    client = BaseClient(SECRET, "u", "a", "api.clarifai.com/")
    assert client.settings.base_url == "https://api.clarifai.com"


def test_token_not_in_reprs() -> None:
    client = BaseClient(SECRET, "u", "a", "http://127.0.0.1:9")
    for text in (repr(client), str(client), repr(client.settings), repr(client._transport)):
        assert SECRET not in text
    assert "u" in repr(client)
    resolved = Settings.resolve(SECRET, "u", "a")
    assert SECRET not in repr(resolved)


def test_token_not_in_any_error_or_log(server, make_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's included
    client = make_client(max_retries=1)
    client.call("V2_GetInput2", inputId="i")
    errors: list[Exception] = []
    for kind in FAULTS:
        server.fault = lambda request, kind=kind: kind
        for op, kwargs in [("V2_GetInput2", {"inputId": "i"}), ("V2_PostInputs2", {"body": {}})]:
            with pytest.raises(clarinb.ClarinbError) as caught:
                client.call(op, **kwargs)
            errors.append(caught.value)
    server.fault = None
    server.routes["V2_GetInput2"] = lambda request: Reply(
        {"status": {"code": 11008, "description": "bad key"}}, status=401
    )
    with pytest.raises(clarinb.AuthError) as caught:
        client.call("V2_GetInput2", inputId="i")
    errors.append(caught.value)
    assert len(errors) == 2 * len(FAULTS) + 1
    for exc in errors:
        assert SECRET not in str(exc)
        assert SECRET not in repr(exc)
        assert SECRET.encode() not in pickle.dumps(exc)
    assert any(r.name.startswith("urllib3") for r in caplog.records)  # DEBUG really was on
    assert any(r.name.startswith("clarinb") for r in caplog.records)
    for record in caplog.records:
        assert SECRET not in record.getMessage()
    assert SECRET not in caplog.text


def test_token_is_sent_as_key_header(server, client) -> None:
    client.call("V2_GetInput2", inputId="i")
    headers = server.requests[0].headers
    assert headers["Authorization"] == f"Key {SECRET}"
    assert headers["User-Agent"].startswith("clarinb/")
    assert SECRET not in server.requests[0].path


def test_invalid_argument_is_a_value_error(client) -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        client.call("nope")
    assert issubclass(InvalidArgumentError, clarinb.ClarinbError)


def test_client_is_a_context_manager(server) -> None:
    with BaseClient(SECRET, "u", "a", server.url) as client:
        assert client.call("V2_GetInputCount2")["status"]["code"] == 10000

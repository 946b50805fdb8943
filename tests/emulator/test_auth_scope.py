from __future__ import annotations

import pytest
import requests
from tiny import APP, USER

from clarinb import connect
from clarinb.emulator import Emulator
from clarinb.errors import AuthError, NotFoundError


def test_no_token_gets_401_key_not_found(emu: Emulator) -> None:
    response = requests.get(f"{emu.url}/v2/inputs", timeout=5)
    assert response.status_code == 401
    assert response.json()["status"]["code"] == 11009


def test_wrong_token_gets_401_key_invalid(emu: Emulator) -> None:
    with (
        connect(emulator=emu, pat="not-the-token", max_retries=0) as client,
        pytest.raises(AuthError) as err,
    ):
        client.call("V2_ListInputs2")
    assert err.value.http_status == 401
    assert err.value.code == 11008
    assert "not-the-token" not in str(err.value)


def test_media_needs_the_token(emu: Emulator) -> None:
    url = f"{emu.url}/media/in-00.png"
    assert requests.get(url, timeout=5).status_code == 401
    ok = requests.get(url, headers={"Authorization": f"Key {emu.pat}"}, timeout=5)
    assert ok.status_code == 200
    assert ok.content.startswith(b"\x89PNG")
    assert ok.headers["Content-Type"] == "image/png"


def test_repr_never_shows_the_token(emu: Emulator) -> None:
    assert emu.pat not in repr(emu)
    assert emu.url in repr(emu)
    with connect(emulator=emu) as client:
        assert emu.pat not in repr(client)


@pytest.mark.parametrize(("user", "app"), [("someone-else", APP), (USER, "other-app")])
def test_apps_the_token_cannot_reach_are_not_found(emu: Emulator, user: str, app: str) -> None:
    with connect(emulator=emu, user_id=user, app_id=app, max_retries=0) as other:
        for operation, kwargs in [
            ("V2_ListInputs2", {}),
            ("V2_ListEvaluations3", {}),
            ("V2_GetInput2", {"inputId": "in-00"}),
            ("V2_PostInputs2", {"body": {"inputs": [{"id": "theirs", "data": {}}]}}),
        ]:
            with pytest.raises(NotFoundError) as err:
                other.call(operation, **kwargs)
            assert err.value.code == 11101
            assert app in str(err.value)
    assert [a.app_id for a in emu.store.apps()] == [APP]
    with connect(emulator=emu, max_retries=0) as mine:
        with pytest.raises(NotFoundError):
            mine.call("V2_GetInput2", inputId="theirs")
        assert len(mine.call("V2_ListInputs2")["inputs"]) == 13


def test_scope_by_either_query_casing_and_me(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    for query in (
        f"userAppId.userId={USER}&userAppId.appId={APP}",
        f"user_app_id.user_id=me&user_app_id.app_id={APP}",
        "",
    ):
        body = requests.get(f"{emu.url}/v2/inputs?{query}", headers=headers, timeout=5).json()
        assert len(body["inputs"]) == 13, query
    other = requests.get(
        f"{emu.url}/v2/inputs?user_app_id.app_id=elsewhere", headers=headers, timeout=5
    )
    assert other.status_code == 404
    assert other.json()["status"]["code"] == 11101


def test_camel_case_bodies_are_accepted(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    body = {"userAppId": {"userId": USER, "appId": APP}, "inputs": [{"id": "camel", "data": {}}]}
    response = requests.post(f"{emu.url}/v2/inputs", json=body, headers=headers, timeout=5)
    assert response.status_code == 200
    assert response.json()["inputs"][0]["id"] == "camel"


def test_unknown_route_is_404(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    response = requests.get(f"{emu.url}/v2/nowhere", headers=headers, timeout=5)
    assert response.status_code == 404
    assert response.json()["status"]["code"] == 11101


def test_answers_carry_the_request_id_in_body_and_header(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    response = requests.get(f"{emu.url}/v2/inputs/in-00", headers=headers, timeout=5)
    req_id = response.json()["status"]["req_id"]
    assert req_id
    assert response.headers["X-Clarifai-Request-ID"] == req_id


def test_bad_json_body_is_a_bad_request(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}", "Content-Type": "application/json"}
    response = requests.post(f"{emu.url}/v2/inputs", data=b"{not json", headers=headers, timeout=5)
    assert response.status_code == 400
    assert response.json()["status"]["code"] == 11100


def test_full_form_paths_name_the_scope(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    mine = requests.get(
        f"{emu.url}/v2/users/{USER}/apps/{APP}/inputs/in-00", headers=headers, timeout=5
    )
    assert mine.json()["input"]["id"] == "in-00"
    theirs = requests.get(
        f"{emu.url}/v2/users/{USER}/apps/other/inputs", headers=headers, timeout=5
    )
    assert theirs.status_code == 404
    assert "inputs" not in theirs.json()
    stranger = requests.get(f"{emu.url}/v2/users/stranger/evaluations", headers=headers, timeout=5)
    assert stranger.status_code == 404
    by_user = requests.get(f"{emu.url}/v2/users/me/evaluations", headers=headers, timeout=5)
    assert [e["id"] for e in by_user.json()["eval_metrics"]] == ["eval-1"]


def test_unknown_body_fields_are_refused(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    response = requests.post(
        f"{emu.url}/v2/inputs", json={"inputs": [], "colour": "red"}, headers=headers, timeout=5
    )
    assert response.status_code == 400
    assert "colour" in response.json()["status"]["details"]


def test_a_stopped_emulator_answers_nothing(emu: Emulator) -> None:
    from clarinb.errors import TransportError

    with connect(emulator=emu, max_retries=0) as client:
        assert client.call("V2_GetInput2", inputId="in-00")["input"]["id"] == "in-00"
        emu.stop()
        emu.stop()
        assert "stopped" in repr(emu)
        with pytest.raises(TransportError):
            client.call("V2_GetInput2", inputId="in-00")


def test_the_stores_private_keys_cannot_be_sent(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    body = {"action": "overwrite", "dataset_versions": [{"id": "v1", "_input_ids": []}]}
    response = requests.patch(
        f"{emu.url}/v2/datasets/pets/versions", json=body, headers=headers, timeout=5
    )
    assert response.status_code == 400
    assert "_input_ids" in response.json()["status"]["details"]


def test_a_body_repeating_the_route_is_ignored_and_other_fields_refused(emu: Emulator) -> None:
    headers = {"Authorization": f"Key {emu.pat}"}
    full = f"{emu.url}/v2/users/{USER}/apps/{APP}/inputs"
    elsewhere = {"user_app_id": {"user_id": USER, "app_id": "other"}, "input_id": "in-99"}
    deleted = requests.delete(f"{full}/in-05", json=elsewhere, headers=headers, timeout=5)
    assert deleted.status_code == 200
    assert requests.get(f"{full}/in-05", headers=headers, timeout=5).status_code == 404
    for method, body in [("DELETE", {"colour": "red"}), ("GET", {"per_page": 3})]:
        refused = requests.request(method, f"{full}/in-06", json=body, headers=headers, timeout=5)
        assert refused.status_code == 400
        assert next(iter(body)) in refused.json()["status"]["details"]
    assert requests.get(f"{full}/in-06", headers=headers, timeout=5).status_code == 200

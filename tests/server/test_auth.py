"""Login, tokens, roles and demo-mode refusal."""

import pytest
from fastapi.testclient import TestClient

from server.settings import Settings
from tests.conftest import login

ROLES = ("admin", "operator", "planner", "grid_head", "patroller", "dept_staff")


@pytest.mark.parametrize("role", ROLES)
def test_each_demo_role_logs_in(client: TestClient, role: str) -> None:
    r = client.post("/api/auth/token", data={"username": role, "password": "gridlink"})
    assert r.status_code == 200
    body = r.json()
    assert body["role"] == role and body["token_type"] == "bearer" and body["access_token"]


def test_wrong_password_is_a_clear_401(client: TestClient) -> None:
    r = client.post("/api/auth/token", data={"username": "admin", "password": "nope"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail_zh"] == "用户名或密码错误"
    assert r.json()["detail_en"] == "Wrong username or password"


def test_english_detail_follows_accept_language(client: TestClient) -> None:
    r = client.post("/api/auth/token", data={"username": "x", "password": "y"},
                    headers={"Accept-Language": "en-US"})
    assert r.json()["detail"] == "Wrong username or password"


def test_missing_form_fields_are_422(client: TestClient) -> None:
    r = client.post("/api/auth/token", data={"username": "admin"})
    assert r.status_code == 422
    assert r.json()["field"] == "password"


def test_repeated_failures_are_limited(client: TestClient) -> None:
    for _ in range(10):
        client.post("/api/auth/token", data={"username": "operator", "password": "bad"})
    r = client.post("/api/auth/token", data={"username": "operator", "password": "gridlink"})
    assert r.status_code == 429
    assert "Retry-After" in r.headers


def test_me_describes_a_patroller_and_their_grid(client: TestClient) -> None:
    me = client.get("/api/me", headers=login(client, "patroller")).json()
    assert me["role"] == "patroller" and me["worker_id"] is not None
    assert me["grid_ids"] and me["home"]["grid_id"] == me["grid_ids"][0]
    min_lon, min_lat, max_lon, max_lat = me["home"]["bbox"]
    assert min_lon < max_lon and min_lat < max_lat


def test_no_token_and_bad_token_are_401(client: TestClient) -> None:
    assert client.get("/api/me").status_code == 401
    r = client.get("/api/me", headers={"Authorization": "Bearer not.a.token"})
    assert r.status_code == 401 and r.json()["code"] == "bad_token"


def test_token_signed_with_another_secret_is_refused(client: TestClient,
                                                     settings: Settings) -> None:
    import jwt

    forged = jwt.encode({"sub": "1", "role": "admin", "exp": 9999999999}, "z" * 40,
                        algorithm="HS256")
    r = client.get("/api/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401


def test_demo_users_are_refused_outside_demo_mode(seeded_url: str, tmp_path) -> None:  # noqa: ANN001
    from server.app import create_app

    s = Settings(env="test", database_url=seeded_url, var_dir=tmp_path, secret_key="s" * 40,
                 demo=False)
    with TestClient(create_app(s)) as c:
        r = c.post("/api/auth/token", data={"username": "admin", "password": "gridlink"})
    assert r.status_code == 401 and r.json()["code"] == "demo_user_refused"


def test_production_refuses_to_start_without_a_secret(tmp_path) -> None:  # noqa: ANN001
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(env="production", var_dir=tmp_path, secret_key="")

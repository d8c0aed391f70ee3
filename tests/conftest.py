"""Shared fixtures: a throwaway PostGIS cluster, cloned databases, an app client."""

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from server.cluster import Cluster

TEMPLATE = "gl_template"
SEEDED = "gl_seeded"
SECRET = "test-secret-" + "x" * 40


@pytest.fixture(scope="session")
def pg() -> Iterator[Cluster]:
    """A private cluster for this test run (never the run cluster), fsync off."""
    root = Path(tempfile.mkdtemp(prefix="gridlink-test-"))
    root.chmod(0o755)
    cluster = Cluster(root / "pg", fast=True)
    cluster.start()
    from server.migrate import upgrade

    cluster.create_db(TEMPLATE)
    upgrade(cluster.url(TEMPLATE))
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def seeded_template(pg: Cluster) -> str:
    """A migrated database with the `tiny` preset loaded, cloned by seeded tests."""
    from seed.load import run

    pg.create_db(SEEDED, template=TEMPLATE)
    run(pg.url(SEEDED), preset="tiny", seed=1)
    return SEEDED


def _clone(pg: Cluster, template: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg.create_db(name, template=template)
    try:
        yield pg.url(name)
    finally:
        with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@pytest.fixture
def db_url(pg: Cluster) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    yield from _clone(pg, TEMPLATE)


@pytest.fixture
def seeded_url(pg: Cluster, seeded_template: str) -> Iterator[str]:
    """A fresh copy of the seeded `tiny` database for one test."""
    yield from _clone(pg, seeded_template)


@pytest.fixture
def settings(seeded_url: str, tmp_path: Path):  # noqa: ANN201
    from server.settings import Settings

    return Settings(env="test", database_url=seeded_url, var_dir=tmp_path, secret_key=SECRET,
                    position_coalesce_ms=100, ticker=False)


@pytest.fixture
def client(settings) -> Iterator[TestClient]:  # noqa: ANN001
    """The app on the seeded database, lifespan (hub, ticker) running."""
    from server.app import create_app

    with TestClient(create_app(settings)) as c:
        yield c


def login(client: TestClient, role: str, password: str = "gridlink") -> dict[str, str]:
    """Authorization headers for a demo user named after role."""
    r = client.post("/api/auth/token", data={"username": role, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


class LiveServer:
    """A real uvicorn process (one or more workers) on a free loopback port."""

    def __init__(self, url: str, *, workers: int, var_dir: Path) -> None:
        import os
        import subprocess
        import sys

        from server.cluster import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db_url = url
        env = {**os.environ, "GRIDLINK_DATABASE_URL": url, "GRIDLINK_ENV": "test",
               "GRIDLINK_SECRET_KEY": SECRET, "GRIDLINK_VAR_DIR": str(var_dir),
               "GRIDLINK_POSITION_COALESCE_MS": "200"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "server.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
             "--log-level", "warning", "--timeout-graceful-shutdown", "5"], env=env)
        self._wait()

    def _wait(self) -> None:
        import time

        import httpx

        for _ in range(300):
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited while starting")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not start in 30 s")

    def token(self, role: str) -> str:
        import httpx

        r = httpx.post(self.base + "/api/auth/token",
                       data={"username": role, "password": "gridlink"})
        r.raise_for_status()
        return str(r.json()["access_token"])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except Exception:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def live_server(seeded_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """uvicorn with one worker on a fresh seeded database."""
    server = LiveServer(seeded_url, workers=1, var_dir=tmp_path)
    try:
        yield server
    finally:
        server.stop()

"""Shared pieces of the benchmarks: a seeded throwaway cluster and a uvicorn server."""

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.cluster import Cluster, free_port  # noqa: E402


def summary(samples: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of milliseconds."""
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(len(ordered) * p) - 1))], 1)

    return {"p50": round(statistics.median(ordered), 1), "p95": pct(0.95), "p99": pct(0.99),
            "max": round(ordered[-1], 1)}


@contextlib.contextmanager
def seeded_server(preset: str, *, workers: int = 1) -> Iterator[tuple[str, str, float]]:
    """A fresh cluster with `preset` loaded and a server on it: (base url, db url, seed s)."""
    from seed.load import run as seed_run
    from server.migrate import upgrade

    root = Path(tempfile.mkdtemp(prefix="gridlink-bench-"))
    root.chmod(0o755)
    cluster = Cluster(root / "pg", fast=True)
    cluster.start()
    try:
        upgrade(cluster.url())
        t = time.perf_counter()
        seed_run(cluster.url(), preset=preset, seed=42)
        seed_s = time.perf_counter() - t
        proc, base = _serve(cluster.url(), root, workers)
        try:
            yield base, cluster.url(), seed_s
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def _serve(url: str, var: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "GRIDLINK_DATABASE_URL": url, "GRIDLINK_ENV": "test",
           "GRIDLINK_SECRET_KEY": "bench-" + "s" * 40, "GRIDLINK_VAR_DIR": str(var)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "server.app:create_app",
                             "--factory", "--port", str(port), "--log-level", "warning",
                             "--no-access-log", "--workers", str(workers)], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def login(client: httpx.Client, role: str) -> None:
    """Put a demo user's bearer token on the client."""
    r = client.post("/api/auth/token", data={"username": role, "password": "gridlink"})
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"

"""The gridlink command line against a real database."""

import os
import subprocess
import sys

from tests.server.helpers import one


def gridlink(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRIDLINK_DATABASE_URL": url, "GRIDLINK_ENV": "test",
           "GRIDLINK_SECRET_KEY": "c" * 40}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_migrate_then_seed_then_seed_again_is_a_no_op(db_url: str) -> None:
    assert gridlink("migrate", url=db_url).returncode == 0
    first = gridlink("seed", "--preset", "tiny", "--seed", "3", url=db_url)
    assert first.returncode == 0, first.stderr
    grids = one(db_url, "SELECT count(*) FROM grids")[0]
    assert grids > 0 and "SYNTHETIC" in first.stdout
    again = gridlink("seed", "--preset", "tiny", "--seed", "3", url=db_url)
    assert again.returncode == 0 and one(db_url, "SELECT count(*) FROM grids")[0] == grids


def test_db_commands_defer_to_an_external_database(db_url: str) -> None:
    r = gridlink("db", "status", url=db_url)
    assert r.returncode == 0 and "GRIDLINK_DATABASE_URL" in r.stdout


def test_unknown_preset_is_refused(db_url: str) -> None:
    r = gridlink("seed", "--preset", "planet", url=db_url)
    assert r.returncode == 2 and "invalid choice" in r.stderr

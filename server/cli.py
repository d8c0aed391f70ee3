"""The gridlink command line: db, migrate, seed, serve, simulate, run."""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

from server.cluster import database_url, embedded
from server.settings import Settings, get_settings

DEMO_ROLES = ("admin", "operator", "planner", "grid_head", "patroller", "dept_staff")


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url:
        print("GRIDLINK_DATABASE_URL is set: the embedded cluster is not used.")
        return 0
    cluster = embedded(settings)
    if args.action == "start":
        cluster.start()
        print(f"PostgreSQL running: {cluster.url()}")
    elif args.action == "stop":
        cluster.stop()
        print("PostgreSQL stopped.")
    else:
        up = (cluster.data / "PG_VERSION").exists() and cluster.running()
        print(f"PostgreSQL {'running' if up else 'stopped'}: {cluster.url()}")
        return 0 if up else 3
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from server.migrate import upgrade

    upgrade(database_url(settings, start=True))
    print("Migrations applied.")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from seed.load import run

    counts = run(database_url(settings, start=True), preset=args.preset, seed=args.seed,
                 force=args.force)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()) or "Already seeded.")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    url = database_url(settings, start=True)
    os.environ.setdefault("GRIDLINK_DATABASE_URL", url)
    get_settings.cache_clear()
    uvicorn.run("server.app:create_app", factory=True, host=args.host or settings.host,
                port=args.port or settings.port, workers=args.workers or settings.workers,
                log_level="info", proxy_headers=True,
                access_log=not args.quiet)
    return 0


def cmd_simulate(args: argparse.Namespace, settings: Settings) -> int:
    from seed.simulate import simulate

    base = args.url or f"http://{settings.host}:{settings.port}"
    simulate(base_url=base, walkers=args.walkers, interval=args.interval,
             report_every=args.report_every, seed=args.seed, duration=args.duration)
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Everything for a usable console: cluster, migrations, seed, server, simulator."""
    from seed.load import run as seed_run
    from server.migrate import upgrade

    started = time.monotonic()
    url = database_url(settings, start=True)
    upgrade(url)
    seed_run(url, preset="demo", seed=args.seed)
    env = {**os.environ, "GRIDLINK_DATABASE_URL": url}
    port = args.port or settings.port
    me = [sys.executable, "-m", "server.cli"]
    procs = [subprocess.Popen([*me, "serve", "--port", str(port), "--quiet"], env=env)]
    if _wait_http(f"http://127.0.0.1:{port}/healthz", timeout=60):
        procs.append(subprocess.Popen([*me, "simulate", "--url", f"http://127.0.0.1:{port}"],
                                      env=env))
        _banner(port, time.monotonic() - started)
    return _supervise(procs, settings)


def _wait_http(url: str, *, timeout: float) -> bool:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def _banner(port: int, seconds: float) -> None:
    logins = "\n".join(f"    {r:<11} / gridlink" for r in DEMO_ROLES)
    print(f"\n  gridlink is ready in {seconds:.1f} s:  http://127.0.0.1:{port}/\n"
          f"  patroller page:           http://127.0.0.1:{port}/patrol.html\n"
          f"  demo logins (user / password):\n{logins}\n  Ctrl-C stops everything.\n",
          flush=True)


def _supervise(procs: list[subprocess.Popen[bytes]], settings: Settings) -> int:
    """Wait until Ctrl-C (or SIGTERM) or a child dies, then stop the children and the
    cluster."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        if not settings.database_url:
            embedded(settings).stop()
            print("Stopped the server, the simulator and PostgreSQL.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gridlink", description="gridlink operations console")
    sub = p.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="the embedded PostgreSQL cluster under var/")
    db.add_argument("action", choices=("start", "stop", "status"))
    sub.add_parser("migrate", help="apply the Alembic migrations")
    seed = sub.add_parser("seed", help="load synthetic data")
    seed.add_argument("--preset", choices=("demo", "county", "tiny"), default="demo")
    seed.add_argument("--seed", type=int, default=42)
    seed.add_argument("--force", action="store_true", help="replace existing data")
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    serve.add_argument("--quiet", action="store_true", help="no access log")
    sim = sub.add_parser("simulate", help="patrollers and residents through the HTTP API")
    sim.add_argument("--url")
    sim.add_argument("--walkers", type=int, default=120)
    sim.add_argument("--interval", type=float, default=3.0, help="seconds between fixes")
    sim.add_argument("--report-every", type=float, default=20.0, help="seconds between reports")
    sim.add_argument("--seed", type=int, default=7)
    sim.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    run = sub.add_parser("run", help="cluster + migrations + demo seed + server + simulator")
    run.add_argument("--port", type=int)
    run.add_argument("--seed", type=int, default=42)
    return p


COMMANDS = {"db": cmd_db, "migrate": cmd_migrate, "seed": cmd_seed, "serve": cmd_serve,
            "simulate": cmd_simulate, "run": cmd_run}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return COMMANDS[args.command](args, get_settings())


if __name__ == "__main__":
    sys.exit(main())

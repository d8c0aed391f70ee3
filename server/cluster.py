"""The embedded PostgreSQL + PostGIS cluster under var/ (dev and tests)."""

import os
import pwd
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.settings import Settings

SUPERUSER = "gridlink"


class ClusterError(RuntimeError):
    """The private cluster could not be created, started or stopped."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A private cluster: data in `root/data`, socket in `root/run`, port in `root/port`."""

    root: Path
    bin_dir: Path = Path("/usr/lib/postgresql/15/bin")
    fast: bool = False  # fsync off: for throwaway test clusters only

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockdir(self) -> Path:
        return self.root / "run"

    @property
    def port(self) -> int:
        path = self.root / "port"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(str(free_port()))
        return int(path.read_text())

    def url(self, dbname: str = "gridlink") -> str:
        """libpq URL over the unix socket."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.sockdir}&port={self.port}"

    def tcp_url(self, dbname: str = "gridlink") -> str:
        """libpq URL over loopback TCP (for tools that want host:port)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        user = _os_user()
        if user:
            cmd = ["runuser", "-u", user, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd="/")
        if check and proc.returncode != 0:
            raise ClusterError(f"{args[0]} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def init(self) -> bool:
        """Create the cluster if it does not exist yet; True when created now."""
        if (self.data / "PG_VERSION").exists():
            return False
        if not (self.bin_dir / "initdb").exists():
            raise ClusterError(f"PostgreSQL binaries not found in {self.bin_dir}; "
                               "install postgresql-15 (make deps)")
        for d in (self.root, self.data, self.sockdir):
            d.mkdir(parents=True, exist_ok=True)
        _hand_over(self.root, self.data, self.sockdir)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        return True

    def running(self) -> bool:
        """Whether the postmaster is up."""
        return self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def start(self) -> None:
        """Initialise if needed, start, and create the gridlink database."""
        self.init()
        if self.running():
            return
        _hand_over(self.sockdir)
        opts = [f"-p {self.port}", f"-k {self.sockdir}", "-c listen_addresses=127.0.0.1",
                "-c max_connections=200", "-c shared_buffers=256MB"]
        if self.fast:
            opts += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        log = self.root / "postgres.log"
        log.touch()
        _hand_over(log)
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(log),
                  "-o", " ".join(opts))
        self.create_db("gridlink")

    def stop(self) -> None:
        """Stop the postmaster (fast mode) if it runs."""
        if (self.data / "PG_VERSION").exists() and self.running():
            self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def create_db(self, name: str, *, template: str | None = None) -> None:
        """Create a database unless it exists."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return
            stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                stmt += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(stmt)

    def destroy(self) -> None:
        """Stop and delete everything under root."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def embedded(settings: "Settings") -> Cluster:
    """The cluster under var/pg that the settings describe."""
    return Cluster(settings.var_dir / "pg", bin_dir=settings.pg_bin)


def database_url(settings: "Settings", *, start: bool = False) -> str:
    """GRIDLINK_DATABASE_URL, or the embedded cluster's (started first when asked)."""
    if settings.database_url:
        return settings.database_url
    cluster = embedded(settings)
    if start:
        cluster.start()
    return cluster.url()


def _os_user() -> str | None:
    """As root, PostgreSQL must run as an unprivileged user: 'postgres' if present."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root but no unprivileged user (postgres) exists")


def _hand_over(*paths: Path) -> None:
    """Give paths to the unprivileged user and make their parents traversable."""
    user = _os_user()
    if not user:
        return
    pw = pwd.getpwnam(user)
    for p in paths:
        os.chown(p, pw.pw_uid, pw.pw_gid)
        if p.is_dir():
            p.chmod(0o700)
        for parent in p.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o011)

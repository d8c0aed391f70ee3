"""Generate a SYNTHETIC street or county: grids, roads, buildings, people, reports and
their closed loop (reporters, steps, points).

Pure and deterministic: the same (preset, seed, origin, now) gives identical rows.
Every random choice comes from a `random.Random` seeded per stage, so a change in one
stage (say, reports) leaves the others as they were. Geometries are shapely objects in
lon/lat (SRID 4326); ids are explicit integers starting at 1 in every table.

>>> data = generate(preset="tiny", seed=1)
>>> data.counts()["grids"] > 10
True
"""

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import shapely

from seed import SYNTHETIC
from seed.geom import Frame
from seed.hierarchy import Hierarchy, build_hierarchy
from seed.history import categories, departments, report_rows
from seed.housing import Housing, build_housing
from seed.layout import Layout, build_layout, choose_dedicated
from seed.loop import close_loop
from seed.people import build_staff, demo_users, place_staff
from seed.presets import PRESETS
from seed.reporters import assign_reporters, volunteers
from seed.residents import household_rows
from seed.services import station_rows
from seed.staffing import staffing
from seed.streets import build_network

# Tables in the order their rows can be written (foreign keys first).
TABLES = ("departments", "report_categories", "grids", "roads", "blocks", "buildings",
          "workers", "worker_grids", "worker_state", "stations", "station_duties",
          "households", "users", "reporters", "reports", "report_steps", "points_ledger")


@dataclass
class SeedData:
    """Rows per table (dicts keyed by column name), lon/lat shapely geometries."""

    preset: str
    seed: int
    origin: tuple[float, float]
    now: datetime
    synthetic: bool = SYNTHETIC
    departments: list[dict] = field(default_factory=list)
    report_categories: list[dict] = field(default_factory=list)
    grids: list[dict] = field(default_factory=list)
    roads: list[dict] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    buildings: list[dict] = field(default_factory=list)
    workers: list[dict] = field(default_factory=list)
    worker_grids: list[dict] = field(default_factory=list)
    worker_state: list[dict] = field(default_factory=list)
    stations: list[dict] = field(default_factory=list)
    station_duties: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    reporters: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    report_steps: list[dict] = field(default_factory=list)
    points_ledger: list[dict] = field(default_factory=list)

    def table(self, name: str) -> list[dict]:
        """The rows of one table."""
        return getattr(self, name)

    def counts(self) -> dict[str, int]:
        """Row count per table."""
        return {t: len(self.table(t)) for t in TABLES}

    def digest(self) -> str:
        """SHA-256 over every row (geometries as WKB): equal digests, identical data."""
        h = hashlib.sha256()
        for t in TABLES:
            rows = self.table(t)
            h.update(t.encode())
            geoms = [r["geom"] for r in rows if "geom" in r]
            for wkb in shapely.to_wkb(np.array(geoms, dtype=object)).tolist() if geoms else []:
                h.update(wkb)
            for r in rows:
                h.update(repr([(k, v) for k, v in r.items() if k != "geom"]).encode())
        return h.hexdigest()


def default_now() -> datetime:
    """The current UTC time, floored to the hour (so nearby runs agree)."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def generate(*, preset: str, seed: int, origin: tuple[float, float] = (104.06, 30.66),
             now: datetime | None = None,
             log: Callable[[str], None] | None = None) -> SeedData:
    """Build every row of a synthetic area for preset ('tiny', 'demo' or 'county')."""
    p = PRESETS[preset]
    now = default_now() if now is None else now
    frame = Frame(*origin)
    clock = [time.perf_counter()]

    def rng(stage: str) -> random.Random:
        return random.Random(f"gridlink:{preset}:{seed}:{stage}")

    def done(what: str) -> None:
        if log:
            t = time.perf_counter()
            log(f"  {what:<44}{t - clock[0]:6.2f}s")
            clock[0] = t

    net, targets = build_network(rng("network"), p)
    done(f"roads: {len(net.roads)} pieces, {len(net.faces)} blocks")
    lay = build_layout(net, targets)
    choose_dedicated(rng("dedicated"), lay, p.dedicated,
                     industrial_from=p.radius_m * 0.6 if p.counties else None)
    hier = build_hierarchy(rng("grids"), lay, p, frame)
    done(f"grids: {len(hier.rows)} (communities {len(lay.communities)})")
    hs = build_housing(rng("housing"), lay, p)
    done(f"buildings: {len(hs.b_name)}, flats lived in: {len(hs.h_x)}")
    data = SeedData(preset=preset, seed=seed, origin=origin, now=now)
    data.departments = departments()
    data.report_categories = categories(data.departments)
    data.grids = hier.rows
    data.roads, data.blocks, data.buildings = basemap_rows(lay, hier, hs, frame)
    staff = build_staff(rng("staff"), lay, hier, p, data.departments)
    place_staff(rng("state"), staff, lay, hier, frame, now)
    data.workers, data.worker_grids = staff.workers, staff.worker_grids
    data.worker_state = staff.worker_state
    data.stations, data.station_duties = station_rows(rng("stations"), lay, hier, hs, staff,
                                                      frame, p)
    done(f"workers: {len(data.workers)}, stations: {len(data.stations)}")
    data.households = household_rows(rng("households"), hs, lay, hier, frame,
                                     [b["id"] for b in data.buildings])
    data.users = demo_users(rng("users"), staff)
    done(f"households: {len(data.households)}, users: {len(data.users)}")
    data.reports, dup_of = report_rows(rng("reports"), lay, hier, hs, frame, p, now)
    st = staffing(data.workers, data.worker_grids, data.users, data.grids, data.departments,
                  data.report_categories)
    data.reporters = assign_reporters(rng("reporters"), data.reports, st, volunteers(
        data.workers, data.worker_grids, data.grids))
    data.report_steps, data.points_ledger = close_loop(rng("loop"), data.reports, dup_of, st,
                                                       now=now, open_work=p.open_work)
    done(f"reports: {len(data.reports)} over {p.report_days} days, "
         f"{len(data.report_steps)} steps")
    return data


def basemap_rows(lay: Layout, hier: Hierarchy, hs: Housing,
                 frame: Frame) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows of roads, blocks (with the grid holding each) and buildings."""
    roads = [{"id": i + 1, "name": r.name, "class": r.klass, "geom": g}
             for i, (r, g) in enumerate(zip(lay.net.roads, _project(frame, [
                 r.line for r in lay.net.roads]), strict=True))]
    block_geoms = _project(frame, [lay.blocks[f] for f in hs.block_face])
    blocks = [{"id": i + 1, "grid_id": hier.grid_ids[int(lay.face_grid[f])], "geom": g}
              for i, (f, g) in enumerate(zip(hs.block_face, block_geoms, strict=True))]
    buildings = [{"id": i + 1, "block_id": b + 1, "name": name, "floors": fl, "units": un,
                  "geom": g}
                 for i, (b, name, fl, un, g) in enumerate(zip(
                     hs.b_block, hs.b_name, hs.b_floors, hs.b_units,
                     _project(frame, hs.b_geom), strict=True))]
    return roads, blocks, buildings


def _project(frame: Frame, geoms: list) -> list:
    """Metric geometries → lon/lat, as a list."""
    if not geoms:
        return []
    return list(frame.project(np.array(geoms, dtype=object)))


def describe(data: SeedData) -> str:
    """One line per table with its row count (for logs)."""
    return "\n".join(f"  {t:<18}{n:>8}" for t, n in data.counts().items())


__all__ = ["SYNTHETIC", "TABLES", "SeedData", "describe", "generate"]

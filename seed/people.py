"""Workers (一长两员 and partners), their grids and last state, and the six demo users."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
import shapely
from argon2 import PasswordHasher
from argon2.low_level import hash_secret

from seed.geom import Frame, random_points_in
from seed.hierarchy import Hierarchy
from seed.layout import Layout
from seed.names import person
from seed.presets import Preset

DEMO_PASSWORD = "gridlink"
DEMO_USERS = (
    ("admin", "系统管理员"),
    ("operator", "指挥中心值班员"),
    ("planner", "网格规划员"),
    ("grid_head", "网格长（演示）"),
    ("patroller", "网格员（演示）"),
    ("dept_staff", "部门人员（演示）"),
)


@dataclass
class Staff:
    """Worker rows and lookups: who works where."""

    workers: list[dict] = field(default_factory=list)
    worker_grids: list[dict] = field(default_factory=list)
    worker_state: list[dict] = field(default_factory=list)
    grid_team: dict[int, list[int]] = field(default_factory=dict)  # grid index → worker ids
    home_grid: dict[int, int] = field(default_factory=dict)  # worker id → grid index

    def hire(self, rng: random.Random, role: str, home: int,
             department_id: int | None = None) -> int:
        wid = len(self.workers) + 1
        self.workers.append({"id": wid, "name": person(rng), "role": role,
                             "phone": f"1390000{rng.randint(0, 9999):04d}", "device_id": None,
                             "department_id": department_id, "active": True})
        self.home_grid[wid] = home
        return wid

    def assign(self, worker_id: int, grid_id: int, duty: str) -> None:
        self.worker_grids.append({"worker_id": worker_id, "grid_id": grid_id, "duty": duty})


def build_staff(rng: random.Random, lay: Layout, h: Hierarchy, preset: Preset,
                departments: list[dict]) -> Staff:
    """Heads and members per grid, police and first secretaries per community, partners."""
    st = Staff()
    by_comm: dict[int, list[int]] = {}
    for gi, ci in enumerate(lay.grid_community):
        by_comm.setdefault(ci, []).append(gi)
    for ci, grids in by_comm.items():
        share = preset.heads_share_grids
        for start in range(0, len(grids), share):
            group = grids[start:start + share]
            head = st.hire(rng, "grid_head", group[0])
            for k, gi in enumerate(group):
                st.assign(head, h.grid_ids[gi], "head")
                team = [head]
                members = 2 if share == 1 else (0 if k == 0 else 1)
                for _ in range(members):
                    wid = st.hire(rng, "grid_worker", gi)
                    st.assign(wid, h.grid_ids[gi], "member")
                    team.append(wid)
                st.grid_team[gi] = team
        police = st.hire(rng, "police", grids[0])
        for gi in grids:
            st.assign(police, h.grid_ids[gi], "linked")
        secretary = st.hire(rng, "first_secretary", rng.choice(grids))
        st.assign(secretary, h.community_ids[ci], "linked")
        for _ in range(preset.volunteers_per_community):
            gi = rng.choice(grids)
            st.assign(st.hire(rng, "volunteer", gi), h.grid_ids[gi], "linked")
    for face, gid in zip(lay.dedicated_faces, h.dedicated_ids, strict=True):
        st.assign(st.grid_team[int(lay.face_grid[face])][0], gid, "head")
    for dep in departments:
        for _ in range(preset.staff_per_department):
            st.hire(rng, "dept_staff", rng.randrange(len(lay.grids)), dep["id"])
    for w, dev in zip(st.workers, rng.sample(range(100_000, 1_000_000), len(st.workers)),
                      strict=True):
        w["device_id"] = f"GL{dev:06d}"
    return st


def place_staff(rng: random.Random, st: Staff, lay: Layout, h: Hierarchy, frame: Frame,
                now: datetime) -> None:
    """worker_state: everyone offline, last seen a few hours ago somewhere in their grid."""
    xs, ys, grid = [], [], []
    for w in st.workers:
        gi = st.home_grid[w["id"]]
        (x, y), = random_points_in(rng, lay.grids[gi], 1)
        xs.append(x)
        ys.append(y)
        grid.append(h.grid_ids[gi])
    lon, lat = frame.lonlat(np.array(xs), np.array(ys))
    pts = shapely.points(lon, lat)
    for w, p, gid in zip(st.workers, pts, grid, strict=True):
        seen = now - timedelta(seconds=rng.randint(2 * 3600, 8 * 3600))
        st.worker_state.append({"worker_id": w["id"], "geom": p, "grid_id": gid,
                                "fix_time": seen, "received_at": seen, "status": "offline",
                                "on_duty": False, "speed": None, "heading": None,
                                "accuracy": None})


@lru_cache(maxsize=8)
def password_hash(password: str, salt: bytes) -> str:
    """An argon2id hash with PasswordHasher's parameters and a given salt (reproducible)."""
    ph = PasswordHasher()
    raw = hash_secret(password.encode(), salt, time_cost=ph.time_cost,
                      memory_cost=ph.memory_cost, parallelism=ph.parallelism,
                      hash_len=ph.hash_len, type=ph.type)
    return raw.decode()


def demo_users(rng: random.Random, st: Staff) -> list[dict]:
    """One user per role, named after the role, password 'gridlink', hashed once."""
    digest = password_hash(DEMO_PASSWORD, rng.getrandbits(128).to_bytes(16, "big"))
    team = next(t for t in st.grid_team.values() if len(t) >= 2)
    staff = next(w["id"] for w in st.workers if w["role"] == "dept_staff")
    linked = {"grid_head": team[0], "patroller": team[1], "dept_staff": staff}
    return [{"id": i + 1, "username": role, "password_hash": digest, "role": role,
             "display_name": display, "worker_id": linked.get(role), "is_demo": True,
             "active": True} for i, (role, display) in enumerate(DEMO_USERS)]

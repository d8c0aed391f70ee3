"""Departments, report categories and a synthetic history of reports up to now."""

import random
from datetime import datetime, timedelta

import numpy as np
import shapely

from seed.geom import Frame
from seed.hierarchy import Hierarchy
from seed.housing import Housing
from seed.layout import Layout
from seed.presets import Preset

DEPARTMENTS = (
    ("urban_mgmt", "城管", "Urban Management"),
    ("market_reg", "市场监管", "Market Regulation"),
    ("civil_affairs", "民政", "Civil Affairs"),
    ("public_security", "公安", "Public Security"),
    ("justice", "司法", "Justice"),
    ("housing", "住建", "Housing and Construction"),
    ("sanitation", "环卫", "Sanitation"),
    ("water", "水务", "Water Affairs"),
    ("gas", "燃气", "Gas Utility"),
    ("landscaping", "园林绿化", "Landscaping"),
)
# code, name, name_en, department code, deadline hours, at a home (else on a road), texts
CATEGORIES = (
    ("environment", "环境卫生", "Environment and sanitation", "sanitation", 24, False,
     ("{road}路边垃圾堆放，未及时清运", "{road}人行道有建筑垃圾", "{road}垃圾桶满溢，有异味")),
    ("facilities", "公共设施", "Public facilities", "urban_mgmt", 72, False,
     ("{road}路灯不亮", "{road}井盖松动，存在安全隐患", "{road}人行道地砖破损")),
    ("illegal_parking", "违章停车", "Illegal parking", "public_security", 4, False,
     ("{road}机动车占用消防通道", "{road}非机动车乱停乱放", "{road}车辆长期占道停放")),
    ("leak", "漏水", "Water leak", "water", 24, True,
     ("{place}楼道水管漏水", "{place}屋顶渗水，影响居住", "{place}门前路面冒水")),
    ("wiring_gas", "线路燃气隐患", "Wiring or gas hazard", "gas", 4, True,
     ("{place}楼道电线私拉乱接", "{place}闻到燃气味，请尽快查看", "{place}电动车楼道充电")),
    ("dispute", "邻里纠纷", "Neighbour dispute", "justice", 72, True,
     ("{place}邻里因噪音发生纠纷", "{place}楼上漏水引发邻里矛盾", "{place}因停车位发生争执")),
    ("elderly_help", "老人帮扶", "Help for the elderly", "civil_affairs", 48, True,
     ("{place}独居老人需要上门探访", "{place}老人行动不便，需协助就医", "{place}高龄老人需要助餐")),
    ("hardship", "困难救助", "Hardship relief", "civil_affairs", 72, True,
     ("{place}家庭生活困难，申请临时救助", "{place}残疾人家庭需要帮扶", "{place}咨询低保政策")),
    ("pipes", "管道疏通", "Drain clearing", "housing", 48, True,
     ("{place}下水道堵塞，污水外溢", "{place}化粪池满溢", "{place}厨房下水不畅")),
    ("greening", "绿化养护", "Greenery upkeep", "landscaping", 120, False,
     ("{road}行道树倒伏", "{road}绿化带杂草丛生", "{road}树枝遮挡路灯需修剪")),
    ("market", "市场监管", "Market supervision", "market_reg", 48, False,
     ("{road}流动摊贩占道经营", "{road}商铺出售过期食品", "{road}店外经营影响通行")),
    ("other", "其他", "Other", None, 72, False,
     ("{road}夜间噪音扰民", "{road}发现可疑物品", "{road}其他问题，请协助处理")),
)
CATEGORY_WEIGHTS = (18, 14, 12, 7, 4, 6, 6, 3, 7, 8, 6, 9)
SOURCES = ("resident", "volunteer", "patroller", "hotline", "walk_in")
SOURCE_WEIGHTS = (35, 20, 30, 10, 5)
SUFFIXES = ("", "", "，请尽快处理", "，已持续多日", "，居民反映强烈", "，影响出行")
HOURS = tuple(range(24))  # local hour of day (UTC+8) and how busy it is
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 10, 8, 9, 11, 11, 10, 9, 8, 7, 5, 4, 2, 1)


def departments() -> list[dict]:
    """The departments that take dispatched work."""
    return [{"id": i + 1, "code": c, "name": n, "name_en": e}
            for i, (c, n, e) in enumerate(DEPARTMENTS)]


def categories(deps: list[dict]) -> list[dict]:
    """Report categories with their default department and deadline."""
    ids = {d["code"]: d["id"] for d in deps}
    return [{"code": c, "name": n, "name_en": e, "department_id": ids.get(d) if d else None,
             "deadline_hours": hrs, "active": True}
            for c, n, e, d, hrs, _, _ in CATEGORIES]


# Lifecycle columns of a report as intake leaves them (seed/loop.py fills them in).
LOOP_COLUMNS = {"reporter_id": None, "recorded_by": None, "assignee_worker_id": None,
                "assignee_department_id": None, "pool_grid_id": None, "deadline_at": None,
                "escalation_level": 0, "due_at": None, "due_kind": None, "merged_into_id": None,
                "reject_reason": None, "resolution_note": None, "resolved_at": None,
                "satisfaction": None, "version": 1}
DUPLICATE_SHARE = 0.035  # reports filed again by someone else while the first is open
DUPLICATE_WINDOW = timedelta(hours=36)
MAP_PICKED = 0.25  # residents who pick the spot on the map instead of sharing the fix


def report_rows(rng: random.Random, lay: Layout, h: Hierarchy, hs: Housing, frame: Frame,
                preset: Preset, now: datetime) -> tuple[list[dict], list[int | None]]:
    """preset.report_days of reports ending at now, each placed in its comprehensive grid,
    as intake leaves them (status 'submitted'), and for each the index of the earlier
    report it duplicates (a few metres from it, same category and problem) or None."""
    created = []
    for d in range(preset.report_days):
        start = now - timedelta(days=preset.report_days - d)
        local = (start + timedelta(hours=8)).hour
        for _ in range(rng.randint(*preset.reports_per_day)):
            hour = rng.choices(HOURS, HOUR_WEIGHTS)[0]
            created.append(start + timedelta(hours=(hour - local) % 24,
                                             seconds=rng.randint(0, 3599)))
    created.sort()
    cats = rng.choices(range(len(CATEGORIES)), CATEGORY_WEIGHTS, k=len(created))
    xs, ys, labels = place_reports(rng, lay, hs, [CATEGORIES[c][5] for c in cats])
    gidx = containing_grid(lay, xs, ys)
    texts = [rng.randrange(len(CATEGORIES[c][6])) for c in cats]
    dup_of = duplicates(rng, created, lay, xs, ys, gidx)
    for i, j in enumerate(dup_of):
        if j is not None:
            cats[i], labels[i], texts[i] = cats[j], labels[j], texts[j]
    lon, lat = frame.lonlat(xs, ys)
    pts = shapely.points(lon, lat)
    tokens: set[str] = set()
    rows = []
    for i, (at, c) in enumerate(zip(created, cats, strict=True)):
        code, *_, at_home, category_texts = CATEGORIES[c]
        gi = int(gidx[i])
        source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
        token = f"{rng.getrandbits(80):020x}"
        while token in tokens:
            token = f"{rng.getrandbits(80):020x}"
        tokens.add(token)
        grid_id = h.grid_ids[gi]
        community = h.parent[grid_id]
        picked = source in ("hotline", "walk_in") or (
            source == "resident" and rng.random() < MAP_PICKED)
        rows.append({
            "id": i + 1, "source": source, "category_code": code,
            "description": category_texts[texts[i]].format(**labels[i]) + rng.choice(SUFFIXES),
            "geom": pts[i], "accuracy_m": None if picked else round(rng.uniform(3, 30), 1),
            "grid_id": grid_id, "community_id": community, "street_id": h.parent[community],
            "status": "submitted", "reporter_name": None, "reporter_phone": None,
            "tracking_token": token, "created_at": at, "updated_at": at, "closed_at": None,
            "address": labels[i]["place" if at_home else "road"],
            "location_source": "map" if picked else "device", **LOOP_COLUMNS,
        })
    return rows, dup_of


def duplicates(rng: random.Random, created: list[datetime], lay: Layout, xs: np.ndarray,
               ys: np.ndarray, gidx: np.ndarray) -> list[int | None]:
    """Pick a few reports to be duplicates of a recent earlier one and move each to within
    a few metres of it, in the same grid (xs, ys change in place)."""
    dup_of: list[int | None] = [None] * len(created)
    first = 0
    for i, at in enumerate(created):
        while created[first] < at - DUPLICATE_WINDOW:
            first += 1
        if rng.random() >= DUPLICATE_SHARE:
            continue
        earlier = [j for j in range(first, i) if dup_of[j] is None]
        if not earlier:
            continue
        j = rng.choice(earlier)
        angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(4, 35)
        x, y = xs[j] + dist * np.cos(angle), ys[j] + dist * np.sin(angle)
        if not shapely.contains_xy(lay.grids[int(gidx[j])], x, y):
            x, y = xs[j], ys[j]
        xs[i], ys[i], gidx[i], dup_of[i] = x, y, gidx[j], j
    return dup_of


def place_reports(rng: random.Random, lay: Layout, hs: Housing,
                  at_home: list[bool]) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Metric points: beside a road (a few metres off its centreline) or at a home."""
    nrng = np.random.default_rng(rng.getrandbits(64))
    n = len(at_home)
    home = np.array(at_home, dtype=bool) & (len(hs.h_x) > 0)
    flat = np.full(n, -1)
    flat[home] = nrng.integers(0, max(len(hs.h_x), 1), int(home.sum()))
    xs, ys = np.zeros(n), np.zeros(n)
    xs[home], ys[home] = hs.h_x[flat[home]], hs.h_y[flat[home]]
    lines = np.array([r.line for r in lay.net.roads], dtype=object)
    lengths = shapely.length(lines)
    road = np.full(n, -1)
    todo = np.flatnonzero(~home)
    shapely.prepare(lay.top)
    while len(todo):
        ri = nrng.choice(len(lines), len(todo), p=lengths / lengths.sum())
        t = np.maximum(nrng.uniform(0, 1, len(todo)) * (lengths[ri] - 10) + 5, 0)
        p = shapely.get_coordinates(shapely.line_interpolate_point(lines[ri], t))
        q = shapely.get_coordinates(shapely.line_interpolate_point(lines[ri], t + 1))
        d = q - p
        norm = np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)
        side = nrng.choice((-1.0, 1.0), len(todo)) * nrng.uniform(3, 9, len(todo)) / norm
        x, y = p[:, 0] - d[:, 1] * side, p[:, 1] + d[:, 0] * side
        ok = shapely.contains_xy(lay.top, x, y)
        xs[todo[ok]], ys[todo[ok]], road[todo[ok]] = x[ok], y[ok], ri[ok]
        todo = todo[~ok]
    labels = []
    for i in range(n):
        if home[i]:
            b = int(hs.h_building[flat[i]])
            name, number = hs.block_address[hs.b_block[b]]
            labels.append({"place": f"{name}{number}号{hs.b_name[b]}", "road": name})
        else:
            name = lay.net.roads[road[i]].name
            labels.append({"place": name, "road": name})
    return xs, ys, labels


def containing_grid(lay: Layout, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Index of the comprehensive grid containing each metric point."""
    tree = shapely.STRtree(np.array(lay.grids, dtype=object))
    pi, gi = tree.query(shapely.points(xs, ys), predicate="within")
    out = np.full(len(xs), -1)
    out[pi] = gi
    missing = np.flatnonzero(out < 0)
    if len(missing):
        out[missing] = tree.nearest(shapely.points(xs[missing], ys[missing]))
    return out

"""Households with the five-color care ledger (五色管理台账). All synthetic."""

import random

import numpy as np
import shapely

from seed.geom import Frame
from seed.hierarchy import Hierarchy
from seed.housing import Housing
from seed.layout import Layout
from seed.names import person

COLORS = ("red", "orange", "yellow", "blue", "green")
COLOR_WEIGHTS = (3, 6, 10, 16, 65)
# Tag sets that go with each color: red needs the closest attention, green none.
TAGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "red": (("重点人员",), ("独居老人", "残疾"), ("低保", "残疾"), ("重点人员", "流动人口"),
            ("独居老人", "低保")),
    "orange": (("独居老人",), ("残疾",), ("低保", "留守儿童"), ("独居老人", "低保")),
    "yellow": (("低保",), ("留守儿童",), ("残疾",), ("低保", "出租房")),
    "blue": (("出租房",), ("流动人口",), ("出租房", "流动人口")),
    "green": ((),),
}
RESIDENTS = (1, 2, 3, 4, 5, 6)
RESIDENT_WEIGHTS = (12, 30, 28, 18, 8, 4)


def household_rows(rng: random.Random, hs: Housing, lay: Layout, h: Hierarchy,
                   frame: Frame, building_ids: list[int]) -> list[dict]:
    """One row per occupied flat: address, head of household, care color and tags."""
    lon, lat = frame.lonlat(hs.h_x, hs.h_y)
    pts = shapely.points(lon, lat)
    rows = []
    b_block = np.asarray(hs.b_block)
    colors = rng.choices(COLORS, COLOR_WEIGHTS, k=len(pts))
    for i, (b, unit, floor, door) in enumerate(zip(hs.h_building.tolist(), hs.h_unit.tolist(),
                                                  hs.h_floor.tolist(), hs.h_door.tolist(),
                                                  strict=True)):
        bi = int(b_block[b])
        face = hs.block_face[bi]
        gi = int(lay.face_grid[face])
        community = h.community_names[lay.grid_community[gi]]
        road, number = hs.block_address[bi]
        room = f"{floor}{door:02d}"
        color = colors[i]
        tags = list(rng.choice(TAGS[color]))
        if "独居老人" in tags:
            residents = 1
        else:
            residents = rng.choices(RESIDENTS, RESIDENT_WEIGHTS)[0]
            if "留守儿童" in tags:
                residents = max(residents, 2)
        rows.append({
            "id": i + 1, "building_id": building_ids[b], "grid_id": h.grid_ids[gi],
            "address": f"{community}{road}{number}号{hs.b_name[b]}{unit}单元{room}",
            "unit": unit, "room": room, "head_name": person(rng),
            "phone": f"1380000{rng.randint(0, 9999):04d}", "residents": residents,
            "care_color": color, "tags": tags, "geom": pts[i],
        })
    return rows

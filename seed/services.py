"""Grid red stations (网格红色驿站), spread out so every household has one nearby."""

import random

import numpy as np
import shapely

from seed.geom import Frame, farthest_points, random_points_in
from seed.hierarchy import Hierarchy
from seed.housing import Housing
from seed.layout import Layout
from seed.people import Staff
from seed.presets import Preset

CORE_SERVICES = ("政策咨询", "便民服务")
MORE_SERVICES = ("矛盾调解", "老年助餐", "快递暂存", "法律援助", "医疗咨询", "就业指导",
                 "四点半课堂", "雨具借用", "爱心药箱", "手机充电")
AREAS = ("党群活动室", "议事协商室", "调解室", "阅览室", "老年活动室", "儿童之家",
         "便民服务台", "休息区", "卫生间")


def station_rows(rng: random.Random, lay: Layout, h: Hierarchy, hs: Housing, st: Staff,
                 frame: Frame, preset: Preset) -> tuple[list[dict], list[dict]]:
    """Stations in well-spread grids, and a weekly duty rota of those grids' workers."""
    c = shapely.centroid(np.array(lay.grids, dtype=object))
    xy = np.column_stack((shapely.get_x(c), shapely.get_y(c)))
    chosen = farthest_points(rng, xy, preset.stations)
    block_of_face = {f: i for i, f in enumerate(hs.block_face)}
    stations, duties = [], []
    for n, gi in enumerate(chosen):
        faces = [f for f in lay.grid_faces[gi] if f in block_of_face]
        if faces:
            face = max(faces, key=lambda f: float(shapely.area(lay.blocks[f])))
            (x, y), = random_points_in(rng, lay.blocks[face], 1)
            road, number = hs.block_address[block_of_face[face]]
        else:
            (x, y), = random_points_in(rng, lay.grids[gi], 1)
            road, number = lay.net.roads[0].name, rng.randint(1, 200)
        lon, lat = frame.lonlat(np.array([x]), np.array([y]))
        community = h.community_names[lay.grid_community[gi]]
        extra = rng.sample(MORE_SERVICES, rng.randint(2, 5))
        sid = n + 1
        stations.append({
            "id": sid, "code": f"ST{sid:04d}", "name": f"{h.grid_names[gi]}红色驿站",
            "grid_id": h.grid_ids[gi], "geom": shapely.points(lon[0], lat[0]),
            "address": f"{community}{road}{number}号",
            "services": list(CORE_SERVICES) + [s for s in MORE_SERVICES if s in extra],
            "areas": [a for a in AREAS if a in rng.sample(AREAS, rng.randint(3, 6))],
            "opening_hours": "08:30-17:30", "phone": f"028-0000{rng.randint(0, 9999):04d}",
        })
        if n < preset.rota_stations:
            team = st.grid_team[gi]
            for day in range(1, 8):
                on = [team[(day - 1) % len(team)]]
                if day <= 5 and len(team) > 1:
                    on.append(team[day % len(team)])
                duties += [{"station_id": sid, "worker_id": w, "weekday": day} for w in on]
    return stations, duties

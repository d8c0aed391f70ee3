"""Rows of the grids table: county, streets, communities, comprehensive and dedicated grids."""

import random
from dataclasses import dataclass, field

from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from seed.geom import Frame
from seed.layout import Layout
from seed.names import COMMUNITY_NAMES, PlaceNames, pinyin
from seed.presets import Preset
from seed.streets import density

DISTRICT = "510104"  # the demo street's district code prefix (synthetic area)
COUNTY = ("510199", "锦川县", "Jinchuan County")
DEMO_STREET = ("锦城", "Jincheng")
NUMERALS = "零一二三四五六七八九"
INSTITUTIONS = {
    "school": (("中学", "Middle School"), ("小学", "Primary School"),
               ("幼儿园", "Kindergarten"), ("实验学校", "Experimental School")),
    "hospital": (("人民医院", "People's Hospital"), ("社区卫生服务中心", "Community Health Center"),
                 ("中医医院", "TCM Hospital")),
    "market": (("农贸市场", "Farmers Market"), ("菜市场", "Food Market")),
    "business": (("商圈", "Business District"), ("生活广场", "Plaza")),
    "industrial": (("工业园", "Industrial Park"),),
}
ORDINAL_KINDS = ("中学", "人民医院")


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (12 → 十二)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return NUMERALS[ones]
    head = "" if tens == 1 else NUMERALS[tens]
    return head + "十" + (NUMERALS[ones] if ones else "")


@dataclass
class Hierarchy:
    """Grid rows plus the id lookups the other tables need."""

    rows: list[dict] = field(default_factory=list)
    top_id: int = 0
    street_ids: list[int] = field(default_factory=list)
    community_ids: list[int] = field(default_factory=list)
    community_names: list[str] = field(default_factory=list)
    grid_ids: list[int] = field(default_factory=list)  # comprehensive, aligned with lay.grids
    grid_names: list[str] = field(default_factory=list)
    dedicated_ids: list[int] = field(default_factory=list)
    parent: dict[int, int] = field(default_factory=dict)

    def add(self, *, code: str, name: str, name_en: str, level: str, parent: int | None,
            geom_m: BaseGeometry, frame: Frame, kind: str = "comprehensive",
            dedicated_type: str | None = None) -> int:
        gid = len(self.rows) + 1
        geom = frame.project(geom_m)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon([geom])
        self.rows.append({"id": gid, "code": code, "name": name, "name_en": name_en,
                          "level": level, "kind": kind, "dedicated_type": dedicated_type,
                          "parent_id": parent, "geom": geom})
        if parent is not None:
            self.parent[gid] = parent
        return gid


def build_hierarchy(rng: random.Random, lay: Layout, preset: Preset, frame: Frame) -> Hierarchy:
    """Every grids row, top-down, with hierarchical codes (street + 001, community + 003)."""
    h = Hierarchy()
    if preset.counties:
        code, name, en = COUNTY
        h.top_id = h.add(code=code, name=name, name_en=en, level="county", parent=None,
                         geom_m=lay.top, frame=frame)
        prefix = code
    else:
        prefix = DISTRICT
    street_names = PlaceNames(rng, (DEMO_STREET[0],))
    comm_names = PlaceNames(rng, COMMUNITY_NAMES)
    street_codes = []
    for si, street in enumerate(lay.streets):
        base = street_names.take()
        c = street.centroid
        town = preset.counties and density(c.x, c.y, preset) < 1.6
        zh, en = (base + "镇", pinyin(base) + " Town") if town else (
            base + "街道", pinyin(base) + " Subdistrict")
        scode = f"{prefix}{si + 1:03d}"
        sid = h.add(code=scode, name=zh, name_en=en, level="street",
                    parent=h.top_id or None, geom_m=street, frame=frame)
        if not preset.counties:
            h.top_id = sid
        h.street_ids.append(sid)
        street_codes.append(scode)
    per_street: dict[int, int] = {}
    comm_codes = []
    for ci, comm in enumerate(lay.communities):
        si = lay.net.community_street[ci]
        per_street[si] = per_street.get(si, 0) + 1
        base = comm_names.take()
        c = comm.centroid
        village = preset.counties and density(c.x, c.y, preset) < 1.3
        zh, en = (base + "村", pinyin(base) + " Village") if village else (
            base + "社区", pinyin(base) + " Community")
        ccode = f"{street_codes[si]}{per_street[si]:03d}"
        h.community_ids.append(h.add(code=ccode, name=zh, name_en=en, level="community",
                                     parent=h.street_ids[si], geom_m=comm, frame=frame))
        h.community_names.append(zh)
        comm_codes.append((ccode, en))
    per_comm: dict[int, int] = {}
    for gi, grid in enumerate(lay.grids):
        ci = lay.grid_community[gi]
        per_comm[ci] = per_comm.get(ci, 0) + 1
        n = per_comm[ci]
        ccode, cen = comm_codes[ci]
        name = f"{h.community_names[ci]}第{n}网格"
        h.grid_ids.append(h.add(code=f"{ccode}{n:03d}", name=name, name_en=f"{cen} Grid {n}",
                                level="grid", parent=h.community_ids[ci], geom_m=grid,
                                frame=frame))
        h.grid_names.append(name)
    add_dedicated(rng, h, lay, frame, comm_codes)
    return h


def add_dedicated(rng: random.Random, h: Hierarchy, lay: Layout, frame: Frame,
                  comm_codes: list[tuple[str, str]]) -> None:
    """Dedicated grids (专属网格) over single blocks, parented to their community."""
    ordinal: dict[str, int] = {}
    per_comm: dict[int, int] = {}
    used: set[str] = set()
    for face, kind in zip(lay.dedicated_faces, lay.dedicated_kinds, strict=True):
        ci = int(lay.net.face_community[face])
        per_comm[ci] = per_comm.get(ci, 0) + 1
        label, label_en = rng.choice(INSTITUTIONS[kind])
        base = h.community_names[ci][:-2] if h.community_names[ci].endswith("社区") \
            else h.community_names[ci][:-1]
        if label in ORDINAL_KINDS and ordinal.get(label, 0) < 99:
            ordinal[label] = ordinal.get(label, 0) + 1
            zh = f"第{chinese_number(ordinal[label])}{label}"
            en = f"No. {ordinal[label]} {label_en}"
        else:
            zh, en = base + label, f"{pinyin(base)} {label_en}"
        zh0, en0, k = zh, en, 2
        while zh in used:
            zh, en, k = f"{zh0}{k}", f"{en0} {k}", k + 1
        used.add(zh)
        ccode, _ = comm_codes[ci]
        h.dedicated_ids.append(h.add(
            code=f"{ccode}9{per_comm[ci]:02d}", name=f"{zh}专属网格",
            name_en=f"{en} Dedicated Grid", level="grid", parent=h.community_ids[ci],
            geom_m=lay.blocks[face], frame=frame, kind="dedicated", dedicated_type=kind))


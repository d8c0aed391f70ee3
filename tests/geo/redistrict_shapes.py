"""Named inputs for the redistricting tests: block lattices with loads and current grids.

Blocks sit on the shapes.py lattice at Tianfu Square (one STEP is about 96 m x 111 m). A
"kerbed" lattice stops each block KERB steps short of its cell on every side, leaving a road
corridor (about 10-11 m wide) between neighbours, as the demo seed's blocks do.
"""

import math
import random

from shapely import Polygon, box
from shapes import STEP, cell, grid_whole

from geo.redistrict import Unit

KERB = 0.05  # of a STEP on each side: about 5 m, so corridors are about 10 m wide


def kerbed(col: int, row: int) -> Polygon:
    """Return the block inside lattice cell (col, row), stopping short at the kerbs."""
    west, south, east, north = cell(col, row).bounds
    pad = KERB * STEP
    return box(west + pad, south + pad, east - pad, north - pad)


def heavy_corner(col: int, row: int, *, size: int) -> float:
    """Return a load that is ten times heavier at the south-west corner than far from it."""
    d = math.hypot(col, row) / size
    return round(1 + 9 * math.exp(-6 * d * d), 3)


def lattice_units(cols: int, rows: int, *, kerb: bool = False, grid=None, zone=None,
                  jitter: int | None = None) -> list[Unit]:
    """Return the cols x rows lattice as units with heavy-corner loads.

    ``grid(col, row)`` and ``zone(col, row)`` name the current grid and the zone of a block;
    ``jitter`` seeds a ±40% random factor on the loads.
    """
    rng = random.Random(jitter)
    units = []
    for row in range(rows):
        for col in range(cols):
            load = heavy_corner(col, row, size=max(cols, rows))
            if jitter is not None:
                load = round(load * rng.uniform(0.6, 1.4), 3)
            units.append(Unit(
                key=f"b{col}-{row}",
                geom=kerbed(col, row) if kerb else cell(col, row),
                load=load,
                grid=grid(col, row) if grid else None,
                zone=zone(col, row) if zone else None,
            ))
    return units


def columns(col: int, row: int) -> str:
    """Current grids as one column of blocks each: equal in blocks, not in load."""
    return f"col{col}"


# A 6 x 6 lattice whose blocks touch (faces of a noded road network) and one whose blocks
# stop at the kerb; both tile lattice_whole once the roads are shared out.
lattice_whole = grid_whole(6, 6)
lattice = lattice_units(6, 6, grid=columns)
lattice_kerbed = lattice_units(6, 6, kerb=True, grid=columns)

# The same lattice as two zones (communities): west three columns and east three.
halves_whole = {"west": grid_whole(3, 6), "east": box(*cell(3, 0).bounds[:2],
                                                       *grid_whole(6, 6).bounds[2:])}
lattice_halves = lattice_units(6, 6, grid=columns,
                               zone=lambda col, row: "west" if col < 3 else "east")

# Two 2 x 2 lattices 10 steps apart: no street joins them.
islands = lattice_units(2, 2) + [
    Unit(key=f"far{i}", geom=cell(10 + i % 2, i // 2), load=1.0) for i in range(4)
]

# A small street: 31 x 16 kerbed blocks in 62 current grids of one 8-block strip each,
# equal in blocks but not in load; the 620 → 539 regrouping at a tenth of the scale is
# 62 → 54.
STREET_COLS, STREET_ROWS = 31, 16
street_whole = grid_whole(STREET_COLS, STREET_ROWS)
street = lattice_units(STREET_COLS, STREET_ROWS, kerb=True, jitter=7,
                       grid=lambda col, row: f"g{col}-{row // 8}")

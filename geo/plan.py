"""Grid planning (issue #5): check a plan and edit its grids; the server decides validity.

One place to import from. ``check_grid`` judges one polygon on its own; ``check_plan`` a
parent's grids together (comprehensive grids tile it, dedicated ones stay inside, every
household and station in exactly one comprehensive grid); ``check_edit`` the same, only
around the grids an edit changed. Slivers are cleaned and reported as 'fixed'.

>>> from shapely import LineString, box
>>> parent = box(104.06, 30.66, 104.062, 30.661)
>>> halves = split(parent, LineString([(104.061, 30.659), (104.061, 30.662)]))
>>> check_plan(parent=parent, grids=dict(enumerate(halves))).ok
True
"""

from geo.plan_check import check_edit, check_plan, clean_slivers
from geo.plan_grid import check_grid
from geo.plan_ops import merge, snap, split
from geo.plan_points import check_points
from geo.plan_types import (
    GRID_KINDS,
    LIMITS,
    GridKind,
    Limits,
    PlanCheck,
    Violation,
    is_sliver,
    measure,
)

__all__ = [
    "GRID_KINDS",
    "LIMITS",
    "GridKind",
    "Limits",
    "PlanCheck",
    "Violation",
    "check_edit",
    "check_grid",
    "check_plan",
    "check_points",
    "clean_slivers",
    "is_sliver",
    "measure",
    "merge",
    "snap",
    "split",
]

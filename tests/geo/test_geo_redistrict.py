import dataclasses

import pytest
import shapely
from redistrict_shapes import (
    halves_whole,
    islands,
    lattice,
    lattice_halves,
    lattice_kerbed,
    lattice_units,
    lattice_whole,
    street,
    street_whole,
)
from shapes import cell, grid_whole

from geo.coverage import assert_contains, tiles_exactly
from geo.errors import GeoInputError
from geo.load import spread
from geo.redistrict import Proposal, Unit, propose


def lattice_connected(keys: list[str]) -> bool:
    """Tell whether lattice blocks "b{col}-{row}" are joined through shared sides (a street),
    never through a corner alone."""
    cells = {tuple(int(n) for n in key[1:].split("-")) for key in keys}
    start = next(iter(cells))
    seen, todo = {start}, [start]
    while todo:
        c, r = todo.pop()
        for nxt in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)):
            if nxt in cells and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen == cells


def blocks_of(units: list[Unit]) -> dict:
    return {u.key: u.geom for u in units}


def assert_sound(draft: Proposal, units: list[Unit], whole, k: int) -> None:
    """k grids, every unit in exactly one, each grid one piece holding its blocks whole,
    its blocks joined across streets (not at corners), and together they tile the whole."""
    assert len(draft.groups) == len(draft.polygons) == len(draft.loads) == k
    assert sorted(key for group in draft.groups for key in group) == sorted(u.key for u in units)
    blocks = blocks_of(units)
    for group, polygon in zip(draft.groups, draft.polygons, strict=True):
        assert polygon.geom_type == "Polygon"
        assert all(assert_contains(blocks[key], polygon) for key in group)
        assert lattice_connected(group)
    assert tiles_exactly(draft.polygons, whole)


def test_lattice_of_touching_blocks_regroups_into_contiguous_grids_that_tile_it():
    draft = propose(units=lattice, k=4, parent=lattice_whole)
    assert_sound(draft, lattice, lattice_whole, 4)
    assert draft.loads == pytest.approx(
        [sum(u.load for u in lattice if u.key in g) for g in draft.groups])


def test_kerbed_blocks_stay_whole_and_the_roads_between_them_are_shared_out():
    draft = propose(units=lattice_kerbed, k=4, parent=lattice_whole)
    assert_sound(draft, lattice_kerbed, lattice_whole, 4)
    # Each grid reaches past its blocks to the middle of the streets around them.
    blocks = blocks_of(lattice_kerbed)
    for group, polygon in zip(draft.groups, draft.polygons, strict=True):
        assert polygon.area > shapely.union_all([blocks[key] for key in group]).area * 1.05


def test_heavy_corner_gets_smaller_grids_and_the_spread_falls():
    draft = propose(units=lattice, k=4, parent=lattice_whole)
    # The current grids are the six columns: equal in blocks, unequal in load.
    assert draft.spread_before == pytest.approx(0.5407, abs=1e-3)
    assert draft.spread_after < 0.1 < draft.spread_before
    corner = next(g for g in draft.groups if "b0-0" in g)
    assert len(corner) < 36 / 4


def test_before_figures_are_the_current_grids():
    draft = propose(units=lattice, k=4, parent=lattice_whole)
    assert sorted(draft.before) == [f"col{c}" for c in range(6)]
    assert sum(draft.before.values()) == pytest.approx(sum(draft.loads))
    assert draft.spread_before == pytest.approx(spread(list(draft.before.values())))


def test_same_input_same_proposal():
    first = propose(units=lattice_kerbed, k=5, parent=lattice_whole)
    again = propose(units=lattice_kerbed, k=5, parent=lattice_whole)
    assert (first.groups, first.loads) == (again.groups, again.loads)
    assert [p.wkb for p in first.polygons] == [p.wkb for p in again.polygons]


def test_another_seed_draws_another_sound_draft():
    draft = propose(units=lattice, k=4, parent=lattice_whole, seed=3, start="fresh")
    assert_sound(draft, lattice, lattice_whole, 4)
    assert draft.spread_after < draft.spread_before


def test_balanced_current_grids_are_kept_as_they_are():
    # Four quadrants of a lattice with equal loads: already balanced, nothing to change.
    units = [dataclasses.replace(u, load=1.0, grid=f"q{int(u.key[1]) // 3}{int(u.key[3]) // 3}")
             for u in lattice]
    draft = propose(units=units, k=4, parent=lattice_whole, start="current")
    assert draft.kept == 1.0
    assert draft.spread_after == 0.0
    assert sorted(draft.from_grid) == ["q00", "q01", "q10", "q11"]


def test_from_grid_names_the_current_grid_each_new_one_continues():
    draft = propose(units=lattice, k=4, parent=lattice_whole)
    named = [g for g in draft.from_grid if g is not None]
    assert len(named) == len(set(named)) == 4
    grid_of = {u.key: u.grid for u in lattice}
    for group, heir in zip(draft.groups, draft.from_grid, strict=True):
        assert heir in {grid_of[key] for key in group}


def test_street_scale_reduction_at_a_tenth_62_to_54():
    draft = propose(units=street, k=54, parent=street_whole)
    assert len(draft.before) == 62
    assert_sound(draft, street, street_whole, 54)
    assert draft.spread_after < draft.spread_before / 3
    assert draft.converged and draft.seconds < 30


def test_zones_keep_grids_inside_their_community_and_share_k_by_load():
    draft = propose(units=lattice_halves, k=5, parent=halves_whole)
    zone_of = {u.key: u.zone for u in lattice_halves}
    for group, zone in zip(draft.groups, draft.zones, strict=True):
        assert {zone_of[key] for key in group} == {zone}
    # The heavy corner is in the west: it gets four of the five grids.
    assert draft.zones.count("west") == 4
    for zone, whole in halves_whole.items():
        parts = [p for p, z in zip(draft.polygons, draft.zones, strict=True) if z == zone]
        assert tiles_exactly(parts, whole)


def test_without_a_parent_the_grids_tile_the_blocks_and_streets_between_them():
    draft = propose(units=lattice_kerbed, k=3)
    assert_sound(draft, lattice_kerbed, shapely.union_all(draft.polygons), 3)
    assert shapely.union_all(draft.polygons).geom_type == "Polygon"


def test_k_equal_to_the_units_gives_each_block_its_own_grid():
    units = lattice_units(2, 2)
    draft = propose(units=units, k=4, parent=grid_whole(2, 2))
    assert sorted(len(g) for g in draft.groups) == [1, 1, 1, 1]
    assert_sound(draft, units, grid_whole(2, 2), 4)


@pytest.mark.parametrize("k", [0, -1, 37])
def test_k_outside_one_to_the_unit_count_is_refused(k):
    with pytest.raises(GeoInputError) as err:
        propose(units=lattice, k=k, parent=lattice_whole)
    assert err.value.code == "k_out_of_range" and err.value.field == "k"


def test_units_no_street_joins_are_refused_naming_the_cut_off_ones():
    with pytest.raises(GeoInputError) as err:
        propose(units=islands, k=2)
    assert err.value.code == "units_disconnected"
    assert "far0" in str(err.value) and "far0" in err.value.message_zh


def test_overlapping_units_are_refused():
    units = lattice_units(2, 1) + [Unit(key="dup", geom=cell(0.5, 0), load=1.0)]
    with pytest.raises(GeoInputError) as err:
        propose(units=units, k=2, parent=grid_whole(2, 1))
    assert err.value.code == "units_overlap"
    assert "'dup'" in str(err.value)


def test_a_unit_outside_the_parent_is_refused():
    with pytest.raises(GeoInputError) as err:
        propose(units=lattice_units(3, 1), k=2, parent=grid_whole(2, 1))
    assert err.value.code == "unit_outside_parent"
    assert "'b2-0'" in str(err.value)


@pytest.mark.parametrize(
    ("units", "code"),
    [
        ([], "units_empty"),
        (lattice_units(2, 1) + lattice_units(1, 1), "unit_key_repeated"),
        ([Unit(key="x", geom=cell(0, 0), load=-1.0)], "load_negative"),
        ([Unit(key="x", geom=cell(0, 0), load=float("nan"))], "load_negative"),
        ([Unit(key="x", geom=shapely.Point(104.06, 30.66), load=1.0)], "unit_geometry_invalid"),
    ],
)
def test_bad_units_are_refused(units, code):
    with pytest.raises(GeoInputError) as err:
        propose(units=units, k=1)
    assert err.value.code == code


def test_zones_need_a_parent_each():
    with pytest.raises(GeoInputError) as err:
        propose(units=lattice_halves, k=4, parent={"west": halves_whole["west"]})
    assert err.value.code == "zone_without_parent" and "east" in str(err.value)
    with pytest.raises(GeoInputError) as err:
        propose(units=lattice_halves, k=4, parent=lattice_whole)
    assert err.value.code == "zone_without_parent"


def test_fewer_grids_than_zones_is_refused():
    with pytest.raises(GeoInputError) as err:
        propose(units=lattice_halves, k=1, parent=halves_whole)
    assert err.value.code == "k_below_zones"

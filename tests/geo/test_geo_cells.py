import pytest
import shapely
from redistrict_shapes import kerbed
from shapes import STEP, cell, grid_cells, grid_whole

from geo.cells import shared_lengths_m, tessellate, tessellate_m
from geo.coverage import assert_contains, tiles_exactly
from geo.errors import GeoInputError
from geo.metric import length_m


def test_blocks_that_tile_the_whole_are_their_own_cells():
    blocks = grid_cells(3, 2)
    cells = tessellate(blocks, grid_whole(3, 2))
    assert all(c.symmetric_difference(b).area < 1e-14 for c, b in zip(cells, blocks, strict=True))


def test_kerbed_blocks_get_cells_that_tile_the_whole_and_hold_them():
    blocks = [kerbed(c, r) for r in range(3) for c in range(3)]
    cells = tessellate(blocks, grid_whole(3, 3))
    assert tiles_exactly(cells, grid_whole(3, 3))
    assert all(assert_contains(b, c) for b, c in zip(blocks, cells, strict=True))
    assert all(c.geom_type == "Polygon" for c in cells)
    # The boundary between two cells runs down the middle of the road, within a metre.
    centre = cells[4]
    assert shapely.hausdorff_distance(centre, cell(1, 1)) < 1.0 / 96_000 * 1.2


def test_the_middle_of_a_wide_leftover_goes_to_the_nearer_block():
    # A square with one block in its west third: the east belongs to the east block.
    west, east = shapely.box(0, 0, 30, 100), shapely.box(80, 0, 100, 100)
    cells = tessellate_m([west, east], shapely.box(0, 0, 100, 100), sample_m=5)
    assert cells[0].bounds[2] == pytest.approx(55, abs=0.5)
    assert cells[0].area + cells[1].area == pytest.approx(10_000)


def test_blocks_across_a_street_are_neighbours_those_across_a_crossing_are_not():
    blocks = [shapely.box(0, 0, 90, 90), shapely.box(100, 0, 190, 90),
              shapely.box(0, 100, 90, 190), shapely.box(100, 100, 190, 190)]
    cells = tessellate_m(blocks, shapely.box(-5, -5, 195, 195))
    edges = shared_lengths_m(cells)
    assert set(edges) == {(0, 1), (0, 2), (1, 3), (2, 3)}
    assert all(length == pytest.approx(100, abs=1) for length in edges.values())


def test_a_short_contact_counts_only_when_it_is_all_a_cell_has():
    # A square (0) with a 3 m sliver (2) that touches only it, and its neighbour (1).
    cells = [shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10), shapely.box(3, 10, 6, 11)]
    assert shared_lengths_m(cells, min_m=5) == {(0, 1): 10.0, (0, 2): 3.0}


def test_blocks_must_be_valid_polygons_apart_and_inside():
    whole = grid_whole(2, 1)
    with pytest.raises(GeoInputError) as err:
        tessellate([cell(0, 0), cell(0.5, 0)], whole)
    assert err.value.code == "units_overlap"
    with pytest.raises(GeoInputError) as err:
        tessellate([cell(0, 0), cell(1.5, 0)], whole)
    assert err.value.code == "unit_outside_parent"
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(GeoInputError) as err:
        tessellate_m([bowtie], shapely.box(0, 0, 1, 1), names=["'x'"])
    assert err.value.code == "unit_geometry_invalid" and "'x'" in str(err.value)


def test_cells_measure_like_their_lattice_cells():
    cells = tessellate([kerbed(0, 0), kerbed(1, 0)], grid_whole(2, 1))
    assert length_m(cells[0]) == pytest.approx(length_m(cell(0, 0)), rel=0.01)
    assert STEP == 0.001

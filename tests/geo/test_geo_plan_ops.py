"""Grid edits on the named reference geometries: split and merge keep the coverage exact,
snapping closes small gaps, and each refusal names the problem and the place."""

import numpy as np
import pytest
import shapely
from plan_shapes import (
    CUT_LON,
    LAT0,
    LON0,
    MID_LAT,
    MID_LON,
    STEP,
    across_nw,
    bowtie,
    diagonal_pair,
    far_pair,
    halfway_nw,
    households,
    missing_nw,
    ne,
    ne_one_metre_off,
    ne_skewed,
    ne_upper_off,
    nearly_across_nw,
    notch,
    nw,
    parent,
    plan,
    se,
    se_hairline,
    street,
    sw,
    sw_notched,
    through_household_101,
    zigzag_nw,
)

from geo.coverage import tiles_exactly
from geo.errors import GeoInputError
from geo.metric import area_m2
from geo.plan import check_edit, check_plan, merge, snap, split


def refusal(call, *args, **kwargs) -> GeoInputError:
    with pytest.raises(GeoInputError) as info:
        call(*args, **kwargs)
    return info.value


def with_split(pieces: list[shapely.Polygon]) -> dict[str, shapely.Polygon]:
    """Return the reference plan with NW replaced by its pieces NW0, NW1 …"""
    grids = {k: g for k, g in plan.items() if k != "NW"}
    return {**grids, **{f"NW{i}": piece for i, piece in enumerate(pieces)}}


# --- split ----------------------------------------------------------------------------


@pytest.mark.parametrize("line", [across_nw, nearly_across_nw], ids=["across", "1m-short"])
def test_split_keeps_the_coverage_exact(line):
    pieces = split(nw, line)
    assert len(pieces) == 2
    assert area_m2(shapely.symmetric_difference(shapely.union_all(pieces), nw)) < 1e-6
    # The cut is where the line was drawn, 5/8 of the way across NW: west is the larger.
    assert pieces[0].bounds[2] == pytest.approx(CUT_LON, abs=1e-12)
    grids = with_split(pieces)
    result = check_plan(parent=parent, grids=grids, households=households)
    assert result.violations == []
    assert tiles_exactly(list(grids.values()), parent, tolerance_m2=1e-6)
    edit = check_edit(parent=parent, grids=grids, changed_keys=["NW0", "NW1"],
                      previous={"NW": nw}, households=households)
    assert edit.violations == []


def test_a_zigzag_line_cuts_three_pieces_largest_first():
    pieces = split(nw, zigzag_nw)
    assert len(pieces) == 3
    areas = [area_m2(p) for p in pieces]
    assert areas == sorted(areas, reverse=True)
    assert sum(areas) == pytest.approx(area_m2(nw), rel=1e-9)
    assert check_plan(parent=parent, grids=with_split(pieces)).violations == []


def test_a_split_through_a_household_leaves_it_in_two_grids():
    result = check_plan(parent=parent, grids=with_split(split(nw, through_household_101)),
                        households=households)
    assert [(v.code, v.subject) for v in result.violations] == [("household_ambiguous", 101)]


def test_a_line_that_ends_inside_is_refused_with_the_spot():
    err = refusal(split, nw, halfway_nw)
    assert (err.code, err.field) == ("split_line_not_crossing", "line")
    assert "ends inside it at 104.061000, 30.663" in err.message_en
    assert "网格内部" in err.message_zh


def test_a_line_that_misses_or_runs_along_the_boundary_is_refused():
    err = refusal(split, nw, missing_nw)
    assert err.code == "split_line_not_crossing" and "misses the grid" in err.message_en
    along = shapely.LineString([(MID_LON, MID_LAT - 0.0005), (MID_LON, LAT0 + 4.5 * STEP)])
    err = refusal(split, nw, along)
    assert err.code == "split_line_not_crossing" and "grazes" in err.message_en


@pytest.mark.parametrize(
    ("polygon", "line", "code"),
    [
        (nw, shapely.Point(LON0, LAT0), "split_line_type"),
        (nw, shapely.LineString([(LON0, LAT0), (LON0, LAT0)]), "split_line_type"),
        (bowtie, across_nw, "invalid_geometry"),
        (shapely.Point(LON0, LAT0), across_nw, "geometry_type"),
    ],
)
def test_split_refuses_bad_input(polygon, line, code):
    assert refusal(split, polygon, line).code == code


# --- merge ----------------------------------------------------------------------------


def test_merging_neighbours_keeps_the_coverage_exact():
    south = merge([sw, se])
    assert south.equals(shapely.box(LON0, LAT0, LON0 + 4 * STEP, MID_LAT))
    grids = {"NW": nw, "NE": ne, "S": south}
    assert check_plan(parent=parent, grids=grids, households=households).violations == []
    assert tiles_exactly(list(grids.values()), parent, tolerance_m2=1e-6)
    edit = check_edit(parent=parent, grids=grids, changed_keys=["S"],
                      previous={"SW": sw, "SE": se}, households=households)
    assert edit.violations == []


def test_merging_all_four_gives_back_the_parent():
    assert merge(list(plan.values())).equals(parent)


def test_grids_touching_at_a_corner_are_not_merged():
    err = refusal(merge, diagonal_pair)
    assert err.code == "merge_not_adjacent"
    assert "only touches the others at a point near 104.062000, 30.662000" in err.message_en
    assert "点接触" in err.message_zh


def test_grids_apart_are_not_merged():
    err = refusal(merge, far_pair)
    assert err.code == "merge_not_adjacent" and "Grid 2 is not next to" in err.message_en
    assert refusal(merge, [nw]).code == "merge_too_few"
    assert refusal(merge, [nw, bowtie]).code == "invalid_geometry"


def test_a_hairline_from_rounding_does_not_survive_a_merge():
    assert shapely.union_all([sw, se_hairline]).geom_type == "MultiPolygon"
    merged = merge([sw, se_hairline])
    assert merged.geom_type == "Polygon" and not merged.interiors
    assert area_m2(shapely.symmetric_difference(merged, merge([sw, se]))) < 1e-3


def test_a_sliver_hole_from_rounding_is_filled_but_a_real_hole_kept():
    assert len(shapely.union_all([sw_notched, se]).interiors) == 1
    assert not merge([sw_notched, se]).interiors
    courtyard = shapely.box(MID_LON - 0.0002, LAT0 + STEP, MID_LON, LAT0 + STEP + 0.0002)
    kept = merge([sw.difference(courtyard), se])
    assert len(kept.interiors) == 1 and notch.within(shapely.Polygon(kept.interiors[0]))


# --- snap -----------------------------------------------------------------------------


def test_snapping_closes_a_one_metre_gap():
    grids = {**plan, "NE": ne_one_metre_off}
    before = check_plan(parent=parent, grids=grids)
    assert sorted(v.code for v in before.errors) == ["gap", "outside_parent"]
    snapped = snap(ne_one_metre_off, to=[nw, se, parent], tolerance_m=3)
    assert snapped.equals(ne)
    assert check_plan(parent=parent, grids={**plan, "NE": snapped}).violations == []


def test_snapping_moves_only_vertices_in_reach():
    snapped = snap(ne_one_metre_off, to=[nw], tolerance_m=3)
    moved = shapely.get_coordinates(snapped)
    west = moved[:, 0] < MID_LON + 1e-9
    assert (moved[west, 0] == MID_LON).all()  # bit for bit NW's corners
    east_side = set(map(tuple, moved[~west]))
    assert east_side <= set(map(tuple, shapely.get_coordinates(ne_one_metre_off)))
    assert snap(ne_one_metre_off, to=[nw], tolerance_m=0.5).equals(ne_one_metre_off)


def test_snapping_closes_a_skewed_gap_exactly():
    snapped = snap(ne_skewed, to=[nw, se])
    assert snapped.equals(ne)
    assert check_plan(parent=parent, grids={**plan, "NE": snapped}).violations == []


def test_a_vertex_snaps_onto_a_neighbours_edge_where_no_vertex_is_near():
    snapped = snap(ne_upper_off, to=[nw])
    corner = min(shapely.get_coordinates(snapped).tolist())
    assert corner[0] == pytest.approx(MID_LON, abs=1e-12)
    assert corner[1] == pytest.approx(LAT0 + 3 * STEP, abs=1e-12)
    assert snapped.distance(nw) < 1e-12 and area_m2(snapped.intersection(nw)) < 1e-6


def test_snapping_to_a_street():
    on_street = snap(ne, to=[street], tolerance_m=3)
    west = shapely.get_coordinates(on_street)[:, 0].min()
    assert np.isclose(shapely.distance(shapely.Point(west, MID_LAT), street), 0, atol=1e-12)
    assert snap(ne, to=[street], tolerance_m=1).equals(ne)


def test_snapping_refuses_a_silly_tolerance():
    assert refusal(snap, ne, to=[nw], tolerance_m=0).code == "snap_tolerance"
    assert refusal(snap, ne, to=[nw], tolerance_m=500).code == "snap_tolerance"
    assert snap(ne, to=[]).equals(ne)

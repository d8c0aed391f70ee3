"""A plan and an edit checked on the named reference geometries of plan_shapes: each
violation kind, sliver cleaning, households and stations. One grid alone is in
test_geo_plan_grid.py; split, merge and snap in test_geo_plan_ops.py."""

import json

import pytest
import shapely
from plan_shapes import (
    LAT0,
    LON0,
    STEP,
    bowtie,
    gap_strip,
    households,
    in_gap_strip,
    market,
    ne,
    ne_gap,
    ne_gap_with_tail,
    ne_poking_out,
    ne_rest,
    ne_sliver_gap,
    ne_sliver_out,
    ne_tiny,
    nw,
    nw_in_metres,
    on_nw_ne_edge,
    outside_square,
    overlap_strip,
    parent,
    plan,
    poking_piece,
    school,
    se,
    se_overlap,
    se_sliver_overlap,
    stations,
    sw,
)

from geo.coverage import tiles_exactly
from geo.errors import GeoInputError
from geo.metric import area_m2
from geo.plan import (
    Limits,
    PlanCheck,
    Violation,
    check_edit,
    check_plan,
    clean_slivers,
    measure,
)

DEDICATED = {"school": "dedicated", "market": "dedicated"}


def codes(found: list[Violation]) -> list[str]:
    return [v.code for v in found]


def same_place(a: shapely.Geometry, b: shapely.Geometry, *, m2: float = 0.01) -> bool:
    """Tell whether two areas differ by less than ``m2``."""
    return area_m2(shapely.symmetric_difference(a, b)) < m2


def assert_clean(result: PlanCheck, grids: dict) -> None:
    """The plan after cleaning has nothing left to say and tiles the parent exactly."""
    assert result.ok, result.codes()
    after = result.applied_to(grids)
    assert check_plan(parent=parent, grids=after).violations == []
    assert tiles_exactly(list(after.values()), parent, tolerance_m2=0.01)


# --- a plan ---------------------------------------------------------------------------


def test_the_reference_plan_is_clean():
    result = check_plan(parent=parent, grids=plan, households=households, stations=stations)
    assert (result.violations, result.cleaned, result.ok) == ([], {}, True)


def test_a_gap_is_reported_with_its_piece():
    result = check_plan(parent=parent, grids={**plan, "NE": ne_gap})
    [gap] = result.errors
    assert (gap.code, gap.grid) == ("gap", None)
    assert same_place(gap.where, gap_strip)
    assert "2,217 m²" in gap.message_en and "不属于任何综合网格" in gap.message_zh


def test_an_overlap_names_both_grids_and_the_piece():
    [overlap] = check_plan(parent=parent, grids={**plan, "SE": se_overlap}).errors
    assert (overlap.code, overlap.grid, overlap.other) == ("overlap", "SE", "SW")
    assert same_place(overlap.where, overlap_strip)


def test_a_grid_poking_out_of_its_parent():
    [out] = check_plan(parent=parent, grids={**plan, "NE": ne_poking_out}).errors
    assert (out.code, out.grid) == ("outside_parent", "NE")
    assert same_place(out.where, poking_piece)


def test_a_too_small_grid_in_a_plan():
    result = check_plan(parent=parent, grids={**plan, "NE": ne_rest, "NE-a": ne_tiny})
    assert [(v.code, v.grid) for v in result.violations] == [("too_small", "NE-a")]


def test_a_dedicated_school_may_overlay_comprehensive_grids():
    grids = {**plan, "school": school}
    assert check_plan(parent=parent, grids=grids, kinds=DEDICATED).violations == []
    # Taken for a comprehensive grid, the same school overlaps SW and SE.
    found = check_plan(parent=parent, grids=grids).errors
    assert sorted((v.code, v.grid, v.other) for v in found) == [
        ("overlap", "school", "SE"),
        ("overlap", "school", "SW"),
    ]


def test_dedicated_grids_must_not_overlap_each_other_nor_leave_the_parent():
    grids = {**plan, "school": school, "market": market}
    [overlap] = check_plan(parent=parent, grids=grids, kinds=DEDICATED).errors
    assert (overlap.code, overlap.grid, overlap.other) == ("overlap", "market", "school")
    assert "dedicated grid school" in overlap.message_en and "专属" in overlap.message_zh
    outside = shapely.box(LON0 - 0.0005, LAT0, LON0 + 0.0005, LAT0 + 0.0005)
    found = check_plan(parent=parent, grids={**plan, "market": outside}, kinds=DEDICATED)
    assert codes(found.errors) == ["outside_parent"]


def test_an_invalid_grid_is_reported_once_not_again_as_a_gap_everywhere():
    result = check_plan(parent=parent, grids={**plan, "NW": bowtie})
    assert [(v.code, v.severity) for v in result.violations][:2] == [
        ("invalid_geometry", "error"),
        ("not_checked", "warning"),
    ]
    # The bowtie covers two triangles of NW; what it leaves out is a real gap, no more.
    gaps = [v for v in result.violations if v.code == "gap"]
    assert sum(area_m2(v.where) for v in gaps) == pytest.approx(area_m2(nw) / 2, rel=1e-6)


def test_households_and_stations_in_exactly_one_grid():
    points = {**households, 201: on_nw_ne_edge, 202: outside_square}
    result = check_plan(parent=parent, grids=plan, households=points,
                        stations={**stations, "S2": outside_square})
    found = [(v.code, v.subject, v.grid, v.other) for v in result.violations]
    assert found == [
        ("household_orphaned", 202, None, None),
        ("household_ambiguous", 201, "NW", "NE"),
        ("station_orphaned", "S2", None, None),
    ]
    assert result.violations[0].where.equals(outside_square)
    assert "住户 201" in result.violations[1].message_zh


def test_a_household_left_in_a_gap_is_orphaned():
    result = check_plan(parent=parent, grids={**plan, "NE": ne_gap}, households={7: in_gap_strip})
    assert codes(result.violations) == ["gap", "household_orphaned"]


def test_many_orphans_are_listed_up_to_the_limit_then_together():
    far = {i: shapely.Point(LON0 + 5 * STEP, LAT0 + i * 1e-5) for i in range(60)}
    result = check_plan(parent=parent, grids=plan, households=far,
                        limits=Limits(max_listed_points=5))
    assert codes(result.violations) == ["household_orphaned"] * 6
    rest = result.violations[-1]
    assert rest.subject is None and len(rest.where.geoms) == 55
    assert rest.message_en == "55 more households are orphaned."


def test_unknown_kind_and_a_broken_parent_are_refused():
    with pytest.raises(GeoInputError) as info:
        check_plan(parent=parent, grids=plan, kinds={"NW": "school"})
    assert info.value.code == "grid_kind"
    with pytest.raises(GeoInputError) as info:
        check_plan(parent=bowtie, grids=plan)
    assert info.value.code == "parent_invalid" and "Self-intersection" in str(info.value)


def test_the_whole_result_is_a_feature_collection():
    grids = {**plan, "NE": ne_gap, "SE": se_overlap}
    collection = check_plan(parent=parent, grids=grids).to_feature_collection()
    assert json.loads(json.dumps(collection))["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == ["overlap", "gap"]


# --- slivers --------------------------------------------------------------------------


def test_a_sliver_gap_is_given_to_a_neighbour_and_said_so():
    grids = {**plan, "NE": ne_sliver_gap}
    result = check_plan(parent=parent, grids=grids)
    [note] = result.violations
    assert (note.code, note.severity, note.grid) == ("sliver_gap", "fixed", "NW")
    assert "66.5 m²" in note.message_en and "0.30 m wide" in note.message_en
    assert "已并入网格 NW" in note.message_zh
    assert list(result.cleaned) == ["NW"] and result.fixed == [note]
    assert_clean(result, grids)


def test_a_sliver_overlap_is_taken_from_the_later_grid():
    grids = {**plan, "SE": se_sliver_overlap}
    result = check_plan(parent=parent, grids=grids)
    assert [(v.code, v.severity, v.grid, v.other) for v in result.violations] == [
        ("sliver_overlap", "fixed", "SE", "SW")
    ]
    assert result.cleaned["SE"].equals(se)
    assert_clean(result, grids)


def test_a_sliver_past_the_parent_is_trimmed():
    grids = {**plan, "NE": ne_sliver_out}
    result = check_plan(parent=parent, grids=grids)
    assert [(v.code, v.severity) for v in result.violations] == [("sliver_outside", "fixed")]
    assert same_place(result.cleaned["NE"], ne, m2=1e-6)
    assert_clean(result, grids)


def test_clean_slivers_returns_only_the_fixes():
    cleaned, notes = clean_slivers(parent=parent, grids={**plan, "NE": ne_sliver_gap, "SE":
                                                         se_sliver_overlap})
    assert sorted(cleaned) == ["NW", "SE"]
    assert sorted(codes(notes)) == ["sliver_gap", "sliver_overlap"]


def test_a_gap_thin_on_average_but_not_everywhere_is_no_sliver():
    [gap] = check_plan(parent=parent, grids={**plan, "NE": ne_gap_with_tail}).violations
    assert (gap.code, gap.severity) == ("gap", "error")
    assert measure(gap.where)[1] < 0.5 and area_m2(gap.where) == pytest.approx(46.7, abs=0.1)


def test_sliver_limits_decide_what_is_cleaned():
    strict = Limits(sliver_area_m2=1.0, sliver_width_m=0.1)
    result = check_plan(parent=parent, grids={**plan, "NE": ne_sliver_gap}, limits=strict)
    assert codes(result.errors) == ["gap"] and result.cleaned == {}


# --- an edit --------------------------------------------------------------------------


def test_an_edit_gives_a_sliver_gap_to_the_edited_grid():
    grids = {**plan, "NE": ne_sliver_gap}
    result = check_edit(parent=parent, grids=grids, changed_keys=["NE"], previous={"NE": ne})
    [note] = result.violations
    assert (note.code, note.grid) == ("sliver_gap", "NE")
    assert same_place(result.cleaned["NE"], ne, m2=1e-6)


def test_an_edit_takes_a_sliver_overlap_from_the_edited_grid():
    grids = {**plan, "SW": sw, "SE": se_sliver_overlap}
    result = check_edit(parent=parent, grids=grids, changed_keys=["SE"])
    assert [(v.code, v.grid, v.other) for v in result.violations] == [
        ("sliver_overlap", "SE", "SW")
    ]
    assert list(result.cleaned) == ["SE"]


@pytest.mark.parametrize("previous", [{"NE": ne}, None])
def test_an_edit_that_leaves_a_gap(previous):
    grids = {**plan, "NE": ne_gap}
    result = check_edit(parent=parent, grids=grids, changed_keys=["NE"], previous=previous,
                        households={7: in_gap_strip})
    assert codes(result.violations) == ["gap", "household_orphaned"]
    assert same_place(result.violations[0].where, gap_strip)


def test_an_edit_looks_only_around_the_changed_grids():
    # SE overlaps SW and a household is outside the square; an edit of NW sees neither.
    grids = {**plan, "SE": se_overlap}
    far = {**households, 202: outside_square}
    edit = check_edit(parent=parent, grids=grids, changed_keys=["NW"], households=far)
    assert edit.violations == []
    whole = check_plan(parent=parent, grids=grids, households=far)
    assert codes(whole.violations) == ["overlap", "household_orphaned"]
    edit_se = check_edit(parent=parent, grids=grids, changed_keys=["SE"], households=far)
    assert codes(edit_se.violations) == ["overlap"]


def test_removing_a_grid_is_an_edit_that_leaves_its_area_uncovered():
    grids = {k: g for k, g in plan.items() if k != "NE"}
    result = check_edit(parent=parent, grids=grids, changed_keys=["NE"], previous={"NE": ne})
    [gap] = result.violations
    assert gap.code == "gap" and same_place(gap.where, ne)


def test_an_edit_to_an_unusable_grid_reports_just_that():
    result = check_edit(parent=parent, grids={**plan, "NE": nw_in_metres}, changed_keys=["NE"])
    assert codes(result.violations) == ["crs_metres"]

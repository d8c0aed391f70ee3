
import numpy as np
import pytest
import shapely
from shapes import (
    STEP,
    bowtie,
    box_area_m2,
    cell,
    gap_left,
    gap_right,
    gap_strip,
    grid_cells,
    grid_whole,
    left_half,
    overlap_a,
    overlap_b,
    overlap_shared,
    overlap_whole,
    poking_out,
    poking_piece,
    rectangle,
    right_half,
    unit_square,
)

from geo.coverage import CoverageReport, assert_contains, check_coverage, tiles_exactly
from geo.errors import GeoInputError


def test_two_halves_tile_the_rectangle():
    report = check_coverage([left_half, right_half], rectangle)
    assert report.ok
    assert (report.gaps, report.overlaps, report.outside) == ([], [], [])
    assert report.gap_area_m2 == report.overlap_area_m2 == report.outside_area_m2 == 0.0
    assert tiles_exactly([left_half, right_half], rectangle)


def test_detects_a_gap_with_its_area():
    report = check_coverage([gap_left, gap_right], rectangle)
    assert not report.ok
    assert len(report.gaps) == 1 and report.overlaps == [] and report.outside == []
    assert report.gaps[0].symmetric_difference(gap_strip).area < 1e-15
    assert report.gap_area_m2 == pytest.approx(box_area_m2(gap_strip), rel=0.01)
    assert not tiles_exactly([gap_left, gap_right], rectangle)


def test_detects_an_overlap_with_its_pair_and_area():
    report = check_coverage([overlap_a, overlap_b], overlap_whole)
    assert report.gaps == [] and report.outside == []
    [(i, j, shared)] = report.overlaps
    assert (i, j) == (0, 1)
    assert shared.symmetric_difference(overlap_shared).area < 1e-15
    assert report.overlap_area_m2 == pytest.approx(box_area_m2(overlap_shared), rel=0.01)


def test_detects_a_part_outside_the_whole():
    report = check_coverage([left_half, poking_out], rectangle)
    assert report.gaps == [] and report.overlaps == []
    [(index, piece)] = report.outside
    assert index == 1
    assert piece.symmetric_difference(poking_piece).area < 1e-15
    assert report.outside_area_m2 == pytest.approx(box_area_m2(poking_piece), rel=0.01)
    assert not report.ok


def test_reports_every_problem_at_once():
    parts = [cell(0, 0, size=0.9 * STEP), poking_out, overlap_b]
    report = check_coverage(parts, rectangle)
    assert report.gaps and report.overlaps and report.outside


def test_touching_parts_are_not_overlaps():
    report = check_coverage([cell(0, 0), cell(1, 0), cell(0, 1), cell(1, 1)], grid_whole(2, 2))
    assert report.ok


def test_slivers_below_tolerance_are_ignored_but_not_above():
    # Along a whole cell edge a 1e-6 deg strip is about 10 m2, a 1e-8 deg strip about 0.1 m2.
    nudged = cell(1 - 1e-3, 0)
    assert check_coverage([left_half, nudged], rectangle, tolerance_m2=1.0).ok is False
    nudged = cell(1 - 1e-5, 0)
    loose = check_coverage([left_half, nudged], rectangle, tolerance_m2=1.0)
    assert loose.ok
    strict = check_coverage([left_half, nudged], rectangle, tolerance_m2=0.01)
    assert len(strict.overlaps) == 1 and 0.01 < strict.overlap_area_m2 < 1.0


def test_no_parts_leaves_the_whole_as_the_gap():
    report = check_coverage([], rectangle)
    assert len(report.gaps) == 1
    assert report.gap_area_m2 == pytest.approx(box_area_m2(rectangle), rel=0.01)


def test_three_hundred_parts_find_a_missing_cell():
    parts, whole = grid_cells(20, 15), grid_whole(20, 15)
    report = check_coverage(parts, whole)
    assert report.ok
    missing = parts.pop(137)
    report = check_coverage(parts, whole)
    assert len(report.gaps) == 1
    assert report.gap_area_m2 == pytest.approx(box_area_m2(missing), rel=0.01)


def test_three_hundred_detailed_parts_tile_their_whole():
    # Irregular parts with shared, densely noded edges, like real grid boundaries.
    whole = grid_whole(200, 150)
    min_lon, min_lat, max_lon, max_lat = whole.bounds
    seeds = np.random.default_rng(7).uniform((min_lon, min_lat), (max_lon, max_lat), (300, 2))
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=whole)
    parts = [shapely.segmentize(c.intersection(whole), STEP) for c in cells.geoms]
    assert len(parts) == 300 and sum(map(shapely.get_num_coordinates, parts)) > 10_000
    report = check_coverage(parts, whole)
    assert report.ok, report


def test_report_ok_follows_its_lists():
    clean = CoverageReport(
        gaps=[], overlaps=[], gap_area_m2=0, overlap_area_m2=0, outside_area_m2=0
    )
    assert clean.ok
    assert not CoverageReport([unit_square], [], 1.0, 0.0, 0.0).ok
    assert not CoverageReport([], [(0, 1, unit_square)], 0.0, 1.0, 0.0).ok
    assert not CoverageReport([], [], 0.0, 0.0, 1.0, outside=[(0, unit_square)]).ok


def test_invalid_part_is_refused_with_its_index_and_location():
    with pytest.raises(GeoInputError) as info:
        check_coverage([left_half, bowtie], rectangle)
    err = info.value
    assert err.code == "geometry_invalid" and err.field == "parts[1]"
    assert "Self-intersection" in err.message_en and "104.0605 30.6605" in err.message_en
    assert "自相交" in err.message_zh


def test_invalid_whole_is_refused():
    with pytest.raises(GeoInputError) as info:
        check_coverage([left_half], bowtie)
    assert info.value.field == "whole"


def test_assert_contains():
    assert assert_contains(unit_square, rectangle)
    assert assert_contains(rectangle, rectangle)
    assert not assert_contains(poking_out, rectangle)
    assert assert_contains(cell(1e-5, 0), unit_square)  # a ~0.1 m2 sliver outside
    assert not assert_contains(cell(1e-5, 0), unit_square, tolerance_m2=0.01)
    assert not assert_contains(cell(1e-3, 0), unit_square)  # ~10 m2 outside
    with pytest.raises(GeoInputError):
        assert_contains(bowtie, rectangle)

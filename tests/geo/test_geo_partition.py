import itertools

import pytest

from geo.errors import GeoInputError
from geo.graph import neighbours, pieces
from geo.partition import State, partition
from geo.seeding import bisect, halve


def lattice(cols: int, rows: int) -> dict[tuple[int, int], float]:
    edges = {}
    for c, r in itertools.product(range(cols), range(rows)):
        i = r * cols + c
        if c + 1 < cols:
            edges[(i, i + 1)] = 1.0
        if r + 1 < rows:
            edges[(i, i + cols)] = 1.0
    return edges


def points(cols: int, rows: int) -> list[tuple[float, float]]:
    return [(float(c), float(r)) for r in range(rows) for c in range(cols)]


def groups_connected(labels: list[int], edges) -> bool:
    nbr = neighbours(len(labels), edges)
    return all(len(pieces(nbr, [u for u, g in enumerate(labels) if g == k])) == 1
               for k in set(labels))


def test_equal_loads_on_a_lattice_split_evenly_and_connected():
    found = partition(loads=[1.0] * 64, edges=lattice(8, 8), xy=points(8, 8), k=8)
    assert sorted(found.labels.count(g) for g in range(8)) == [8] * 8
    assert groups_connected(found.labels, lattice(8, 8)) and found.converged


def test_a_heavy_node_gets_a_group_of_its_own():
    loads = [1.0] * 16
    loads[5] = 8.0
    found = partition(loads=loads, edges=lattice(4, 4), xy=points(4, 4), k=3)
    assert found.labels.count(found.labels[5]) == 1
    assert groups_connected(found.labels, lattice(4, 4))


def test_moves_lower_the_score_from_a_poor_start():
    loads = [float(1 + (i % 7)) for i in range(100)]
    start = [0 if i < 90 else 1 for i in range(100)]  # one huge, one small group
    edges = lattice(10, 10)
    found = partition(loads=loads, edges=edges, xy=points(10, 10), k=2, start=start)
    before = State(loads, neighbours(100, edges), start, 2, 0.01)
    after = State(loads, neighbours(100, edges), found.labels, 2, 0.01)
    assert after.score() < before.score()
    assert abs(after.load[0] - after.load[1]) <= max(loads)
    assert groups_connected(found.labels, edges)


def test_start_with_more_groups_merges_and_with_fewer_splits():
    edges = lattice(6, 6)
    many = [i for i in range(36)]  # every node its own group
    few = [0] * 36
    for start in (many, few):
        found = partition(loads=[1.0] * 36, edges=edges, xy=points(6, 6), k=4, start=start)
        assert sorted(set(found.labels)) == [0, 1, 2, 3]
        assert groups_connected(found.labels, edges)


def test_an_unconnected_start_group_is_repaired():
    edges = lattice(6, 1)
    start = [0, 1, 0, 1, 0, 1]  # neither group is connected along the path
    found = partition(loads=[1.0] * 6, edges=edges, xy=points(6, 1), k=2, start=start)
    assert found.labels == [0, 0, 0, 1, 1, 1]


def test_k_of_one_and_of_n():
    edges = lattice(3, 3)
    assert set(partition(loads=[1.0] * 9, edges=edges, xy=points(3, 3), k=1).labels) == {0}
    assert sorted(partition(loads=[1.0] * 9, edges=edges, xy=points(3, 3), k=9).labels) == \
        list(range(9))


def test_a_disconnected_graph_and_a_bad_k_are_refused():
    with pytest.raises(GeoInputError) as err:
        partition(loads=[1.0] * 4, edges={(0, 1): 1.0, (2, 3): 1.0}, xy=points(4, 1), k=2)
    assert err.value.code == "units_disconnected"
    with pytest.raises(GeoInputError) as err:
        partition(loads=[1.0] * 4, edges=lattice(4, 1), xy=points(4, 1), k=5)
    assert err.value.code == "k_out_of_range"


def test_bisection_cuts_at_load_shares_along_the_long_axis():
    xy = [(float(i), 0.0) for i in range(8)]
    assert bisect(__import__("numpy").array(xy), [1.0] * 8, 4).tolist() == [
        0, 0, 1, 1, 2, 2, 3, 3]


def test_halving_keeps_both_halves_connected():
    edges = lattice(5, 5)
    labels = [0] * 25
    import numpy as np

    halve(labels, neighbours(25, edges), [1.0] * 25, np.array(points(5, 5)), list(range(25)), 1)
    assert sorted({labels.count(0), labels.count(1)}) in ([12, 13], [13, 12])
    assert groups_connected(labels, edges)

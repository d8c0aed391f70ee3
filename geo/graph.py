"""Small graph helpers for redistricting: adjacency lists and connected pieces."""

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping

Nbr = list[list[tuple[int, float]]]


def neighbours(n: int, edges: Mapping[tuple[int, int], float]) -> Nbr:
    """Return the adjacency lists of a graph with ``n`` nodes from {(i, j): length}.

    >>> neighbours(3, {(0, 1): 2.0})
    [[(1, 2.0)], [(0, 2.0)], []]
    """
    nbr: Nbr = [[] for _ in range(n)]
    for (i, j), length in sorted(edges.items()):
        nbr[i].append((j, length))
        nbr[j].append((i, length))
    return nbr


def reach(nbr: Nbr, start: Iterable[int], allowed: Callable[[int], bool]) -> set[int]:
    """Return the nodes reachable from start through allowed nodes (start included).

    >>> sorted(reach(neighbours(4, {(0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0}), [0], lambda v: v != 2))
    [0, 1]
    """
    seen = set(start)
    queue = deque(seen)
    while queue:
        for v, _ in nbr[queue.popleft()]:
            if v not in seen and allowed(v):
                seen.add(v)
                queue.append(v)
    return seen


def pieces(nbr: Nbr, nodes: Collection[int]) -> list[list[int]]:
    """Return the connected pieces of the subgraph on ``nodes``, largest first, each sorted.

    >>> nbr = neighbours(4, {(0, 1): 1.0, (2, 3): 1.0, (1, 2): 0.5})
    >>> pieces(nbr, range(4)), pieces(nbr, [0, 2, 3])
    ([[0, 1, 2, 3]], [[2, 3], [0]])
    """
    inside = set(nodes)
    found = []
    for s in sorted(inside):
        if s in inside:
            piece = reach(nbr, [s], inside.__contains__)
            inside -= piece
            found.append(sorted(piece))
    return sorted(found, key=lambda p: (-len(p), p[0]))

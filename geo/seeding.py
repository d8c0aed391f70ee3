"""Starting partitions for redistricting: k connected groups of roughly equal load.

Fresh: recursive bisection of the block centroids by load (as a k-d tree cuts space), made
connected and grown over the rest.
From the current grids: each grid kept (split where it is not connected), then the lightest
group merged into its lightest neighbour, or the heaviest split in two, until k remain; so
620 → 539 starts from the grids people know.
"""

import heapq
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from geo.graph import Nbr, pieces

FREE = -1


def bisect(xy: NDArray[np.float64], loads: Sequence[float], k: int, *, turn: float = 0.0,
           ) -> NDArray[np.int64]:
    """Return a group per point by recursive bisection: cut across the long axis at the load
    share of each half's groups, so every region gets groups in proportion to its load.

    >>> xy = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0], [5, 0]], dtype=float)
    >>> bisect(xy, [4, 1, 1, 1, 1, 4], 3).tolist()
    [0, 1, 1, 1, 1, 2]
    """
    w = np.asarray(loads, dtype=np.float64)
    w = w + max(float(w.mean()), 1.0) * 1e-6  # empty blocks still count a little
    labels = np.zeros(len(xy), dtype=np.int64)
    todo = [(np.arange(len(xy)), k, 0)]
    while todo:
        idx, parts, first = todo.pop()
        if parts == 1:
            labels[idx] = first
            continue
        left = parts // 2
        order = idx[np.argsort(xy[idx] @ _long_axis(xy[idx], turn), kind="stable")]
        cum = np.cumsum(w[order])
        target = cum[-1] * left / parts
        i = min(int(np.searchsorted(cum, target)), len(cum) - 1)
        below = cum[i - 1] if i else 0.0
        cut = i + 1 if abs(cum[i] - target) <= abs(below - target) else i
        cut = min(max(cut, left), len(order) - (parts - left))
        todo += [(order[:cut], left, first), (order[cut:], parts - left, first + left)]
    return labels


def _long_axis(xy: NDArray[np.float64], turn: float) -> NDArray[np.float64]:
    """Unit vector along the points' principal axis, turned by ``turn`` radians."""
    if len(xy) < 2:
        return np.array([1.0, 0.0])
    cov = np.cov(xy.T)
    angle = 0.5 * np.arctan2(2 * cov[0, 1], cov[0, 0] - cov[1, 1]) + turn
    return np.array([np.cos(angle), np.sin(angle)])


def connect(labels: Sequence[int], nbr: Nbr, loads: Sequence[float]) -> list[int]:
    """Keep the heaviest connected piece of each group; free the rest; renumber from 0.

    >>> from geo.graph import neighbours
    >>> nbr = neighbours(4, {(0, 1): 1.0, (1, 2): 1.0, (2, 3): 1.0})
    >>> connect([5, 7, 5, 5], nbr, [1, 1, 1, 1])
    [-1, 1, 0, 0]
    """
    by_group: dict[int, list[int]] = {}
    for u, g in enumerate(labels):
        if g != FREE:
            by_group.setdefault(g, []).append(u)
    out = [FREE] * len(labels)
    for new, g in enumerate(sorted(by_group)):
        parts = pieces(nbr, by_group[g])
        best = max(parts, key=lambda p: (sum(loads[u] for u in p), len(p), -p[0]))
        for u in best:
            out[u] = new
    return out


def grow(labels: list[int], nbr: Nbr, loads: Sequence[float], allowed: set[int] | None = None,
         ) -> None:
    """Assign free nodes, the lightest group taking its best-attached free neighbour first.

    >>> from geo.graph import neighbours
    >>> labels = [0, FREE, FREE, FREE, 1]
    >>> grow(labels, neighbours(5, {(0, 1): 1, (1, 2): 1, (2, 3): 1, (3, 4): 1}), [4, 1, 1, 1, 1])
    >>> labels
    [0, 1, 1, 1, 1]
    """
    k = max(labels, default=FREE) + 1
    load = [0.0] * k
    frontier: list[set[int]] = [set() for _ in range(k)]
    for u, g in enumerate(labels):
        if g != FREE:
            load[g] += loads[u]
            frontier[g].update(v for v, _ in nbr[u] if labels[v] == FREE
                               and (allowed is None or v in allowed))
    heap = [(load[g], g) for g in range(k) if frontier[g]]
    heapq.heapify(heap)
    while heap:
        held, g = heapq.heappop(heap)
        if held != load[g]:
            continue  # stale: a newer entry for g is in the heap
        frontier[g] = {v for v in frontier[g] if labels[v] == FREE}
        if not frontier[g]:
            continue
        u = max(frontier[g], key=lambda v: (sum(x for t, x in nbr[v] if labels[t] == g), -v))
        labels[u] = g
        load[g] += loads[u]
        frontier[g].update(v for v, _ in nbr[u] if labels[v] == FREE
                           and (allowed is None or v in allowed))
        frontier[g].discard(u)
        heapq.heappush(heap, (load[g], g))


def merge_down(labels: list[int], nbr: Nbr, loads: Sequence[float], k: int) -> None:
    """Merge the lightest group into its lightest neighbour until k groups remain."""
    count = max(labels) + 1
    load = [0.0] * count
    touch: list[dict[int, float]] = [{} for _ in range(count)]
    for u, g in enumerate(labels):
        load[g] += loads[u]
        for v, length in nbr[u]:
            if labels[v] != g:
                touch[g][labels[v]] = touch[g].get(labels[v], 0.0) + length
    alive = set(range(count))
    heap = [(load[g], g) for g in range(count)]
    heapq.heapify(heap)
    into = list(range(count))
    while len(alive) > k and heap:
        held, g = heapq.heappop(heap)
        if g not in alive or held != load[g] or not touch[g]:
            continue
        h = min(touch[g], key=lambda t: (load[t], -touch[g][t], t))
        alive.discard(g)
        into[g] = h
        load[h] += load[g]
        gone, touch[g] = touch[g], {}
        for t, length in gone.items():
            del touch[t][g]
            if t != h:
                touch[t][h] = touch[t].get(h, 0.0) + length
                touch[h][t] = touch[h].get(t, 0.0) + length
        heapq.heappush(heap, (load[h], h))
    for u, g in enumerate(labels):
        while into[g] != g:
            g = into[g]
        labels[u] = g
    renumber(labels)


def split_up(labels: list[int], nbr: Nbr, loads: Sequence[float], xy: NDArray[np.float64],
             k: int) -> None:
    """Cut the heaviest splittable group in two (grown from its far ends) until k remain."""
    count = max(labels) + 1
    while count < k:
        members: list[list[int]] = [[] for _ in range(count)]
        for u, g in enumerate(labels):
            members[g].append(u)
        g = max((h for h in range(count) if len(members[h]) > 1),
                key=lambda h: (sum(loads[u] for u in members[h]), -h))
        halve(labels, nbr, loads, xy, members[g], count)
        count += 1


def halve(labels: list[int], nbr: Nbr, loads: Sequence[float], xy: NDArray[np.float64],
          nodes: Sequence[int], new: int) -> None:
    """Split a connected group in two, grown from its two far ends; one half becomes ``new``.

    >>> from geo.graph import neighbours
    >>> labels = [0, 0, 0, 0]
    >>> xy = np.array([[0, 0], [1, 0], [2, 0], [3, 0]], dtype=float)
    >>> halve(labels, neighbours(4, {(0, 1): 1, (1, 2): 1, (2, 3): 1}), [1] * 4, xy, range(4), 1)
    >>> labels
    [0, 0, 1, 1]
    """
    group = labels[nodes[0]]
    idx = np.asarray(nodes)
    pts = xy[idx]
    a = int(np.argmax(np.sum((pts - pts.mean(axis=0)) ** 2, axis=1)))
    b = int(np.argmax(np.sum((pts - pts[a]) ** 2, axis=1)))
    for u in idx.tolist():
        labels[u] = FREE
    labels[int(idx[a])], labels[int(idx[b])] = group, new
    grow(labels, nbr, loads, allowed=set(idx.tolist()))


def renumber(labels: list[int]) -> None:
    """Number groups 0.. in order of their first node."""
    new: dict[int, int] = {}
    for u, g in enumerate(labels):
        labels[u] = new.setdefault(g, len(new))

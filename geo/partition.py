"""Balanced contiguous partition of a weighted graph: the redistricting engine, no geometry.

Nodes are blocks with a load, edges join blocks that face each other across a street (with
the length they share), and a partition gives every node one of k groups so that each group
is connected, group loads are as equal as possible, and the groups are compact. The search
is Openshaw's automatic zoning procedure (AZP): start from a reasonable partition, then move
single boundary nodes between neighbouring groups while that lowers

    J = sum over groups of ((load - mean) / mean)**2  +  compactness * cut / mean_edge,

where cut is the shared length between nodes of different groups. Moves that would split the
group they leave are refused. Where load must travel through groups of equal load to reach a
light one, a chain of moves along a path of groups carries it (an ejection chain); where a
region has a group too many and another one too few, the lightest neighbouring pair merges
and the heaviest group splits in two (a recombination).
"""

import math
import random
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from geo.errors import GeoInputError
from geo.graph import Nbr, neighbours, pieces
from geo.seeding import FREE, bisect, connect, grow, halve, merge_down, renumber, split_up

EPS = 1e-12
CHAIN_DEPTH = 8  # groups a chain may pass through
CHAIN_TARGETS = 4  # light groups tried per heavy group


class State:
    """A partition being improved: group per node, members and load per group."""

    def __init__(
        self,
        loads: Sequence[float],
        nbr: Nbr,
        group: Sequence[int],
        k: int,
        compactness: float,
    ) -> None:
        self.w = [float(x) for x in loads]
        self.nbr = nbr
        self.group = list(group)
        self.k = k
        self.members: list[set[int]] = [set() for _ in range(k)]
        self.load = [0.0] * k
        # Edges between each pair of groups: who touches whom, kept as nodes move.
        self.link: list[dict[int, int]] = [{} for _ in range(k)]
        for u, g in enumerate(self.group):
            self.members[g].add(u)
            self.load[g] += self.w[u]
            for v, _ in nbr[u]:
                if self.group[v] != g:
                    self._count(g, self.group[v], 1)
        self.mean = max(math.fsum(self.w) / k, EPS)
        lengths = [length for row in nbr for _, length in row]
        self.cut_weight = compactness / (sum(lengths) / len(lengths)) if lengths else 0.0

    def delta(self, u: int, b: int) -> float:
        """Return the change of J if node u moved to group b."""
        a, w = self.group[u], self.w[u]
        cut = sum(length if self.group[v] == a else -length if self.group[v] == b else 0.0
                  for v, length in self.nbr[u])
        balance = 2 * w * (self.load[b] - self.load[a] + w) / (self.mean * self.mean)
        return balance + self.cut_weight * cut

    def move(self, u: int, b: int) -> None:
        """Put node u in group b."""
        a = self.group[u]
        self.members[a].discard(u)
        self.members[b].add(u)
        self.load[a] -= self.w[u]
        self.load[b] += self.w[u]
        self.group[u] = b
        for v, _ in self.nbr[u]:
            g = self.group[v]
            if g != a:
                self._count(a, g, -1)
                self._count(g, a, -1)
            if g != b:
                self._count(b, g, 1)
                self._count(g, b, 1)

    def _count(self, g: int, h: int, step: int) -> None:
        row = self.link[g]
        row[h] = row.get(h, 0) + step
        if not row[h]:
            del row[h]

    def removable(self, u: int) -> bool:
        """Tell whether u's group stays non-empty and connected without u."""
        a = self.group[u]
        inside = [v for v, _ in self.nbr[u] if self.group[v] == a]
        if len(self.members[a]) <= 1 or not inside:
            return False
        if len(inside) == 1:
            return True
        todo = set(inside[1:])
        seen = {u, inside[0]}
        queue = deque([inside[0]])
        while queue and todo:
            for v, _ in self.nbr[queue.popleft()]:
                if v not in seen and self.group[v] == a:
                    seen.add(v)
                    todo.discard(v)
                    queue.append(v)
        return not todo

    def outside(self, u: int) -> set[int]:
        """Return the groups other than its own that node u touches."""
        return {self.group[v] for v, _ in self.nbr[u]} - {self.group[u]}

    def score(self) -> float:
        """Return J (see the module docstring)."""
        balance = math.fsum(((x - self.mean) / self.mean) ** 2 for x in self.load)
        cut = sum(length for u, row in enumerate(self.nbr) for v, length in row
                  if v > u and self.group[u] != self.group[v])
        return balance + self.cut_weight * cut


def drain(st: State, a: int, deadline: float) -> None:
    """Make the best improving single moves out of group a until none is left."""
    while time.perf_counter() < deadline:
        options = sorted(
            (d, u, b)
            for u in st.members[a]
            for b in st.outside(u)
            if (d := st.delta(u, b)) < -EPS
        )
        chosen = next(((u, b) for _, u, b in options if st.removable(u)), None)
        if chosen is None:
            return
        st.move(*chosen)


def _paths_from(touch: list[dict[int, int]], h: int) -> dict[int, int]:
    parent = {h: h}
    queue, depth = deque([h]), {h: 0}
    while queue:
        g = queue.popleft()
        if depth[g] >= CHAIN_DEPTH:
            continue
        for t in sorted(touch[g]):
            if t not in parent:
                parent[t], depth[t] = g, depth[g] + 1
                queue.append(t)
    return parent


def try_chain(st: State, path: list[int]) -> bool:
    """Move one node along each step of path if that lowers J; undo otherwise."""
    want = (st.load[path[0]] - st.load[path[-1]]) / 2
    done: list[tuple[int, int]] = []
    total = 0.0
    for a, b in zip(path, path[1:], strict=False):
        options = sorted(
            (abs(st.w[u] - want), -facing, u)
            for u in st.members[a]
            if (facing := sum(x for v, x in st.nbr[u] if st.group[v] == b)) > 0
            and all(u != m for m, _ in done)
        )
        u = next((u for *_, u in options if st.removable(u)), None)
        if u is None:
            break
        total += st.delta(u, b)
        done.append((u, a))
        st.move(u, b)
        want = st.w[u]
    else:
        if total < -EPS:
            return True
    for u, a in reversed(done):
        st.move(u, a)
    return False


def chains(st: State, deadline: float) -> int:
    """Carry load from heavy groups to light ones along paths of groups; return chains made."""
    made = 0
    for h in sorted(range(st.k), key=lambda g: (-st.load[g], g)):
        if st.load[h] <= st.mean or time.perf_counter() > deadline:
            break
        parent = _paths_from(st.link, h)
        light = sorted((st.load[g], g) for g in parent if st.load[g] < st.load[h])
        for _, t in light[:CHAIN_TARGETS]:
            path = [t]
            while path[-1] != h:
                path.append(parent[path[-1]])
            if try_chain(st, path[::-1]):
                made += 1
                break
    return made


def recombine(st: State, xy: NDArray[np.float64]) -> bool:
    """Merge the lightest pair of neighbouring groups and halve the heaviest group, if that
    lowers J: it moves a whole group from where load is thin to where it is dense."""
    pairs = [(st.load[a] + st.load[b], a, b) for a in range(st.k) for b in st.link[a] if a < b]
    if not pairs:
        return False
    _, a, b = min(pairs)
    heavy = [(st.load[h], h) for h in range(st.k) if h not in (a, b) and len(st.members[h]) > 1]
    if not heavy:
        return False
    loads_now, h = max(heavy)
    m = st.mean
    before = (st.load[a] - m) ** 2 + (st.load[b] - m) ** 2 + (loads_now - m) ** 2
    if (st.load[a] + st.load[b] - m) ** 2 + 2 * (loads_now / 2 - m) ** 2 >= before:
        return False
    was = {u: st.group[u] for u in st.members[a] | st.members[b] | st.members[h]}
    score = st.score()
    for u in list(st.members[b]):
        st.move(u, a)
    labels = list(st.group)
    halve(labels, st.nbr, st.w, xy, sorted(st.members[h]), b)
    for u in list(st.members[h]):
        if labels[u] == b:
            st.move(u, b)
    if st.score() < score - EPS:
        return True
    for u, g in was.items():
        if st.group[u] != g:
            st.move(u, g)
    return False


def improve(st: State, xy: NDArray[np.float64], deadline: float) -> None:
    """Alternate single moves, chains and recombinations until none helps or time is up."""
    while time.perf_counter() < deadline:
        for a in sorted(range(st.k), key=lambda g: (-st.load[g], g)):
            drain(st, a, deadline)
        if not chains(st, deadline) and not recombine(st, xy):
            break


def check_k(k: int, n: int) -> None:
    """Refuse a group count outside 1..n."""
    if not 1 <= k <= n:
        raise GeoInputError(
            "k_out_of_range",
            message_zh=f"网格数应在 1 到 {n}（单元数）之间，收到 {k}。",
            message_en=f"The number of grids must be between 1 and {n} (the units), got {k}.",
            field="k",
        )


def as_array(xy: Sequence[tuple[float, float]] | NDArray[np.float64]) -> NDArray[np.float64]:
    """Return points as an (n, 2) float array."""
    return np.asarray(xy, dtype=np.float64).reshape(-1, 2)


@dataclass
class Partition:
    """A group per node, with how the search went."""

    labels: list[int]
    converged: bool
    score: float  # J of the labels (see the module docstring)


def start_labels(
    *, loads: Sequence[float], nbr: Nbr, xy: NDArray[np.float64], k: int,
    start: Sequence[int | None] | None, seed: int,
) -> list[int]:
    """Return k connected groups to improve: the current ones adjusted, or fresh ones."""
    if start is not None and any(g is not None for g in start):
        labels = connect([FREE if g is None else g for g in start], nbr, loads)
    else:
        labels = connect(bisect(xy, loads, k, turn=_turn(seed)).tolist(), nbr, loads)
    grow(labels, nbr, loads)
    if max(labels) + 1 > k:
        merge_down(labels, nbr, loads, k)
    split_up(labels, nbr, loads, xy, k)
    return labels


def _turn(seed: int) -> float:
    """Seed 0 cuts along the principal axes; other seeds turn the cuts for another draft."""
    return 0.0 if seed == 0 else random.Random(seed).uniform(-math.pi / 2, math.pi / 2)


def partition(
    *,
    loads: Sequence[float],
    edges: Mapping[tuple[int, int], float],
    xy: Sequence[tuple[float, float]] | NDArray[np.float64],
    k: int,
    start: Sequence[int | None] | None = None,
    seed: int = 0,
    compactness: float = 0.01,
    max_seconds: float = 60.0,
) -> Partition:
    """Return k connected groups of nodes with near-equal load (see the module docstring).

    >>> edges = {(i, i + 1): 1.0 for i in range(5)}  # a path of six nodes
    >>> partition(loads=[4, 1, 1, 1, 1, 4], edges=edges, xy=[(i, 0) for i in range(6)], k=2).labels
    [0, 0, 0, 1, 1, 1]
    >>> partition(loads=[6, 1, 1, 1, 1, 2], edges=edges, xy=[(i, 0) for i in range(6)], k=2).labels
    [0, 1, 1, 1, 1, 1]
    """
    deadline = time.perf_counter() + max_seconds
    n = len(loads)
    check_k(k, n)
    nbr = neighbours(n, edges)
    parts = pieces(nbr, range(n))
    if len(parts) > 1:
        raise GeoInputError(
            "units_disconnected",
            message_zh=f"单元不连通：{len(parts)} 片，例如 {parts[1][:5]} 与其余单元隔开。",
            message_en=f"The units fall into {len(parts)} pieces; e.g. {parts[1][:5]} "
            "are cut off from the rest.",
            field="units",
        )
    points = as_array(xy)
    labels = start_labels(loads=loads, nbr=nbr, xy=points, k=k, start=start, seed=seed)
    st = State(loads, nbr, labels, k, compactness)
    improve(st, points, deadline)
    renumber(st.group)
    converged = time.perf_counter() < deadline
    # Scored afresh: the loads kept through the moves may differ from a fresh sum in the
    # last bits, and callers compare scores between drafts.
    score = State(loads, nbr, st.group, k, compactness).score()
    return Partition(st.group, converged, score)

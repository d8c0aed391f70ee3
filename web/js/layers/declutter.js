// Label collision handling for the shared 'gl-labels' pane: labels are placed in rank
// order (street, community, dedicated, grid, micro; then by grid id, so panning does
// not make them flicker) and one that would overlap an already placed label gets
// `is-hidden` (visibility: hidden, see map.css). Runs once per frame at most.
const RANKS = { street: 0, community: 1, dedicated: 2, grid: 3, micro: 4 };
const GAP = 4; // px kept free around every label

const pending = new WeakMap(); // map → animation frame id

/** Declutter the map's labels on the next animation frame. */
export function scheduleDeclutter(map, paneName = 'gl-labels') {
  if (pending.has(map)) return;
  pending.set(map, requestAnimationFrame(() => {
    pending.delete(map);
    if (map.getPane && map.getPane(paneName)) declutter(map.getPane(paneName));
  }));
}

export function labelRank(level) {
  return RANKS[level] ?? 5;
}

/** Hide every label under `pane` that overlaps a label of higher priority. */
export function declutter(pane) {
  const labels = [...pane.querySelectorAll('.gl-label')].map((el) => ({
    el,
    rank: Number(el.dataset.rank ?? 9),
    id: Number(el.dataset.gridId) || 0,
  }));
  labels.sort((a, b) => a.rank - b.rank || a.id - b.id);
  const placed = [];
  for (const { el } of labels) {
    const text = el.firstElementChild || el;
    const r = text.getBoundingClientRect();
    const box = { l: r.left - GAP, t: r.top - GAP, r: r.right + GAP, b: r.bottom + GAP };
    const hit = r.width > 0 && placed.some((p) => box.l < p.r && box.r > p.l && box.t < p.b && box.b > p.t);
    el.classList.toggle('is-hidden', hit);
    if (!hit && r.width > 0) placed.push(box);
  }
}

// The command center's side of the closed loop, wired together: the queue panel, the
// report detail with its actions, dispatch with candidates on the map, the focus ring,
// the header counters, and the desk's tools (record a call, figures, categories,
// points). command.js calls mountCenter() once the map exists.
import { errorMessage } from '../api.js';
import { toast } from '../controls/toast.js';
import { ReportStore } from './store.js';
import { QueuePanel } from './queue.js';
import { DetailPanel } from './detail.js';
import { DispatchPanel } from './dispatch.js';
import { Lightbox } from './lightbox.js';
import { FocusRing } from './focus-ring.js';
import { OverdueCounter, TodayCounter } from './counters.js';
import { RecordForm } from './record.js';
import { FiguresPanel } from './figures.js';
import { CategoriesDialog } from './categories.js';
import { PointsDialog } from './points.js';
import { TrackPlayer, attachTrackButton } from './track-bar.js';

const $ = (id) => document.getElementById(id);

function followSelection({ map, detail, queue, store }) {
  const ring = new FocusRing([0, 0]);
  let centred = null;
  detail.addEventListener('select', (ev) => {
    const { id, report } = ev.detail;
    queue.setSelected(id);
    const where = report || store.get(id);
    if (id === null || !where || !Number.isFinite(where.lat)) {
      ring.remove();
      centred = null;
      return;
    }
    const latlng = [where.lat, where.lon];
    ring.setLatLng(latlng);
    if (!map.hasLayer(ring)) ring.addTo(map);
    if (centred === id) return; // only once per report, not on every live reload
    centred = id;
    // close enough to see the street, without losing the view when it is already there
    if (map.getZoom() < 15 || !map.getBounds().pad(-0.15).contains(latlng)) {
      map.setView(latlng, Math.max(map.getZoom(), 16));
    }
  });
}

/** `#report=123` opens that report, and the open report is kept in the address. */
function linkSelection(detail) {
  const fromHash = () => {
    const m = /^#report=(\d+)$/.exec(window.location.hash);
    if (m) detail.open(Number(m[1]));
  };
  detail.addEventListener('select', (ev) => {
    const hash = ev.detail.id === null ? '' : `#report=${ev.detail.id}`;
    if (window.location.hash !== hash) {
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
    }
  });
  window.addEventListener('hashchange', fromHash);
  fromHash();
}

/** The queue header's tools; a recorded report opens in the detail panel. */
function mountTools({ map, live, queue, detail }) {
  const record = new RecordForm({ panel: $('queue-panel'), form: $('record-form'), opener: $('record-open'), map }).mount();
  record.addEventListener('open', () => queue.setCollapsed(false));
  record.addEventListener('recorded', (ev) => {
    queue.setTab('intake');
    detail.open(ev.detail.id);
  });
  const figures = new FiguresPanel({ root: $('figures-panel'), opener: $('figures-open'), map, live }).mount();
  const categories = new CategoriesDialog({ dialog: $('categories-dialog'), opener: $('categories-open') }).mount();
  categories.addEventListener('change', () => record.categories && record.loadCategories());
  const points = new PointsDialog({ dialog: $('points-dialog'), opener: $('points-open') }).mount();
  return { record, figures, categories, points };
}

/** Escalation badges on the report markers: the level the queue store knows. */
function badgeEscalations(store, reportLayers) {
  const levelOf = (id) => (store.get(id) || {}).escalation_level ?? null;
  const layers = reportLayers.filter((layer) => typeof layer.setLevelLookup === 'function');
  for (const layer of layers) layer.setLevelLookup(levelOf);
  store.addEventListener('change', () => {
    for (const layer of layers) layer.refreshBadges();
  });
}

/** Roles that work the closed loop from this page (the queue API is theirs only). */
export const CENTER_ROLES = ['admin', 'operator'];

/** Show the center's panel and counters before the map takes the remaining room. */
export function revealCenter() {
  for (const el of document.querySelectorAll('[data-center]')) el.hidden = false;
}

/**
 * @param {object} o
 * @param {L.Map} o.map
 * @param {import('../live.js').LiveClient} o.live
 * @param {object} o.meta               /api/meta (its bbox bounds today's count)
 * @param {L.Evented[]} o.reportLayers  layers that fire 'open' {id} for a report
 */
export function mountCenter({ map, live, meta, reportLayers }) {
  const store = new ReportStore({ live });
  let warned = false;
  store.addEventListener('error', (ev) => {
    if (!warned) toast(errorMessage(ev.detail), { kind: 'error' });
    warned = true;
  });
  const dispatch = new DispatchPanel({ root: $('dispatch-panel'), map }).mount();
  const detail = new DetailPanel({
    root: $('report-detail'), live, lookup: (id) => store.get(id), lightbox: new Lightbox(), dispatch,
  }).mount();
  const queue = new QueuePanel({ root: $('queue-panel'), store, onOpen: (id) => detail.open(id) }).mount();
  followSelection({ map, detail, queue, store });
  linkSelection(detail);
  for (const layer of reportLayers) layer.on('open', (ev) => detail.open(ev.id));
  const tools = mountTools({ map, live, queue, detail });
  badgeEscalations(store, reportLayers);
  const track = new TrackPlayer({ map, host: map.getContainer().parentElement });
  attachTrackButton(map, track);

  new OverdueCounter($('count-overdue'), store).mount();
  new TodayCounter($('count-today'), { live, bbox: meta.bbox }).mount();
  store.mount();
  return { store, queue, detail, dispatch, track, ...tools };
}

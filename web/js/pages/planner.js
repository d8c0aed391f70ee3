// 网格规划: the planner page. A draft plan of one street or community is edited on the
// map (Leaflet-Geoman), checked by the server after every edit, previewed and published;
// the map can also be shown as of any moment. The workload of the grids (and a map
// coloured by it) and the redistricting assistant, which writes k balanced grids into the
// draft, have their own tabs. Planners and admins edit; operators read.
import { startI18n, loadSession, mountHeader, createLive, createMap, showBootError } from './common.js';
import { L } from 'leaflet';
import { errorMessage } from '../api.js';
import { bboxToLatLngBounds } from '../util.js';
import { t } from '../i18n.js';
import { homePathFor } from '../auth.js';
import { GridsLayer } from '../layers/grids.js';
import { toast } from '../controls/toast.js';
import { PlanSession } from '../plan/session.js';
import { DraftLayer } from '../plan/draft-layer.js';
import { ViolationsLayer } from '../plan/violations-layer.js';
import { AsOfControl } from '../plan/asof-control.js';
import { PlanTools } from '../plan/tools.js';
import { StreetsSnapLayer } from '../plan/streets-snap.js';
import { Scopes } from '../plan/scopes.js';
import { WorkerPool } from '../plan/workers.js';
import { PlansPanel } from '../plan/plans-panel.js';
import { GridPanel } from '../plan/grid-panel.js';
import { CheckPanel } from '../plan/check-panel.js';
import { PreviewPanel } from '../plan/preview-panel.js';
import { PublishPanel } from '../plan/publish-panel.js';
import { NewGridDialog } from '../plan/new-grid.js';
import { WorkloadPanel } from '../plan/workload-panel.js';
import { RedistrictPanel } from '../plan/redistrict-panel.js';
import { LoadLayer } from '../plan/load-layer.js';

const WRITE_ROLES = ['planner', 'admin'];
const READ_ROLES = [...WRITE_ROLES, 'operator'];
const $ = (id) => document.getElementById(id);

/** The message line under the plan bar: `#plan-msg[data-kind=ok|info|error|conflict][data-code]`. */
function showMessage({ kind = 'info', text = '', code = '' }) {
  const el = $('plan-msg');
  el.hidden = !text;
  el.dataset.kind = kind;
  el.dataset.code = code || '';
  el.textContent = text;
}

// tabs whose tables need a wider side panel
const WIDE_TABS = ['workload', 'redistrict'];

/** Tabs of the side panel; onShow(tab) after a switch. */
function mountTabs(onShow) {
  const nav = $('plan-tabs');
  const show = (tab) => {
    for (const button of nav.querySelectorAll('button[data-tab]')) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    for (const panel of document.querySelectorAll('[data-tabpanel]')) panel.hidden = panel.dataset.tabpanel !== tab;
    nav.dataset.tab = tab;
    $('plan-side').classList.toggle('is-wide', WIDE_TABS.includes(tab));
    onShow(tab);
  };
  nav.addEventListener('click', (ev) => {
    const button = ev.target.closest('button[data-tab]');
    if (button) show(button.dataset.tab);
  });
  return show;
}

function fitLayer(map, layer, pad = 60) {
  const bounds = layer && layer.getBounds && layer.getBounds();
  if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [pad, pad], maxZoom: 18 });
}

async function main() {
  startI18n();
  const started = await loadSession();
  if (!started) return;
  const { me, meta } = started;
  if (!READ_ROLES.includes(me.role)) {
    window.location.replace(homePathFor(me.role));
    return;
  }
  const canWrite = WRITE_ROLES.includes(me.role);
  document.body.classList.toggle('is-readonly', !canWrite);
  $('nav-command').hidden = me.role === 'planner';
  const live = createLive();
  mountHeader({ me, meta, live });

  const home = bboxToLatLngBounds(L, meta.bbox);
  const { map } = createMap({ meta, bounds: home, zoomSnap: 0.25 });
  map.fitBounds(home, { animate: false });
  // the current street and community outlines, for orientation (and as snap targets)
  for (const level of ['street', 'community']) new GridsLayer({ level, live, popup: false }).addTo(map);
  const draft = new DraftLayer().addTo(map);
  const violations = new ViolationsLayer().addTo(map);
  const scopes = await new Scopes().load(meta.bbox);
  // the workload colouring, on while the workload tab shows it
  const loadLayer = new LoadLayer({ bbox: meta.bbox, nameOf: (parent) => scopes.nameOf(parent.id, parent.name) });
  const streets = new StreetsSnapLayer(); // snap targets while a draft can be edited

  const session = new PlanSession();
  const pool = new WorkerPool();
  const onMessage = (msg) => showMessage(msg);
  const newGrid = new NewGridDialog({ dialog: $('new-grid-dialog'), session, scopes }).mount();
  const tools = new PlanTools({ map, layer: draft, session, bar: $('plan-tool'), onDrawn: (geometry) => newGrid.open(geometry) }).mount();

  const openPlan = async (id) => {
    tools.cancel();
    try {
      await session.open(id);
    } catch (err) {
      showMessage({ kind: 'error', text: errorMessage(err), code: err.code });
      return;
    }
    const url = new URL(window.location.href);
    url.searchParams.set('plan', String(id));
    window.history.replaceState(null, '', url);
    fitLayer(map, draft);
    pool.load(session.plan.id, session.grids.features).then(() => gridPanel.poolLoaded());
  };

  const plans = new PlansPanel({ root: $('plans'), session, scopes, canWrite, onOpen: openPlan, onMessage }).mount();
  const gridPanel = new GridPanel({
    root: $('plan-grid'), session, tools, pool, canWrite,
    onFocus: (key) => fitLayer(map, draft.getLayerByKey(key), 100),
  }).mount();
  const showTab = mountTabs((tab) => {
    map.invalidateSize();
    preview.show(tab === 'preview');
    workload.show(tab === 'workload');
    if (tab === 'publish') publish.show();
  });
  const workload = new WorkloadPanel({
    root: $('plan-workload'), session, scopes,
    onColour: (data) => {
      if (data) map.addLayer(loadLayer.setWorkload(data));
      else map.removeLayer(loadLayer);
    },
  }).mount();
  new RedistrictPanel({
    root: $('plan-redistrict'), session, scopes, canWrite,
    onDone: () => fitLayer(map, draft),
  }).mount();
  new CheckPanel({
    root: $('plan-check'), session, badge: $('plan-tabs').querySelector('[data-tab=check] .gl-badge'), onMessage,
    onShow: (feature) => {
      const bounds = violations.boundsOf(feature);
      if (bounds) map.fitBounds(bounds.pad(0.5), { maxZoom: 18 });
      const key = feature.properties && feature.properties.grid;
      if (key !== null && key !== undefined) session.select(key);
    },
  }).mount();
  const preview = new PreviewPanel({ root: $('plan-preview'), session }).mount();
  const publish = new PublishPanel({
    root: $('plan-publish'), session, canWrite, onMessage,
    onPublished: (out) => {
      showMessage({ kind: 'ok', text: t('plan.msg.published'), code: 'published' });
      session.setPlan(out.plan);
      session.reload().catch(() => {});
    },
  }).mount();

  session.addEventListener('grids', () => draft.setCollection(session.grids));
  session.addEventListener('select', (ev) => {
    draft.setSelected(ev.detail.key);
    if (ev.detail.key !== null && ev.detail.picked) showTab('grid');
  });
  session.addEventListener('check', () => violations.setCollection(session.check && session.check.violations));
  session.addEventListener('message', (ev) => showMessage(ev.detail));
  session.addEventListener('busy', (ev) => document.body.classList.toggle('is-busy', ev.detail.busy));
  session.addEventListener('plan', () => {
    const plan = session.plan;
    $('plan-tabs').hidden = !plan;
    if (!plan) {
      for (const panel of document.querySelectorAll('[data-tabpanel]')) panel.hidden = true;
      $('plan-side').classList.remove('is-wide');
      const url = new URL(window.location.href);
      url.searchParams.delete('plan');
      window.history.replaceState(null, '', url);
    } else if (!$('plan-tabs').dataset.tab) showTab('grid');
    if (!session.editable) tools.cancel();
    if (session.editable && canWrite) map.addLayer(streets);
    else map.removeLayer(streets);
  });
  $('draw-dedicated').addEventListener('click', () => tools.start('draw'));

  // someone published: the outlines reload themselves; a draft here may now be stale
  live.addEventListener('event', (ev) => {
    const msg = ev.detail;
    if (msg.topic !== 'grids' || msg.kind !== 'published') return;
    const planId = msg.payload && msg.payload.plan_id;
    if (session.plan && String(planId) !== String(session.plan.id)) toast(t('plan.msg.otherPublished'), { kind: 'info' });
    loadLayer.refresh();
    workload.stale();
  });

  new AsOfControl({
    live,
    onChange: (at) => {
      tools.cancel();
      for (const layer of [draft, violations]) {
        if (at) map.removeLayer(layer);
        else map.addLayer(layer);
      }
      if (at) map.removeLayer(loadLayer);
      else workload.recolour();
      document.body.dataset.asof = at ? '1' : '';
    },
  }).addTo(map);

  await plans.refresh();
  const wanted = new URLSearchParams(window.location.search).get('plan');
  if (wanted) await openPlan(wanted);
  document.body.dataset.ready = '1';
  live.start();
}

main().catch(showBootError);

// The patroller's phone page: own grid, neighbours, stations, own position (sent to
// POST /api/positions through the outbox), and a bottom sheet with tabs: the grid's
// facts, my tasks (claim, resolve, navigate), reporting a problem (field/work.js) and
// household visits (field/visits.js).
import { L } from 'leaflet';
import { startI18n, loadSession, mountHeader, createLive, createMap, showBootError } from './common.js';
import { errorMessage } from '../api.js';
import { t, onLangChange } from '../i18n.js';
import { expandBbox, bboxToLatLngBounds } from '../util.js';
import { GridsLayer } from '../layers/grids.js';
import { StationsLayer } from '../layers/stations.js';
import { OwnGridLayer } from '../layers/owngrid.js';
import { MeLayer } from '../layers/me.js';
import { PositionOutbox } from '../outbox.js';
import { toast } from '../controls/toast.js';
import { startFieldWork } from '../field/work.js';
import { startVisits } from '../field/visits.js';
import { SosControl } from '../field/sos.js';

const MIN_FIX_INTERVAL_MS = 3000;
const MIN_FIX_DISTANCE_M = 10;
const byId = (id) => document.getElementById(id);

/** Fill the bottom sheet with the own grid's facts. */
function renderSheet(props) {
  byId('grid-name').textContent = props.name || '';
  byId('grid-code').textContent = props.code || '';
  byId('grid-households').textContent = props.households ?? '–';
  byId('grid-stations').textContent = props.stations ?? '–';
}

function renderGps(state) {
  const el = byId('gps-state');
  el.dataset.state = state.kind;
  el.textContent = state.kind === 'fix'
    ? t('patrol.gpsFix', { accuracy: Math.round(state.accuracy ?? 0) })
    : t(`patrol.gps.${state.kind}`);
}

function renderOutbox(detail) {
  const el = byId('pending-fixes');
  el.dataset.pending = String(detail.pending);
  el.textContent = detail.pending
    ? t('patrol.pending', { count: detail.pending })
    : t('patrol.allSent');
}

/** Keep a fix if enough time has passed or we moved far enough since the last kept one. */
function shouldKeep(last, fix) {
  if (!last) return true;
  const dt = new Date(fix.time) - new Date(last.time);
  const moved = L.latLng(last.lat, last.lon).distanceTo([fix.lat, fix.lon]);
  return dt >= MIN_FIX_INTERVAL_MS || moved >= MIN_FIX_DISTANCE_M;
}

function startPositions(map, me) {
  const outbox = new PositionOutbox({ storageKey: `gridlink.outbox.positions.${me.username}` });
  let gps = { kind: 'waiting' };
  let last = null;
  const meLayer = new MeLayer();
  meLayer.on('fix', ({ fix }) => {
    gps = { kind: 'fix', accuracy: fix.accuracy };
    renderGps(gps);
    if (shouldKeep(last, fix)) {
      last = fix;
      outbox.push(Object.fromEntries(Object.entries(fix).filter(([, v]) => v !== undefined)));
    }
  });
  meLayer.on('locationerror', ({ error }) => {
    gps = { kind: error && error.code === 1 ? 'denied' : 'error' };
    renderGps(gps);
  });
  outbox.addEventListener('change', (ev) => renderOutbox(ev.detail));
  onLangChange(() => {
    renderGps(gps);
    renderOutbox({ pending: outbox.pending });
  });
  renderGps(gps);
  renderOutbox({ pending: outbox.pending });
  meLayer.addTo(map);
  outbox.start();
  byId('center-me').addEventListener('click', () => {
    const latlng = meLayer.getLatLng();
    if (latlng) map.setView(latlng, Math.max(map.getZoom(), 17));
    else toast(t('patrol.gps.waiting'));
  });
  return meLayer;
}

async function main() {
  startI18n();
  const session = await loadSession();
  if (!session) return;
  const { me, meta } = session;
  const live = createLive();
  mountHeader({ me, meta, live });
  const home = me.home;
  const center = home ? [(home.bbox[0] + home.bbox[2]) / 2, (home.bbox[1] + home.bbox[3]) / 2] : meta.center;
  const { map } = createMap({ meta, center, zoom: home ? 16 : meta.zoom });
  const meLayer = startPositions(map, me);
  new SosControl({ root: byId('sos'), dialog: byId('sos-dialog'), me, live, meLayer }).mount();
  live.start();

  const sheet = byId('sheet');
  // map controls and fitBounds keep clear of the bottom sheet
  const sheetHeight = () => sheet.getBoundingClientRect().top < window.innerHeight
    ? Math.max(0, window.innerHeight - sheet.getBoundingClientRect().top) : 0;
  const syncSheet = () => document.body.style.setProperty('--gl-sheet-h', `${Math.round(sheetHeight())}px`);
  new ResizeObserver(syncSheet).observe(sheet);
  sheet.addEventListener('transitionend', syncSheet);
  const fitOptions = () => ({ paddingTopLeft: [24, 24], paddingBottomRight: [24, sheetHeight() + 24], maxZoom: 18 });
  const renderLoading = () => {
    if (sheet.dataset.state === 'loading') byId('grid-name').textContent = t('common.loading');
    if (sheet.dataset.state === 'no-grid') byId('grid-name').textContent = t('patrol.noGrid');
  };
  renderLoading();
  onLangChange(renderLoading);
  byId('sheet-handle').addEventListener('click', () => sheet.classList.toggle('is-collapsed'));
  startFieldWork({ map, me, live, meLayer, sheet, fitOptions })
    .catch((err) => toast(errorMessage(err), { kind: 'error' }));
  startVisits({ map, me, live, meLayer });
  if (!home) {
    sheet.dataset.state = 'no-grid';
    renderLoading();
    byId('center-grid').disabled = true;
    return;
  }

  const homeBounds = bboxToLatLngBounds(L, home.bbox);
  new GridsLayer({
    level: 'grid',
    kind: 'comprehensive',
    bbox: expandBbox(home.bbox, 0.6),
    exclude: [home.grid_id],
    labelZooms: [0, 99],
    live,
  }).addTo(map);
  new StationsLayer({ bbox: home.bbox, gridId: home.grid_id, live }).addTo(map);

  const own = new OwnGridLayer({ gridId: home.grid_id, live });
  let first = true;
  own.on('load', ({ feature }) => {
    renderSheet(feature.properties || {});
    sheet.dataset.state = 'ready';
    if (first) {
      first = false;
      map.fitBounds(own.getGridBounds() || homeBounds, fitOptions());
      document.body.dataset.ready = '1';
    }
  });
  own.on('loaderror', ({ error }) => toast(errorMessage(error), { kind: 'error' }));
  own.addTo(map);

  byId('center-grid').addEventListener('click', () => {
    map.fitBounds(own.getGridBounds() || homeBounds, fitOptions());
  });
}

main().catch(showBootError);

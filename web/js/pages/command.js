// 网格化联动指挥中心: the command center map.
import { startI18n, loadSession, mountHeader, createLive, createMap, showBootError } from './common.js';
import { L } from 'leaflet';
import { errorMessage, getLayer } from '../api.js';
import { bboxToLatLngBounds } from '../util.js';
import { t } from '../i18n.js';
import { homePathFor } from '../auth.js';
import { GridsLayer, LEVEL_STYLES } from '../layers/grids.js';
import { StationsLayer } from '../layers/stations.js';
import { HouseholdsLayer, careGradient } from '../layers/households.js';
import { ReportsLayer, STATUS_COLORS } from '../layers/reports.js';
import { CenterReportsLayer } from '../center/report-markers.js';
import { CENTER_ROLES, mountCenter, revealCenter } from '../center/index.js';
import { mountVisitsPanel } from '../center/visits.js';
import { ALERT_ROLES, mountAlerts } from '../center/alerts.js';
import { CoverageReport } from '../center/coverage-report.js';
import { CoverageLayer, COVERAGE_COLORS } from '../layers/coverage.js';
import { WorkersLayer } from '../layers/workers.js';
import { DEDICATED_COLORS } from '../layers/hatch.js';
import { LayerSwitcher } from '../controls/layers.js';
import { WorkersOnlineCounter, OpenReportsCounter } from '../controls/counters.js';
import { toast } from '../controls/toast.js';

function buildLayers(live, center) {
  // in the center a report marker opens the detail panel; other roles get the popup
  const Reports = center ? CenterReportsLayer : ReportsLayer;
  return {
    street: new GridsLayer({ level: 'street', live }),
    community: new GridsLayer({ level: 'community', live }),
    grid: new GridsLayer({ level: 'grid', kind: 'comprehensive', minZoom: 12, live }),
    dedicated: new GridsLayer({ kind: 'dedicated', live }),
    stations: new StationsLayer({ live }),
    households: new HouseholdsLayer({ live }),
    reportsOpen: new Reports({ group: 'open', live }),
    reportsProgress: new Reports({ group: 'progress', live }),
    reportsClosed: new Reports({ group: 'closed', live }),
    workers: new WorkersLayer({ live }),
    coverage: new CoverageLayer({ live }),
  };
}

function buildSwitcher(base, layers) {
  const line = (style) => style.color;
  const groups = [
    { titleKey: 'layers.group.base', items: [] },
    {
      titleKey: 'layers.group.boundaries',
      items: [
        { id: 'grids-street', labelKey: 'layers.street', layer: layers.street, swatch: line(LEVEL_STYLES.street), line: true },
        { id: 'grids-community', labelKey: 'layers.community', layer: layers.community, swatch: line(LEVEL_STYLES.community), line: true },
        { id: 'grids-grid', labelKey: 'layers.grid', layer: layers.grid, swatch: line(LEVEL_STYLES.grid), line: true },
        {
          id: 'grids-dedicated',
          labelKey: 'layers.dedicated',
          layer: layers.dedicated,
          swatch: `repeating-linear-gradient(45deg, ${DEDICATED_COLORS.school} 0 3px, ${DEDICATED_COLORS.hospital} 3px 6px, ${DEDICATED_COLORS.market} 6px 9px)`,
        },
      ],
    },
    {
      titleKey: 'layers.group.places',
      items: [
        { id: 'stations', labelKey: 'layers.stations', layer: layers.stations, swatch: '#c81e1e' },
        { id: 'households', labelKey: 'layers.households', layer: layers.households, swatch: careGradient({ red: 1, orange: 1, yellow: 1, blue: 1, green: 1 }) },
      ],
    },
    {
      titleKey: 'layers.group.reports',
      items: [
        { id: 'reports-open', labelKey: 'layers.reportsOpen', layer: layers.reportsOpen, swatch: STATUS_COLORS.submitted },
        { id: 'reports-progress', labelKey: 'layers.reportsProgress', layer: layers.reportsProgress, swatch: STATUS_COLORS.claimed },
        { id: 'reports-closed', labelKey: 'layers.reportsClosed', layer: layers.reportsClosed, swatch: STATUS_COLORS.resolved },
      ],
    },
    {
      titleKey: 'layers.group.people',
      items: [
        { id: 'workers', labelKey: 'layers.workers', layer: layers.workers, swatch: '#0369a1' },
        {
          id: 'workers-offline',
          labelKey: 'layers.workersOffline',
          parent: layers.workers,
          swatch: '#9ca3af',
          option: { get: () => layers.workers.showsOffline(), set: (on) => layers.workers.setShowOffline(on) },
        },
      ],
    },
    {
      titleKey: 'layers.group.patrol',
      items: [
        {
          id: 'coverage',
          labelKey: 'layers.coverage',
          layer: layers.coverage,
          swatch: `linear-gradient(90deg, ${COVERAGE_COLORS.slice(0, 4).map((c) => c.color).join(', ')})`,
        },
      ],
    },
  ];
  if (base) groups[0].items.push({ id: 'basemap', labelKey: 'layers.basemap', layer: base, swatch: '#e4e2dc' });
  else groups.shift();
  return new LayerSwitcher({ groups, collapsed: window.innerWidth < 700 });
}

const PLANNER_LINK_ROLES = ['admin', 'operator']; // operators see plans read-only

const DEFAULT_ON = ['street', 'community', 'grid', 'dedicated', 'stations', 'reportsOpen', 'reportsProgress', 'workers'];

/**
 * The first view's bounds: the street's own outline (meta.bbox is the service area,
 * which has a margin of about a kilometre around it), else meta.bbox.
 */
async function homeBounds(meta) {
  const area = bboxToLatLngBounds(L, meta.bbox);
  try {
    const streets = await getLayer('/api/grids', { bbox: meta.bbox, params: { level: 'street' } });
    const bounds = L.geoJSON(streets).getBounds();
    if (bounds.isValid() && area.contains(bounds)) return bounds;
  } catch {
    // no street outline (e.g. not allowed): the service area will do
  }
  return area;
}

/** Fit the home bounds into the part of the map the layer switcher does not cover. */
function fitHome(map, bounds, switcher) {
  const pad = 24;
  const panel = switcher.getContainer();
  const covered = panel && !panel.classList.contains('is-collapsed') ? panel.offsetWidth + 10 : 0;
  map.fitBounds(bounds, { paddingTopLeft: [pad, pad], paddingBottomRight: [pad + covered, pad], animate: false });
}

/** While the report detail narrows the map, fold the layer switcher (and unfold it after). */
function tuckSwitcher(switcher, detail) {
  let tucked = false;
  detail.addEventListener('select', (ev) => {
    const root = switcher.getContainer();
    const toggle = root && root.querySelector('.gl-layers__toggle');
    if (!toggle) return;
    const collapsed = root.classList.contains('is-collapsed');
    if (ev.detail.id !== null && !collapsed && !tucked) {
      toggle.click();
      tucked = true;
    } else if (ev.detail.id === null && tucked) {
      if (collapsed) toggle.click();
      tucked = false;
    }
  });
}

async function main() {
  startI18n();
  const session = await loadSession();
  if (!session) return;
  const { me, meta } = session;
  if (homePathFor(me.role) !== '/') {
    window.location.replace(homePathFor(me.role));
    return;
  }
  const live = createLive();
  mountHeader({ me, meta, live });
  document.getElementById('nav-planner').hidden = !PLANNER_LINK_ROLES.includes(me.role);
  // a published plan: the grid layers refetch themselves (GridsLayer listens for the
  // 'grids' topic); say why the map changed
  live.addEventListener('event', (ev) => {
    if (ev.detail.topic === 'grids' && ev.detail.kind === 'published') toast(t('command.gridUpdated'), { kind: 'info' });
  });
  const center = CENTER_ROLES.includes(me.role);
  if (center) revealCenter();
  const bounds = await homeBounds(meta);
  // quarter zoom steps, so that the street can fill the screen
  const { map, base } = createMap({ meta, bounds, zoomSnap: 0.25 });
  const layers = buildLayers(live, center);
  const switcher = buildSwitcher(base, layers).addTo(map);
  fitHome(map, bounds, switcher);

  const gridLayers = [layers.street, layers.community, layers.grid, layers.dedicated];
  const markReady = () => {
    document.body.dataset.ready = '1';
    for (const layer of gridLayers) layer.off('load', markReady);
  };
  for (const layer of gridLayers) layer.on('load', markReady);

  for (const [name, layer] of Object.entries(layers)) {
    layer.on('loaderror', (ev) => toast(`${t(`layers.${name}`)}：${errorMessage(ev.error)}`, { kind: 'error' }));
    layer.on('forbidden', () => {
      map.removeLayer(layer);
      switcher.setDisabled(layer, true, 'layers.forbidden');
      toast(t('layers.forbiddenNamed', { layer: t(`layers.${name}`) }), { kind: 'error' });
    });
  }
  for (const name of DEFAULT_ON) layers[name].addTo(map);

  new WorkersOnlineCounter(document.getElementById('count-workers'), { live, bbox: meta.bbox }).mount();
  new OpenReportsCounter(document.getElementById('count-reports'), { live, bbox: meta.bbox }).mount();
  if (center) {
    const { detail, figures } = mountCenter({ map, live, meta, reportLayers: [layers.reportsOpen, layers.reportsProgress, layers.reportsClosed] });
    tuckSwitcher(switcher, detail);
    mountVisitsPanel({ map, live, others: [figures] }); // one panel at a time in that corner
    const $ = (id) => document.getElementById(id);
    new CoverageReport({ root: $('coverage-report'), opener: $('coverage-open'), map, live }).mount();
  }
  const alerts = ALERT_ROLES.includes(me.role);
  if (alerts) mountAlerts({ map, live, workers: layers.workers });
  // the map's box changes when a panel opens, closes or collapses, or the SOS banner shows or grows
  if (center || alerts) new ResizeObserver(() => map.invalidateSize({ pan: false })).observe(map.getContainer());
  live.start();
}

main().catch(showBootError);

// 巡查覆盖: the grids coloured by how much of their streets were walked on a day and
// shift (GET /api/coverage/layer, following the view): none red, under 30 % orange,
// under 70 % yellow, from 70 % green, no streets grey. Polygons get class `gl-coverage`,
// data-grid-id and data-share; the tooltip adds the workers who walked there (GET
// /api/coverage). While on, a legend with the day and shift pickers shows (bottom left).
// A `coverage` event on the live feed refetches both.
import { L } from 'leaflet';
import { apiFetch, isAbort } from '../api.js';
import { onLangChange, pick, t } from '../i18n.js';
import { debounce, esc, latestOnly } from '../util.js';
import { BBoxLayer } from './bbox.js';
import { tagPath } from './marker.js';
import { CoverageLegend } from '../controls/coverage-legend.js';

const PANE = 'gl-coverage';

export const COVERAGE_COLORS = [
  { key: 'none', color: '#dc2626' }, // nothing walked
  { key: 'low', color: '#f97316' },
  { key: 'mid', color: '#facc15' },
  { key: 'high', color: '#16a34a' },
  { key: 'nostreets', color: '#9ca3af' },
];

/** The colour band of a grid: by share walked; 'nostreets' when it has no streets. */
export function coverageBand(share, streetM) {
  if (share === null || share === undefined || !(streetM > 0)) return 'nostreets';
  if (share <= 0) return 'none';
  if (share < 0.3) return 'low';
  if (share < 0.7) return 'mid';
  return 'high';
}

export const coverageColor = (share, streetM) => COVERAGE_COLORS.find((c) => c.key === coverageBand(share, streetM)).color;

/** "42%" (whole per cent; a little walked is at least 1 %), "—" without streets. */
export function sharePercent(share) {
  if (share === null || share === undefined) return '—';
  return `${share > 0 ? Math.max(1, Math.round(share * 100)) : 0}%`;
}

/** "5 小时前巡查" / "今日未巡查过" from hours_since (null: never in the kept history). */
export function hoursText(hours) {
  if (hours === null || hours === undefined) return t('coverage.never');
  if (hours < 1) return t('coverage.justNow');
  return t('coverage.hoursAgo', { hours: Math.round(hours) });
}

export const getCoverage = (params, signal) => apiFetch('/api/coverage', { params, signal });

export const CoverageLayer = BBoxLayer.extend({
  options: {
    path: '/api/coverage/layer',
    rebuildOnZoom: true, // simplified outlines per zoom
    minZoom: 12,
    day: null, // 'YYYY-MM-DD'; null: the server's today
    shift: 'all',
  },

  initialize(options) {
    BBoxLayer.prototype.initialize.call(this, options);
    this._stats = new Map(); // grid id → row of GET /api/coverage (workers, names)
    this._statsFetch = latestOnly();
    this.summary = null; // {day, shift, from, to, computed_through}
    this._refetch = debounce(() => this.refresh(), 1500);
    this._onLive = (ev) => {
      if (ev.detail && ev.detail.topic === 'coverage') this._refetch();
    };
    this._offLang = null;
    this._syncParams();
  },

  onAdd(map) {
    // over the grid panes (401–405), so that hovering a grid shows its coverage; under the labels
    if (!map.getPane(PANE)) map.createPane(PANE).style.zIndex = 406;
    this._legend = new CoverageLegend({ layer: this }).addTo(map);
    BBoxLayer.prototype.onAdd.call(this, map);
    if (this.options.live) this.options.live.addEventListener('event', this._onLive);
    this._offLang = onLangChange(() => this._legend.render());
    this._loadStats();
  },

  onRemove(map) {
    if (this.options.live) this.options.live.removeEventListener('event', this._onLive);
    if (this._offLang) this._offLang();
    this._refetch.cancel();
    this._statsFetch.abort();
    this._legend.remove();
    this._legend = null;
    BBoxLayer.prototype.onRemove.call(this, map);
  },

  /** Show another day ('YYYY-MM-DD') and/or shift ('all' | 'day' | 'night'). */
  setDayShift({ day = this.options.day, shift = this.options.shift } = {}) {
    this.options.day = day || null;
    this.options.shift = shift || 'all';
    this._syncParams();
    return this.refresh();
  },

  refresh() {
    this._loadStats();
    return this.reload();
  },

  _syncParams() {
    this.options.params = { shift: this.options.shift, day: this.options.day || undefined };
  },

  async _loadStats() {
    try {
      const data = await this._statsFetch((signal) => getCoverage({ day: this.options.day, shift: this.options.shift }, signal));
      this._stats = new Map((data.grids || []).map((g) => [String(g.grid_id), g]));
      const { grids, ...summary } = data;
      this.summary = summary;
      if (!this.options.day && summary.day) this.options.day = summary.day; // the server's today
      this._syncParams();
      if (this._legend) this._legend.render();
    } catch (err) {
      if (!isAbort(err)) this.fire('loaderror', { error: err });
    }
  },

  /** The layer's features carry grid_id; the base class matches by properties.id. */
  setFeatures(features, zoom) {
    const keyed = features.map((f) => (f.properties.id === undefined
      ? { ...f, properties: { ...f.properties, id: f.properties.grid_id } } : f));
    BBoxLayer.prototype.setFeatures.call(this, keyed, zoom);
  },

  createFeature(feature) {
    const layer = L.GeoJSON.geometryToLayer(feature);
    if (!layer) return null;
    const p = feature.properties;
    const band = coverageBand(p.share, p.street_m);
    L.setOptions(layer, {
      pane: PANE,
      className: `gl-coverage gl-coverage--${band}`,
      color: '#ffffff',
      weight: 1,
      opacity: 0.9,
      fillColor: coverageColor(p.share, p.street_m),
      fillOpacity: 0.5,
    });
    tagPath(layer, { gridId: p.grid_id ?? p.id, share: p.share ?? '', band });
    layer.bindTooltip(() => this.tooltipHtml(layer.feature.properties), { sticky: true, className: 'gl-coverage-tip' });
    return layer;
  },

  tooltipHtml(p) {
    const row = this._stats.get(String(p.grid_id ?? p.id)) || {};
    const name = pick(p.name, p.name_en) || row.name || p.code || '';
    const workers = (row.workers || []).map((w) => esc(w.name)).join('、');
    const walked = p.street_m > 0
      ? t('coverage.walked', { walked: Math.round(p.walked_m || 0), street: Math.round(p.street_m) }) : t('coverage.noStreets');
    return `<div class="gl-cov-tip"><b>${esc(name)}</b>
      <span class="gl-cov-tip__share" style="--c:${coverageColor(p.share, p.street_m)}">${esc(sharePercent(p.share))}</span>
      <p>${esc(walked)}</p><p>${esc(hoursText(p.hours_since))}</p>
      <p>${esc(t('coverage.workers'))}：${workers || esc(t('common.none'))}</p></div>`;
  },
});

// The grid map as it was at a moment (/api/grids/asof?at=…), read-only, following the
// view. Polygons: `.gl-asof-grid[data-grid-id][data-version][data-level]`; a hover shows
// the name and the version's validity.
import { L } from 'leaflet';
import { pick, t } from '../i18n.js';
import { esc, formatTime } from '../util.js';
import { BBoxLayer } from '../layers/bbox.js';
import { tagPath } from '../layers/marker.js';

const STYLES = {
  street: { color: '#4c1d95', weight: 3.5, opacity: 0.8, fill: false, dashArray: '10 6' },
  community: { color: '#6d28d9', weight: 2.5, opacity: 0.85, fill: false },
  grid: { color: '#7c3aed', weight: 1.4, opacity: 0.9, fillColor: '#7c3aed', fillOpacity: 0.06 },
};

export const AsOfLayer = BBoxLayer.extend({
  options: {
    path: '/api/grids/asof',
    at: null, // ISO time
    rebuildOnZoom: true,
    pane: 'gl-plan-asof',
  },

  initialize(options) {
    BBoxLayer.prototype.initialize.call(this, options);
    this.options.params = { at: this.options.at };
  },

  onAdd(map) {
    if (!map.getPane(this.options.pane)) map.createPane(this.options.pane).style.zIndex = 405;
    BBoxLayer.prototype.onAdd.call(this, map);
  },

  /** Show another moment (ISO). */
  setTime(at) {
    this.options.at = at;
    this.options.params = { at };
    this.clearFeatures();
    this.reload();
  },

  createFeature(feature) {
    const props = feature.properties;
    const layer = L.GeoJSON.geometryToLayer(feature);
    if (!layer) return null;
    const level = props.level || 'grid';
    L.setOptions(layer, {
      ...(STYLES[level] || STYLES.grid),
      pane: this.options.pane,
      className: `gl-asof-grid gl-asof-grid--${level}`,
      snapIgnore: true,
      pmIgnore: true,
    });
    tagPath(layer, { gridId: props.id, version: props.version ?? '', level });
    layer.bindTooltip(() => tooltipHtml(props), { sticky: true, className: 'gl-asof-tip' });
    return layer;
  },
});

function tooltipHtml(props) {
  const name = pick(props.name, props.name_en) || props.code || '';
  const from = props.valid_from && !String(props.valid_from).startsWith('-') ? formatTime(props.valid_from) : t('plan.asof.always');
  const to = props.valid_to ? formatTime(props.valid_to) : t('plan.asof.now');
  return `<b>${esc(name)}</b> <span class="gl-muted">${esc(props.code || '')} · v${esc(props.version ?? '')}</span>`
    + `<br>${esc(t('plan.asof.valid', { from, to }))}`;
}

// The server's check drawn on the map: each violation with a place is a red shape
// (orange for a warning, green for a sliver that was cleaned), with its message in the
// current language as a tooltip. Elements: `.gl-violation[data-code][data-severity][data-grid]`.
// Never a snap target, never edited.
import { L } from 'leaflet';
import { onLangChange, pick } from '../i18n.js';
import { esc } from '../util.js';
import { tagPath } from '../layers/marker.js';

export const SEVERITY_COLORS = { error: '#dc2626', warning: '#ea580c', fixed: '#16a34a' };

export function violationText(props) {
  return pick(props.message_zh, props.message_en) || props.code || '';
}

export const ViolationsLayer = L.FeatureGroup.extend({
  options: {
    pane: 'gl-plan-violations',
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this._offLang = null;
    this._collection = null;
  },

  onAdd(map) {
    if (!map.getPane(this.options.pane)) map.createPane(this.options.pane).style.zIndex = 430;
    L.FeatureGroup.prototype.onAdd.call(this, map);
    this._offLang = onLangChange(() => this.setCollection(this._collection));
  },

  onRemove(map) {
    if (this._offLang) this._offLang();
    this._offLang = null;
    L.FeatureGroup.prototype.onRemove.call(this, map);
  },

  /** Draw the violations FeatureCollection of a check (null clears). */
  setCollection(collection) {
    this._collection = collection;
    this.clearLayers();
    for (const feature of (collection && collection.features) || []) {
      if (!feature.geometry) continue;
      const layer = this._create(feature);
      if (layer) this.addLayer(layer);
    }
  },

  /** The layer of the n-th violation (same order as the list), to zoom to it. */
  boundsOf(feature) {
    if (!feature || !feature.geometry) return null;
    const bounds = L.geoJSON(feature).getBounds();
    return bounds.isValid() ? bounds : null;
  },

  _create(feature) {
    const props = feature.properties || {};
    const severity = props.severity || 'error';
    const color = SEVERITY_COLORS[severity] || SEVERITY_COLORS.error;
    const common = {
      pane: this.options.pane,
      color,
      weight: 3,
      opacity: 0.95,
      fillColor: color,
      fillOpacity: 0.35,
      className: `gl-violation gl-violation--${severity}`,
      snapIgnore: true,
      pmIgnore: true,
    };
    const layer = L.geoJSON(feature, {
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...common, radius: 8 }),
      style: () => common,
      ...common,
    });
    layer.eachLayer((part) => {
      tagPath(part, { code: props.code || '', severity, grid: props.grid ?? '' });
    });
    layer.bindTooltip(esc(violationText(props)), { sticky: true, className: 'gl-violation-tip' });
    return layer;
  },
});

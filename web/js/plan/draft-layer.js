// The draft's grids, styled by what the plan does to them (keep / change / new / retire).
// Polygons get class `gl-plan-grid gl-plan-grid--<action>` and data-key, data-action,
// data-grid-id (empty for a new grid), data-kind; the selected one also `is-selected`.
// Retired grids are drawn dashed underneath and take no clicks (nor snaps).
// Fires 'pick' {key} when a grid is clicked (unless a tool has the map).
import { L } from 'leaflet';
import { onLangChange, pick } from '../i18n.js';
import { esc } from '../util.js';
import { tagPath } from '../layers/marker.js';
import { ensureHatchPatterns, hatchFill, dedicatedColor } from '../layers/hatch.js';

export const ACTION_COLORS = { keep: '#0891b2', change: '#d97706', new: '#16a34a', retire: '#6b7280' };

export function actionStyle(props) {
  const action = props.action || 'keep';
  const color = ACTION_COLORS[action] || ACTION_COLORS.keep;
  if (action === 'retire') {
    return { color, weight: 1.5, opacity: 0.8, dashArray: '4 4', fill: false };
  }
  const dedicated = props.kind === 'dedicated';
  return {
    color: dedicated ? dedicatedColor(props.dedicated_type) : color,
    weight: action === 'keep' ? 1.4 : 2.4,
    opacity: 0.95,
    dashArray: dedicated && action === 'keep' ? '6 3' : null,
    fill: true,
    fillColor: dedicated ? hatchFill(props.dedicated_type) : color,
    fillOpacity: dedicated ? 1 : action === 'keep' ? 0.05 : 0.16,
  };
}

export const DraftLayer = L.FeatureGroup.extend({
  options: {
    pane: 'gl-plan',
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this._byKey = new Map();
    this._selected = null;
    this._offLang = null;
    this.picking = true; // false while a tool owns the clicks
  },

  onAdd(map) {
    if (!map.getPane(this.options.pane)) map.createPane(this.options.pane).style.zIndex = 410;
    ensureHatchPatterns();
    L.FeatureGroup.prototype.onAdd.call(this, map);
    this._offLang = onLangChange(() => this._relabel());
  },

  onRemove(map) {
    if (this._offLang) this._offLang();
    this._offLang = null;
    L.FeatureGroup.prototype.onRemove.call(this, map);
  },

  /** Replace every feature with those of a FeatureCollection. */
  setCollection(collection) {
    this.clearLayers();
    this._byKey.clear();
    const features = (collection && collection.features) || [];
    // retired first, so the living grids are drawn (and clicked) above them
    const sorted = [...features].sort((a, b) => (b.properties.action === 'retire') - (a.properties.action === 'retire'));
    for (const feature of sorted) {
      const layer = this._create(feature);
      if (!layer) continue;
      this._byKey.set(String(feature.properties.key), layer);
      this.addLayer(layer);
    }
    this.setSelected(this._selected);
  },

  getLayerByKey(key) {
    return this._byKey.get(String(key)) || null;
  },

  setSelected(key) {
    const previous = this._selected !== null && this.getLayerByKey(this._selected);
    if (previous) {
      previous.setStyle(actionStyle(previous.feature.properties));
      const el = previous.getElement();
      if (el) el.classList.remove('is-selected');
    }
    this._selected = key === null || key === undefined ? null : String(key);
    const layer = this._selected !== null && this.getLayerByKey(this._selected);
    if (layer) {
      layer.setStyle({ weight: 4, opacity: 1 });
      layer.bringToFront();
      const el = layer.getElement();
      if (el) el.classList.add('is-selected');
    }
  },

  _create(feature) {
    const props = feature.properties;
    const layer = L.GeoJSON.geometryToLayer(feature);
    if (!layer || !layer.setStyle) return null;
    const retired = props.action === 'retire';
    const kind = props.kind === 'dedicated' ? ' gl-plan-grid--dedicated' : '';
    L.setOptions(layer, {
      ...actionStyle(props),
      pane: this.options.pane,
      className: `gl-plan-grid gl-plan-grid--${props.action || 'keep'}${kind}`,
      interactive: !retired,
      snapIgnore: retired,
      pmIgnore: retired,
    });
    layer.feature = feature;
    tagPath(layer, {
      key: props.key,
      action: props.action || 'keep',
      gridId: props.grid_id ?? '',
      kind: props.kind || 'comprehensive',
    });
    if (!retired) {
      layer.bindTooltip(esc(labelText(props)), { permanent: true, direction: 'center', className: 'gl-plan-label', interactive: false });
      layer.on('click', (ev) => {
        if (!this.picking) return;
        L.DomEvent.stop(ev);
        this.fire('pick', { key: String(props.key) });
      });
    }
    return layer;
  },

  _relabel() {
    for (const layer of this._byKey.values()) {
      if (layer.getTooltip()) layer.setTooltipContent(esc(labelText(layer.feature.properties)));
    }
  },
});

function labelText(props) {
  return pick(props.name, props.name_en) || props.code || String(props.key);
}

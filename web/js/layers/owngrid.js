// The patroller's own grid, outlined boldly (class `gl-own-grid`, data-grid-id),
// fetched from /api/grids/{id}. Fires 'load' {feature} and 'loaderror' {error}.
import { L } from 'leaflet';
import { getGrid, isAbort } from '../api.js';
import { esc } from '../util.js';
import { tagPath } from './marker.js';

export const OwnGridLayer = L.FeatureGroup.extend({
  options: {
    gridId: null,
    live: null, // reload when a 'grids' event names this grid, or on 'reset'
    style: {
      color: '#dc2626',
      weight: 5,
      opacity: 0.95,
      fillColor: '#ef4444',
      fillOpacity: 0.06,
      dashArray: null,
    },
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this.feature = null;
    this._controller = null;
    this._onEvent = (ev) => {
      const msg = ev.detail;
      const ids = (msg.grid_ids || []).map(String);
      if (msg.topic === 'grids' && (!ids.length || ids.includes(String(this.options.gridId)))) this.reload();
    };
    this._onReset = () => this.reload();
  },

  onAdd(map) {
    // above the neighbours' grid panes (401–405), below labels (450) and markers
    if (!map.getPane('gl-own-grid')) map.createPane('gl-own-grid').style.zIndex = 420;
    L.FeatureGroup.prototype.onAdd.call(this, map);
    const live = this.options.live;
    if (live) {
      live.addEventListener('event', this._onEvent);
      live.addEventListener('reset', this._onReset);
    }
    this.reload();
  },

  onRemove(map) {
    const live = this.options.live;
    if (live) {
      live.removeEventListener('event', this._onEvent);
      live.removeEventListener('reset', this._onReset);
    }
    if (this._controller) this._controller.abort();
    L.FeatureGroup.prototype.onRemove.call(this, map);
  },

  async reload() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    try {
      const feature = await getGrid(this.options.gridId, controller.signal);
      if (controller.signal.aborted || !this._map) return;
      this._draw(feature);
      this.fire('load', { feature });
    } catch (error) {
      if (!isAbort(error)) this.fire('loaderror', { error });
    }
  },

  _draw(feature) {
    this.clearLayers();
    this.feature = feature;
    const props = feature.properties || {};
    const outline = L.GeoJSON.geometryToLayer(feature);
    L.setOptions(outline, { ...this.options.style, pane: 'gl-own-grid', className: 'gl-own-grid', interactive: false });
    tagPath(outline, { gridId: props.id });
    this.addLayer(outline);
    if (Array.isArray(props.label)) {
      this.addLayer(L.marker([props.label[1], props.label[0]], {
        icon: L.divIcon({ className: 'gl-label gl-label--own', html: `<span>${esc(props.name)}</span>`, iconSize: null }),
        interactive: false,
        keyboard: false,
      }));
    }
  },

  /** Bounds of the grid polygon, or null before it is loaded. */
  getGridBounds() {
    const layers = this.getLayers().filter((l) => l.getBounds);
    return layers.length ? layers[0].getBounds() : null;
  },
});

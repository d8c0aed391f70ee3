// Base for the GeoJSON layers that follow the view: on moveend (debounced) fetch the
// current bbox and zoom, abort the previous request, and reconcile features by id.
//
// Fires: 'loading', 'load' {collection}, 'loaderror' {error}, 'forbidden' {error}.
// Subclasses implement createFeature(feature) → Leaflet layer, and may implement
// updateFeature(layer, feature) → true when the layer could be updated in place, and
// displayFeature(feature) → false to keep a new feature's layer off the map for now.
import { L } from 'leaflet';
import { getLayer, isAbort } from '../api.js';
import { boundsToBbox, debounce } from '../util.js';

export const BBoxLayer = L.FeatureGroup.extend({
  options: {
    path: '', // e.g. '/api/stations'
    params: {}, // extra query parameters
    bbox: null, // a fixed [minLon, minLat, maxLon, maxLat]; null follows the view
    padding: 0.15, // fraction of the view added on every side when following it
    minZoom: 0, // below this zoom the layer is empty and fetches nothing
    debounce: 250,
    sendZoom: true,
    rebuildOnZoom: false, // drop every feature when the zoom changes (simplified shapes)
    live: null, // a LiveClient; its 'reset' reloads the layer
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this._byId = new Map();
    this._controller = null;
    this._renderedZoom = null;
    this.loaded = false;
    this._schedule = debounce(() => this.reload(), this.options.debounce);
    this._onReset = () => this.reload();
  },

  onAdd(map) {
    L.FeatureGroup.prototype.onAdd.call(this, map);
    if (!this.options.bbox) map.on('moveend', this._schedule, this);
    if (this.options.live) this.options.live.addEventListener('reset', this._onReset);
    this.reload();
  },

  onRemove(map) {
    map.off('moveend', this._schedule, this);
    if (this.options.live) this.options.live.removeEventListener('reset', this._onReset);
    this._schedule.cancel();
    this._abort();
    this.clearFeatures();
    L.FeatureGroup.prototype.onRemove.call(this, map);
  },

  /** The bbox and zoom to ask for now. */
  requestView() {
    const map = this._map;
    const zoom = Math.round(map.getZoom());
    if (this.options.bbox) return { bbox: this.options.bbox, zoom };
    return { bbox: boundsToBbox(map.getBounds().pad(this.options.padding)), zoom };
  },

  async reload() {
    const map = this._map;
    if (!map) return;
    this._abort();
    const view = this.requestView();
    if (view.zoom < this.options.minZoom) {
      this.clearFeatures();
      return;
    }
    const controller = new AbortController();
    this._controller = controller;
    this.fire('loading');
    try {
      const collection = await getLayer(this.options.path, {
        bbox: view.bbox,
        zoom: this.options.sendZoom ? view.zoom : undefined,
        params: this.options.params,
        signal: controller.signal,
      });
      if (controller.signal.aborted || this._map !== map) return;
      this.setFeatures((collection && collection.features) || [], view.zoom);
      this.loaded = true;
      this.fire('load', { collection });
    } catch (error) {
      if (isAbort(error)) return;
      this.fire(error.status === 403 ? 'forbidden' : 'loaderror', { error });
    } finally {
      if (this._controller === controller) this._controller = null;
    }
  },

  /** Reconcile the drawn features with `features` (matched by properties.id). */
  setFeatures(features, zoom) {
    if (this.options.rebuildOnZoom && zoom !== this._renderedZoom) this.clearFeatures();
    this._renderedZoom = zoom;
    const seen = new Set();
    for (const feature of features) {
      if (!this.acceptFeature(feature)) continue;
      const id = feature.properties && feature.properties.id;
      if (id === undefined || id === null) continue;
      const key = String(id);
      seen.add(key);
      this.upsertFeature(feature);
    }
    for (const key of [...this._byId.keys()]) {
      if (!seen.has(key)) this.removeFeature(key);
    }
  },

  /** Add or update one feature; returns its Leaflet layer. */
  upsertFeature(feature) {
    const key = String(feature.properties.id);
    const existing = this._byId.get(key);
    if (existing && this.updateFeature(existing, feature)) {
      existing.feature = feature;
      return existing;
    }
    if (existing) this.removeFeature(key);
    const layer = this.createFeature(feature);
    if (!layer) return null;
    layer.feature = feature;
    this._byId.set(key, layer);
    if (this.displayFeature(feature)) this.addLayer(layer);
    return layer;
  },

  removeFeature(id) {
    const key = String(id);
    const layer = this._byId.get(key);
    if (!layer) return;
    this._byId.delete(key);
    this.removeLayer(layer);
  },

  clearFeatures() {
    this._byId.clear();
    this.clearLayers();
  },

  getFeatureLayer(id) {
    return this._byId.get(String(id)) || null;
  },

  featureCount() {
    return this._byId.size;
  },

  /** Filter hook: false drops a feature before it is drawn. */
  acceptFeature() {
    return true;
  },

  /** Visibility hook: false keeps a new feature's layer (by id) but off the map. */
  displayFeature() {
    return true;
  },

  createFeature() {
    throw new Error('BBoxLayer subclasses implement createFeature');
  },

  updateFeature() {
    return false;
  },

  _abort() {
    if (this._controller) {
      this._controller.abort();
      this._controller = null;
    }
  },
});

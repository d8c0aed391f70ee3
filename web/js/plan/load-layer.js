// 工作量着色: the comprehensive grids of a workload (GET /api/planning/workload) coloured
// by their load against the parent's mean (LOAD_BANDS: well under … well over), on the map
// as it is now (the outlines from /api/grids). Drawn under the draft, taking no clicks;
// while on, its legend (#load-legend) shows. Polygons get class `gl-load-grid` with
// data-grid-id, data-band and data-ratio.
import { L } from 'leaflet';
import { getLayer, isAbort } from '../api.js';
import { onLangChange } from '../i18n.js';
import { tagPath } from '../layers/marker.js';
import { loadBand } from './loads.js';
import { LoadLegend } from './load-legend.js';

export const LoadLayer = L.FeatureGroup.extend({
  options: {
    pane: 'gl-load',
    bbox: null, // [minx, miny, maxx, maxy] to fetch the outlines in
    nameOf: (parent) => parent.name, // the parent's name in the current language (legend)
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this.workload = null;
    this._outlines = null; // the /api/grids features, fetched once (again after refresh())
    this._abort = null;
    this._legend = new LoadLegend({ layer: this, nameOf: this.options.nameOf });
    this._offLang = null;
  },

  onAdd(map) {
    if (!map.getPane(this.options.pane)) {
      const pane = map.createPane(this.options.pane);
      pane.style.zIndex = 404;
      pane.style.pointerEvents = 'none';
    }
    L.FeatureGroup.prototype.onAdd.call(this, map);
    this._legend.addTo(map);
    this._offLang = onLangChange(() => this._legend.render());
    this._draw();
  },

  onRemove(map) {
    if (this._offLang) this._offLang();
    this._offLang = null;
    if (this._abort) this._abort.abort();
    this._legend.remove();
    L.FeatureGroup.prototype.onRemove.call(this, map);
  },

  /** Colour by this workload ({parent, grids}). */
  setWorkload(workload) {
    this.workload = workload;
    this._legend.render();
    this._draw();
    return this;
  },

  /** The map changed (a plan was published): fetch the outlines again when next drawn. */
  refresh() {
    this._outlines = null;
    if (this._map) this._draw();
  },

  async _draw() {
    if (!this._map || !this.workload) {
      this.clearLayers();
      return;
    }
    if (!this._outlines) {
      if (this._abort) this._abort.abort();
      const abort = new AbortController();
      this._abort = abort;
      try {
        const fc = await getLayer('/api/grids', { bbox: this.options.bbox, zoom: 16, params: { level: 'grid', kind: 'comprehensive' }, signal: abort.signal });
        this._outlines = (fc && fc.features) || [];
      } catch (err) {
        if (!isAbort(err)) this._outlines = null;
        return;
      }
      if (!this._map) return;
    }
    this.clearLayers();
    const mean = this.workload.parent.mean_load;
    const loads = new Map(this.workload.grids.filter((g) => g.kind === 'comprehensive' && g.grid_id !== null)
      .map((g) => [String(g.grid_id), g]));
    for (const feature of this._outlines) {
      const g = loads.get(String(feature.properties.id));
      if (!g) continue;
      const band = loadBand(g.load, mean);
      const layer = L.GeoJSON.geometryToLayer(feature);
      L.setOptions(layer, {
        pane: this.options.pane, interactive: false, className: 'gl-load-grid',
        stroke: false, fill: true, fillColor: band.color, fillOpacity: 0.45,
      });
      tagPath(layer, { gridId: g.grid_id, band: band.key, ratio: mean > 0 ? (g.load / mean).toFixed(2) : '' });
      this.addLayer(layer);
    }
  },
});

// Streets as snap targets for the planner's tools: the centre lines of our own street
// tiles (/tiles/streets) in view, decoded by the vendored Leaflet.VectorGrid 1.3.0 (its
// protobuf tile loader) and kept as invisible canvas polylines that Leaflet-Geoman snaps
// to. Loads only from zoom 15, at tile zoom 15 or 16, and never more than maxTiles tiles.
import { L } from 'leaflet';

export const StreetsSnapLayer = L.LayerGroup.extend({
  options: {
    url: '/tiles/streets/{z}/{x}/{y}.mvt',
    layerName: 'streets',
    minZoom: 15,
    maxTiles: 40,
  },

  initialize(options) {
    L.LayerGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this._tiles = new Map(); // 'z/x/y' → true once asked for
    this._z = null;
    this._loader = null;
    this._renderer = null;
  },

  onAdd(map) {
    L.LayerGroup.prototype.onAdd.call(this, map);
    if (!this._renderer) this._renderer = L.canvas({ padding: 0.1 });
    map.on('moveend', this._update, this);
    this._update();
  },

  onRemove(map) {
    map.off('moveend', this._update, this);
    L.LayerGroup.prototype.onRemove.call(this, map);
  },

  _update() {
    const map = this._map;
    if (!map || !L.vectorGrid || map.getZoom() < this.options.minZoom) return;
    const z = Math.min(16, Math.max(15, Math.round(map.getZoom())));
    if (z !== this._z) {
      this.clearLayers();
      this._tiles.clear();
      this._z = z;
    }
    const bounds = map.getBounds();
    const nw = map.project(bounds.getNorthWest(), z).divideBy(256).floor();
    const se = map.project(bounds.getSouthEast(), z).divideBy(256).floor();
    const wanted = [];
    for (let x = nw.x; x <= se.x; x++) {
      for (let y = nw.y; y <= se.y; y++) {
        if (!this._tiles.has(`${z}/${x}/${y}`)) wanted.push({ x, y, z });
      }
    }
    if (this._tiles.size + wanted.length > this.options.maxTiles) return;
    for (const coords of wanted) this._load(coords);
  },

  async _load(coords) {
    const key = `${coords.z}/${coords.x}/${coords.y}`;
    this._tiles.set(key, true);
    if (!this._loader) this._loader = L.vectorGrid.protobuf(this.options.url, {});
    let tile;
    try {
      tile = await this._loader._getVectorTilePromise(coords);
    } catch {
      this._tiles.delete(key); // asked again on the next move
      return;
    }
    const layer = tile && tile.layers && tile.layers[this.options.layerName];
    if (!layer || coords.z !== this._z || !this._map) return;
    for (const feature of layer.features || []) {
      const geometry = feature.toGeoJSON(coords.x, coords.y, coords.z).geometry;
      const lines = geometry.type === 'LineString' ? [geometry.coordinates]
        : geometry.type === 'MultiLineString' ? geometry.coordinates : [];
      for (const line of lines) {
        this.addLayer(L.polyline(line.map(([lon, lat]) => [lat, lon]), {
          renderer: this._renderer, opacity: 0, weight: 1, interactive: false, className: 'gl-snap-street',
        }));
      }
    }
  },
});

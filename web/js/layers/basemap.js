// The offline basemap: our own vector tiles (/tiles/blocks and /tiles/streets), drawn by
// Leaflet.VectorGrid on canvas: light grey blocks, white local streets and pale yellow
// arterials whose width grows with zoom, on the pale map background (see map.css).
import { L } from 'leaflet';

const BLOCK_STYLE = {
  fill: true,
  fillColor: '#e4e2dc',
  fillOpacity: 1,
  color: '#d5d2ca',
  weight: 0.6,
  opacity: 1,
};

/** Street line width in pixels for a class at a zoom. */
export function streetWidth(cls, zoom) {
  const base = cls === 'arterial' ? 2.2 : 1.1;
  const growth = cls === 'arterial' ? 1.55 : 1.5;
  return Math.max(0.5, Math.min(cls === 'arterial' ? 22 : 14, base * growth ** (zoom - 13)));
}

function streetStyle(props, zoom) {
  const arterial = props.class === 'arterial';
  if (!arterial && zoom < 12) return [];
  return {
    color: arterial ? '#fbe3a0' : '#ffffff',
    weight: streetWidth(props.class, zoom),
    opacity: 1,
    lineCap: 'round',
    lineJoin: 'round',
    fill: false,
  };
}

function tileLayer(L_, name, styles, options) {
  return L_.vectorGrid.protobuf(`/tiles/${name}/{z}/{x}/{y}.mvt`, {
    rendererFactory: L_.canvas.tile,
    vectorTileLayerStyles: styles,
    interactive: false,
    maxZoom: options.maxZoom,
    minZoom: options.minZoom,
    keepBuffer: 4,
    attribution: options.attribution,
    zIndex: options.zIndex,
  });
}

/**
 * The basemap as one layer group. Options: minZoom, maxZoom, attribution (string).
 * Returns null when Leaflet.VectorGrid is not loaded.
 */
export function basemap(options = {}) {
  if (!L.vectorGrid || !L.vectorGrid.protobuf) return null;
  const opts = { minZoom: 0, maxZoom: 20, attribution: '', ...options };
  const blocks = tileLayer(L, 'blocks', { blocks: BLOCK_STYLE }, { ...opts, zIndex: 1 });
  const streets = tileLayer(L, 'streets', { streets: streetStyle }, { ...opts, attribution: '', zIndex: 2 });
  return L.layerGroup([blocks, streets]);
}

// The one place our modules read the UMD globals loaded by classic <script> tags
// (vendor/leaflet/leaflet.js, then vendor/leaflet.vectorgrid/...bundled.min.js).
import './compat.js';

if (!window.L) {
  throw new Error('Leaflet must be loaded before the gridlink modules');
}

export const L = window.L;

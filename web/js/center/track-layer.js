// One worker's day on the map (GET /api/workers/{id}/track): the simplified line (class
// `gl-track`), numbered stops with their times and durations (`gl-stop`, data-stop) and
// a head marker (`gl-track-head`) that setTime() moves along the fixes, interpolating
// between them. Fixes flagged as impossible jumps are neither drawn nor followed.
import { L } from 'leaflet';
import { t } from '../i18n.js';
import { esc } from '../util.js';

export const FLAG_JUMP = 2; // server/patrol/filters.py

export const TrackLayer = L.FeatureGroup.extend({
  options: {
    track: null, // the API's answer
    clock: (iso) => iso, // formats a time for the stop tooltips
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    const { track, clock } = this.options;
    this._points = track.fixes
      .filter((f) => !(f.flags & FLAG_JUMP))
      .map((f) => ({ ms: Date.parse(f.t), lat: f.lat, lng: f.lon }));
    if (track.line) {
      const latlngs = track.line.coordinates.map(([lon, lat]) => [lat, lon]);
      this._line = L.polyline(latlngs, { className: 'gl-track', weight: 3, opacity: 0.85, interactive: false });
      this.addLayer(this._line);
    }
    track.stops.forEach((stop, i) => this.addLayer(stopMarker(stop, i + 1, clock)));
    this._head = null;
    if (this._points.length) {
      this._head = L.marker(this._points[0], {
        icon: L.divIcon({ className: 'gl-track-head', iconSize: null, html: '<span></span>' }),
        interactive: false,
        keyboard: false,
        zIndexOffset: 2000,
      });
      this.addLayer(this._head);
    }
  },

  /** First and last usable fix times (ms), or null for an empty day. */
  span() {
    const p = this._points;
    return p.length ? { start: p[0].ms, end: p[p.length - 1].ms } : null;
  },

  /** Move the head to where the worker was at `ms`. */
  setTime(ms) {
    const p = this._points;
    if (!this._head || !p.length) return this;
    let lo = 0;
    let hi = p.length - 1;
    if (ms <= p[0].ms) hi = 0;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (p[mid].ms <= ms) lo = mid;
      else hi = mid;
    }
    const a = p[lo];
    const b = p[hi];
    const k = b.ms > a.ms ? Math.min(1, Math.max(0, (ms - a.ms) / (b.ms - a.ms))) : 1;
    this._head.setLatLng([a.lat + (b.lat - a.lat) * k, a.lng + (b.lng - a.lng) * k]);
    return this;
  },

  /** The area to show: the line, the stops and the head. */
  trackBounds() {
    const bounds = L.latLngBounds([]);
    for (const pt of this._points) bounds.extend(pt);
    return bounds;
  },
});

function stopMarker(stop, n, clock) {
  const marker = L.marker([stop.lat, stop.lon], {
    icon: L.divIcon({ className: 'gl-stop', iconSize: null, html: `<b>${n}</b>` }),
    keyboard: false,
    zIndexOffset: 1000,
  });
  marker.on('add', () => {
    const el = marker.getElement();
    if (el) el.dataset.stop = String(n);
  });
  marker.bindTooltip(() => esc(t('center.track.stop', {
    n, from: clock(stop.start), to: clock(stop.end), min: Math.round(stop.minutes),
  })), { direction: 'top', offset: [0, -10] });
  return marker;
}

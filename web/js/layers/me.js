// "Where am I": a blue dot (class `gl-me`) with its accuracy circle, fed by
// navigator.geolocation.watchPosition while the layer is on the map.
// Fires 'fix' {fix: {lon, lat, time, accuracy, speed, heading}} and 'locationerror' {error}.
import { L } from 'leaflet';

export const MeLayer = L.Layer.extend({
  options: {
    geolocation: null, // defaults to navigator.geolocation (tests may pass a fake)
    watchOptions: { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 },
  },

  initialize(options) {
    L.setOptions(this, options);
    this._watchId = null;
    this._accuracy = null;
    this._dot = null;
    this.lastFix = null;
  },

  onAdd(map) {
    const geo = this.options.geolocation || navigator.geolocation;
    if (!geo) {
      this.fire('locationerror', { error: { code: 0, message: 'unsupported' } });
      return;
    }
    if (this.lastFix) this._draw(this.lastFix);
    this._watchId = geo.watchPosition(
      (pos) => this._onPosition(pos),
      (error) => this.fire('locationerror', { error }),
      this.options.watchOptions,
    );
    this._geo = geo;
  },

  onRemove(map) {
    if (this._geo && this._watchId !== null) this._geo.clearWatch(this._watchId);
    this._watchId = null;
    if (this._accuracy) map.removeLayer(this._accuracy);
    if (this._dot) map.removeLayer(this._dot);
    this._accuracy = null;
    this._dot = null;
  },

  getLatLng() {
    return this.lastFix ? L.latLng(this.lastFix.lat, this.lastFix.lon) : null;
  },

  _onPosition(pos) {
    const c = pos.coords;
    const fix = {
      lon: c.longitude,
      lat: c.latitude,
      time: new Date(pos.timestamp || Date.now()).toISOString(),
      accuracy: Number.isFinite(c.accuracy) ? c.accuracy : undefined,
      speed: Number.isFinite(c.speed) ? c.speed : undefined,
      heading: Number.isFinite(c.heading) ? c.heading : undefined,
    };
    this.lastFix = fix;
    this._draw(fix);
    this.fire('fix', { fix });
  },

  _draw(fix) {
    const map = this._map;
    if (!map) return;
    const latlng = [fix.lat, fix.lon];
    const radius = fix.accuracy || 0;
    if (!this._accuracy) {
      this._accuracy = L.circle(latlng, {
        radius,
        className: 'gl-me-accuracy',
        color: '#2563eb',
        weight: 1,
        opacity: 0.5,
        fillColor: '#3b82f6',
        fillOpacity: 0.12,
        interactive: false,
      }).addTo(map);
      this._dot = L.circleMarker(latlng, {
        radius: 7,
        className: 'gl-me',
        color: '#ffffff',
        weight: 3,
        fillColor: '#2563eb',
        fillOpacity: 1,
        interactive: false,
      }).addTo(map);
    } else {
      this._accuracy.setLatLng(latlng).setRadius(radius);
      this._dot.setLatLng(latlng);
    }
  },
});

// Where the problem is, on the resident page: the device position (with its accuracy),
// a tap on the small map, the photo's EXIF GPS, or ?lon=&lat= in the URL (posters' QR
// codes). A chosen place is never overwritten by a later GPS fix. Fires 'change'
// {place}; place = {source: 'device'|'map'|'exif'|'url', lat, lon, accuracy?} | null.
import { PickLayer } from './pick.js';
import { coords } from './format.js';
import { t, onLangChange } from '../i18n.js';

const GOOD_ENOUGH_M = 20;
const WATCH_MS = 30000;

export class PlacePicker extends EventTarget {
  /**
   * @param {object} options
   * @param {L.Map} options.map  @param {HTMLElement} options.status  (text + data-state)
   * @param {{lat, lon}|null} [options.initial]  from the URL
   */
  constructor(options) {
    super();
    this.options = options;
    this.place = null;
    this.gps = 'waiting'; // waiting | fix | denied | error | unsupported
    this._watch = null;
    this._timer = null;
    this.pick = new PickLayer();
    this.pick.on('pick', ({ latlng }) => this.set({ source: 'map', lat: latlng.lat, lon: latlng.lng }));
    onLangChange(() => this.render());
  }

  mount() {
    this.pick.addTo(this.options.map);
    const initial = this.options.initial;
    if (initial) this.set({ source: 'url', ...initial }, { fly: true });
    this.locate();
    this.render();
    return this;
  }

  /** Follow the device position for a while (again, when asked). */
  locate() {
    const geo = navigator.geolocation;
    if (!geo) {
      this.gps = 'unsupported';
      this.render();
      return;
    }
    this._stopWatch();
    this.gps = 'waiting';
    this._watch = geo.watchPosition((pos) => this._fix(pos), (err) => {
      this.gps = err && err.code === 1 ? 'denied' : 'error';
      this._stopWatch();
      this.render();
    }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 20000 });
    this._timer = setTimeout(() => this._stopWatch(), WATCH_MS);
    this.render();
  }

  /** Use the device position again (after a map tap), or start locating. */
  useDevice() {
    if (this.lastFix) this.set({ source: 'device', ...this.lastFix }, { fly: true });
    if (!this._watch) this.locate();
  }

  get gpsUnavailable() {
    return ['denied', 'error', 'unsupported'].includes(this.gps);
  }

  set(place, { fly = false } = {}) {
    this.place = place;
    this.pick.setLatLng(place ? [place.lat, place.lon] : null);
    if (place && fly) this.options.map.setView([place.lat, place.lon], Math.max(this.options.map.getZoom(), 17));
    this.render();
    this.dispatchEvent(new CustomEvent('change', { detail: { place } }));
  }

  _fix(pos) {
    const c = pos.coords;
    this.gps = 'fix';
    this.lastFix = { lat: c.latitude, lon: c.longitude, accuracy: Number.isFinite(c.accuracy) ? c.accuracy : undefined };
    if (!this.place || this.place.source === 'device') this.set({ source: 'device', ...this.lastFix }, { fly: !this.place });
    else this.render();
    if (this.lastFix.accuracy !== undefined && this.lastFix.accuracy <= GOOD_ENOUGH_M) this._stopWatch();
  }

  _stopWatch() {
    if (this._watch !== null && navigator.geolocation) navigator.geolocation.clearWatch(this._watch);
    this._watch = null;
    clearTimeout(this._timer);
  }

  render() {
    const el = this.options.status;
    const p = this.place;
    el.dataset.state = p ? p.source : this.gps;
    if (p && p.source === 'device') {
      el.textContent = t('field.place.device', { accuracy: Math.round(p.accuracy || 0) });
    } else if (p) {
      el.textContent = t(`field.place.${p.source}`, { coords: coords(p.lat, p.lon) });
    } else {
      el.textContent = t(`field.place.gps.${this.gps}`);
    }
  }

  /** Fields for the report body ({} when no place is chosen). */
  body() {
    const p = this.place;
    if (!p) return {};
    const out = {
      lon: +p.lon.toFixed(7),
      lat: +p.lat.toFixed(7),
      location_source: p.source === 'url' ? 'map' : p.source,
    };
    if (p.source === 'device' && Number.isFinite(p.accuracy)) out.accuracy_m = Math.round(p.accuracy);
    return out;
  }
}

/** ?lon=&lat= from the URL, or null. */
export function placeFromUrl(search = window.location.search) {
  const qs = new URLSearchParams(search);
  const lon = Number.parseFloat(qs.get('lon'));
  const lat = Number.parseFloat(qs.get('lat'));
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

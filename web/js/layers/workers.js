// Live workers: one marker per worker id (class `gl-worker`, data-worker-id), moved
// smoothly on each coalesced 'positions' frame. Markers live in their own pane under
// the reports and stations; below `badgeZoom` the pane's class turns them into small
// role-coloured dots (CSS only, so the elements are kept). Offline workers stay off the
// map unless `showOffline` is set; a frame that brings one online adds it back.
import { L } from 'leaflet';
import { t } from '../i18n.js';
import { esc, formatAgo, formatTime, popupHtml } from '../util.js';
import { BBoxLayer } from './bbox.js';
import { TaggedMarker } from './marker.js';

export const ROLE_COLORS = {
  grid_head: '#b91c1c',
  grid_worker: '#0369a1',
  police: '#1e3a8a',
  first_secretary: '#c2410c',
  volunteer: '#15803d',
  dept_staff: '#6d28d9',
};

const GLIDE_MS = 900; // positions arrive about once a second
const PANE = 'gl-workers';

export const WorkersLayer = BBoxLayer.extend({
  options: {
    path: '/api/workers/live',
    sendZoom: false,
    debounce: 400,
    padding: 0.5, // the same area in which position frames add markers
    showOffline: false, // draw offline workers (greyed) too
    badgeZoom: 16, // from this zoom role badges, below it small dots
  },

  initialize(options) {
    BBoxLayer.prototype.initialize.call(this, options);
    this._glides = new Map(); // id → {marker, from, to, start}
    this._frame = null;
    this._onPositions = (ev) => this.applyPositions(ev.detail.workers || []);
    this._onEvent = (ev) => this._applyEvent(ev.detail);
  },

  onAdd(map) {
    if (!map.getPane(PANE)) {
      const pane = map.createPane(PANE);
      pane.style.zIndex = 590; // under markerPane (600): reports and stations stay on top
      pane.classList.add('gl-workers-pane');
    }
    map.on('zoomend', this._syncScale, this);
    this._syncScale();
    BBoxLayer.prototype.onAdd.call(this, map);
    const live = this.options.live;
    if (live) {
      live.addEventListener('positions', this._onPositions);
      live.addEventListener('event', this._onEvent);
    }
  },

  onRemove(map) {
    map.off('zoomend', this._syncScale, this);
    const live = this.options.live;
    if (live) {
      live.removeEventListener('positions', this._onPositions);
      live.removeEventListener('event', this._onEvent);
    }
    cancelAnimationFrame(this._frame);
    this._frame = null;
    this._glides.clear();
    BBoxLayer.prototype.onRemove.call(this, map);
  },

  showsOffline() {
    return Boolean(this.options.showOffline);
  },

  /** Show or hide the offline workers already loaded (and those still to come). */
  setShowOffline(show) {
    this.options.showOffline = Boolean(show);
    for (const marker of this._byId.values()) this._syncShown(marker, marker.feature.properties);
    this.fire('optionchange');
    return this;
  },

  displayFeature(feature) {
    return this._wanted(feature.properties);
  },

  _wanted(props) {
    return this.options.showOffline || props.status !== 'offline';
  },

  /** Add or take off the map one marker after its status (or the option) changed. */
  _syncShown(marker, props) {
    const wanted = this._wanted(props);
    const shown = this.hasLayer(marker);
    if (wanted && !shown) this.addLayer(marker);
    else if (!wanted && shown) {
      this._glides.delete(String(props.id));
      this.removeLayer(marker);
    }
  },

  _syncScale() {
    const map = this._map;
    const pane = map && map.getPane(PANE);
    if (pane) pane.classList.toggle('gl-workers-pane--dots', map.getZoom() < this.options.badgeZoom);
  },

  createFeature(feature) {
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = new TaggedMarker([lat, lon], {
      icon: workerIcon(props),
      dataset: { workerId: props.id, status: props.status || 'online' },
      pane: PANE,
      riseOnHover: true,
      zIndexOffset: zOffset(props), // online above offline when both are drawn
    });
    marker.bindPopup(() => workerPopupHtml(marker.feature.properties), {
      maxWidth: 300,
      className: 'gl-popup-wrap',
    });
    marker.bindTooltip(() => esc(marker.feature.properties.name || marker.feature.properties.id), {
      direction: 'top',
      offset: [0, -8],
    });
    return marker;
  },

  updateFeature(marker, feature) {
    const old = marker.feature.properties;
    const props = { ...old, ...feature.properties };
    feature.properties = props;
    const [lon, lat] = feature.geometry.coordinates;
    if (iconKey(old) !== iconKey(props)) {
      // setIcon reuses the marker's element (a DivIcon keeps its div)
      marker.options.dataset = { workerId: props.id, status: props.status || 'online' };
      marker.setIcon(workerIcon(props));
      marker.setZIndexOffset(zOffset(props));
    }
    this._syncShown(marker, props); // before gliding: one coming online appears, then moves
    const newer = !old.fix_time || !props.fix_time || props.fix_time >= old.fix_time;
    if (newer) this._glideTo(marker, L.latLng(lat, lon));
    return true;
  },

  /** Apply a coalesced positions frame: [{id, lon, lat, grid_id, status, heading, speed, fix_time}]. */
  applyPositions(workers) {
    const map = this._map;
    if (!map) return;
    const area = map.getBounds().pad(0.5);
    for (const w of workers) {
      if (!Number.isFinite(w.lon) || !Number.isFinite(w.lat)) continue;
      const existing = this.getFeatureLayer(w.id);
      if (!existing && !area.contains([w.lat, w.lon])) continue;
      const { lon, lat, ...rest } = w;
      this.upsertFeature({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: rest,
      });
    }
  },

  _applyEvent(msg) {
    if (msg.topic !== 'workers' || !msg.payload) return;
    const marker = this.getFeatureLayer(msg.payload.id);
    if (!marker) return;
    const { lng, lat } = marker.getLatLng();
    const { lon, lat: plat, ...rest } = msg.payload;
    const coords = Number.isFinite(lon) && Number.isFinite(plat) ? [lon, plat] : [lng, lat];
    this.upsertFeature({ type: 'Feature', geometry: { type: 'Point', coordinates: coords }, properties: rest });
  },

  _glideTo(marker, to) {
    const from = marker.getLatLng();
    if (from.equals(to)) return;
    const map = this._map;
    // Jumps, hidden markers and a hidden tab are not animated: there is nothing to watch.
    if (!map || !this.hasLayer(marker) || document.hidden || map.distance(from, to) > 2000) {
      this._glides.delete(String(marker.feature.properties.id));
      marker.setLatLng(to);
      return;
    }
    this._glides.set(String(marker.feature.properties.id), { marker, from, to, start: performance.now() });
    if (!this._frame) this._frame = requestAnimationFrame((now) => this._step(now));
  },

  _step(now) {
    this._frame = null;
    for (const [id, g] of this._glides) {
      const k = Math.min(1, (now - g.start) / GLIDE_MS);
      const ease = k < 1 ? 1 - (1 - k) * (1 - k) : 1;
      g.marker.setLatLng([
        g.from.lat + (g.to.lat - g.from.lat) * ease,
        g.from.lng + (g.to.lng - g.from.lng) * ease,
      ]);
      if (k >= 1) this._glides.delete(id);
    }
    if (this._glides.size && this._map) this._frame = requestAnimationFrame((n) => this._step(n));
  },
});

function iconKey(p) {
  return `${p.role}|${p.status}|${p.on_duty}`;
}

function zOffset(p) {
  return p.status === 'offline' ? 0 : 1000;
}

const ROLE_GLYPH = {
  grid_head: '长', grid_worker: '员', police: '警', first_secretary: '书', volunteer: '志', dept_staff: '部',
};

function workerIcon(p) {
  const offline = p.status === 'offline';
  const classes = ['gl-worker', `gl-worker--${p.role || 'unknown'}`];
  if (offline) classes.push('gl-worker--offline');
  if (p.on_duty === false) classes.push('gl-worker--off-duty');
  const color = ROLE_COLORS[p.role] || '#334155';
  // No iconSize/iconAnchor: map.css sizes and centres the element (dot or badge).
  return L.divIcon({
    className: classes.join(' '),
    html: `<span class="badge" style="--gl-role:${color}">${esc(ROLE_GLYPH[p.role] || '人')}</span>`,
    iconSize: null,
    popupAnchor: [0, -8],
  });
}

export function workerPopupHtml(p) {
  const status = p.status === 'offline' ? t('worker.offline') : t('worker.online');
  const duty = p.on_duty === undefined ? '' : esc(p.on_duty ? t('worker.onDuty') : t('worker.offDuty'));
  const fix = p.fix_time ? `${esc(formatTime(p.fix_time))} <span class="gl-muted">(${esc(formatAgo(p.fix_time))})</span>` : '';
  const speed = Number.isFinite(p.speed) ? esc(t('worker.speedValue', { speed: (p.speed * 3.6).toFixed(1) })) : '';
  return popupHtml(p.name || String(p.id), [
    [t('worker.role'), esc(p.role ? t(`role.${p.role}`) : '')],
    [t('worker.status'), `<span class="gl-dot gl-dot--${p.status === 'offline' ? 'off' : 'on'}"></span>${esc(status)}`],
    [t('worker.duty'), duty],
    [t('worker.grid'), esc(p.grid_id)],
    [t('worker.device'), esc(p.device_id)],
    [t('worker.fix'), fix],
    [t('worker.speed'), speed],
  ], 'gl-popup--worker');
}

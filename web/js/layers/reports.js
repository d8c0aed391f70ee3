// Reports of one status group (open / in progress / closed), coloured by status.
// Live 'event' frames on topic 'reports' add, move or drop markers; a new report
// pulses for a few seconds. Marker elements: class `gl-report`, data-report-id.
import { L } from 'leaflet';
import { t, tOr, pick } from '../i18n.js';
import { esc, formatTime, popupHtml } from '../util.js';
import { BBoxLayer } from './bbox.js';
import { TaggedMarker } from './marker.js';

export const STATUS_GROUPS = {
  open: ['submitted', 'accepted'],
  progress: ['dispatched', 'claimed'],
  closed: ['resolved', 'verified', 'archived', 'rejected', 'merged'],
};

/** Statuses that count as "not yet closed" for the header counter. */
export const UNRESOLVED = [...STATUS_GROUPS.open, ...STATUS_GROUPS.progress];

export const STATUS_COLORS = {
  submitted: '#dc2626',
  accepted: '#ea580c',
  dispatched: '#d97706',
  claimed: '#2563eb',
  resolved: '#16a34a',
  verified: '#15803d',
  archived: '#64748b',
  rejected: '#94a3b8',
  merged: '#8b5cf6',
};

const PULSE_MS = 6000;

/** Open reports are drawn over those in progress, those over closed ones. */
const GROUP_Z = { open: 2000, progress: 1000, closed: 0 };

export const ReportsLayer = BBoxLayer.extend({
  options: {
    path: '/api/reports',
    group: 'open', // a key of STATUS_GROUPS
    sendZoom: false,
  },

  initialize(options) {
    BBoxLayer.prototype.initialize.call(this, options);
    this.statuses = STATUS_GROUPS[this.options.group] || STATUS_GROUPS.open;
    this.options.params = { ...(options.params || {}), status: this.statuses.join(',') };
    this._onEvent = (ev) => this._applyEvent(ev.detail);
  },

  onAdd(map) {
    BBoxLayer.prototype.onAdd.call(this, map);
    if (this.options.live) this.options.live.addEventListener('event', this._onEvent);
  },

  onRemove(map) {
    if (this.options.live) this.options.live.removeEventListener('event', this._onEvent);
    BBoxLayer.prototype.onRemove.call(this, map);
  },

  acceptFeature(feature) {
    return this.statuses.includes(feature.properties.status);
  },

  createFeature(feature) {
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = new TaggedMarker([lat, lon], {
      icon: reportIcon(props.status),
      dataset: { reportId: props.id, status: props.status },
      riseOnHover: true,
      zIndexOffset: GROUP_Z[this.options.group] || 0,
    });
    marker.bindPopup(() => reportPopupHtml(marker.feature.properties), {
      maxWidth: 340,
      className: 'gl-popup-wrap',
    });
    return marker;
  },

  updateFeature(marker, feature) {
    const old = marker.feature.properties;
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    marker.setLatLng([lat, lon]);
    if (old.status !== props.status) {
      marker.options.dataset = { reportId: props.id, status: props.status };
      marker.setIcon(reportIcon(props.status));
    }
    return true;
  },

  /** Apply one live event: keep the report here if its status belongs to this group. */
  _applyEvent(msg) {
    if (msg.topic !== 'reports' || !this._map) return;
    const p = msg.payload || {};
    if (p.id === undefined || p.id === null) return;
    if (!this.statuses.includes(p.status)) {
      this.removeFeature(p.id);
      return;
    }
    const existing = this.getFeatureLayer(p.id);
    let lon = p.lon;
    let lat = p.lat;
    if ((lon === undefined || lat === undefined) && existing) {
      ({ lng: lon, lat } = existing.getLatLng());
    }
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    if (!existing && !this._map.getBounds().pad(0.5).contains([lat, lon])) return;
    const properties = { ...(existing ? existing.feature.properties : {}), ...p };
    delete properties.lon;
    delete properties.lat;
    const marker = this.upsertFeature({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties,
    });
    if (marker && (msg.kind === 'created' || !existing)) pulse(marker);
  },
});

function reportIcon(status) {
  return L.divIcon({
    className: `gl-report gl-report--${status}`,
    html: `<span class="pin" style="--gl-status:${STATUS_COLORS[status] || '#64748b'}"></span>`,
    iconSize: [24, 26],
    iconAnchor: [12, 25], // the pin's tip
    popupAnchor: [0, -22],
  });
}

/** Highlight a marker for a few seconds with the CSS pulse animation. */
export function pulse(marker, ms = PULSE_MS) {
  const el = marker.getElement();
  if (!el) return;
  el.classList.remove('gl-pulse');
  void el.offsetWidth; // restart the animation if it is already running
  el.classList.add('gl-pulse');
  setTimeout(() => {
    const current = marker.getElement();
    if (current) current.classList.remove('gl-pulse');
  }, ms);
}

export function reportPopupHtml(p) {
  const category = pick(p.category_name, p.category_name_en) || p.category || '';
  const status = `<span class="gl-status" style="--gl-status:${STATUS_COLORS[p.status] || '#64748b'}">`
    + `${esc(t(`status.${p.status}`))}</span>`;
  return popupHtml(category || t('report.title'), [
    [t('report.id'), esc(p.id)],
    [t('report.status'), status],
    [t('report.source'), esc(tOr(`source.${p.source}`, p.source || ''))],
    [t('report.created'), esc(formatTime(p.created_at))],
    [t('report.description'), esc(p.description)],
  ], 'gl-popup--report');
}

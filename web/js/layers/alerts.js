// Alerts on the map: one marker per alert with a position (class `gl-alert-marker`,
// data-alert-id, data-kind, data-status). An SOS is a big red marker (`gl-sos-marker`)
// that pulses while nobody has responded; the focused alert gets `is-focused`.
// Follows an AlertStore ('change'); a click fires 'select' {id}.
import { L } from 'leaflet';
import { t } from '../i18n.js';
import { esc } from '../util.js';
import { TaggedMarker } from './marker.js';

const GLYPH = { sos: 'SOS', outside_grid: '!', offline: '?' };

function alertIcon(alert, focused) {
  const classes = ['gl-alert-marker', `gl-alert-marker--${alert.kind}`];
  if (alert.kind === 'sos') classes.push('gl-sos-marker');
  if (alert.kind === 'sos' && alert.status === 'open') classes.push('is-pulsing');
  if (focused) classes.push('is-focused');
  return L.divIcon({
    className: classes.join(' '),
    html: `<i class="ring"></i><span class="badge">${esc(GLYPH[alert.kind] || '!')}</span>`,
    iconSize: null,
  });
}

const iconKey = (alert, focused) => `${alert.kind}|${alert.status}|${focused}`;

export const AlertsLayer = L.LayerGroup.extend({
  options: {
    store: null, // an AlertStore
    pane: 'gl-alerts',
  },

  initialize(options) {
    L.LayerGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this._byId = new Map(); // id → {marker, key}
    this._focused = null;
    this._onChange = () => this.sync();
  },

  onAdd(map) {
    if (!map.getPane(this.options.pane)) map.createPane(this.options.pane).style.zIndex = 640;
    L.LayerGroup.prototype.onAdd.call(this, map);
    this.options.store.addEventListener('change', this._onChange);
    this.sync();
  },

  onRemove(map) {
    this.options.store.removeEventListener('change', this._onChange);
    this._byId.clear();
    this.clearLayers();
    L.LayerGroup.prototype.onRemove.call(this, map);
  },

  /** Draw the store's alerts: add the new, update the changed, drop the gone. */
  sync() {
    const seen = new Set();
    for (const alert of this.options.store.list()) {
      if (!Number.isFinite(alert.lon) || !Number.isFinite(alert.lat)) continue;
      seen.add(alert.id);
      this._upsert(alert);
    }
    for (const [id, entry] of this._byId) {
      if (!seen.has(id)) {
        this.removeLayer(entry.marker);
        this._byId.delete(id);
      }
    }
  },

  /** Mark one alert's marker (null clears it). */
  focus(id) {
    this._focused = id === null || id === undefined ? null : Number(id);
    this.sync();
  },

  _upsert(alert) {
    const focused = alert.id === this._focused;
    const key = iconKey(alert, focused);
    const dataset = { alertId: alert.id, kind: alert.kind, status: alert.status };
    const entry = this._byId.get(alert.id);
    if (entry) {
      entry.marker.setLatLng([alert.lat, alert.lon]);
      entry.marker.alert = alert;
      if (entry.key !== key) {
        entry.marker.options.dataset = dataset;
        entry.marker.setIcon(alertIcon(alert, focused));
        entry.key = key;
      }
      return;
    }
    const marker = new TaggedMarker([alert.lat, alert.lon], {
      icon: alertIcon(alert, focused),
      dataset,
      pane: this.options.pane,
      zIndexOffset: alert.kind === 'sos' ? 2000 : 1000,
      riseOnHover: true,
    });
    marker.alert = alert;
    marker.bindTooltip(() => esc(`${t(`alerts.kind.${marker.alert.kind}`)} · ${marker.alert.worker_name || ''}`), {
      direction: 'top',
      offset: [0, -14],
    });
    marker.on('click', () => this.fire('select', { id: alert.id }));
    this._byId.set(alert.id, { marker, key });
    this.addLayer(marker);
  },
});

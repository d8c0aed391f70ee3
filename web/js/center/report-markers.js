// Report markers for the command center: the shared reports layer, but a click opens
// the detail panel (the layer fires 'open' {id}) instead of a popup; hovering shows
// the category. A report escalated past its deadline (escalation_level ≥ 1) carries a
// small red badge with the level (`.gl-esc-badge`, marker attribute data-escalation).
// The level comes from live payloads, else from `levelOf(id)` (the queue store), since
// the GeoJSON layer's properties do not carry it.
import { L } from 'leaflet';
import { pick } from '../i18n.js';
import { esc } from '../util.js';
import { ReportsLayer, STATUS_COLORS } from '../layers/reports.js';
import { escalationText } from './format.js';

function centerIcon(status, level) {
  const badge = level > 0 ? `<b class="gl-esc-badge">L${level}</b>` : '';
  return L.divIcon({
    className: `gl-report gl-report--${status}`,
    html: `<span class="pin" style="--gl-status:${STATUS_COLORS[status] || '#64748b'}"></span>${badge}`,
    iconSize: [24, 26],
    iconAnchor: [12, 25], // the pin's tip
    popupAnchor: [0, -22],
  });
}

export const CenterReportsLayer = ReportsLayer.extend({
  options: {
    levelOf: null, // (id) => escalation level known elsewhere, or null
  },

  /** Where the escalation level is read from when a feature does not carry it. */
  setLevelLookup(fn) {
    this.options.levelOf = fn;
    this.refreshBadges();
  },

  levelFor(props) {
    if (props.escalation_level !== undefined && props.escalation_level !== null) return props.escalation_level;
    const known = this.options.levelOf ? this.options.levelOf(props.id) : null;
    return known || 0;
  },

  createFeature(feature) {
    const marker = ReportsLayer.prototype.createFeature.call(this, feature);
    this._dress(marker, feature.properties);
    marker.unbindPopup();
    marker.bindTooltip(() => {
      const p = marker.feature.properties;
      const extra = marker._glLevel ? ` · ${escalationText(marker._glLevel)}` : '';
      return `${esc(pick(p.category_name, p.category_name_en) || p.category || '')} #${esc(p.id)}${esc(extra)}`;
    }, { direction: 'top', offset: [0, -22] });
    marker.on('click', () => this.fire('open', { id: marker.feature.properties.id }));
    return marker;
  },

  updateFeature(marker, feature) {
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    marker.setLatLng([lat, lon]);
    this._dress(marker, props);
    return true;
  },

  /** Re-read every marker's level (after the store changed). */
  refreshBadges() {
    this.eachLayer((marker) => marker.feature && this._dress(marker, marker.feature.properties));
  },

  /** The icon for the marker's status and level, replaced only when one of them changed. */
  _dress(marker, props) {
    const level = this.levelFor(props);
    if (marker._glStatus === props.status && marker._glLevel === level) return;
    marker._glStatus = props.status;
    marker._glLevel = level;
    marker.options.dataset = { reportId: props.id, status: props.status, escalation: level };
    marker.setIcon(centerIcon(props.status, level));
  },
});

// Red stations (网格红色驿站): one marker per station with services and opening hours.
// Markers live in their own pane between the workers and the reports; below
// `fullZoom` the pane's class draws them smaller (map.css), keeping the elements.
import { L } from 'leaflet';
import { t } from '../i18n.js';
import { esc, popupHtml } from '../util.js';
import { BBoxLayer } from './bbox.js';
import { TaggedMarker } from './marker.js';

const PANE = 'gl-stations';

const STATION_SVG = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 3 10v11h6v-6h6v6h6V10z"/></svg>';

export const StationsLayer = BBoxLayer.extend({
  options: {
    path: '/api/stations',
    sendZoom: false,
    gridId: null, // only the stations of this grid (patrol page)
    fullZoom: 16, // below this zoom smaller icons
  },

  onAdd(map) {
    if (!map.getPane(PANE)) {
      const pane = map.createPane(PANE);
      pane.style.zIndex = 595; // over the workers (590), under the reports (markerPane, 600)
      pane.classList.add('gl-stations-pane');
    }
    map.on('zoomend', this._syncScale, this);
    this._syncScale();
    BBoxLayer.prototype.onAdd.call(this, map);
  },

  onRemove(map) {
    map.off('zoomend', this._syncScale, this);
    BBoxLayer.prototype.onRemove.call(this, map);
  },

  _syncScale() {
    const map = this._map;
    const pane = map && map.getPane(PANE);
    if (pane) pane.classList.toggle('gl-stations-pane--small', map.getZoom() < this.options.fullZoom);
  },

  acceptFeature(feature) {
    if (this.options.gridId === null || this.options.gridId === undefined) return true;
    return String(feature.properties.grid_id) === String(this.options.gridId);
  },

  createFeature(feature) {
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const icon = L.divIcon({
      className: 'gl-station',
      html: STATION_SVG,
      iconSize: null, // sized and centred by map.css
      popupAnchor: [0, -10],
    });
    const marker = new TaggedMarker([lat, lon], {
      icon,
      dataset: { stationId: props.id },
      pane: PANE,
      riseOnHover: true,
    });
    marker.bindPopup(() => stationPopupHtml(marker.feature.properties), {
      maxWidth: 320,
      className: 'gl-popup-wrap',
    });
    marker.bindTooltip(() => esc(marker.feature.properties.name), { direction: 'top', offset: [0, -12] });
    return marker;
  },

  updateFeature(marker, feature) {
    const [lon, lat] = feature.geometry.coordinates;
    marker.setLatLng([lat, lon]);
    return true;
  },
});

export function stationPopupHtml(p) {
  const services = (p.services || []).map((s) => `<span class="gl-chip">${esc(s)}</span>`).join('');
  const phone = p.phone ? `<a href="tel:${esc(p.phone)}">${esc(p.phone)}</a>` : '';
  return popupHtml(p.name, [
    [t('station.address'), esc(p.address)],
    [t('station.hours'), esc(p.opening_hours)],
    [t('station.phone'), phone],
    [t('station.services'), services],
  ], 'gl-popup--station');
}

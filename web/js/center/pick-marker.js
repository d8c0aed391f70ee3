// Picking a report's place on the map: while this layer is on the map a click sets the
// point and the marker can be dragged. Fires 'pick' {latlng} (null after clear()).
// The map container has class `gl-picking` meanwhile; the marker's class is `gl-pick`.
import { L } from 'leaflet';

const ICON = L.divIcon({
  className: 'gl-pick',
  html: '<span class="pin"></span>',
  iconSize: [30, 34],
  iconAnchor: [15, 33],
});

export const PickMarker = L.Layer.extend({
  options: {
    zIndexOffset: 5000, // over every report pin
  },

  initialize(options) {
    L.setOptions(this, options);
    this._marker = null;
  },

  onAdd(map) {
    map.getContainer().classList.add('gl-picking');
    map.on('click', this._onClick, this);
  },

  onRemove(map) {
    map.getContainer().classList.remove('gl-picking');
    map.off('click', this._onClick, this);
    if (this._marker) map.removeLayer(this._marker);
    this._marker = null;
  },

  getLatLng() {
    return this._marker ? this._marker.getLatLng() : null;
  },

  clear() {
    if (this._marker && this._map) this._map.removeLayer(this._marker);
    this._marker = null;
    this.fire('pick', { latlng: null });
  },

  _onClick(ev) {
    this._place(ev.latlng);
  },

  _place(latlng) {
    if (!this._marker) {
      this._marker = L.marker(latlng, { icon: ICON, draggable: true, zIndexOffset: this.options.zIndexOffset });
      this._marker.on('drag dragend', () => this.fire('pick', { latlng: this._marker.getLatLng() }));
      this._marker.addTo(this._map);
    } else {
      this._marker.setLatLng(latlng);
    }
    this.fire('pick', { latlng });
  },
});

// Choosing a place on the map: while on the map, a tap moves a pin (class `gl-pick`)
// there and fires 'pick' {latlng}; the pin can also be dragged. setLatLng() places the
// pin without firing (e.g. from the device position).
import { L } from 'leaflet';

const PIN = '<svg viewBox="0 0 32 44" aria-hidden="true"><path d="M16 1C7.7 1 1 7.6 1 15.8 1 27 16 43 16 43s15-16 15-27.2C31 7.6 24.3 1 16 1z"/><circle cx="16" cy="16" r="5.5"/></svg>';

export const PickLayer = L.Layer.extend({
  options: {
    latlng: null,
    draggable: true,
    pickOnTap: true, // false: only setLatLng() and dragging move the pin
  },

  initialize(options) {
    L.setOptions(this, options);
    this._latlng = this.options.latlng ? L.latLng(this.options.latlng) : null;
    this._marker = null;
  },

  onAdd(map) {
    if (this.options.pickOnTap) map.on('click', this._onMapClick, this);
    map.getContainer().classList.add('gl-picking');
    this._draw();
  },

  onRemove(map) {
    map.off('click', this._onMapClick, this);
    map.getContainer().classList.remove('gl-picking');
    if (this._marker) map.removeLayer(this._marker);
    this._marker = null;
  },

  getLatLng() {
    return this._latlng;
  },

  setLatLng(latlng) {
    this._latlng = latlng ? L.latLng(latlng) : null;
    this._draw();
    return this;
  },

  _onMapClick(ev) {
    this._map.closePopup(); // a tap meant for the pin, not a grid's details
    this.setLatLng(ev.latlng);
    this.fire('pick', { latlng: this._latlng });
  },

  _draw() {
    const map = this._map;
    if (!map) return;
    if (!this._latlng) {
      if (this._marker) map.removeLayer(this._marker);
      this._marker = null;
      return;
    }
    if (this._marker) {
      this._marker.setLatLng(this._latlng);
      return;
    }
    this._marker = L.marker(this._latlng, {
      icon: L.divIcon({ className: 'gl-pick', html: PIN, iconSize: [32, 44], iconAnchor: [16, 43] }),
      draggable: this.options.draggable,
      keyboard: false,
      zIndexOffset: 3000,
    }).addTo(map);
    this._marker.on('dragend', () => {
      this._latlng = this._marker.getLatLng();
      this.fire('pick', { latlng: this._latlng });
    });
  },
});

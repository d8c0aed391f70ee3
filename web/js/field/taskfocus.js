// The task in focus: a target marker (`.gl-task-target[data-report-id]`) and a dashed
// line (`.gl-task-line`) from my position to it, kept up to date as I move.
import { L } from 'leaflet';
import { TaggedMarker } from '../layers/marker.js';
import { esc } from '../util.js';

export const TaskFocusLayer = L.Layer.extend({
  options: {
    task: null, // {id, lat, lon, status}
    from: null, // my position (L.LatLng) or null
    label: '',
  },

  initialize(options) {
    L.setOptions(this, options);
    this._marker = null;
    this._line = null;
  },

  onAdd(map) {
    // above the grid labels and the other markers
    if (!map.getPane('gl-task-focus')) map.createPane('gl-task-focus').style.zIndex = 640;
    this._draw();
  },

  onRemove(map) {
    if (this._marker) map.removeLayer(this._marker);
    if (this._line) map.removeLayer(this._line);
    this._marker = null;
    this._line = null;
  },

  setTask(task, label = '') {
    this.options.task = task;
    this.options.label = label;
    if (this._marker && this._map) this._map.removeLayer(this._marker);
    this._marker = null;
    this._draw();
    return this;
  },

  setFrom(latlng) {
    this.options.from = latlng;
    this._draw();
    return this;
  },

  /** Bounds covering the task and me (or just the task). */
  getBounds() {
    const { task, from } = this.options;
    if (!task) return null;
    const bounds = L.latLngBounds([[task.lat, task.lon]]);
    if (from) bounds.extend(from);
    return bounds;
  },

  _draw() {
    const map = this._map;
    const { task, from, label } = this.options;
    if (!map || !task) return;
    const target = L.latLng(task.lat, task.lon);
    if (!this._marker) {
      this._marker = new TaggedMarker(target, {
        icon: L.divIcon({
          className: 'gl-task-target',
          html: `<span class="ring"></span><span class="dot"></span><span class="tag">${esc(label)}</span>`,
          iconSize: [36, 36],
          iconAnchor: [18, 18],
        }),
        dataset: { reportId: task.id },
        pane: 'gl-task-focus',
        keyboard: false,
        interactive: false,
      }).addTo(map);
    } else {
      this._marker.setLatLng(target);
    }
    if (!from) {
      if (this._line) map.removeLayer(this._line);
      this._line = null;
      return;
    }
    const points = [from, target];
    if (this._line) this._line.setLatLngs(points);
    else {
      this._line = L.polyline(points, {
        className: 'gl-task-line',
        color: '#1d6fd8',
        weight: 4,
        opacity: 0.9,
        dashArray: '2 9',
        lineCap: 'round',
        interactive: false,
      }).addTo(map);
    }
  },
});

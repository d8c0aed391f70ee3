// Dispatch candidates on the map: numbered markers (class `gl-candidate`,
// data-worker-id) in rank order, each joined to the report by a dashed line. Fires
// 'pick' {workerId} when a marker is clicked; highlight(id) marks one marker and line.
import { L } from 'leaflet';
import { t, tOr } from '../i18n.js';
import { esc } from '../util.js';
import { TaggedMarker, tagPath } from '../layers/marker.js';

export const CandidatesLayer = L.FeatureGroup.extend({
  options: {
    report: null, // {lat, lon}
    workers: [], // the candidates' list from the API, in rank order
  },

  initialize(options) {
    L.FeatureGroup.prototype.initialize.call(this, [], options);
    L.setOptions(this, options);
    this._markers = new Map();
    this._lines = new Map();
    const { report } = this.options;
    const from = [report.lat, report.lon];
    this.options.workers.forEach((w, i) => {
      if (!Number.isFinite(w.lat) || !Number.isFinite(w.lon)) return;
      const to = [w.lat, w.lon];
      const line = tagPath(L.polyline([from, to], {
        className: `gl-candidate-line${w.responsible ? ' is-responsible' : ''}`,
        interactive: false,
      }), { workerId: w.id });
      const marker = new TaggedMarker(to, {
        icon: candidateIcon(w, i + 1),
        dataset: { workerId: w.id, rank: i + 1 },
        zIndexOffset: 3000 - i,
        keyboard: false,
      });
      marker.bindTooltip(() => `${esc(w.name)} · ${esc(tOr(`role.${w.role}`, w.role))}`, { direction: 'top', offset: [0, -12] });
      marker.on('click', () => this.fire('pick', { workerId: w.id }));
      this._lines.set(String(w.id), line);
      this._markers.set(String(w.id), marker);
      this.addLayer(line);
      this.addLayer(marker);
    });
  },

  /** Bounds around the report that hold the first `count` candidates, the report centred. */
  centredBounds(count = 5) {
    const { report } = this.options;
    const centre = L.latLng(report.lat, report.lon);
    let bounds = L.latLngBounds(centre, centre).pad(0);
    for (const w of this.options.workers.slice(0, count)) {
      if (!Number.isFinite(w.lat) || !Number.isFinite(w.lon)) continue;
      const dLat = w.lat - report.lat;
      const dLon = w.lon - report.lon;
      bounds = bounds.extend([report.lat + dLat, report.lon + dLon]).extend([report.lat - dLat, report.lon - dLon]);
    }
    return bounds;
  },

  highlight(workerId) {
    const key = workerId === null || workerId === undefined ? null : String(workerId);
    for (const [id, marker] of this._markers) {
      const on = id === key;
      const el = marker.getElement();
      if (el) el.classList.toggle('is-hot', on);
      const line = this._lines.get(id);
      const path = line && line.getElement();
      if (path) path.classList.toggle('is-hot', on);
      if (on) marker.setZIndexOffset(4000);
      else marker.setZIndexOffset(3000 - Number(marker.options.dataset.rank));
    }
  },
});

function candidateIcon(w, n) {
  const classes = ['gl-candidate'];
  if (w.responsible) classes.push('gl-candidate--responsible');
  if (w.status !== 'online') classes.push('gl-candidate--offline');
  return L.divIcon({
    className: classes.join(' '),
    html: `<span aria-label="${esc(t('center.dispatch.rank', { n }))}">${n}</span>`,
    iconSize: [24, 24],
    iconAnchor: [12, 12],
  });
}

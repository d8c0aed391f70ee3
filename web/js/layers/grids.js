// Grid boundaries of one level (street / community / grid) or the dedicated grids,
// with name labels (in the current language) placed at each grid's `label` point
// inside a zoom range; labels that would overlap are hidden (declutter.js).
// Polygons get class `gl-grid` and data-grid-id; a click opens the grid's details.
// With `live`, any 'grids' event (a plan published: new, changed and retired grids)
// refetches the layer, so the map follows without a reload.
import { L } from 'leaflet';
import { getGrid, errorMessage, isAbort } from '../api.js';
import { onLangChange, pick, t } from '../i18n.js';
import { esc, popupHtml } from '../util.js';
import { BBoxLayer } from './bbox.js';
import { TaggedMarker, tagPath } from './marker.js';
import { ensureHatchPatterns, hatchFill, dedicatedColor } from './hatch.js';
import { labelRank, scheduleDeclutter } from './declutter.js';

// Street and community outlines have no fill, so clicks inside reach the grids.
export const LEVEL_STYLES = {
  street: { color: '#1e3a8a', weight: 4, opacity: 0.85, fill: false, dashArray: '10 6' },
  community: { color: '#2563eb', weight: 2.5, opacity: 0.9, fill: false },
  grid: { color: '#0891b2', weight: 1.2, opacity: 0.9, fillColor: '#0891b2', fillOpacity: 0.03 },
  micro: { color: '#64748b', weight: 0.8, opacity: 0.8, fill: false },
};

// One map pane per level keeps the stacking fixed whatever order the fetches finish in.
const PANE_Z = { street: 401, community: 402, grid: 403, micro: 404, dedicated: 405 };

/**
 * Zoom ranges [from, below) in which each level's names are shown (the command map has
 * quarter zoom steps): community names at the street-wide view, grid names from the
 * zoom at which they fit inside their grids.
 */
export const LABEL_ZOOMS = {
  street: [0, 14],
  community: [13, 16],
  grid: [16, 99],
  micro: [18, 99],
  dedicated: [15, 99],
};

export const GridsLayer = BBoxLayer.extend({
  options: {
    path: '/api/grids',
    level: null, // 'street' | 'community' | 'grid' | 'micro'
    kind: null, // 'comprehensive' | 'dedicated'
    labelZooms: null, // override [from, below]
    exclude: [], // grid ids not drawn (the patroller's own grid)
    className: 'gl-grid',
    rebuildOnZoom: true,
    popup: true,
  },

  initialize(options) {
    BBoxLayer.prototype.initialize.call(this, options);
    const params = {};
    if (this.options.level) params.level = this.options.level;
    if (this.options.kind) params.kind = this.options.kind;
    this.options.params = { ...params, ...(options.params || {}) };
    this._labels = L.layerGroup();
    this._labelsById = new Map();
    this._onGridEvent = (ev) => {
      if (ev.detail.topic === 'grids') this._schedule();
    };
    this._offLang = null;
  },

  onAdd(map) {
    if (this.options.kind === 'dedicated') ensureHatchPatterns();
    if (!map.getPane('gl-labels')) {
      map.createPane('gl-labels').style.zIndex = 450;
    }
    const pane = this.paneName();
    if (!map.getPane(pane)) map.createPane(pane).style.zIndex = PANE_Z[this._paneKey()] || 403;
    BBoxLayer.prototype.onAdd.call(this, map);
    map.on('zoomend', this._syncLabels, this);
    if (this.options.live) this.options.live.addEventListener('event', this._onGridEvent);
    this._offLang = onLangChange(() => this._renameLabels());
    this._syncLabels();
  },

  onRemove(map) {
    map.off('zoomend', this._syncLabels, this);
    if (this.options.live) this.options.live.removeEventListener('event', this._onGridEvent);
    if (this._offLang) this._offLang();
    this._offLang = null;
    map.removeLayer(this._labels);
    BBoxLayer.prototype.onRemove.call(this, map);
    scheduleDeclutter(map);
  },

  _paneKey() {
    return this.options.kind === 'dedicated' ? 'dedicated' : this.options.level || 'grid';
  },

  paneName() {
    return `gl-grids-${this._paneKey()}`;
  },

  labelRange() {
    if (this.options.labelZooms) return this.options.labelZooms;
    const key = this.options.kind === 'dedicated' ? 'dedicated' : this.options.level || 'grid';
    return LABEL_ZOOMS[key] || [16, 99];
  },

  _syncLabels() {
    const map = this._map;
    if (!map) return;
    const [from, below] = this.labelRange();
    const zoom = map.getZoom();
    const show = zoom >= from && zoom < below;
    if (show && !map.hasLayer(this._labels)) map.addLayer(this._labels);
    if (!show && map.hasLayer(this._labels)) map.removeLayer(this._labels);
    scheduleDeclutter(map);
  },

  setFeatures(features, zoom) {
    BBoxLayer.prototype.setFeatures.call(this, features, zoom);
    if (this._map) scheduleDeclutter(this._map);
  },

  /** Labels follow the language (name / name_en). */
  _renameLabels() {
    for (const [id, marker] of this._labelsById) {
      const layer = this.getFeatureLayer(id);
      const span = marker.getElement() && marker.getElement().firstElementChild;
      if (layer && span) span.textContent = labelText(layer.feature.properties);
    }
    if (this._map) scheduleDeclutter(this._map);
  },

  acceptFeature(feature) {
    return !this.options.exclude.map(String).includes(String(feature.properties.id));
  },

  styleFor(props) {
    if (props.kind === 'dedicated' || this.options.kind === 'dedicated') {
      const color = dedicatedColor(props.dedicated_type);
      return { color, weight: 1.8, opacity: 0.95, fillColor: hatchFill(props.dedicated_type), fillOpacity: 1 };
    }
    return LEVEL_STYLES[props.level || this.options.level] || LEVEL_STYLES.grid;
  },

  createFeature(feature) {
    const props = feature.properties;
    const layer = L.GeoJSON.geometryToLayer(feature);
    if (!layer) return null;
    const base = this.styleFor(props);
    const level = props.level || this.options.level || 'grid';
    const kindClass = props.kind === 'dedicated' ? ' gl-grid--dedicated' : '';
    L.setOptions(layer, {
      ...base,
      pane: this.paneName(),
      className: `${this.options.className} gl-grid--${level}${kindClass}`,
    });
    tagPath(layer, { gridId: props.id, level });
    layer.on('mouseover', () => layer.setStyle({ weight: base.weight + 1.5, opacity: 1 }));
    layer.on('mouseout', () => layer.setStyle({ weight: base.weight, opacity: base.opacity }));
    if (this.options.popup) {
      layer.bindPopup(() => gridPopupSkeleton(props), { maxWidth: 320, className: 'gl-popup-wrap' });
      layer.on('popupopen', (ev) => fillGridPopup(ev.popup, props));
    }
    this._addLabel(props);
    return layer;
  },

  removeFeature(id) {
    const label = this._labelsById.get(String(id));
    if (label) {
      this._labels.removeLayer(label);
      this._labelsById.delete(String(id));
    }
    BBoxLayer.prototype.removeFeature.call(this, id);
  },

  clearFeatures() {
    this._labels.clearLayers();
    this._labelsById.clear();
    BBoxLayer.prototype.clearFeatures.call(this);
  },

  _addLabel(props) {
    if (!Array.isArray(props.label) || props.label.length < 2) return;
    const level = props.kind === 'dedicated' ? 'dedicated' : props.level || this.options.level || 'grid';
    const icon = L.divIcon({
      className: `gl-label gl-label--${level}`,
      html: `<span>${esc(labelText(props))}</span>`,
      iconSize: null,
    });
    const marker = new TaggedMarker([props.label[1], props.label[0]], {
      icon,
      dataset: { gridId: props.id, rank: labelRank(level) },
      interactive: false,
      keyboard: false,
      pane: 'gl-labels',
    });
    this._labelsById.set(String(props.id), marker);
    this._labels.addLayer(marker);
  },
});

function labelText(props) {
  return pick(props.name, props.name_en) || props.name || '';
}

function levelName(props) {
  if (props.kind === 'dedicated') return t(`dedicated.${props.dedicated_type || 'other'}`);
  return t(`level.${props.level || 'grid'}`);
}

function gridPopupSkeleton(props) {
  return popupHtml(props.name, [
    [t('grid.code'), esc(props.code)],
    [t('grid.level'), esc(levelName(props))],
    ['', `<span class="gl-muted">${esc(t('common.loading'))}</span>`],
  ], 'gl-popup--grid');
}

/** Fetch /api/grids/{id} and replace the popup content with the details. */
async function fillGridPopup(popup, props) {
  const controller = new AbortController();
  const stopOnClose = () => controller.abort();
  popup.once('remove', stopOnClose);
  let html;
  try {
    const feature = await getGrid(props.id, controller.signal);
    html = gridPopupHtml({ ...props, ...(feature && feature.properties) });
  } catch (err) {
    if (isAbort(err)) return;
    html = popupHtml(props.name, [[t('common.error'), esc(errorMessage(err))]]);
  }
  popup.off('remove', stopOnClose);
  popup.setContent(html);
}

export function gridPopupHtml(p) {
  const workers = (p.workers || [])
    .map((w) => `${esc(w.name)}<span class="gl-muted">（${esc(t(`role.${w.role}`))}）</span>`)
    .join('、');
  return popupHtml(p.name, [
    [t('grid.code'), esc(p.code)],
    [t('grid.level'), esc(levelName(p))],
    [t('grid.head'), p.head ? esc(p.head.name) : `<span class="gl-muted">${esc(t('common.none'))}</span>`],
    [t('grid.workers'), workers || `<span class="gl-muted">${esc(t('common.none'))}</span>`],
    [t('grid.households'), esc(p.households ?? '')],
    [t('grid.stations'), esc(p.stations ?? '')],
  ], 'gl-popup--grid');
}

// Households: density circles when zoomed out (zoom < 17, server-side clusters with a
// five-colour breakdown), one dot per household coloured by care_color when zoomed in.
// Addresses arrive masked; roles without access get 403 and the layer fires 'forbidden'.
import { L } from 'leaflet';
import { t, tOr } from '../i18n.js';
import { esc, popupHtml } from '../util.js';
import { BBoxLayer } from './bbox.js';
import { TaggedMarker } from './marker.js';

export const CARE_COLORS = {
  red: '#dc2626',
  orange: '#ea580c',
  yellow: '#ca8a04',
  blue: '#2563eb',
  green: '#16a34a',
};
const ORDER = ['red', 'orange', 'yellow', 'blue', 'green'];

/** CSS conic-gradient showing the share of each care colour in a cluster. */
export function careGradient(colors = {}) {
  const total = ORDER.reduce((sum, c) => sum + (Number(colors[c]) || 0), 0);
  if (!total) return '#94a3b8';
  let angle = 0;
  const stops = [];
  for (const c of ORDER) {
    const share = ((Number(colors[c]) || 0) / total) * 360;
    if (!share) continue;
    stops.push(`${CARE_COLORS[c]} ${angle.toFixed(1)}deg ${(angle + share).toFixed(1)}deg`);
    angle += share;
  }
  return `conic-gradient(${stops.join(', ')})`;
}

export function clusterSize(count) {
  return Math.round(Math.min(64, 18 + Math.sqrt(Math.max(0, count)) * 2.2));
}

export const HouseholdsLayer = BBoxLayer.extend({
  options: {
    path: '/api/households',
    rebuildOnZoom: true,
  },

  createFeature(feature) {
    const props = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    return props.cluster ? this._cluster(props, lat, lon) : this._household(props, lat, lon);
  },

  _cluster(props, lat, lon) {
    const size = clusterSize(props.count);
    const icon = L.divIcon({
      className: 'gl-household-cluster',
      html: `<span class="ring" style="background:${careGradient(props.colors)}"></span>`
        + `<span class="count">${esc(props.count)}</span>`,
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
    const marker = new TaggedMarker([lat, lon], { icon, dataset: { clusterId: props.id } });
    marker.bindTooltip(() => clusterTooltip(marker.feature.properties), { direction: 'top' });
    marker.on('click', () => {
      const map = this._map;
      if (map) map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, 17));
    });
    return marker;
  },

  _household(props, lat, lon) {
    const color = CARE_COLORS[props.care_color] || '#64748b';
    const dot = L.circleMarker([lat, lon], {
      radius: 5,
      color: '#ffffff',
      weight: 1.5,
      fillColor: color,
      fillOpacity: 0.95,
      className: `gl-household gl-household--${props.care_color || 'none'}`,
    });
    dot.bindPopup(() => householdPopupHtml(dot.feature.properties), { className: 'gl-popup-wrap' });
    return dot;
  },
});

function clusterTooltip(p) {
  const parts = ORDER.filter((c) => p.colors && p.colors[c])
    .map((c) => `<i class="gl-swatch" style="background:${CARE_COLORS[c]}"></i>${esc(t(`care.${c}`))} ${esc(p.colors[c])}`);
  return `<b>${esc(t('household.count', { count: p.count }))}</b><br>${parts.join('<br>')}`;
}

export function householdPopupHtml(p) {
  const tags = (p.tags || []).map((tag) => `<span class="gl-chip">${esc(tOr(`tag.${tag}`, tag))}</span>`).join('');
  const care = p.care_color
    ? `<i class="gl-swatch" style="background:${CARE_COLORS[p.care_color] || '#64748b'}"></i>${esc(t(`care.${p.care_color}`))}`
    : '';
  return popupHtml(p.address || t('household.title'), [
    [t('household.care'), care],
    [t('household.residents'), esc(p.residents)],
    [t('household.tags'), tags],
    [t('household.masked'), `<span class="gl-muted">${esc(t('household.maskedNote'))}</span>`],
  ], 'gl-popup--household');
}

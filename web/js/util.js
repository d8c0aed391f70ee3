// Small helpers shared by pages, layers and controls.
import { getLang } from './i18n.js';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape a value for use inside HTML text or a quoted attribute. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Call fn once, `ms` after the last of a burst of calls; `.cancel()` drops it. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  wrapped.cancel = () => { clearTimeout(timer); timer = null; };
  return wrapped;
}

/**
 * Loads where only the newest counts: `run(work)` aborts the run before it and calls
 * `work(signal)`; a run overtaken by a newer one (or by `run.abort()`) rejects with an
 * AbortError even when its answer had already come (test with isAbort from api.js).
 */
export function latestOnly() {
  let current = null;
  const run = async (work) => {
    if (current) current.abort();
    const controller = new AbortController();
    current = controller;
    try {
      const value = await work(controller.signal);
      if (controller.signal.aborted) throw new DOMException('overtaken', 'AbortError');
      return value;
    } finally {
      if (current === controller) current = null;
    }
  };
  run.abort = () => {
    if (current) current.abort();
  };
  return run;
}

/** [minLon, minLat, maxLon, maxLat] of Leaflet bounds. */
export function boundsToBbox(bounds) {
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
}

/** Grow a [minLon, minLat, maxLon, maxLat] box by `ratio` of its size on every side. */
export function expandBbox(bbox, ratio) {
  const [x0, y0, x1, y1] = bbox;
  const dx = (x1 - x0) * ratio;
  const dy = (y1 - y0) * ratio;
  return [x0 - dx, y0 - dy, x1 + dx, y1 + dy];
}

/** The `bbox=` query value: six decimals are ~0.1 m, plenty for a view. */
export function bboxParam(bbox) {
  return bbox.map((v) => Number(v).toFixed(6)).join(',');
}

/** Leaflet LatLngBounds from [minLon, minLat, maxLon, maxLat]. */
export function bboxToLatLngBounds(L, bbox) {
  return L.latLngBounds([bbox[1], bbox[0]], [bbox[3], bbox[2]]);
}

/** Date and time in the current language, or '' for a missing value. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(getLang(), { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** "3 minutes ago" in the current language. */
export function formatAgo(iso, now = Date.now()) {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Number.isNaN(seconds)) return '';
  const rtf = new Intl.RelativeTimeFormat(getLang(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** A random id for Idempotency-Key headers; also works outside secure contexts. */
export function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function' && window.isSecureContext) {
    return window.crypto.randomUUID();
  }
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Popup markup: a title and rows of [label, value-html]. Values must be escaped already. */
export function popupHtml(title, rows, extraClass = '') {
  const body = rows
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([label, value]) => `<tr><th>${esc(label)}</th><td>${value}</td></tr>`)
    .join('');
  return `<div class="gl-popup ${extraClass}"><h3>${esc(title)}</h3><table>${body}</table></div>`;
}

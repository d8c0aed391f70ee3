// Small formatters for the field pages: deadlines, distances, categories, geo: links.
import { t, pick } from '../i18n.js';
import { errorMessage } from '../api.js';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
export const SOON_MS = HOUR; // under an hour left: shown as "due soon"

/** {kind: 'none'|'ok'|'soon'|'overdue', text} for a deadline, as of `now`. */
export function deadlineState(iso, now = Date.now()) {
  if (!iso) return { kind: 'none', text: t('field.deadline.none') };
  const left = new Date(iso).getTime() - now;
  if (Number.isNaN(left)) return { kind: 'none', text: t('field.deadline.none') };
  const span = duration(Math.abs(left));
  if (left < 0) return { kind: 'overdue', text: t('field.deadline.overdue', { span }) };
  return { kind: left < SOON_MS ? 'soon' : 'ok', text: t('field.deadline.left', { span }) };
}

/** "2天3小时" / "1 h 5 min" / "4分12秒" — coarse far away, to the second near the end. */
export function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('field.span.dh', { d, h });
  if (h > 0) return t('field.span.hm', { h, m });
  return t('field.span.ms', { m, s: s % 60 });
}

/** "85 米" / "1.2 公里". */
export function distance(metres) {
  if (!Number.isFinite(metres)) return '';
  if (metres < 1000) return t('field.dist.m', { m: Math.round(metres) });
  return t('field.dist.km', { km: (metres / 1000).toFixed(1) });
}

/** A category's name in the current language, from the /api/categories list. */
export function categoryName(categories, code, fallback) {
  const c = (categories || []).find((x) => x.code === code);
  return c ? pick(c.name, c.name_en) : (fallback || code || '');
}

/** geo: URI (RFC 5870, WGS84) that opens the phone's own map or navigation app. */
export function geoUri(lat, lon, label) {
  const ll = `${Number(lat).toFixed(6)},${Number(lon).toFixed(6)}`;
  const q = label ? `?q=${ll}(${encodeURIComponent(label)})` : '';
  return `geo:${ll}${q}`;
}

/** Coordinates as "30.66093, 104.06002". */
export function coords(lat, lon) {
  return `${Number(lat).toFixed(5)}, ${Number(lon).toFixed(5)}`;
}

const FIELD_MESSAGES = {
  category: 'field.form.needCategory',
  description: 'field.form.needDescription',
  reporter_phone: 'field.report.badPhone',
  reporter_name: 'field.report.badName',
  note: 'field.resolve.needNote',
  result_note: 'field.resolve.needNote',
  photos: 'field.resolve.needPhoto',
};

/** A person's message for an API error: a plain sentence for a bad input, else the server's. */
const PLACE_CODES = ['outside_service_area', 'null_island', 'coord_out_of_range'];

export function friendlyError(err) {
  if (err && err.code === 'invalid_input' && FIELD_MESSAGES[err.field]) return t(FIELD_MESSAGES[err.field]);
  if (err && PLACE_CODES.includes(err.code)) return t('field.place.outside');
  return errorMessage(err);
}

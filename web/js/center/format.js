// Formatting shared by the center's panels: durations, deadlines, status badges and the
// small source icons. Everything a person reads goes through t().
import { t, tOr, pick } from '../i18n.js';
import { esc } from '../util.js';
import { STATUS_COLORS } from '../layers/reports.js';

const MINUTE = 60000;

/** "3 小时 20 分" for a span of milliseconds (sign ignored, at least one minute). */
export function duration(ms) {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / MINUTE));
  if (minutes < 60) return t('center.dur.m', { m: minutes });
  const h = Math.floor(minutes / 60);
  if (h < 24) return minutes % 60 ? t('center.dur.hm', { h, m: minutes % 60 }) : t('center.dur.h', { h });
  const d = Math.floor(h / 24);
  return h % 24 ? t('center.dur.dh', { d, h: h % 24 }) : t('center.dur.d', { d });
}

/** Age of a report: "12 分钟前" style. */
export function age(iso, now = Date.now()) {
  const ms = now - Date.parse(iso);
  return Number.isNaN(ms) ? '' : t('center.ago', { time: duration(ms) });
}

/**
 * Time left to a deadline: {text, state} with state 'overdue' | 'soon' (under two
 * hours) | 'ok', or null without a deadline.
 */
export function timeLeft(deadlineIso, now = Date.now()) {
  if (!deadlineIso) return null;
  const left = Date.parse(deadlineIso) - now;
  if (Number.isNaN(left)) return null;
  if (left < 0) return { text: t('center.overdueBy', { time: duration(left) }), state: 'overdue' };
  return { text: t('center.timeLeft', { time: duration(left) }), state: left < 2 * 60 * MINUTE ? 'soon' : 'ok' };
}

export function categoryName(r) {
  return pick(r.category_name, r.category_name_en) || r.category || t('report.title');
}

/** The escalation level's audience ("升级至社区"), or '' at level 0. */
export function escalationText(level) {
  if (!level) return '';
  return t('center.escalated', { level, to: tOr(`center.level.${level}`, String(level)) });
}

export function statusBadge(status) {
  const color = STATUS_COLORS[status] || '#64748b';
  return `<span class="gl-status" data-status="${esc(status)}" style="--gl-status:${color}">`
    + `${esc(tOr(`status.${status}`, status))}</span>`;
}

const ICONS = {
  resident: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z',
  volunteer: 'M12 21l-1.5-1.3C5.4 15.2 2 12.2 2 8.5 2 5.4 4.4 3 7.5 3c1.7 0 3.4.8 4.5 2.1C13.1 3.8 14.8 3 16.5 3 19.6 3 22 5.4 22 8.5c0 3.7-3.4 6.7-8.5 11.2L12 21z',
  patroller: 'M12 2 4 5v6c0 5.5 3.8 10.7 8 12 4.2-1.3 8-6.5 8-12V5l-8-3zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4-6.3 6.3z',
  hotline: 'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2z',
  walk_in: 'M3 21V8l9-5 9 5v13h-6v-7H9v7H3z',
};
ICONS.patrol = ICONS.patroller;
ICONS.staff = ICONS.walk_in;
const DOT = 'M12 7a5 5 0 1 1 0 10 5 5 0 0 1 0-10z';

/** A 16 px source icon with the source's name as its tooltip. */
export function sourceIcon(source) {
  const label = esc(tOr(`source.${source}`, source || ''));
  return `<span class="gl-src gl-src--${esc(source)}" title="${label}" aria-label="${label}">`
    + `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICONS[source] || DOT}"/></svg></span>`;
}

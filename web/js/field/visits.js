// 走访: the households of my grids that are due a visit (GET /api/visits/due), overdue
// first by care colour, as `.gl-visit[data-household-id][data-care][data-overdue]` with
// the masked name, when it is due, the distance from my GPS fix and 签到 (check in,
// POST /api/visits with that fix). A check-in is about being there now, so it is never
// queued offline: without a network it is refused with a clear message; when the answer
// is lost on the way, the same body and Idempotency-Key go again on "retry", so nothing
// is recorded twice. A household just checked in stays on top for a while, marked
// `data-visited="today"` with its next due date. Refreshes on `visits` events of my
// grids; tapping an item shows the household on the map. Fires 'change' {items}.
import { L } from 'leaflet';
import { errorMessage, isAbort } from '../api.js';
import { getDue, postVisit } from './api.js';
import { distance, geoUri } from './format.js';
import { PendingSubmission, isRetryable } from './pending.js';
import { CARE_COLORS } from '../layers/households.js';
import { getLang, t, onLangChange } from '../i18n.js';
import { debounce, esc, formatAgo, latestOnly } from '../util.js';
import { toast } from '../controls/toast.js';

const DAY_MS = 86400000;
const POLL_MS = 5 * 60000;
const PIN_MS = 10 * 60000; // a household just checked in stays on top, marked, this long

/** {kind: 'overdue'|'soon'|'ok', text} of a due date, as of `now`. */
export function dueState(item, now = Date.now()) {
  if (item.overdue) {
    return { kind: 'overdue', text: item.overdue_days > 0 ? t('visit.overdueDays', { n: item.overdue_days }) : t('visit.dueNow') };
  }
  const days = Math.max(1, Math.ceil((new Date(item.due_at).getTime() - now) / DAY_MS));
  return { kind: days <= 3 ? 'soon' : 'ok', text: t('visit.dueIn', { n: days }) };
}

function sameDay(iso, now = new Date()) {
  return Boolean(iso) && new Date(iso).toDateString() === now.toDateString();
}

function shortDate(iso) {
  return new Intl.DateTimeFormat(getLang(), { month: 'short', day: 'numeric' }).format(new Date(iso));
}

export class VisitList extends EventTarget {
  /**
   * @param {object} options
   * @param {HTMLElement} options.el        the <ul> the households go in
   * @param {HTMLElement} [options.count]   the tab's badge (overdue count)
   * @param {HTMLElement} [options.tab]     the tab button (refresh when chosen)
   * @param {object} options.me             /api/me (username, grid_ids)
   * @param {EventTarget} [options.live]    the LiveClient
   * @param {MeLayer} options.meLayer       my GPS fix
   * @param {L.Map} [options.map]           to show a household
   */
  constructor(options) {
    super();
    this.options = options;
    this.items = [];
    this.state = 'loading';
    this.error = '';
    this.messages = new Map(); // household id → {kind, text} shown under the item
    this.busy = new Set();
    this.justDone = new Map(); // household id → when I checked in there
    this.loadedAt = 0;
    this.pending = new PendingSubmission(`gridlink.pending.visit.${options.me.username}`);
    this.target = null;
    this.refreshSoon = debounce(() => this.refresh(), 300);
    this._fetch = latestOnly();
    this._onClick = (ev) => this._click(ev);
    this._onEvent = (ev) => this._event(ev.detail);
    this._onReset = () => this.refreshSoon();
    this._onTab = () => {
      if (Date.now() - this.loadedAt > 30000) this.refresh();
    };
    this._onFix = () => this._distances();
    this._offLang = null;
  }

  mount() {
    const { el, live, tab, meLayer } = this.options;
    el.addEventListener('click', this._onClick);
    if (tab) tab.addEventListener('click', this._onTab);
    if (live) {
      live.addEventListener('event', this._onEvent);
      live.addEventListener('reset', this._onReset);
    }
    meLayer.on('fix', this._onFix);
    this._offLang = onLangChange(() => this.render());
    this._poll = setInterval(() => this.refresh(), POLL_MS);
    this.refresh();
    return this;
  }

  unmount() {
    const { el, live, tab, meLayer } = this.options;
    el.removeEventListener('click', this._onClick);
    if (tab) tab.removeEventListener('click', this._onTab);
    if (live) {
      live.removeEventListener('event', this._onEvent);
      live.removeEventListener('reset', this._onReset);
    }
    meLayer.off('fix', this._onFix);
    if (this._offLang) this._offLang();
    clearInterval(this._poll);
    this._untarget();
  }

  async refresh() {
    try {
      this.items = await this._fetch((signal) => getDue(this.options.meLayer.getLatLng(), signal));
      this.state = 'ready';
      this.loadedAt = Date.now();
    } catch (err) {
      if (isAbort(err)) return;
      this.state = this.items.length ? 'ready' : 'error';
      this.error = errorMessage(err);
    }
    this.render();
    this._emit('change', { items: this.items });
  }

  find(id) {
    return this.items.find((item) => String(item.household_id) === String(id)) || null;
  }

  get overdueCount() {
    return this.items.filter((item) => item.overdue).length;
  }

  _event(msg) {
    if (!msg || msg.topic !== 'visits') return;
    const p = msg.payload || {};
    const grids = this.options.me.grid_ids || [];
    if (grids.includes(p.grid_id) || this.find(p.household_id)) this.refreshSoon();
  }

  async checkIn(item) {
    const hid = item.household_id;
    if (this.busy.has(hid)) return;
    const kept = this.pending.get();
    const retry = kept && kept.body.household_id === hid ? kept.body : null;
    const fix = this.options.meLayer.lastFix;
    if (!retry && !fix) return this._say(hid, 'error', t('visit.needFix'));
    if (navigator.onLine === false) return this._say(hid, 'error', t('visit.offline'));
    const body = retry || {
      household_id: hid, lon: Number(fix.lon.toFixed(7)), lat: Number(fix.lat.toFixed(7)),
      ...(Number.isFinite(fix.accuracy) ? { accuracy: Math.round(fix.accuracy * 10) / 10 } : {}),
    };
    this.busy.add(hid);
    this._say(hid, 'info', t('visit.sending'));
    try {
      const out = await this.pending.send(body, postVisit);
      Object.assign(item, {
        last_visited_at: out.visited_at, due_at: out.next_due_at, overdue: false, overdue_days: 0,
      });
      this.justDone.set(hid, Date.now());
      const next = shortDate(out.next_due_at);
      this.messages.set(hid, { kind: 'ok', text: t('visit.done', { date: next, m: Math.round(out.distance_m) }) });
      toast(t('visit.doneToast', { name: item.name, date: next }), { kind: 'ok' });
    } catch (err) {
      const text = isRetryable(err) && this.pending.get() ? t('visit.unsent') : errorMessage(err);
      this.messages.set(hid, { kind: 'error', text });
    } finally {
      this.busy.delete(hid);
      this.render();
      this._emit('change', { items: this.items });
    }
    // it may have moved (to the top once visited): keep it in sight
    const li = this.options.el.querySelector(`.gl-visit[data-household-id="${hid}"]`);
    if (li && li.scrollIntoView) li.scrollIntoView({ block: 'nearest' });
    return undefined;
  }

  _say(hid, kind, text) {
    this.messages.set(hid, { kind, text });
    this.render();
  }

  _click(ev) {
    if (ev.target.closest('[data-action=reload]')) return this.refresh();
    const li = ev.target.closest('.gl-visit');
    const item = li && this.find(li.dataset.householdId);
    if (!item) return undefined;
    const action = ev.target.closest('[data-action]');
    if (action && action.dataset.action === 'checkin') return this.checkIn(item);
    if (!action) this._show(item);
    return undefined;
  }

  /** Ring the household on the map and bring it into view. */
  _show(item) {
    const { map } = this.options;
    if (!map) return;
    this._untarget();
    const latlng = L.latLng(item.lat, item.lon);
    this.target = L.circleMarker(latlng, {
      radius: 11, weight: 3, color: CARE_COLORS[item.care_color] || '#64748b', fillOpacity: 0.15,
      className: 'gl-visit-target', interactive: false,
    }).addTo(map);
    map.setView(latlng, Math.max(map.getZoom(), 18));
  }

  _untarget() {
    if (this.target) this.target.remove();
    this.target = null;
  }

  _distance(item) {
    const here = this.options.meLayer.getLatLng();
    return here ? distance(here.distanceTo(L.latLng(item.lat, item.lon))) : '';
  }

  _distances() {
    for (const li of this.options.el.querySelectorAll('.gl-visit')) {
      const item = this.find(li.dataset.householdId);
      const out = li.querySelector('.gl-visit__dist');
      if (item && out) out.textContent = this._distance(item);
    }
  }

  render() {
    const { el, count } = this.options;
    el.dataset.state = this.state;
    if (count) {
      const n = this.overdueCount;
      count.dataset.count = String(n);
      count.textContent = String(n);
      count.hidden = !n;
      count.classList.toggle('is-overdue', n > 0);
      count.title = n ? t('visit.overdueCount', { count: n }) : '';
    }
    if (this.state === 'loading') {
      el.innerHTML = `<li class="gl-empty">${esc(t('common.loading'))}</li>`;
    } else if (this.state === 'error') {
      el.innerHTML = `<li class="gl-empty gl-empty--error">${esc(this.error)} `
        + `<button type="button" class="gl-btn gl-btn--ghost-dark" data-action="reload">${esc(t('boot.retry'))}</button></li>`;
    } else if (!this.items.length) {
      el.innerHTML = `<li class="gl-empty"><strong>${esc(t('visit.empty'))}</strong></li>`;
    } else {
      el.innerHTML = this._summary() + this._ordered().map((item) => this._item(item)).join('');
    }
  }

  /** The server's order, with the households I just checked in at first. */
  _ordered() {
    const since = Date.now() - PIN_MS;
    const pinned = this.items.filter((item) => (this.justDone.get(item.household_id) || 0) > since);
    return pinned.length ? [...pinned, ...this.items.filter((item) => !pinned.includes(item))] : this.items;
  }

  _summary() {
    const late = this.overdueCount;
    const text = late ? t('visit.summaryLate', { n: late, total: this.items.length }) : t('visit.summaryOk', { total: this.items.length });
    return `<li class="gl-visits__summary" data-overdue="${late}">${esc(text)}</li>`;
  }

  _item(item) {
    const hid = item.household_id;
    const due = dueState(item);
    const today = sameDay(item.last_visited_at);
    const last = item.last_visited_at ? t('visit.last', { ago: formatAgo(item.last_visited_at) }) : t('visit.never');
    const msg = this.messages.get(hid);
    const busy = this.busy.has(hid);
    const kept = this.pending.get();
    const label = kept && kept.body.household_id === hid ? t('visit.retry') : t(today ? 'visit.again' : 'visit.checkIn');
    return `<li class="gl-visit" data-household-id="${hid}" data-care="${esc(item.care_color)}" data-overdue="${item.overdue}"`
      + ` data-visited="${today ? 'today' : ''}" tabindex="0">
      <div class="gl-visit__top">
        <span class="gl-care-chip" style="--care:${CARE_COLORS[item.care_color] || '#64748b'}">${esc(t(`care.${item.care_color}`))}</span>
        <span class="gl-visit__name">${esc(item.name)}</span>
        ${today ? `<span class="gl-badge gl-badge--visited">${esc(t('visit.visitedToday'))}</span>` : ''}
        <span class="gl-visit__dist">${esc(this._distance(item))}</span>
      </div>
      <p class="gl-visit__addr">${esc(item.address)}</p>
      <div class="gl-visit__foot">
        <span class="gl-visit__due" data-kind="${due.kind}">${esc(due.text)}</span>
        <span class="gl-visit__last">${esc(last)}</span>
        <span class="gl-visit__actions">
          <a class="gl-btn gl-btn--ghost-dark" data-action="navigate" href="${esc(geoUri(item.lat, item.lon, item.address))}">${esc(t('field.tasks.navigate'))}</a>
          <button type="button" class="gl-btn gl-btn--ok" data-action="checkin"${busy ? ' disabled' : ''}>${esc(busy ? t('visit.sending') : label)}</button>
        </span>
      </div>
      ${msg ? `<p class="gl-visit__msg" data-kind="${msg.kind}" role="status">${esc(msg.text)}</p>` : ''}
    </li>`;
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Mount the visits tab of the patroller's sheet (markup in patrol.html). */
export function startVisits({ map, me, live, meLayer }) {
  const byId = (id) => document.getElementById(id);
  return new VisitList({
    el: byId('visit-list'), count: byId('visit-count'), tab: document.querySelector('button[data-tab="visits"]'),
    me, live, meLayer, map,
  }).mount();
}

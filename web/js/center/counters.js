// Header counters of the center: 超时 (open work past its deadline, from the store) and
// 今日受理 (reports received since local midnight: one API count, then the live feed).
import { isAbort } from '../api.js';
import { getReportsSince } from './api.js';

function show(el, value, { bump = false, alert = false } = {}) {
  const old = el.dataset.count === undefined ? null : Number(el.dataset.count);
  el.textContent = String(value);
  el.dataset.count = String(value);
  el.classList.remove('gl-count--stale');
  el.closest('.gl-stat')?.classList.toggle('gl-stat--alert', alert && value > 0);
  if (bump && old !== null && value > old) {
    el.classList.remove('gl-bump');
    void el.offsetWidth; // restart the animation
    el.classList.add('gl-bump');
  }
}

export class OverdueCounter {
  constructor(el, store) {
    this.el = el;
    this.store = store;
    this._onChange = () => {
      if (this.store.loaded) show(this.el, this.store.counts().overdue, { bump: true, alert: true });
    };
  }

  mount() {
    this.store.addEventListener('change', this._onChange);
    this._onChange();
    return this;
  }

  unmount() {
    this.store.removeEventListener('change', this._onChange);
  }
}

function midnight() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

export class TodayCounter {
  constructor(el, { live, bbox }) {
    this.el = el;
    this.live = live;
    this.bbox = bbox;
    this.ids = new Set();
    this.since = midnight();
    this._controller = null;
    this._timer = null;
    this._onEvent = (ev) => {
      const msg = ev.detail;
      if (msg.topic !== 'reports' || msg.kind !== 'created' || !msg.payload) return;
      if (Date.parse(msg.payload.created_at) < this.since.getTime()) return;
      this.ids.add(String(msg.payload.id));
      show(this.el, this.ids.size, { bump: true });
    };
    this._onReset = () => this.load();
  }

  mount() {
    this.live.addEventListener('event', this._onEvent);
    this.live.addEventListener('reset', this._onReset);
    // a new day starts from zero
    this._timer = setInterval(() => {
      if (midnight().getTime() !== this.since.getTime()) this.load();
    }, 60000);
    this.load();
    return this;
  }

  unmount() {
    this.live.removeEventListener('event', this._onEvent);
    this.live.removeEventListener('reset', this._onReset);
    clearInterval(this._timer);
    if (this._controller) this._controller.abort();
  }

  async load() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    const since = midnight();
    const sameDay = since.getTime() === this.since.getTime();
    this.since = since;
    try {
      const fc = await getReportsSince(this.bbox, since, controller.signal);
      if (controller.signal.aborted) return;
      const ids = new Set(((fc && fc.features) || []).map((f) => String(f.properties.id)));
      if (sameDay) for (const id of this.ids) ids.add(id); // live ones the snapshot missed
      this.ids = ids;
      show(this.el, this.ids.size);
    } catch (err) {
      if (!isAbort(err)) this.el.classList.add('gl-count--stale');
    }
  }
}

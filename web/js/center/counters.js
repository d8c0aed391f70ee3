// Header counters of the center: 超时 (open work past its deadline, from the store) and
// 今日受理 (reports received since local midnight: one API count, then the live feed).
import { isAbort } from '../api.js';
import { getReportsSince } from './api.js';
import { LiveStore } from './live-store.js';

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

export class TodayCounter extends LiveStore {
  constructor(el, { live, bbox }) {
    super({ live, tickMs: 60000 });
    this.el = el;
    this.bbox = bbox;
    this.ids = new Set();
    this.since = midnight();
  }

  /** A new day starts from zero. */
  tick() {
    if (midnight().getTime() !== this.since.getTime()) this.load();
  }

  apply(msg) {
    if (msg.topic !== 'reports' || msg.kind !== 'created' || !msg.payload) return;
    if (Date.parse(msg.payload.created_at) < this.since.getTime()) return;
    this.ids.add(String(msg.payload.id));
    show(this.el, this.ids.size, { bump: true });
  }

  async load() {
    const since = midnight();
    const sameDay = since.getTime() === this.since.getTime();
    this.since = since;
    try {
      const fc = await this._fetch((signal) => getReportsSince(this.bbox, since, signal));
      const ids = new Set(((fc && fc.features) || []).map((f) => String(f.properties.id)));
      if (sameDay) for (const id of this.ids) ids.add(id); // live ones the snapshot missed
      this.ids = ids;
      show(this.el, this.ids.size);
    } catch (err) {
      if (!isAbort(err)) this.el.classList.add('gl-count--stale');
    }
  }
}

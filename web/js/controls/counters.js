// Header counters: workers online and unresolved reports in the whole service area.
// Each starts from one API snapshot and then follows the live feed; 'reset' re-reads.
import { getLayer, isAbort } from '../api.js';
import { UNRESOLVED } from '../layers/reports.js';

class Counter {
  /** @param {HTMLElement} el  the element whose text is the number (data-count mirrors it) */
  constructor(el, { live, bbox }) {
    this.el = el;
    this.live = live;
    this.bbox = bbox;
    this.value = null;
    this._controller = null;
    this._handlers = {};
    this._reset = () => this.load();
  }

  mount() {
    for (const [type, fn] of Object.entries(this._handlers)) this.live.addEventListener(type, fn);
    this.live.addEventListener('reset', this._reset);
    this.load();
    return this;
  }

  unmount() {
    for (const [type, fn] of Object.entries(this._handlers)) this.live.removeEventListener(type, fn);
    this.live.removeEventListener('reset', this._reset);
    if (this._controller) this._controller.abort();
  }

  async load() {
    if (this._controller) this._controller.abort();
    const controller = new AbortController();
    this._controller = controller;
    try {
      const fc = await this.fetch(controller.signal);
      if (controller.signal.aborted) return;
      this.fromSnapshot((fc && fc.features) || []);
      this.render(false);
    } catch (err) {
      if (!isAbort(err)) this.el.classList.add('gl-count--stale');
    }
  }

  render(bump) {
    const old = this.value;
    this.value = this.count();
    this.el.textContent = String(this.value);
    this.el.dataset.count = String(this.value);
    this.el.classList.remove('gl-count--stale');
    if (bump && old !== null && this.value > old) {
      this.el.classList.remove('gl-bump');
      void this.el.offsetWidth;
      this.el.classList.add('gl-bump');
    }
  }
}

/** Workers whose status is 'online'. */
export class WorkersOnlineCounter extends Counter {
  constructor(el, options) {
    super(el, options);
    this.status = new Map();
    this._handlers = {
      positions: (ev) => {
        for (const w of ev.detail.workers || []) if (w.status) this.status.set(String(w.id), w.status);
        this.render(false);
      },
      event: (ev) => {
        const msg = ev.detail;
        if (msg.topic !== 'workers' || !msg.payload || !msg.payload.status) return;
        this.status.set(String(msg.payload.id), msg.payload.status);
        this.render(false);
      },
    };
  }

  fetch(signal) {
    return getLayer('/api/workers/live', { bbox: this.bbox, signal });
  }

  fromSnapshot(features) {
    this.status = new Map(features.map((f) => [String(f.properties.id), f.properties.status]));
  }

  count() {
    let n = 0;
    for (const s of this.status.values()) if (s === 'online') n += 1;
    return n;
  }
}

/** Reports not yet resolved (submitted, accepted, dispatched, claimed). */
export class OpenReportsCounter extends Counter {
  constructor(el, options) {
    super(el, options);
    this.open = new Set();
    this._handlers = {
      event: (ev) => {
        const msg = ev.detail;
        if (msg.topic !== 'reports' || !msg.payload || msg.payload.id === undefined) return;
        const id = String(msg.payload.id);
        if (UNRESOLVED.includes(msg.payload.status)) this.open.add(id);
        else if (msg.payload.status) this.open.delete(id);
        this.render(true);
      },
    };
  }

  fetch(signal) {
    return getLayer('/api/reports', { bbox: this.bbox, params: { status: UNRESOLVED.join(',') }, signal });
  }

  fromSnapshot(features) {
    this.open = new Set(
      features.filter((f) => UNRESOLVED.includes(f.properties.status)).map((f) => String(f.properties.id)),
    );
  }

  count() {
    return this.open.size;
  }
}

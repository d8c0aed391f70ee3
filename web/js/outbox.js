// Position fixes waiting to be sent: kept in memory and localStorage, sent in order
// with POST /api/positions in batches; kept while offline or while the server fails,
// and sent when the connection is back. Fires 'change' {pending, sending, lastError}.
import { postPositions } from './api.js';
import { randomId } from './util.js';

export class PositionOutbox extends EventTarget {
  constructor(options = {}) {
    super();
    this.options = {
      storageKey: 'gridlink.outbox.positions',
      batchSize: 50,
      maxQueued: 5000, // oldest fixes are dropped beyond this (about 4 hours at one fix / 3 s)
      send: postPositions,
      ...options,
    };
    const saved = this._read();
    this.queue = saved.queue;
    // The batch in flight: retried with the same Idempotency-Key and the same fixes,
    // also after a page reload, so the server can recognise a repeat.
    this.batch = saved.batch;
    this.sending = false;
    this.lastError = null;
    this._delay = 0;
    this._timer = null;
    this._onOnline = () => this.flush();
  }

  start() {
    window.addEventListener('online', this._onOnline);
    this.flush();
    return this;
  }

  stop() {
    window.removeEventListener('online', this._onOnline);
    clearTimeout(this._timer);
  }

  get pending() {
    return this.queue.length;
  }

  push(fix) {
    this.queue.push(fix);
    if (this.queue.length > this.options.maxQueued) {
      this.queue.splice(0, this.queue.length - this.options.maxQueued);
      this.batch = null;
    }
    this._save();
    this._emit();
    if (!this._timer) this.flush();
  }

  async flush() {
    clearTimeout(this._timer);
    this._timer = null;
    if (this.sending || !this.queue.length) return;
    if (navigator.onLine === false) return; // 'online' brings us back
    if (!this.batch || this.batch.size > this.queue.length) {
      this.batch = { key: randomId(), size: Math.min(this.options.batchSize, this.queue.length) };
      this._save();
    }
    const batch = this.queue.slice(0, this.batch.size);
    this.sending = true;
    this._emit();
    try {
      await this.options.send(batch, { idempotencyKey: this.batch.key });
      this._done(batch.length, null);
    } catch (err) {
      const status = err && err.status;
      if (status >= 400 && status < 500 && ![401, 408, 429].includes(status)) {
        // refused as a whole (e.g. 422): resending would block every later fix
        this._done(batch.length, err);
      } else {
        this.sending = false;
        this.lastError = err;
        this._delay = Math.min(60000, this._delay ? this._delay * 2 : 2000);
        this._timer = setTimeout(() => this.flush(), this._delay);
        this._emit();
        return;
      }
    }
    if (this.queue.length) this.flush();
  }

  _done(count, error) {
    this.queue.splice(0, count);
    this.batch = null;
    this.sending = false;
    this.lastError = error;
    this._delay = 0;
    this._save();
    this._emit();
  }

  _read() {
    try {
      const raw = JSON.parse(window.localStorage.getItem(this.options.storageKey) || 'null');
      if (raw && Array.isArray(raw.queue)) return { queue: raw.queue, batch: raw.batch || null };
    } catch {
      // unreadable storage: start empty
    }
    return { queue: [], batch: null };
  }

  _save() {
    try {
      window.localStorage.setItem(
        this.options.storageKey,
        JSON.stringify({ queue: this.queue, batch: this.batch }),
      );
    } catch {
      // storage full or unavailable: the queue still lives in memory
    }
  }

  _emit() {
    this.dispatchEvent(new CustomEvent('change', {
      detail: { pending: this.queue.length, sending: this.sending, lastError: this.lastError },
    }));
  }
}

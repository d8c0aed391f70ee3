// A submission that has not been confirmed yet, kept in localStorage with its
// Idempotency-Key: a retry (also after a reload) sends the same key and body, so a
// flaky network never makes two reports. Another body gets a new key.
import { randomId } from '../util.js';

/** Errors after which the server may or may not have the submission: retry, same key. */
export function isRetryable(err) {
  const status = err && err.status;
  return !status || status === 408 || status === 429 || status >= 500;
}

export class PendingSubmission {
  /** @param {string} storageKey  e.g. 'gridlink.pending.report' */
  constructor(storageKey) {
    this.storageKey = storageKey;
    this._memory = null; // used when storage is unavailable
  }

  /** {key, body, at} of the unconfirmed submission, or null. */
  get() {
    try {
      const raw = JSON.parse(window.localStorage.getItem(this.storageKey) || 'null');
      if (raw && raw.key && raw.body) return raw;
    } catch {
      // unreadable: fall back to memory
    }
    return this._memory;
  }

  /** The key for this body: the kept one when the body is the same, else a new one. */
  keyFor(body) {
    const kept = this.get();
    if (kept && JSON.stringify(kept.body) === JSON.stringify(body)) return kept.key;
    const entry = { key: randomId(), body, at: new Date().toISOString() };
    this._memory = entry;
    try {
      window.localStorage.setItem(this.storageKey, JSON.stringify(entry));
    } catch {
      // storage full or unavailable: the key lives as long as the page
    }
    return entry.key;
  }

  clear() {
    this._memory = null;
    try {
      window.localStorage.removeItem(this.storageKey);
    } catch {
      // nothing stored
    }
  }

  /**
   * Send `body` with `send(body, key)`. Success clears the entry; an error that leaves
   * the outcome unknown keeps it for the retry; a refusal (4xx) clears it. Rethrows.
   */
  async send(body, send) {
    const key = this.keyFor(body);
    try {
      const result = await send(body, key);
      this.clear();
      return result;
    } catch (err) {
      if (!isRetryable(err)) this.clear();
      throw err;
    }
  }
}

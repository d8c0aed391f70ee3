// Messages next to form fields. A problem's `field` (e.g. 'reporter_phone') names the
// element `[data-err="…"]` that shows it; messages are kept as functions so that a
// language switch re-renders them in the new language.
import { ApiError, errorMessage } from '../api.js';

export class FieldErrors {
  /**
   * @param {HTMLElement} root
   * @param {object} [o]
   * @param {Record<string, string>} [o.alias]  API field → the data-err key that shows it
   * @param {Record<string, () => string>} [o.invalid]  nicer text for a 422 on a field
   */
  constructor(root, { alias = {}, invalid = {} } = {}) {
    this.root = root;
    this.alias = alias;
    this.invalid = invalid;
    this.messages = new Map(); // data-err key → () => text
  }

  /** Show a thrown error next to its field, else at `[data-err="_"]`. */
  fromError(err) {
    const field = err instanceof ApiError && err.field ? err.field.split('.')[0] : null;
    const key = field ? this.alias[field] || field : '_';
    const target = this.root.querySelector(`[data-err="${key}"]`) ? key : '_';
    const nicer = err instanceof ApiError && err.code === 'invalid_input' && this.invalid[field];
    this.set(target, nicer || (() => errorMessage(err)));
    return target;
  }

  set(key, message) {
    this.messages.set(key, message);
    this.render();
  }

  clear(key) {
    if (key === undefined) this.messages.clear();
    else if (!this.messages.delete(key)) return;
    this.render();
  }

  get size() {
    return this.messages.size;
  }

  render() {
    for (const el of this.root.querySelectorAll('[data-err]')) {
      const message = this.messages.get(el.dataset.err);
      el.textContent = message ? message() : '';
      el.hidden = !message;
      const control = el.parentElement.querySelector('input, select, textarea');
      if (!control || el.dataset.err === '_') continue;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }
}

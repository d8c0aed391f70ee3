// 1–5 star rating of the result (`button[data-star]`, `#rate-note`, `#rate-submit`),
// sent with POST /api/track/{token}/revisit. 3–5 verify the report, 1–2 reopen it.
// Fires 'done' {satisfaction, status}.
import { rateReport } from './api.js';
import { friendlyError } from './format.js';
import { t, onLangChange } from '../i18n.js';

const byId = (id) => document.getElementById(id);

export class Rating extends EventTarget {
  /** @param {{token: string}} options */
  constructor(options) {
    super();
    this.options = options;
    this.value = 0;
    this.sending = false;
    this._onStar = (ev) => {
      const star = ev.target.closest('button[data-star]');
      if (star) this.choose(Number(star.dataset.star));
    };
  }

  mount() {
    byId('rate-stars').addEventListener('click', this._onStar);
    byId('rate-submit').addEventListener('click', () => this.submit());
    onLangChange(() => this.render());
    this.render();
    return this;
  }

  choose(value) {
    this.value = value;
    this._error('');
    this.render();
  }

  render() {
    for (const star of byId('rate-stars').querySelectorAll('button[data-star]')) {
      const n = Number(star.dataset.star);
      star.setAttribute('aria-pressed', String(n === this.value));
      star.classList.toggle('is-on', n <= this.value);
    }
    byId('rate-word').textContent = this.value ? t(`field.rate.word${this.value}`) : t('field.rate.choose');
    byId('rate-word').dataset.value = String(this.value);
    byId('rate-note-wrap').hidden = !this.value;
    byId('rate-note').placeholder = t(this.value && this.value <= 2 ? 'field.rate.notePlaceholderBad' : 'field.rate.notePlaceholder');
    const submit = byId('rate-submit');
    submit.disabled = !this.value || this.sending;
    submit.textContent = t(this.sending ? 'field.form.sending' : 'field.rate.submit');
  }

  async submit() {
    if (!this.value || this.sending) return;
    this.sending = true;
    this.render();
    const note = byId('rate-note').value.trim();
    try {
      const changed = await rateReport(this.options.token, { satisfaction: this.value, ...(note ? { note } : {}) });
      this.dispatchEvent(new CustomEvent('done', { detail: { satisfaction: this.value, status: changed.status } }));
      this.value = 0;
      byId('rate-note').value = '';
    } catch (err) {
      this._error(friendlyError(err));
    } finally {
      this.sending = false;
      this.render();
    }
  }

  _error(message) {
    const el = byId('rate-error');
    el.textContent = message;
    el.hidden = !message;
  }
}

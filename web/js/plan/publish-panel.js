// Publish the draft: an effective time (now by default), a confirmation, then what
// changed. The server refuses an invalid plan (422, its check is shown), a map that
// changed under the draft (409) and a stale ETag (412, the draft is reloaded).
// Hooks: `#plan-publish[data-ready="1|0"]`, `input#publish-at`, `button#publish-submit`,
// `button#publish-confirm`, `button#publish-cancel`, `#publish-result[data-state=ok|error]`
// with `[data-result=grids_changed|grids_new|grids_retired|households_moved|…]`.
import { errorMessage } from '../api.js';
import { applyI18n, onLangChange, t } from '../i18n.js';
import { esc, formatTime } from '../util.js';
import { publishPlan } from './api.js';
import { isoFromInput, localInputValue } from './asof-control.js';

const RESULTS = ['grids_changed', 'grids_new', 'grids_retired', 'households_moved', 'stations_moved', 'open_reports_moved'];

export class PublishPanel {
  /** @param {{root, session, canWrite, onPublished: (out) => void, onMessage}} options */
  constructor({ root, session, canWrite, onPublished, onMessage }) {
    this.root = root;
    this.session = session;
    this.canWrite = canWrite;
    this.onPublished = onPublished;
    this.onMessage = onMessage;
    this.$ = (sel) => root.querySelector(sel);
    this._atTouched = false;
    this._shownFor = null;
    this._onClick = (ev) => this._click(ev);
    this._onAt = () => {
      this._atTouched = true;
    };
    this._onState = () => this.render();
    this._result = null;
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.$('#publish-at').addEventListener('input', this._onAt);
    for (const type of ['plan', 'check', 'busy']) this.session.addEventListener(type, this._onState);
    this._offLang = onLangChange(() => {
      this.render();
      this._renderResult();
    });
    this.render();
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.$('#publish-at').removeEventListener('input', this._onAt);
    for (const type of ['plan', 'check', 'busy']) this.session.removeEventListener(type, this._onState);
    if (this._offLang) this._offLang();
  }

  /** The tab is shown: the default effective time is now. */
  show() {
    if (!this._atTouched) this.$('#publish-at').value = localInputValue();
    this.render();
  }

  render() {
    const plan = this.session.plan;
    const check = this.session.check;
    const draft = Boolean(plan && plan.status === 'draft');
    const planId = plan ? plan.id : null;
    if (planId !== this._shownFor) {
      this._shownFor = planId; // a result belongs to the plan it was published from
      this.$('#publish-result').hidden = true;
      this._result = null;
    }
    const ready = draft && this.canWrite && !this.session.busy && !(check && !check.ok);
    this.root.dataset.ready = ready ? '1' : '0';
    this.$('#publish-submit').disabled = !ready;
    this.$('#publish-at').disabled = !draft || !this.canWrite;
    this.$('.gl-ppub__at').hidden = !draft;
    const note = this.$('.gl-ppub__note');
    if (!plan) note.textContent = '';
    else if (plan.status === 'published') note.textContent = t('plan.publish.done', { time: formatTime(plan.effective_at || plan.published_at || plan.updated_at) });
    else if (plan.status !== 'draft') note.textContent = t(`plan.status.${plan.status}`);
    else if (!this.canWrite) note.textContent = t('plan.readOnly');
    else if (check && !check.ok) note.textContent = t('plan.publish.blocked', { count: check.errors });
    else note.textContent = t('plan.publish.hint');
    if (!draft) this._confirming(false);
    else this.$('#publish-submit').hidden = !this.$('.gl-ppub__confirm').hidden;
  }

  /** What the last publish changed (kept to follow the language). */
  _renderResult() {
    const out = this._result;
    if (!out) return;
    const rows = RESULTS.map((k) => `<div data-result="${k}" data-n="${esc(out[k] ?? 0)}"><dt>${esc(t(`plan.publish.${k}`))}</dt><dd>${esc(out[k] ?? 0)}</dd></div>`);
    this.$('#publish-result').innerHTML = `<p>${esc(t('plan.publish.ok', { seconds: Number(out.seconds || 0).toFixed(1) }))}</p><dl>${rows.join('')}</dl>`;
  }

  _click(ev) {
    const button = ev.target.closest('button');
    if (!button) return;
    if (button.id === 'publish-submit') this._confirming(true);
    else if (button.id === 'publish-cancel') this._confirming(false);
    else if (button.id === 'publish-confirm') this._publish();
  }

  _confirming(on) {
    const draft = Boolean(this.session.plan && this.session.plan.status === 'draft');
    this.$('.gl-ppub__confirm').hidden = !on;
    this.$('#publish-submit').hidden = on || !draft;
    if (on) {
      const value = this.$('#publish-at').value;
      const when = this._atTouched && value ? formatTime(isoFromInput(value)) : t('plan.publish.now');
      this.$('.gl-ppub__question').textContent = t('plan.publish.question', { time: when });
    }
  }

  async _publish() {
    const plan = this.session.plan;
    if (!plan) return;
    const confirm = this.$('#publish-confirm');
    confirm.disabled = true;
    const at = this._atTouched ? isoFromInput(this.$('#publish-at').value) : null;
    const result = this.$('#publish-result');
    try {
      const out = await publishPlan(plan, at);
      this._confirming(false);
      this._atTouched = false;
      result.hidden = false;
      result.dataset.state = 'ok';
      this._result = out;
      this._renderResult();
      this.onPublished(out);
    } catch (err) {
      result.hidden = false;
      result.dataset.state = 'error';
      result.dataset.code = err.code || '';
      this._result = null;
      result.innerHTML = `<p>${esc(errorMessage(err))}</p>`;
      this._confirming(false);
      if (err.status === 412 || err.status === 422 || err.status === 409) {
        this.onMessage({ kind: err.status === 412 ? 'conflict' : 'error', text: errorMessage(err), code: err.code });
        if (err.problem && err.problem.check) this.session.setCheck(err.problem.check);
        if (err.status === 412) this.session.reload().catch(() => {});
      } else {
        this.onMessage({ kind: 'error', text: errorMessage(err), code: err.code });
      }
    } finally {
      confirm.disabled = false;
      applyI18n(this.root);
    }
  }
}

// The detail panel's action bar: buttons from the report's `allowed_actions`, and the
// small inline forms that some actions need (reject reason, merge target, revisit
// score). The panel passes `onAct(action, body)` (a promise) and `onDispatch()`.
import { t } from '../i18n.js';
import { esc } from '../util.js';

const PRIMARY = { accept: true, dispatch: true, archive: true };
const QUICK_REASONS = ['center.reject.r1', 'center.reject.r2', 'center.reject.r3', 'center.reject.r4'];
const LABEL = {
  accept: () => t('center.action.accept'),
  reject: () => t('center.action.reject'),
  merge: () => t('center.action.merge'),
  dispatch: () => t('center.action.dispatch'),
  redispatch: () => t('center.action.redispatch'),
  revisit: () => t('center.action.revisit'),
  archive: () => t('center.action.archive'),
};

/** The center's buttons for a report: field actions (claim, resolve) are not ours. */
export function centerActions(allowed = []) {
  const out = [];
  for (const a of ['accept', 'dispatch', 'merge', 'reject', 'archive']) if (allowed.includes(a)) out.push(a);
  if (allowed.includes('verify') || allowed.includes('reopen')) out.splice(0, 0, 'revisit');
  return out;
}

function rejectForm() {
  const chips = QUICK_REASONS.map((k) => `<button type="button" class="gl-chip-btn" data-reason="${esc(t(k))}">${esc(t(k))}</button>`).join('');
  return `<label for="reject-reason">${esc(t('center.reject.label'))}</label>`
    + `<div class="gl-chips">${chips}</div>`
    + `<textarea id="reject-reason" rows="2" maxlength="500" placeholder="${esc(t('center.reject.placeholder'))}"></textarea>`
    + `<div class="gl-form__row"><button type="button" class="gl-btn gl-btn--plain" data-cancel>${esc(t('center.cancel'))}</button>`
    + `<button type="button" class="gl-btn gl-btn--danger" data-confirm="reject">${esc(t('center.reject.confirm'))}</button></div>`;
}

function mergeForm(d) {
  const first = (d.duplicates && d.duplicates[0]) || '';
  return `<label for="merge-into">${esc(t('center.merge.label'))}</label>`
    + `<input id="merge-into" type="number" min="1" step="1" inputmode="numeric" value="${esc(first)}" placeholder="${esc(t('center.merge.placeholder'))}">`
    + `<div class="gl-form__row"><button type="button" class="gl-btn gl-btn--plain" data-cancel>${esc(t('center.cancel'))}</button>`
    + `<button type="button" class="gl-btn gl-btn--primary" data-confirm="merge">${esc(t('center.merge.confirm'))}</button></div>`;
}

function revisitForm() {
  const options = [5, 4, 3, 2, 1].map((n) => `<option value="${n}">${n} · ${esc(t(`center.revisit.s${n}`))}</option>`).join('');
  return `<label for="revisit-satisfaction">${esc(t('center.revisit.label'))}</label>`
    + `<select id="revisit-satisfaction">${options}</select>`
    + `<p class="gl-muted gl-form__hint">${esc(t('center.revisit.hint'))}</p>`
    + `<textarea id="revisit-note" rows="2" maxlength="1000" placeholder="${esc(t('center.revisit.note'))}"></textarea>`
    + `<div class="gl-form__row"><button type="button" class="gl-btn gl-btn--plain" data-cancel>${esc(t('center.cancel'))}</button>`
    + `<button type="button" class="gl-btn gl-btn--primary" data-confirm="revisit">${esc(t('center.revisit.confirm'))}</button></div>`;
}

const FORMS = { reject: rejectForm, merge: mergeForm, revisit: revisitForm };

export class ActionBar {
  constructor({ root, onAct, onDispatch, onError }) {
    this.root = root;
    this.onAct = onAct;
    this.onDispatch = onDispatch;
    this.onError = onError;
    this.detail = null;
    this.form = null; // the open inline form: 'reject' | 'merge' | 'revisit'
    this._shown = null; // the form on screen (focus moves only when one opens)
    this._onClick = (ev) => this._click(ev);
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
  }

  render(detail) {
    if (!this.detail || !detail || this.detail.id !== detail.id) this.form = null;
    this.detail = detail;
    const actions = detail ? centerActions(detail.allowed_actions) : [];
    if (this.form && !actions.includes(this.form)) this.form = null;
    this.root.hidden = !actions.length;
    const buttons = actions.map((a) => {
      const kind = PRIMARY[a] ? 'gl-btn--primary' : a === 'reject' ? 'gl-btn--danger-ghost' : 'gl-btn--plain';
      const label = a === 'dispatch' && detail.status !== 'accepted' ? LABEL.redispatch() : LABEL[a]();
      return `<button type="button" class="gl-btn ${kind}" data-action="${a}" aria-pressed="${this.form === a}">${esc(label)}</button>`;
    }).join('');
    const form = this.form ? `<div class="gl-form" data-form="${this.form}">${FORMS[this.form](detail)}</div>` : '';
    const typed = this._typed();
    this.root.innerHTML = `${form}<div class="gl-actions">${buttons}</div>`;
    for (const [id, value] of typed) {
      const el = this.root.querySelector(`.gl-form[data-form="${this.form}"] #${id}`);
      if (el) el.value = value; // a live reload keeps what was typed
    }
    const opened = this.form && this._shown !== this.form;
    this._shown = this.form;
    const first = opened && this.root.querySelector('.gl-form textarea, .gl-form input, .gl-form select');
    if (first) first.focus();
  }

  _typed() {
    const open = this.root.querySelector('.gl-form');
    if (!open || open.dataset.form !== this.form) return [];
    return [...open.querySelectorAll('[id]')].map((el) => [el.id, el.value]);
  }

  /** Open the merge form with a target filled in (from a duplicate hint). */
  mergeInto(id) {
    this.form = 'merge';
    this.render(this.detail);
    this.root.querySelector('#merge-into').value = String(id);
  }

  setBusy(busy) {
    for (const b of this.root.querySelectorAll('button')) b.disabled = busy;
    this.root.classList.toggle('is-busy', busy);
  }

  _click(ev) {
    const chip = ev.target.closest('[data-reason]');
    if (chip) {
      this.root.querySelector('#reject-reason').value = chip.dataset.reason;
      return;
    }
    if (ev.target.closest('[data-cancel]')) {
      this.form = null;
      this.render(this.detail);
      return;
    }
    const confirm = ev.target.closest('[data-confirm]');
    if (confirm) {
      this._confirm(confirm.dataset.confirm);
      return;
    }
    const button = ev.target.closest('button[data-action]');
    if (!button) return;
    const action = button.dataset.action;
    if (action === 'dispatch') this.onDispatch();
    else if (FORMS[action]) {
      this.form = this.form === action ? null : action;
      this.render(this.detail);
    } else this.onAct(action, {});
  }

  _confirm(form) {
    const value = (sel) => this.root.querySelector(sel).value.trim();
    if (form === 'reject') {
      const reason = value('#reject-reason');
      if (reason.length < 2) return this.onError(t('center.reject.tooShort'));
      return this.onAct('reject', { reason });
    }
    if (form === 'merge') {
      const into = Number(value('#merge-into'));
      if (!Number.isInteger(into) || into < 1) return this.onError(t('center.merge.invalid'));
      return this.onAct('merge', { into_id: into });
    }
    const note = value('#revisit-note');
    return this.onAct('revisit', { satisfaction: Number(value('#revisit-satisfaction')), note: note || undefined });
  }
}

// The form for a new dedicated grid (school, market …) drawn over the comprehensive
// ones: type, code, names and the community it belongs to; sent as one edit.
// Hooks: `dialog#new-grid-dialog` with `select#new-type`, `#new-code`, `#new-name`,
// `#new-name-en`, `select#new-parent`, `button#new-submit`, `#new-grid-msg`.
import { errorMessage } from '../api.js';
import { t } from '../i18n.js';
import { esc } from '../util.js';
import { addGrid } from './api.js';
import { label } from './scopes.js';

export const DEDICATED_TYPES = ['school', 'hospital', 'market', 'business', 'industrial'];

export class NewGridDialog {
  /** @param {{dialog: HTMLDialogElement, session, scopes}} options */
  constructor({ dialog, session, scopes }) {
    this.dialog = dialog;
    this.session = session;
    this.scopes = scopes;
    this.geometry = null;
    this.$ = (sel) => dialog.querySelector(sel);
    this._onSubmit = (ev) => this._submit(ev);
    this._onClick = (ev) => {
      if (ev.target.closest('[data-close]')) this.dialog.close();
    };
  }

  mount() {
    this.$('form').addEventListener('submit', this._onSubmit);
    this.dialog.addEventListener('click', this._onClick);
    return this;
  }

  unmount() {
    this.$('form').removeEventListener('submit', this._onSubmit);
    this.dialog.removeEventListener('click', this._onClick);
  }

  /** Ask for the new grid's attributes; `geometry` is the drawn polygon. */
  open(geometry) {
    const plan = this.session.plan;
    if (!plan) return;
    this.geometry = geometry;
    this.$('#new-type').innerHTML = DEDICATED_TYPES
      .map((type) => `<option value="${type}">${esc(t(`dedicated.${type}`))}</option>`).join('');
    this.$('#new-parent').innerHTML = this.scopes.communitiesOf(plan.scope_id)
      .map((c) => `<option value="${esc(c.id)}">${esc(label(c))}</option>`).join('');
    const form = this.$('form');
    form.reset();
    this.$('#new-grid-msg').textContent = '';
    this.dialog.showModal();
    this.$('#new-name').focus();
  }

  async _submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const body = {
      geometry: this.geometry,
      kind: 'dedicated',
      dedicated_type: form.elements.type.value,
      code: form.elements.code.value.trim(),
      name: form.elements.name.value.trim(),
      name_en: form.elements.name_en.value.trim() || null,
      parent_id: Number(form.elements.parent.value) || null,
    };
    if (!body.code || !body.name || !body.parent_id) {
      this.$('#new-grid-msg').textContent = t('plan.newGrid.missing');
      return;
    }
    const submit = this.$('#new-submit');
    submit.disabled = true;
    const out = await this.session.run((plan) => addGrid(plan, body), { okText: t('plan.msg.added') });
    submit.disabled = false;
    if (!out && this.session.lastError) this.$('#new-grid-msg').textContent = errorMessage(this.session.lastError);
    if (out) {
      this.dialog.close();
      const key = (out.changed || []).find((k) => this.session.feature(k));
      if (key) this.session.select(key);
    }
  }
}

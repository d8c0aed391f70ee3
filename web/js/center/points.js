// 积分兑换: spend a reporter's points, 50 a unit (POST /api/points/redeem), in a small
// dialog (#points-dialog). Shows the new balance, or why not (409 short, 404 unknown).
import { errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { redeemPoints } from './api.js';

const UNIT = 50;

export class PointsDialog {
  /** @param {{dialog: HTMLDialogElement, opener: HTMLElement}} options */
  constructor({ dialog, opener }) {
    Object.assign(this, { dialog, opener });
    this.form = dialog.querySelector('#points-form');
    this.phone = dialog.querySelector('#points-phone');
    this.units = dialog.querySelector('#points-units');
    this.result = dialog.querySelector('#points-result');
    this.cost = dialog.querySelector('#points-cost');
    this.outcome = null; // {kind, text: () => string}
    this._onOpener = () => this.open();
    this._onSubmit = (ev) => {
      ev.preventDefault();
      this.submit();
    };
    this._onClick = (ev) => ev.target.closest('[data-close]') && this.dialog.close();
    this._onInput = () => this.render();
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.form.addEventListener('submit', this._onSubmit);
    this.dialog.addEventListener('click', this._onClick);
    this.units.addEventListener('input', this._onInput);
    this._offLang = onLangChange(() => this.render());
    this.render();
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.form.removeEventListener('submit', this._onSubmit);
    this.dialog.removeEventListener('click', this._onClick);
    this.units.removeEventListener('input', this._onInput);
    if (this._offLang) this._offLang();
  }

  open() {
    this.outcome = null;
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    this.phone.focus();
  }

  async submit() {
    const phone = this.phone.value.trim();
    const units = Number(this.units.value);
    if (!/^[0-9+\- ]{5,20}$/.test(phone)) return this._show('error', () => t('center.points.badPhone'), this.phone);
    if (!Number.isInteger(units) || units < 1 || units > 20) return this._show('error', () => t('center.points.badUnits'), this.units);
    const submit = this.dialog.querySelector('#points-submit');
    submit.disabled = true;
    try {
      const { balance } = await redeemPoints(phone, units);
      this._show('ok', () => t('center.points.done', { spent: units * UNIT, balance }));
    } catch (err) {
      this._show('error', () => errorMessage(err), err.field === 'units' ? this.units : this.phone);
    } finally {
      submit.disabled = false;
    }
    return undefined;
  }

  _show(kind, text, field = null) {
    this.outcome = { kind, text };
    for (const el of [this.phone, this.units]) {
      if (el === field) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    }
    this.render();
    if (field) field.focus();
  }

  render() {
    const units = Number(this.units.value);
    this.cost.textContent = Number.isInteger(units) && units > 0 ? t('center.points.cost', { points: units * UNIT }) : '';
    this.result.hidden = !this.outcome;
    this.result.textContent = this.outcome ? this.outcome.text() : '';
    this.result.dataset.kind = this.outcome ? this.outcome.kind : '';
  }
}

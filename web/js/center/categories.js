// 类别管理: every category (GET /api/categories/all) in a dialog (#categories-dialog),
// edited in place — a row's 保存 sends only what changed (PATCH) — and a row to add one
// (POST). Departments are the ids the categories already name. Fires 'change'.
import { ApiError, errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { esc } from '../util.js';
import { addCategory, editCategory, getAllCategories } from './api.js';

const NEW = '_new'; // the draft key of the add row (no code starts with '_')
const INVALID = {
  code: () => t('center.categories.badCode'),
  name: () => t('center.categories.badName'),
  name_en: () => t('center.categories.badName'),
  deadline_hours: () => t('center.categories.badHours'),
};
const BLANK = { code: '', name: '', name_en: '', department_id: null, deadline_hours: 72, active: true };

function readInput(el) {
  if (el.type === 'checkbox') return el.checked;
  if (el.dataset.f === 'department_id') return el.value === '' ? null : Number(el.value);
  if (el.dataset.f === 'deadline_hours') return el.value === '' ? null : Number(el.value);
  return el.value.trim();
}

export class CategoriesDialog extends EventTarget {
  /** @param {{dialog: HTMLDialogElement, opener: HTMLElement}} options */
  constructor({ dialog, opener }) {
    super();
    Object.assign(this, { dialog, opener });
    this.table = dialog.querySelector('.gl-cat');
    this.msg = dialog.querySelector('#categories-msg');
    this.items = null;
    this.drafts = new Map(); // code (or NEW) → {field: value} edits not saved yet
    this.message = null; // {kind, text: () => string}
    this.invalid = null; // {code, field}
    this.busy = false;
    this._onOpener = () => this.open();
    this._onClick = (ev) => this._click(ev);
    this._onInput = (ev) => this._edit(ev.target);
    this._offLang = null;
  }

  mount() {
    this.opener.addEventListener('click', this._onOpener);
    this.dialog.addEventListener('click', this._onClick);
    this.dialog.addEventListener('input', this._onInput);
    this.dialog.addEventListener('change', this._onInput);
    this._offLang = onLangChange(() => this.render());
    return this;
  }

  unmount() {
    this.opener.removeEventListener('click', this._onOpener);
    this.dialog.removeEventListener('click', this._onClick);
    this.dialog.removeEventListener('input', this._onInput);
    this.dialog.removeEventListener('change', this._onInput);
    if (this._offLang) this._offLang();
  }

  open() {
    if (!this.dialog.open) this.dialog.showModal();
    this.message = null;
    this.invalid = null;
    this.drafts.clear(); // each opening starts from what is saved
    this.render();
    return this.load();
  }

  async load() {
    try {
      this.items = await getAllCategories();
    } catch (err) {
      this._say('error', () => errorMessage(err));
    }
    this.render();
  }

  async save(code) {
    const patch = this.drafts.get(code);
    if (!patch || this.busy) return;
    await this._send(code, () => editCategory(code, patch), (saved) => {
      this.items = this.items.map((c) => (c.code === code ? saved : c));
      this._say('ok', () => t('center.categories.saved', { code }));
    });
  }

  async add() {
    const draft = { ...BLANK, ...(this.drafts.get(NEW) || {}) };
    if (this.busy) return;
    await this._send(NEW, () => addCategory(draft), (saved) => {
      this.items = [...this.items, saved].sort((a, b) => a.code.localeCompare(b.code));
      this._say('ok', () => t('center.categories.added', { code: saved.code }));
    });
  }

  async _send(key, call, done) {
    this.busy = true;
    this.invalid = null;
    try {
      done(await call());
      this.drafts.delete(key);
      this.dispatchEvent(new CustomEvent('change'));
    } catch (err) {
      const field = err instanceof ApiError && err.field ? err.field.split('.')[0] : null;
      this.invalid = field ? { code: key, field } : null;
      const nicer = err instanceof ApiError && err.code === 'invalid_input' && INVALID[field];
      this._say('error', nicer || (() => errorMessage(err)));
    } finally {
      this.busy = false;
    }
    this.render();
  }

  _say(kind, text) {
    this.message = { kind, text };
  }

  render() {
    this.msg.textContent = this.message ? this.message.text() : '';
    this.msg.dataset.kind = this.message ? this.message.kind : '';
    if (!this.items) {
      this.table.innerHTML = `<caption>${esc(t('common.loading'))}</caption>`;
      return;
    }
    const focus = this._focused();
    const heads = ['code', 'name', 'nameEn', 'dept', 'hours', 'active', 'save']
      .map((k) => `<th scope="col">${k === 'save' ? '' : esc(t(`center.categories.col.${k}`))}</th>`).join('');
    const rows = this.items.map((c) => this._row(c)).join('');
    this.table.innerHTML = `<thead><tr>${heads}</tr></thead><tbody>${rows}</tbody><tfoot>${this._addRow()}</tfoot>`;
    if (focus) this.table.querySelector(focus)?.focus();
  }

  _row(c) {
    const draft = this.drafts.get(c.code) || {};
    const v = { ...c, ...draft };
    const classes = ['gl-category', draft && Object.keys(draft).length ? 'is-dirty' : '', v.active ? '' : 'is-inactive'];
    return `<tr class="${classes.join(' ').trim()}" data-code="${esc(c.code)}">`
      + `<td><code>${esc(c.code)}</code></td>${this._cells(c.code, v)}`
      + `<td><button type="button" class="gl-btn gl-btn--primary gl-btn--sm" data-save ${this.drafts.has(c.code) ? '' : 'disabled'}>`
      + `${esc(t('center.categories.save'))}</button></td></tr>`;
  }

  _addRow() {
    const v = { ...BLANK, ...(this.drafts.get(NEW) || {}) };
    return `<tr class="gl-category-new" data-code="${esc(NEW)}">`
      + `<td><input data-f="code" value="${esc(v.code)}" maxlength="32" placeholder="${esc(t('center.categories.codeHint'))}"${this._bad(NEW, 'code')}></td>`
      + `${this._cells(NEW, v)}<td><button type="button" class="gl-btn gl-btn--plain gl-btn--sm" data-add>`
      + `${esc(t('center.categories.add'))}</button></td></tr>`;
  }

  _cells(key, v) {
    const depts = new Set(this.items.map((c) => c.department_id).filter((id) => id !== null));
    if (v.department_id !== null) depts.add(v.department_id);
    const options = [`<option value="">${esc(t('center.categories.noDept'))}</option>`].concat([...depts].sort((a, b) => a - b).map((id) => {
      const names = this.items.filter((c) => c.department_id === id).map((c) => c.name).join(t('center.listSep'));
      return `<option value="${id}" title="${esc(names)}"${id === v.department_id ? ' selected' : ''}>${esc(t('center.categories.dept', { id }))}</option>`;
    }));
    return `<td><input data-f="name" value="${esc(v.name)}" maxlength="40"${this._bad(key, 'name')}></td>`
      + `<td><input data-f="name_en" value="${esc(v.name_en)}" maxlength="60"${this._bad(key, 'name_en')}></td>`
      + `<td><select data-f="department_id"${this._bad(key, 'department_id')}>${options.join('')}</select></td>`
      + `<td><input data-f="deadline_hours" type="number" min="1" max="720" step="1" value="${esc(v.deadline_hours ?? '')}"${this._bad(key, 'deadline_hours')}></td>`
      + `<td class="gl-cat__on"><input data-f="active" type="checkbox"${v.active ? ' checked' : ''}`
      + ` aria-label="${esc(t('center.categories.col.active'))}"></td>`;
  }

  _bad(key, field) {
    return this.invalid && this.invalid.code === key && this.invalid.field === field ? ' aria-invalid="true"' : '';
  }

  /** The selector of the focused input, to put focus back after a render. */
  _focused() {
    const el = document.activeElement;
    if (!el || !this.table.contains(el) || !el.dataset.f) return null;
    const code = el.closest('tr').dataset.code;
    return `tr[data-code="${CSS.escape(code)}"] [data-f="${el.dataset.f}"]`;
  }

  _edit(el) {
    const f = el.dataset && el.dataset.f;
    const tr = el.closest && el.closest('tr[data-code]');
    if (!f || !tr) return;
    const key = tr.dataset.code;
    const draft = { ...(this.drafts.get(key) || {}) };
    const item = key === NEW ? null : this.items.find((c) => c.code === key);
    const value = readInput(el);
    if (item && item[f] === value) delete draft[f];
    else draft[f] = value;
    if (Object.keys(draft).length) this.drafts.set(key, draft);
    else this.drafts.delete(key);
    if (this.invalid && this.invalid.code === key && this.invalid.field === f) this.invalid = null;
    if (key === NEW) return; // nothing on the add row depends on what was typed
    tr.classList.toggle('is-dirty', this.drafts.has(key));
    tr.querySelector('[data-save]').disabled = !this.drafts.has(key);
    if (f === 'active') tr.classList.toggle('is-inactive', !value);
  }

  _click(ev) {
    if (ev.target.closest('[data-close]')) {
      this.dialog.close();
      return;
    }
    const save = ev.target.closest('[data-save]');
    if (save) this.save(save.closest('tr').dataset.code);
    else if (ev.target.closest('[data-add]')) this.add();
  }
}

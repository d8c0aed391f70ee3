// A <select> of report categories (GET /api/categories) in the current language,
// keeping the chosen value when the language changes.
import { pick, t, onLangChange } from '../i18n.js';

export class CategorySelect {
  /** @param {HTMLSelectElement} el  @param {object[]} categories */
  constructor(el, categories) {
    this.el = el;
    this.categories = categories.filter((c) => c.active !== false);
    this._offLang = null;
  }

  mount() {
    this._offLang = onLangChange(() => this.render());
    this.render();
    return this;
  }

  unmount() {
    if (this._offLang) this._offLang();
  }

  get value() {
    return this.el.value;
  }

  reset() {
    this.el.value = '';
  }

  render() {
    const chosen = this.el.value;
    this.el.textContent = '';
    const blank = new Option(t('field.form.categoryChoose'), '');
    blank.disabled = true;
    this.el.append(blank);
    for (const c of this.categories) this.el.append(new Option(pick(c.name, c.name_en), c.code));
    this.el.value = chosen;
    if (!this.el.value) blank.selected = true;
  }
}

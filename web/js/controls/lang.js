// The language switch: two buttons (中文 / EN) inside a container; the current one is pressed.
import { LANGS, getLang, setLang, onLangChange } from '../i18n.js';

const LABELS = { 'zh-CN': '中文', en: 'EN' };

export class LangSwitch {
  /** @param {HTMLElement} el  e.g. <div id="lang-switch"> */
  constructor(el) {
    this.el = el;
    this._onClick = (ev) => {
      const button = ev.target.closest('button[data-lang]');
      if (button) setLang(button.dataset.lang);
    };
    this._offLang = null;
  }

  mount() {
    this.el.classList.add('gl-lang');
    this.el.setAttribute('role', 'group');
    this.el.setAttribute('data-i18n-attr', 'aria-label:lang.switch');
    this.el.textContent = '';
    for (const lang of LANGS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.lang = lang;
      button.lang = lang;
      button.textContent = LABELS[lang];
      this.el.append(button);
    }
    this.el.addEventListener('click', this._onClick);
    this._offLang = onLangChange(() => this.render());
    this.render();
    return this;
  }

  unmount() {
    this.el.removeEventListener('click', this._onClick);
    if (this._offLang) this._offLang();
  }

  render() {
    for (const button of this.el.querySelectorAll('button[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === getLang()));
    }
  }
}

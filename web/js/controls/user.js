// Signed-in user and the logout button in the header.
import { t, onLangChange } from '../i18n.js';
import { logout } from '../auth.js';

export class UserBox {
  /** @param {HTMLElement} el  @param {{display_name, username, role}} me */
  constructor(el, me) {
    this.el = el;
    this.me = me;
    this._onClick = (ev) => {
      if (ev.target.closest('#logout')) logout();
    };
    this._offLang = null;
  }

  mount() {
    this.el.classList.add('gl-user');
    this.el.innerHTML = '<span class="name"></span><span class="role"></span>'
      + '<button type="button" id="logout" class="gl-btn gl-btn--ghost" data-i18n="auth.logout"></button>';
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
    this.el.querySelector('.name').textContent = this.me.display_name || this.me.username;
    this.el.querySelector('.role').textContent = t(`role.${this.me.role}`);
    this.el.querySelector('#logout').textContent = t('auth.logout');
  }
}

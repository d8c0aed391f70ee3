// The live-feed state in the header: <span id="conn-state" data-state="connected|reconnecting|offline">.
import { t, onLangChange } from '../i18n.js';

export class ConnectionIndicator {
  /** @param {HTMLElement} el  @param {import('../live.js').LiveClient} live */
  constructor(el, live) {
    this.el = el;
    this.live = live;
    this.detail = { state: live.state, retryIn: null };
    this._onState = (ev) => {
      this.detail = ev.detail;
      this.render();
    };
    this._offLang = null;
  }

  mount() {
    this.el.setAttribute('role', 'status');
    this.el.setAttribute('aria-live', 'polite');
    this.live.addEventListener('state', this._onState);
    this._offLang = onLangChange(() => this.render());
    this.render();
    return this;
  }

  unmount() {
    this.live.removeEventListener('state', this._onState);
    if (this._offLang) this._offLang();
  }

  render() {
    const { state, retryIn } = this.detail;
    this.el.dataset.state = state;
    let label = this.el.querySelector('.label');
    if (!label) {
      this.el.textContent = '';
      const dot = document.createElement('i');
      dot.className = 'dot';
      label = document.createElement('span');
      label.className = 'label';
      this.el.append(dot, label);
    }
    label.textContent = t(`conn.${state}`);
    this.el.title = retryIn && state !== 'connected'
      ? t('conn.retryIn', { seconds: Math.ceil(retryIn / 1000) })
      : t(`conn.${state}.hint`);
  }
}

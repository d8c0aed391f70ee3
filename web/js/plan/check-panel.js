// The server's check of the whole draft: a summary, the slivers cleaned automatically,
// and each violation (a click shows it on the map and selects its grid).
// Hooks: `#plan-check[data-ok="1|0"][data-errors][data-fixed][data-warnings]`,
// `#plan-fixed` (hidden when none), `.gl-violation-item[data-code][data-severity][data-grid]`,
// `button#check-run`; the tab badge `#plan-tabs [data-tab=check] b[data-count]`.
import { errorMessage } from '../api.js';
import { onLangChange, t } from '../i18n.js';
import { esc } from '../util.js';
import { checkPlan } from './api.js';
import { violationText } from './violations-layer.js';

const ORDER = { error: 0, warning: 1, fixed: 2 };

export class CheckPanel {
  /** @param {{root, session, badge: HTMLElement, onShow: (feature) => void, onMessage}} options */
  constructor({ root, session, badge, onShow, onMessage }) {
    this.root = root;
    this.session = session;
    this.badge = badge;
    this.onShow = onShow;
    this.onMessage = onMessage;
    this.$ = (sel) => root.querySelector(sel);
    this._features = [];
    this._onCheck = () => this.render();
    this._onClick = (ev) => this._click(ev);
    this._offLang = null;
  }

  mount() {
    this.session.addEventListener('check', this._onCheck);
    this.root.addEventListener('click', this._onClick);
    this._offLang = onLangChange(() => this.render());
    this.render();
    return this;
  }

  unmount() {
    this.session.removeEventListener('check', this._onCheck);
    this.root.removeEventListener('click', this._onClick);
    if (this._offLang) this._offLang();
  }

  render() {
    const check = this.session.check;
    const box = this.root;
    box.dataset.ok = check ? (check.ok ? '1' : '0') : '';
    box.dataset.errors = String(check ? check.errors || 0 : 0);
    box.dataset.fixed = String(check ? check.fixed || 0 : 0);
    box.dataset.warnings = String(check ? check.warnings || 0 : 0);
    const errors = check ? check.errors || 0 : 0;
    this.badge.textContent = errors ? String(errors) : '';
    this.badge.dataset.count = String(errors);
    const summary = this.$('.gl-pcheck__summary');
    if (!check) {
      summary.textContent = this.session.plan ? t('plan.check.none') : '';
      summary.dataset.kind = '';
    } else if (check.ok) {
      summary.textContent = check.warnings ? t('plan.check.okWarnings', { count: check.warnings }) : t('plan.check.ok');
      summary.dataset.kind = 'ok';
    } else {
      summary.textContent = t('plan.check.errors', { count: check.errors });
      summary.dataset.kind = 'error';
    }
    const fixed = this.$('#plan-fixed');
    fixed.hidden = !(check && check.fixed);
    fixed.textContent = check && check.fixed ? t('plan.msg.fixed', { count: check.fixed }) : '';
    const features = ((check && check.violations && check.violations.features) || [])
      .map((f, i) => ({ f, i }))
      .sort((a, b) => (ORDER[sev(a.f)] ?? 3) - (ORDER[sev(b.f)] ?? 3) || a.i - b.i)
      .map(({ f }) => f);
    this._features = features;
    this.$('.gl-pcheck__list').innerHTML = features.map((f, i) => {
      const p = f.properties || {};
      return `<li class="gl-violation-item" data-index="${i}" data-code="${esc(p.code || '')}" data-severity="${esc(sev(f))}" data-grid="${esc(p.grid ?? '')}">
        <span class="gl-sev gl-sev--${esc(sev(f))}">${esc(t(`plan.severity.${sev(f)}`))}</span>
        <span class="gl-violation-item__text">${esc(violationText(p))}</span></li>`;
    }).join('');
    this.$('#check-run').disabled = !this.session.plan;
  }

  async run() {
    const plan = this.session.plan;
    if (!plan) return;
    const button = this.$('#check-run');
    button.disabled = true;
    try {
      this.session.setCheck(await checkPlan(plan.id));
    } catch (err) {
      this.onMessage({ kind: 'error', text: errorMessage(err), code: err.code });
    } finally {
      button.disabled = !this.session.plan;
    }
  }

  _click(ev) {
    if (ev.target.closest('#check-run')) {
      this.run();
      return;
    }
    const item = ev.target.closest('.gl-violation-item');
    if (!item) return;
    const feature = this._features[Number(item.dataset.index)];
    if (feature) this.onShow(feature);
  }
}

function sev(feature) {
  return (feature.properties && feature.properties.severity) || 'error';
}

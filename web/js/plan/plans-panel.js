// The plan bar: the list of drafts, a new draft for a street or community, and the open
// plan's name, status and counts with close / reload / discard.
// Hooks: `#plan-list[data-state]` with `.gl-plan-item[data-plan-id][data-status]`
// (`button[data-open]`), `#plan-new` (`select#plan-new-scope`, `#plan-new-name`,
// `button#plan-create`), `#plan-current[data-plan-id][data-status][data-version]` with
// `[data-count=keep|change|new|retire]`, `button#plan-close`, `button#plan-reload`,
// `button#plan-discard` (a second click confirms, `data-confirm="1"` in between).
import { errorMessage } from '../api.js';
import { applyI18n, onLangChange, pick, t } from '../i18n.js';
import { esc, formatTime } from '../util.js';
import { createPlan, discardPlan, listPlans } from './api.js';
import { label } from './scopes.js';

const ACTIONS = ['keep', 'change', 'new', 'retire'];

export class PlansPanel {
  /** @param {{root: HTMLElement, session, scopes, canWrite: boolean, onOpen: (id) => void, onMessage}} options */
  constructor({ root, session, scopes, canWrite, onOpen, onMessage }) {
    this.root = root;
    this.session = session;
    this.scopes = scopes;
    this.canWrite = canWrite;
    this.onOpen = onOpen;
    this.onMessage = onMessage;
    this.plans = [];
    this.$ = (sel) => root.querySelector(sel);
    this._onClick = (ev) => this._click(ev);
    this._onSubmit = (ev) => this._create(ev);
    this._onScope = () => this._suggestName();
    this._onName = (ev) => delete ev.target.dataset.suggested;
    this._onPlan = () => this.render();
    this._offLang = null;
  }

  mount() {
    this.root.addEventListener('click', this._onClick);
    this.$('#plan-new').addEventListener('submit', this._onSubmit);
    this.$('#plan-new-scope').addEventListener('change', this._onScope);
    this.$('#plan-new-name').addEventListener('input', this._onName);
    this.session.addEventListener('plan', this._onPlan);
    this._offLang = onLangChange(() => this.render());
    this.$('#plan-new').hidden = !this.canWrite;
    this.scopes.fillSelect(this.$('#plan-new-scope'));
    this._suggestName();
    this.render();
    return this;
  }

  unmount() {
    this.root.removeEventListener('click', this._onClick);
    this.$('#plan-new').removeEventListener('submit', this._onSubmit);
    this.$('#plan-new-scope').removeEventListener('change', this._onScope);
    this.$('#plan-new-name').removeEventListener('input', this._onName);
    this.session.removeEventListener('plan', this._onPlan);
    if (this._offLang) this._offLang();
  }

  async refresh() {
    const list = this.$('#plan-list');
    list.dataset.state = 'loading';
    try {
      this.plans = (await listPlans('draft')) || [];
      list.dataset.state = 'ready';
    } catch (err) {
      this.plans = [];
      list.dataset.state = 'error';
      this.onMessage({ kind: 'error', text: errorMessage(err) });
    }
    this.render();
  }

  render() {
    const plan = this.session.plan;
    this.$('#plan-list-box').hidden = Boolean(plan);
    this.$('#plan-current').hidden = !plan;
    if (plan) this._renderCurrent(plan);
    else this._renderList();
    applyI18n(this.root);
  }

  _renderList() {
    const list = this.$('#plan-list');
    if (!this.plans.length) {
      list.innerHTML = list.dataset.state === 'loading' ? '' : `<li class="gl-muted gl-plan-list__empty">${esc(t('plan.list.empty'))}</li>`;
      return;
    }
    list.innerHTML = this.plans.map((p) => `
      <li class="gl-plan-item" data-plan-id="${esc(p.id)}" data-status="${esc(p.status)}">
        <button type="button" class="gl-plan-item__open" data-open="${esc(p.id)}">
          <b>${esc(p.name)}</b>
          <span class="gl-muted">${esc(p.scope_name || '')} · ${esc(formatTime(p.updated_at))}</span>
          <span class="gl-plan-item__counts">${countsHtml(p.counts)}</span>
        </button>
      </li>`).join('');
  }

  _renderCurrent(plan) {
    const box = this.$('#plan-current');
    box.dataset.planId = String(plan.id);
    box.dataset.status = plan.status;
    box.dataset.version = String(plan.version ?? '');
    this.$('.gl-pc__name').textContent = plan.name;
    const status = this.$('.gl-pc__status');
    status.textContent = t(`plan.status.${plan.status}`);
    status.dataset.status = plan.status;
    const scope = this.scopes.byId(plan.scope_id);
    const when = plan.status === 'published' && plan.effective_at
      ? ` · ${t('plan.effectiveAt', { time: formatTime(plan.effective_at) })}` : '';
    this.$('.gl-pc__scope').textContent = `${scope ? label(scope) : plan.scope_name || ''}${when}`;
    for (const action of ACTIONS) {
      const el = this.$(`[data-count="${action}"]`);
      const n = (plan.counts && plan.counts[action]) || 0;
      el.querySelector('b').textContent = String(n);
      el.dataset.n = String(n);
    }
    const writable = this.canWrite && plan.status === 'draft';
    this.$('#plan-discard').hidden = !writable;
    this.$('#draw-dedicated').hidden = !writable;
    this._resetDiscard();
  }

  _click(ev) {
    const open = ev.target.closest('[data-open]');
    if (open) {
      this.onOpen(open.dataset.open);
      return;
    }
    const button = ev.target.closest('button');
    if (!button) return;
    if (button.id === 'plan-close') {
      this.session.close();
      this.refresh();
    } else if (button.id === 'plan-reload') {
      this.session.reload().catch((err) => this.onMessage({ kind: 'error', text: errorMessage(err) }));
    } else if (button.id === 'plan-discard') {
      this._discard(button);
    }
  }

  async _discard(button) {
    if (button.dataset.confirm !== '1') {
      button.dataset.confirm = '1';
      button.dataset.i18n = 'plan.discardConfirm';
      applyI18n(button.parentElement);
      return;
    }
    this._resetDiscard();
    try {
      await discardPlan(this.session.plan);
      this.session.close();
      this.onMessage({ kind: 'ok', text: t('plan.msg.discarded') });
      this.refresh();
    } catch (err) {
      if (err.status === 412) {
        this.onMessage({ kind: 'conflict', text: `${t('plan.msg.conflict')} ${errorMessage(err)}`, code: err.code });
        this.session.reload().catch(() => {});
      } else {
        this.onMessage({ kind: 'error', text: errorMessage(err), code: err.code });
      }
    }
  }

  _resetDiscard() {
    const button = this.$('#plan-discard');
    delete button.dataset.confirm;
    button.dataset.i18n = 'plan.discard';
  }

  /** Name the new draft after its scope and today, until the planner types a name. */
  _suggestName() {
    const input = this.$('#plan-new-name');
    if (input.value && !input.dataset.suggested) return;
    const scope = this.scopes.byId(this.$('#plan-new-scope').value);
    if (!scope) return;
    const date = new Date().toLocaleDateString(document.documentElement.lang);
    input.value = t('plan.new.defaultName', { scope: pick(scope.name, scope.name_en), date });
    input.dataset.suggested = '1';
  }

  async _create(ev) {
    ev.preventDefault();
    const scopeId = Number(this.$('#plan-new-scope').value);
    const name = this.$('#plan-new-name').value.trim();
    if (!scopeId || !name) {
      this.onMessage({ kind: 'error', text: t('plan.new.missing') });
      return;
    }
    const button = this.$('#plan-create');
    button.disabled = true;
    try {
      const plan = await createPlan({ name, scopeId });
      this.onMessage({ kind: 'ok', text: t('plan.msg.created', { name: plan.name }) });
      this.onOpen(plan.id);
    } catch (err) {
      this.onMessage({ kind: 'error', text: errorMessage(err), code: err.code });
    } finally {
      button.disabled = false;
    }
  }
}

function countsHtml(counts = {}) {
  return ACTIONS.filter((a) => counts[a])
    .map((a) => `<span class="gl-act gl-act--${a}">${esc(t(`plan.action.${a}`))} ${esc(counts[a])}</span>`)
    .join(' ');
}

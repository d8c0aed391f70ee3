// "我的上报": the tracking links of reports made on this phone, kept in localStorage
// (newest first), each with its current status fetched from the tracking endpoint.
import { getTrack } from './api.js';
import { categoryName } from './format.js';
import { t, tOr, onLangChange } from '../i18n.js';
import { esc, formatTime } from '../util.js';

const STORAGE_KEY = 'gridlink.myReports';
const KEEP = 30;
const REFRESH = 5; // statuses fetched for the newest few

export function readMyReports() {
  try {
    const list = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || '[]');
    return Array.isArray(list) ? list.filter((r) => r && r.token) : [];
  } catch {
    return [];
  }
}

/** Remember a report ({token, id, category, at}); the same token is kept once. */
export function rememberReport(entry) {
  const list = [entry, ...readMyReports().filter((r) => r.token !== entry.token)].slice(0, KEEP);
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // storage unavailable: the success screen still shows the link
  }
  return list;
}

export class MyReports {
  /** @param {{section: HTMLElement, list: HTMLElement, categories: object[]}} options */
  constructor(options) {
    this.options = options;
    this.statuses = new Map();
    this._offLang = null;
  }

  mount() {
    this._offLang = onLangChange(() => this.render());
    this.refresh();
    return this;
  }

  async refresh() {
    this.render();
    const newest = readMyReports().slice(0, REFRESH);
    await Promise.all(newest.map(async (r) => {
      try {
        const body = await getTrack(r.token);
        this.statuses.set(r.token, body.merged_into_id ? 'merged' : body.status);
      } catch {
        // unknown for now; the link still works
      }
    }));
    this.render();
  }

  render() {
    const list = readMyReports();
    this.options.section.hidden = !list.length;
    this.options.list.innerHTML = list.map((r) => {
      const status = this.statuses.get(r.token);
      const badge = status
        ? `<span class="gl-status gl-status--${esc(status)}">${esc(tOr(`field.step.${status}`, status))}</span>` : '';
      const name = categoryName(this.options.categories, r.category, r.category);
      return `<li><a href="/track.html?t=${encodeURIComponent(r.token)}">
        <span class="gl-mine__what"><b>${esc(name)}</b><span>#${esc(r.id)} · ${esc(formatTime(r.at))}</span></span>
        ${badge}<i aria-hidden="true">›</i></a></li>`;
    }).join('') || `<li class="gl-empty">${esc(t('common.none'))}</li>`;
  }
}

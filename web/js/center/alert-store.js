// The alerts the desk looks after: every alert not closed yet (GET /api/alerts, status
// open and acknowledged), kept current by the live feed's "alerts" topic (raised adds,
// closed removes, any other kind refetches) and a slow poll, because an acknowledgement
// made at another desk is not on the feed. Grid names come from /api/grids/{id}.
//
// Fires 'change' {alerts} and 'raised' {alert} for an alert first seen on the feed.
import { apiFetch, getGrid, isAbort } from '../api.js';
import { pick, t } from '../i18n.js';
import { formatAgo, formatTime } from '../util.js';
import { LiveStore } from './live-store.js';

const TOPIC = 'alerts';
const ACTIVE = ['open', 'acknowledged'];

export const listAlerts = (status, signal) => apiFetch('/api/alerts', { params: { status }, signal });

const noteBody = (note) => (note && note.trim() ? { note: note.trim() } : {});

export const ackAlert = (id, note) => apiFetch(`/api/alerts/${encodeURIComponent(id)}/ack`, {
  method: 'POST', json: noteBody(note),
});

export const closeAlert = (id, note) => apiFetch(`/api/alerts/${encodeURIComponent(id)}/close`, {
  method: 'POST', json: noteBody(note),
});

/** "2026/11/22 13:05（3 分钟前）": when an alert's condition began. */
export function sinceText(iso) {
  if (!iso) return '';
  return t('alerts.sinceAt', { time: formatTime(iso), ago: formatAgo(iso) });
}

/** SOS not closed first, then the newest (the server's order). */
export function alertOrder(a, b) {
  const sa = a.kind === 'sos' && a.status !== 'closed' ? 1 : 0;
  const sb = b.kind === 'sos' && b.status !== 'closed' ? 1 : 0;
  if (sa !== sb) return sb - sa;
  const ta = a.raised_at || a.started_at || '';
  const tb = b.raised_at || b.started_at || '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return b.id - a.id;
}

export class AlertStore extends LiveStore {
  /** @param {{live: EventTarget, pollMs?: number}} options */
  constructor({ live, pollMs = 20000 }) {
    super({ live, tickMs: pollMs, refetchMs: 600 });
    this.byId = new Map();
    this.loaded = false;
    this.error = null;
    this._grids = new Map(); // grid id → {name, name_en} (or the pending lookup)
  }

  /** The slow poll, for changes made at other desks. */
  tick() {
    if (!document.hidden) this.load();
  }

  /** The alerts not closed, SOS first. */
  list() {
    return [...this.byId.values()].sort(alertOrder);
  }

  get(id) {
    return this.byId.get(Number(id)) || null;
  }

  /** SOS still waiting for someone to respond. */
  openSos() {
    return this.list().filter((a) => a.kind === 'sos' && a.status === 'open');
  }

  gridName(id) {
    const names = this._grids.get(id);
    if (!names || typeof names.then === 'function') return null;
    return pick(names.name, names.name_en) || names.name || '';
  }

  async load() {
    try {
      const lists = await this._fetch((signal) => Promise.all(ACTIVE.map((s) => listAlerts(s, signal))));
      this.byId = new Map(lists.flat().map((a) => [a.id, a]));
      this.loaded = true;
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    }
    this._changed();
  }

  /** One live message; alerts events carry {id, kind, worker_id, worker_name, grid_id, lon, lat, started_at}. */
  apply(msg) {
    if (!msg || msg.topic !== TOPIC || !msg.payload) return;
    const p = msg.payload;
    const id = Number(p.id);
    if (msg.kind === 'closed') {
      this.byId.delete(id);
    } else if (msg.kind === 'raised' && !this.byId.has(id)) {
      const alert = {
        ...p, id, status: 'open', priority: p.priority || (p.kind === 'sos' ? 'high' : 'normal'),
        raised_at: msg.ts || new Date().toISOString(),
      };
      this.byId.set(id, alert);
      this.dispatchEvent(new CustomEvent('raised', { detail: { alert } }));
    } else if (msg.kind !== 'raised' && this.byId.has(id) && p.status) {
      this.byId.set(id, { ...this.byId.get(id), ...p });
    }
    this._changed();
    this._refetch(); // the full row (status, note, times) from the API
  }

  async ack(id, note) {
    const alert = await ackAlert(id, note);
    this._put(alert);
    return alert;
  }

  async close(id, note) {
    const alert = await closeAlert(id, note);
    this._put(alert);
    return alert;
  }

  _put(alert) {
    if (alert.status === 'closed') this.byId.delete(alert.id);
    else this.byId.set(alert.id, alert);
    this._changed();
  }

  _changed() {
    this._nameGrids();
    this.dispatchEvent(new CustomEvent('change', { detail: { alerts: this.list() } }));
  }

  /** Look up the names of grids not seen yet, then announce a change once they are in. */
  _nameGrids() {
    const missing = [...new Set(this.list().map((a) => a.grid_id))]
      .filter((id) => id !== null && id !== undefined && !this._grids.has(id));
    if (!missing.length) return;
    const lookups = missing.map((id) => {
      const pending = getGrid(id)
        .then((f) => this._grids.set(id, { name: f.properties.name, name_en: f.properties.name_en }))
        .catch(() => this._grids.set(id, { name: '' }));
      this._grids.set(id, pending);
      return pending;
    });
    Promise.all(lookups).then(() => this._changed());
  }
}

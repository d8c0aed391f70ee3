// The reports the center is working on: one snapshot of the queues from the API, then
// kept current by the live feed (`reports` events). Tabs are views of the same items:
//   intake  submitted                    active  accepted, dispatched, claimed
//   overdue dispatched/claimed past their deadline (computed here, so the list turns red
//           as time passes, not only when the ticker escalates)
// Fires 'change' {detail: {ids, created}} after every update and 'error' {detail: error}.
import { isAbort } from '../api.js';
import { getOverdue, getQueue } from './api.js';
import { LiveStore } from './live-store.js';

export const TABS = ['intake', 'active', 'overdue'];
const INTAKE = ['submitted'];
const ACTIVE = ['accepted', 'dispatched', 'claimed'];
const OPEN_WORK = ['dispatched', 'claimed'];
const FRESH_MS = 8000;
const TICK_MS = 30000;

export function isOverdue(r, now = Date.now()) {
  return OPEN_WORK.includes(r.status) && Boolean(r.deadline_at) && Date.parse(r.deadline_at) < now;
}

const byCreatedDesc = (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id;
const deadlineOf = (r) => (r.deadline_at ? Date.parse(r.deadline_at) : Infinity);
const byDeadline = (a, b) => deadlineOf(a) - deadlineOf(b) || Date.parse(a.created_at) - Date.parse(b.created_at);
// accepted reports wait for the center's dispatch: they come first, then by deadline
const byActive = (a, b) => (b.status === 'accepted') - (a.status === 'accepted') || byDeadline(a, b);

export class ReportStore extends LiveStore {
  constructor({ live }) {
    super({ live, tickMs: TICK_MS, refetchMs: 1200 });
    this.items = new Map(); // String(id) → queue row
    this.gridNames = new Map(); // grid_id → name, to name a new report at once
    this.fresh = new Map(); // String(id) → time it arrived live
    this.loaded = false;
    this._touched = new Map(); // String(id) → time of the last live change
  }

  /** Time passes: deadlines may have gone by. */
  tick() {
    this._emit([], false);
  }

  async load() {
    const started = Date.now();
    try {
      const lists = await this._fetch((signal) => Promise.all([getQueue(INTAKE, signal), getQueue(ACTIVE, signal), getOverdue(signal)]));
      const next = new Map();
      for (const row of lists.flat()) {
        next.set(String(row.id), row);
        if (row.grid_id && row.grid_name) this.gridNames.set(row.grid_id, row.grid_name);
      }
      // a live change that arrived while we were loading is newer than the snapshot
      for (const [key, at] of this._touched) {
        if (at < started) continue;
        const mine = this.items.get(key);
        if (!mine) next.delete(key);
        else if (!next.has(key) || next.get(key).version < mine.version) next.set(key, { ...next.get(key), ...mine });
      }
      this._touched.clear();
      this.items = next;
      this.loaded = true;
      this._emit([], false);
    } catch (error) {
      if (!isAbort(error)) this.dispatchEvent(new CustomEvent('error', { detail: error }));
    }
  }

  /** One live frame: add, update, move or drop the report it is about. */
  apply(msg) {
    if (!msg || msg.topic !== 'reports' || !msg.payload || msg.payload.id == null) return;
    const { step, ...p } = msg.payload;
    const key = String(p.id);
    const old = this.items.get(key);
    if (old && p.version != null && old.version > p.version) return; // replayed, already newer
    this._touched.set(key, Date.now());
    if (![...INTAKE, ...ACTIVE].includes(p.status)) {
      if (old) {
        this.items.delete(key);
        this._emit([key], false);
      }
      return;
    }
    const item = { ...(old || {}), ...p };
    if (p.description && old && old.description) item.description = old.description;
    let stale = !old;
    if (!old || old.grid_id !== p.grid_id) {
      item.grid_name = this.gridNames.get(p.grid_id) || null;
      stale = stale || !item.grid_name;
    }
    if (old && old.assignee_worker_id !== p.assignee_worker_id) {
      item.assignee_name = null;
      stale = stale || p.assignee_worker_id != null;
    }
    const created = msg.kind === 'created' || (!old && p.status === 'submitted');
    if (created) this.fresh.set(key, Date.now());
    this.items.set(key, item);
    if (stale) this._refetch(); // names and thumbnails come with the queue rows
    this._emit([key], created);
  }

  get(id) {
    return this.items.get(String(id)) || null;
  }

  isFresh(id, now = Date.now()) {
    const at = this.fresh.get(String(id));
    if (at && now - at > FRESH_MS) this.fresh.delete(String(id));
    return Boolean(at) && now - at <= FRESH_MS;
  }

  /** The rows of a tab in display order. */
  list(tab, now = Date.now()) {
    const all = [...this.items.values()];
    if (tab === 'intake') return all.filter((r) => INTAKE.includes(r.status)).sort(byCreatedDesc);
    if (tab === 'overdue') return all.filter((r) => isOverdue(r, now)).sort(byDeadline);
    return all.filter((r) => ACTIVE.includes(r.status)).sort(byActive);
  }

  counts(now = Date.now()) {
    const counts = { intake: 0, active: 0, overdue: 0 };
    for (const r of this.items.values()) {
      if (INTAKE.includes(r.status)) counts.intake += 1;
      if (ACTIVE.includes(r.status)) counts.active += 1;
      if (isOverdue(r, now)) counts.overdue += 1;
    }
    return counts;
  }

  _emit(ids, created) {
    this.dispatchEvent(new CustomEvent('change', { detail: { ids, created } }));
  }
}

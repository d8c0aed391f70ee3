// The command center's calls for the closed loop (docs/api.md, "The closed loop").
// Lifecycle actions send If-Match with the version the panel loaded: a stale copy is
// refused with 412, an illegal move with 409 (both ApiError, message in both languages).
import { apiFetch, getLayer } from '../api.js';

const enc = encodeURIComponent;

/** Queue rows in the given statuses (oldest first). */
export const getQueue = (statuses, signal) =>
  apiFetch('/api/reports/queue', { params: { status: statuses.join(','), limit: 500 }, signal });

/** Open work past its deadline, most overdue first. */
export const getOverdue = (signal) => apiFetch('/api/reports/overdue', { params: { limit: 500 }, signal });

export const getReport = (id, signal) => apiFetch(`/api/reports/${enc(id)}`, { signal });

export const getCandidates = (id, signal) => apiFetch(`/api/reports/${enc(id)}/candidates`, { signal });

export const getCategories = (signal) => apiFetch('/api/categories', { signal });

/** Reports created since `since` (a Date) in the service area, as a FeatureCollection. */
export const getReportsSince = (bbox, since, signal) =>
  getLayer('/api/reports', { bbox, params: { since: since.toISOString() }, signal });

/**
 * POST /api/reports/{id}/{action} with `body`; `version` becomes If-Match.
 * Answers {id, status, version, deadline_at, assignee_worker_id, assignee_department_id}.
 */
export function act(id, action, body = {}, version = null) {
  const headers = version === null || version === undefined ? {} : { 'If-Match': `"${version}"` };
  return apiFetch(`/api/reports/${enc(id)}/${action}`, { method: 'POST', json: body, headers });
}

/** Every category, inactive ones too (admin, operator). */
export const getAllCategories = (signal) => apiFetch('/api/categories/all', { signal });

export const addCategory = (body) => apiFetch('/api/categories', { method: 'POST', json: body });

export const editCategory = (code, patch) =>
  apiFetch(`/api/categories/${enc(code)}`, { method: 'PATCH', json: patch });

/** Staff record a 12345 call or a walk-in → {id, status, grid_id, duplicates, …}. */
export const recordReport = (body) => apiFetch('/api/reports/record', { method: 'POST', json: body });

/** Figures per unit: {id, name, received, completion_rate, on_time_rate, satisfaction_rate, overdue_now, …}. */
export const getFigures = ({ level, days, parentId }, signal) =>
  apiFetch('/api/figures', { params: { level, days, parent_id: parentId }, signal });

/** Spend 50 points per unit → {phone, balance}; short of points → 409. */
export const redeemPoints = (phone, units) =>
  apiFetch('/api/points/redeem', { method: 'POST', json: { phone, units } });

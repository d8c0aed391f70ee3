// The planning API (/api/plans…, /api/grids/asof). Every write to a plan sends
// `If-Match` with the plan's ETag; the answer carries the plan with its new ETag.
import { apiFetch } from '../api.js';

/** The If-Match value for a plan: its etag as a quoted entity tag. */
export function ifMatch(plan) {
  const tag = String(plan.etag ?? plan.version ?? '');
  const quoted = tag.startsWith('"') || tag.startsWith('W/') ? tag : `"${tag}"`;
  return { 'If-Match': quoted };
}

const base = (plan) => `/api/plans/${encodeURIComponent(plan.id ?? plan)}`;
const write = (plan, path, method, json) => apiFetch(`${base(plan)}${path}`, { method, json, headers: ifMatch(plan) });

export const listPlans = (status) => apiFetch('/api/plans', { params: { status } });
export const getPlan = (id, signal) => apiFetch(base(id), { signal });
export const createPlan = ({ name, scopeId }) => apiFetch('/api/plans', { method: 'POST', json: { name, scope_id: scopeId } });
export const discardPlan = (plan) => apiFetch(base(plan), { method: 'DELETE', headers: ifMatch(plan) });

export const planGrids = (id, signal) => apiFetch(`${base(id)}/grids`, { signal });
export const checkPlan = (id, signal) => apiFetch(`${base(id)}/check`, { signal });
export const previewPlan = (id, signal) => apiFetch(`${base(id)}/preview`, { signal });

/** Replace a grid's shape and/or attributes: body {geometry?, code?, name?, name_en?, head_worker_id?, worker_ids?}. */
export const updateGrid = (plan, key, body) => write(plan, `/grids/${encodeURIComponent(key)}`, 'PUT', body);
export const splitGrid = (plan, key, line) => write(plan, '/split', 'POST', { key, line });
export const mergeGrids = (plan, keys) => write(plan, '/merge', 'POST', { keys });
/** A new (dedicated) grid: body {geometry, kind, dedicated_type, code, name, name_en?, parent_id}. */
export const addGrid = (plan, body) => write(plan, '/grids', 'POST', body);
export const retireGrid = (plan, key) => write(plan, `/grids/${encodeURIComponent(key)}`, 'DELETE');
export const publishPlan = (plan, effectiveAt) => write(plan, '/publish', 'POST', effectiveAt ? { effective_at: effectiveAt } : {});

/**
 * Regroup the blocks of a street or community into k grids of even load: body {parent_id,
 * k, weights?, seed?, start?: best|current|fresh} → EditOut + redistrict {…, before, after}.
 */
export const redistrictPlan = (plan, body) => write(plan, '/redistrict', 'POST', body);
/** Every living grid's workload under a street or community; weights as care_red … street_km. */
export const getWorkload = (parentId, weights = {}, signal) => apiFetch('/api/planning/workload', { params: { parent_id: parentId, ...weights }, signal });

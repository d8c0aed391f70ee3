// The closed-loop calls the field pages make: tasks, claim, resolve, findings, household
// visits (signed in), and the public ones residents make without an account (uploads,
// intake, tracking).
import { apiFetch } from '../api.js';

const PUBLIC = { auth: false, redirectOn401: false };
const idem = (key) => (key ? { 'Idempotency-Key': key } : {});
const DUE_LIMIT = 300; // households due a visit, at most

export const getCategories = (signal) => apiFetch('/api/categories', { ...PUBLIC, signal });

/** One photo as multipart → {token, url, thumb_url, exif}. kind: intake | result. */
export function uploadPhoto(file, { kind = 'intake', auth = true, signal } = {}) {
  const form = new FormData();
  form.append('file', file, file.name || 'photo.jpg');
  form.append('kind', kind);
  const access = auth ? {} : PUBLIC;
  return apiFetch('/api/uploads', { method: 'POST', body: form, signal, ...access });
}

export const getTasks = (signal) => apiFetch('/api/tasks', { signal });

export const claimReport = (id) => apiFetch(`/api/reports/${encodeURIComponent(id)}/claim`, {
  method: 'POST',
});

export const resolveReport = (id, { note, photos }, key) => apiFetch(
  `/api/reports/${encodeURIComponent(id)}/resolve`,
  { method: 'POST', json: { note, photos }, headers: idem(key) },
);

/** The households of my grids due a visit, nearest `near` ({lat, lng}) first when given. */
export const getDue = (near, signal) => apiFetch('/api/visits/due', {
  params: { near: near ? `${near.lng.toFixed(6)},${near.lat.toFixed(6)}` : null, limit: DUE_LIMIT },
  signal,
});

/** Check in at a household ({household_id, lon, lat, accuracy?}). */
export const postVisit = (body, key) => apiFetch('/api/visits', {
  method: 'POST', json: body, headers: idem(key),
});

export const postFound = (body, key) => apiFetch('/api/reports/found', {
  method: 'POST',
  json: body,
  headers: idem(key),
});

/** A resident's or volunteer's report (no account). */
export const postReport = (body, key) => apiFetch('/api/reports', {
  method: 'POST',
  json: body,
  headers: idem(key),
  ...PUBLIC,
});

export const getTrack = (token, signal) => apiFetch(`/api/track/${encodeURIComponent(token)}`, {
  ...PUBLIC,
  signal,
});

export const rateReport = (token, body) => apiFetch(`/api/track/${encodeURIComponent(token)}/revisit`, {
  method: 'POST',
  json: body,
  ...PUBLIC,
});

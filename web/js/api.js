// fetch() with the bearer token. Problem responses (application/problem+json) become
// ApiError with the Chinese and English messages; a 401 sends the person to login.
import { getToken, redirectToLogin } from './auth.js';
import { getLang, t } from './i18n.js';
import { bboxParam } from './util.js';

export class ApiError extends Error {
  constructor({ status, title, detail, detailZh, detailEn, code, type, field, problem }) {
    super(detailEn || detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title || '';
    this.detail = detail || '';
    this.detailZh = detailZh || '';
    this.detailEn = detailEn || '';
    this.code = code || null;
    this.type = type || null;
    this.field = field || null; // the input a 422 is about, e.g. 'reporter_phone'
    this.problem = problem || null; // the whole problem body (extra members, e.g. a plan's check)
  }

  /** The message for the current language. */
  localized() {
    const text = getLang() === 'en'
      ? this.detailEn || this.detail || this.detailZh
      : this.detailZh || this.detail || this.detailEn;
    if (text) return text;
    if (this.status === 0) return t('error.network');
    return t('error.http', { status: this.status });
  }
}

/** Human message for anything thrown by an API call. */
export function errorMessage(err) {
  if (err instanceof ApiError) return err.localized();
  return t('error.network');
}

export function isAbort(err) {
  return err && err.name === 'AbortError';
}

async function problemFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (body && typeof body === 'object') {
    return new ApiError({
      status: response.status,
      title: body.title,
      detail: typeof body.detail === 'string' ? body.detail : '',
      detailZh: body.detail_zh,
      detailEn: body.detail_en,
      code: body.code,
      type: body.type,
      field: body.field,
      problem: body,
    });
  }
  return new ApiError({ status: response.status, title: response.statusText });
}

/**
 * Call the API. Options: method, params (query object), json (body), form (urlencoded
 * body), body (sent as is, e.g. FormData for multipart), headers, signal, auth (default
 * true), redirectOn401 (default true).
 */
export async function apiFetch(path, options = {}) {
  const { method = 'GET', params, json, form, signal, auth = true, redirectOn401 = true } = options;
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json' };
  Object.assign(headers, options.headers || {});
  const token = auth ? getToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = new URLSearchParams(form);
  } else if (options.body !== undefined) {
    body = options.body; // the browser sets the multipart Content-Type and boundary
  }
  let url = path;
  if (params) {
    const qs = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null || value === '') continue;
      qs.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const query = qs.toString();
    if (query) url += (url.includes('?') ? '&' : '?') + query;
  }

  let response;
  try {
    response = await fetch(url, { method, headers, body, signal });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError({ status: 0, title: 'network' });
  }
  if (response.status === 401 && redirectOn401) {
    redirectToLogin();
  }
  if (!response.ok) throw await problemFrom(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/** OAuth2 password form → {access_token, role, username, display_name}. */
export function login(username, password) {
  return apiFetch('/api/auth/token', {
    method: 'POST',
    form: { username, password, grant_type: 'password' },
    auth: false,
    redirectOn401: false,
  });
}

export const getMe = (signal) => apiFetch('/api/me', { signal });
export const getMeta = (signal) => apiFetch('/api/meta', { auth: false, signal });
export const getGrid = (id, signal) => apiFetch(`/api/grids/${encodeURIComponent(id)}`, { signal });

/** A GeoJSON FeatureCollection from one of the bbox layers. */
export function getLayer(path, { bbox, zoom, params = {}, signal } = {}) {
  return apiFetch(path, {
    params: { ...params, bbox: bbox ? bboxParam(bbox) : undefined, zoom },
    signal,
  });
}

export function postPositions(fixes, { idempotencyKey, signal } = {}) {
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
  return apiFetch('/api/positions', { method: 'POST', json: { fixes }, headers, signal });
}

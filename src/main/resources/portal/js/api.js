// The only way the portal talks to Tenantry: its public API, with the session's bearer token. Errors arrive as
// RFC 9457 problems and are thrown as ApiError (status, title, detail) for the screen to show next to the field or
// action that caused them. An expired access token is refreshed once with the refresh token; when that fails the
// session ends and the portal goes back to sign-in.
import {session, storeToken, clear} from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.problem = problem;
  }
}

let onSessionEnded = () => {};
export function whenSessionEnds(fn) {
  onSessionEnded = fn;
}

let refreshing = null;

async function refresh() {
  const s = session();
  if (!s?.refreshToken) return false;
  refreshing ??= fetch('/auth/token', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({grant_type: 'refresh_token', refresh_token: s.refreshToken}),
  }).then(async r => {
    if (!r.ok) return false;
    storeToken(await r.json());
    return true;
  }).catch(() => false).finally(() => { refreshing = null; });
  return refreshing;
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch {
      // fall through: a body that is not the JSON it claims
    }
  }
  return {title: `HTTP ${response.status}`, detail: response.statusText};
}

/**
 * Calls the API. opts: {method, body (JSON), headers, raw (return the Response), anonymous}. Returns the parsed
 * JSON (or null for an empty answer).
 */
export async function call(path, opts = {}) {
  const s = session();
  if (!opts.anonymous && s && Date.now() > s.expiresAt) {
    if (!(await refresh())) return ended();
  }
  let response = await send(path, opts);
  if (response.status === 401 && !opts.anonymous) {
    if (!(await refresh())) return ended();
    response = await send(path, opts);
    if (response.status === 401) return ended();
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  if (opts.raw) return response;
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

function send(path, opts) {
  const headers = {...(opts.headers || {})};
  const token = session()?.accessToken;
  if (token && !opts.anonymous) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(path, {
    method: opts.method || 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    cache: 'no-store',
  });
}

function ended() {
  clear();
  onSessionEnded('Your session has expired. Sign in again.');
  throw new ApiError(401, {title: 'Signed out', detail: 'Your session has expired. Sign in again.'});
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;

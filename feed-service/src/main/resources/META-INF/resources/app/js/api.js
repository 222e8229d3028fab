// Thin fetch wrapper: bearer token from the session, problem+json errors as ApiError.
const KEY = 'afp.token';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

let current; // the token in use; undefined until read from this tab's session storage

export function token() {
  if (current === undefined) current = sessionStorage.getItem(KEY);
  return current;
}

export function setToken(value) {
  current = value ? value.trim() : null;
  if (current) sessionStorage.setItem(KEY, current);
  else sessionStorage.removeItem(KEY);
}

/**
 * A token to use at once and keep in the session only later ({@link keepToken}): a page's first use
 * of session storage cost a throttled phone 35-50 ms before its first tiles.
 */
export function useToken(value) {
  current = value.trim();
}

/** Keeps the token in use for this tab's later page loads. */
export function keepToken() {
  if (current) sessionStorage.setItem(KEY, current);
}

/** The token's claims, read for display only: the services verify it. */
export function claims() {
  const value = token();
  if (!value) return null;
  try {
    const part = value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { title: 'Network error', detail: 'The server cannot be reached' }, null);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) throw new ApiError(response.status, data, response.headers.get('Retry-After'));
  if (response.status === 401) throw new ApiError(401, data, null);
  return data;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

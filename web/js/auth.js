// Token storage and the page-level redirects around signing in.
const TOKEN_KEY = 'gridlink.token';
const LOGIN_PATH = '/login.html';

const HOME_BY_ROLE = {
  admin: '/',
  operator: '/',
  planner: '/planner.html',
  dept_staff: '/',
  grid_head: '/',
  patroller: '/patrol.html',
};

export function getToken() {
  try {
    return window.localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  window.localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  try {
    window.localStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing stored, nothing to clear
  }
}

/** The page a role starts on after signing in. */
export function homePathFor(role) {
  return HOME_BY_ROLE[role] || '/';
}

/** A `next` value we are willing to follow: a path on this origin, never the login page. */
export function safeNext(next) {
  if (!next || typeof next !== 'string') return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith(LOGIN_PATH)) return null;
  return next;
}

let redirecting = false;

/** Drop the token and go to the login page, coming back here afterwards. */
export function redirectToLogin() {
  if (redirecting) return;
  redirecting = true;
  clearToken();
  if (window.location.pathname === LOGIN_PATH) return;
  const here = window.location.pathname + window.location.search + window.location.hash;
  const next = here === '/' ? '' : `?next=${encodeURIComponent(here)}`;
  window.location.replace(`${LOGIN_PATH}${next}`);
}

/** Return the token, or start the redirect to login and return null. */
export function requireToken() {
  const token = getToken();
  if (!token) redirectToLogin();
  return token;
}

export function logout() {
  clearToken();
  window.location.replace(LOGIN_PATH);
}

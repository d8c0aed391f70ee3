// Short notices at the bottom of the screen (errors, "no access to households", ...).
const HOST_ID = 'gl-toasts';

function host() {
  let el = document.getElementById(HOST_ID);
  if (!el) {
    el = document.createElement('div');
    el.id = HOST_ID;
    el.className = 'gl-toasts';
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    document.body.append(el);
  }
  return el;
}

/** Show `message` (already translated) for `ms`; kind: 'info' | 'error' | 'ok'. */
export function toast(message, { kind = 'info', ms = 5000 } = {}) {
  const el = document.createElement('div');
  el.className = `gl-toast gl-toast--${kind}`;
  el.textContent = message;
  const container = host();
  // the same message twice in a row is shown once
  const last = container.lastElementChild;
  if (last && last.textContent === message) return last;
  container.append(el);
  setTimeout(() => el.remove(), ms);
  return el;
}

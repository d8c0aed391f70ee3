// WebSocket client for /ws/live with automatic reconnect and resume.
//
// Events (all CustomEvent, payload in `detail`):
//   state      {state: 'connected'|'reconnecting'|'offline', attempt, retryIn}
//   hello      the hello message        event     one {type:'event'} message
//   positions  {workers: [...]}         reset     {seq}: reload every layer from the API
// Resuming sends `since=<last seq seen>`, so nothing inside the retention window is missed.

const MIN_DELAY = 1000;
const MAX_DELAY = 30000;
const OFFLINE_AFTER = 5; // consecutive failed attempts before we call it offline

export class LiveClient extends EventTarget {
  /**
   * @param {object} options
   * @param {() => string|null} options.token   current bearer token
   * @param {string} [options.path]             default '/ws/live'
   * @param {() => Promise<unknown>} [options.checkAuth]  called after repeated failures;
   *        expected to redirect to login when the token is no longer valid
   */
  constructor(options) {
    super();
    this.options = { path: '/ws/live', ...options };
    this.seq = null;
    this.state = 'reconnecting';
    this._ws = null;
    this._attempt = 0;
    this._timer = null;
    this._stopped = true;
    this._onOnline = () => this._reconnectNow();
    this._onOffline = () => this._setState('offline');
  }

  start() {
    if (!this._stopped) return this;
    this._stopped = false;
    window.addEventListener('online', this._onOnline);
    window.addEventListener('offline', this._onOffline);
    this._connect();
    return this;
  }

  stop() {
    this._stopped = true;
    clearTimeout(this._timer);
    window.removeEventListener('online', this._onOnline);
    window.removeEventListener('offline', this._onOffline);
    if (this._ws) {
      this._ws.onclose = null;
      this._ws.close(1000);
      this._ws = null;
    }
    this._setState('offline');
  }

  url() {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const qs = new URLSearchParams({ token: this.options.token() || '' });
    if (this.seq !== null) qs.set('since', String(this.seq));
    return `${scheme}//${window.location.host}${this.options.path}?${qs}`;
  }

  _connect() {
    clearTimeout(this._timer);
    if (this._stopped) return;
    if (navigator.onLine === false) {
      this._setState('offline');
      return; // the 'online' event brings us back
    }
    let opened = false;
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this._scheduleRetry(false);
      return;
    }
    this._ws = ws;
    ws.onopen = () => {
      opened = true;
      this._attempt = 0;
      this._setState('connected');
    };
    ws.onmessage = (ev) => this._handle(ev.data);
    ws.onerror = () => {}; // onclose follows and does the work
    ws.onclose = () => {
      if (this._ws === ws) this._ws = null;
      if (!this._stopped) this._scheduleRetry(opened);
    };
  }

  _scheduleRetry(wasOpen) {
    this._attempt = wasOpen ? 1 : this._attempt + 1;
    const delay = Math.min(MAX_DELAY, MIN_DELAY * 2 ** (this._attempt - 1));
    const jitter = Math.round(delay * 0.2 * Math.random());
    const retryIn = delay + jitter;
    const offline = navigator.onLine === false || this._attempt >= OFFLINE_AFTER;
    this._setState(offline ? 'offline' : 'reconnecting', retryIn);
    if (!wasOpen && this._attempt >= 2 && this.options.checkAuth) {
      this.options.checkAuth().catch(() => {});
    }
    this._timer = setTimeout(() => this._connect(), retryIn);
  }

  _reconnectNow() {
    if (this._stopped) return;
    if (this._ws) {
      // the socket may have survived a short network drop
      if (this._ws.readyState === WebSocket.OPEN) this._setState('connected');
      return;
    }
    this._attempt = 0;
    this._connect();
  }

  _setState(state, retryIn = null) {
    const changed = state !== this.state;
    this.state = state;
    const detail = { state, attempt: this._attempt, retryIn };
    if (changed || retryIn !== null) this._emit('state', detail);
  }

  _handle(raw) {
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    switch (msg.type) {
      case 'hello':
        // A fresh start has nothing to resume: take the latest seq. When resuming we
        // keep our own seq so that events replayed after the hello are not skipped.
        if (this.seq === null && Number.isFinite(msg.seq)) this.seq = msg.seq;
        this._emit('hello', msg);
        break;
      case 'event':
        if (Number.isFinite(msg.seq)) {
          if (this.seq !== null && msg.seq <= this.seq) return; // already seen
          this.seq = msg.seq;
        }
        this._emit('event', msg);
        break;
      case 'positions':
        this._emit('positions', msg);
        break;
      case 'reset':
        if (Number.isFinite(msg.seq)) this.seq = msg.seq;
        this._emit('reset', msg);
        break;
      default:
        break;
    }
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

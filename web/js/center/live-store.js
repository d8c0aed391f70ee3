// What the desk's stores kept current by the live feed share (the report queues, the
// alerts, today's count): a load when mounted and again when the feed starts over
// ('reset'), every live message to `apply(msg)`, `tick()` every `tickMs`, a debounced
// `_refetch()` (`refetchMs`), and loads of which only the newest counts (`this._fetch`,
// see latestOnly in util.js). A subclass gives load(), apply(msg) and tick().
import { debounce, latestOnly } from '../util.js';

export class LiveStore extends EventTarget {
  /** @param {{live: EventTarget, tickMs: number, refetchMs?: number}} options */
  constructor({ live, tickMs, refetchMs = 1000 }) {
    super();
    this.live = live;
    this._tickMs = tickMs;
    this._fetch = latestOnly();
    this._timer = null;
    this._refetch = debounce(() => this.load(), refetchMs);
    this._onEvent = (ev) => this.apply(ev.detail);
    this._onReset = () => this.load();
  }

  mount() {
    this.live.addEventListener('event', this._onEvent);
    this.live.addEventListener('reset', this._onReset);
    this._timer = setInterval(() => this.tick(), this._tickMs);
    this.load();
    return this;
  }

  unmount() {
    this.live.removeEventListener('event', this._onEvent);
    this.live.removeEventListener('reset', this._onReset);
    clearInterval(this._timer);
    this._refetch.cancel();
    this._fetch.abort();
  }
}

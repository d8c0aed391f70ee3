// Compatibility shims for the vendored libraries; never edit files in /vendor.
const L = window.L;

// Leaflet 1.8 removed L.DomEvent.fakeStop, but Leaflet.VectorGrid 1.3.0 calls it
// when an interactive canvas tile is clicked. Leaflet 1.9 still honours the
// `_stopped` flag that fakeStop used to set, so restoring the one-liner is enough.
if (L && L.DomEvent && typeof L.DomEvent.fakeStop !== 'function') {
  L.DomEvent.fakeStop = function fakeStop(e) {
    e._stopped = true;
    return this;
  };
}

export const compatApplied = true;

// Start-up shared by the map pages: language, token check, /api/me + /api/meta,
// header widgets, the live client and the basemap.
import { L } from 'leaflet';
import { getToken, requireToken } from '../auth.js';
import { getMe, getMeta, errorMessage } from '../api.js';
import { applyI18n, onLangChange, pick, t } from '../i18n.js';
import { LiveClient } from '../live.js';
import { basemap } from '../layers/basemap.js';
import { ConnectionIndicator } from '../controls/connection.js';
import { LangSwitch } from '../controls/lang.js';
import { UserBox } from '../controls/user.js';

/** Render static strings and mount the language switch (also before signing in). */
export function startI18n() {
  applyI18n(document);
  const el = document.getElementById('lang-switch');
  if (el) new LangSwitch(el).mount();
}

/** Show a blocking start-up error with a retry button. */
export function showBootError(err) {
  if (err && err.status === 401) return; // already on the way to the login page
  const box = document.getElementById('boot-error');
  if (!box) return;
  box.hidden = false;
  box.querySelector('.message').textContent = errorMessage(err);
  box.querySelector('button').onclick = () => window.location.reload();
}

/** Token check, then me + meta; null when the page is on its way to login. */
export async function loadSession() {
  if (!requireToken()) return null;
  const [me, meta] = await Promise.all([getMe(), getMeta()]);
  return { me, meta };
}

/** Header: deployment name (follows the language), user box, connection state. */
export function mountHeader({ me, meta, live }) {
  const deployment = document.getElementById('deployment');
  const renderName = () => {
    if (!deployment) return;
    const name = pick(meta.name, meta.name_en) || '';
    deployment.textContent = meta.synthetic ? `${name} · ${t('meta.synthetic')}` : name;
  };
  renderName();
  onLangChange(renderName);
  const user = document.getElementById('user');
  if (user) new UserBox(user, me).mount();
  const conn = document.getElementById('conn-state');
  if (conn) new ConnectionIndicator(conn, live).mount();
}

export function createLive() {
  return new LiveClient({ token: getToken, checkAuth: () => getMe() });
}

/**
 * The Leaflet map in #map with our controls' positions and the offline basemap.
 * With `bounds` the map has no view yet: the caller fits it (layers wait for that).
 */
export function createMap({ meta, center, zoom, bounds, zoomSnap = 1 }) {
  const c = center || meta.center;
  const view = bounds ? {} : { center: [c[1], c[0]], zoom: zoom ?? meta.zoom ?? 14 };
  const map = L.map('map', {
    ...view,
    minZoom: 10,
    maxZoom: 19,
    zoomSnap,
    zoomControl: false,
    worldCopyJump: false,
  });
  L.control.zoom({
    position: 'bottomright',
    zoomInTitle: t('map.zoomIn'),
    zoomOutTitle: t('map.zoomOut'),
  }).addTo(map);
  L.control.scale({ position: 'bottomleft', imperial: false }).addTo(map);
  const attribution = () => `gridlink · ${meta.synthetic ? t('meta.syntheticData') : t('meta.data')}`;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(attribution());
  let shown = attribution();
  onLangChange(() => {
    map.attributionControl.removeAttribution(shown);
    shown = attribution();
    map.attributionControl.addAttribution(shown);
  });
  const base = basemap({ maxZoom: 19 });
  if (base) base.addTo(map);
  return { map, base };
}

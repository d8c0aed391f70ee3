// The map tools of the planner, on Leaflet-Geoman (free): edit a grid's vertices, drag
// it, cut a piece off, split it along a drawn line, merge it with a neighbour, draw a
// new (dedicated) grid. Snapping to the other draft grids is on while editing and
// drawing; the server snaps again (3 m) and decides what is valid.
//
// The tool bar `#plan-tool[data-tool=edit|drag|cut|split|merge|draw]` says what to do,
// with `button#tool-finish` and `button#tool-cancel`. Options: map, layer (DraftLayer),
// session (PlanSession), bar (element), onDrawn(geometry) for a new grid's polygon.
import { applyI18n, onLangChange, t } from '../i18n.js';
import { mergeGrids, splitGrid, updateGrid } from './api.js';

export const SNAP_PX = 15;

const HINTS = {
  edit: 'plan.tool.editHint',
  drag: 'plan.tool.dragHint',
  cut: 'plan.tool.cutHint',
  split: 'plan.tool.splitHint',
  merge: 'plan.tool.mergeHint',
  draw: 'plan.tool.drawHint',
};

export class PlanTools {
  constructor({ map, layer, session, bar, onDrawn }) {
    this.map = map;
    this.layer = layer;
    this.session = session;
    this.bar = bar;
    this.onDrawn = onDrawn;
    this.tool = null;
    this.key = null;
    this._onCreate = (ev) => this._created(ev);
    this._onCut = (ev) => this._cutDone(ev);
    this._onPick = (ev) => this._picked(ev.key);
    this._onBar = (ev) => {
      const button = ev.target.closest('button');
      if (!button) return;
      if (button.id === 'tool-finish') this.finish();
      if (button.id === 'tool-cancel') this.cancel();
    };
    this._onKey = (ev) => {
      if (ev.key === 'Escape' && this.tool) this.cancel();
    };
    this._offLang = null;
  }

  mount() {
    this.map.pm.setGlobalOptions({ snappable: true, snapDistance: SNAP_PX, tooltips: false, allowSelfIntersection: false });
    this.map.on('pm:create', this._onCreate);
    this.map.on('pm:cut', this._onCut);
    this.layer.on('pick', this._onPick);
    this.bar.addEventListener('click', this._onBar);
    document.addEventListener('keydown', this._onKey);
    this._offLang = onLangChange(() => applyI18n(this.bar));
    this._render();
    return this;
  }

  unmount() {
    this.cancel();
    this.map.off('pm:create', this._onCreate);
    this.map.off('pm:cut', this._onCut);
    this.layer.off('pick', this._onPick);
    this.bar.removeEventListener('click', this._onBar);
    document.removeEventListener('keydown', this._onKey);
    if (this._offLang) this._offLang();
  }

  /** Start a tool on the grid `key` (draw needs none). */
  start(tool, key = null) {
    this.cancel();
    if (!this.session.editable) return;
    const target = key === null ? null : this.layer.getLayerByKey(key);
    if (tool !== 'draw' && !target) return;
    this.tool = tool;
    this.key = key === null ? null : String(key);
    this.layer.picking = tool === 'merge';
    const pm = this.map.pm;
    if (tool === 'edit') {
      target.pm.enable({ snappable: true, snapDistance: SNAP_PX, allowSelfIntersection: false, draggable: false });
    } else if (tool === 'drag') {
      target.pm.enableLayerDrag();
    } else if (tool === 'cut') {
      pm.enableDraw('Cut', { layersToCut: [target], snappable: true, snapDistance: SNAP_PX, tooltips: false });
    } else if (tool === 'split') {
      // no snapping: a line's ends must lie outside the grid, not on its edge
      pm.enableDraw('Line', { snappable: false, tooltips: false, finishOn: null });
    } else if (tool === 'draw') {
      pm.enableDraw('Polygon', { snappable: true, snapDistance: SNAP_PX, tooltips: false, allowSelfIntersection: false });
    }
    this._render();
  }

  /** Save the shape being edited, or finish the line being drawn. */
  finish() {
    const tool = this.tool;
    const key = this.key;
    if (tool === 'edit' || tool === 'drag') {
      const target = this.layer.getLayerByKey(key);
      const geometry = target ? target.toGeoJSON().geometry : null;
      this._stop();
      if (geometry) this.session.run((plan) => updateGrid(plan, key, { geometry }), { okText: t('plan.msg.shapeSaved') });
      else this._redraw();
      return;
    }
    const draw = this.map.pm.Draw;
    const shape = tool === 'split' ? 'Line' : tool === 'draw' ? 'Polygon' : tool === 'cut' ? 'Cut' : null;
    if (shape && draw[shape] && typeof draw[shape]._finishShape === 'function') draw[shape]._finishShape();
  }

  cancel() {
    if (!this.tool) return;
    const reshaped = this.tool === 'edit' || this.tool === 'drag' || this.tool === 'cut';
    this._stop();
    if (reshaped) this._redraw();
  }

  _stop() {
    const target = this.key === null ? null : this.layer.getLayerByKey(this.key);
    if (target && target.pm) {
      if (this.tool === 'edit' && target.pm.enabled()) target.pm.disable();
      if (this.tool === 'drag' && target.pm.layerDragEnabled && target.pm.layerDragEnabled()) target.pm.disableLayerDrag();
    }
    if (this.map.pm.globalDrawModeEnabled()) this.map.pm.disableDraw();
    this.tool = null;
    this.key = null;
    this.layer.picking = true;
    this._render();
  }

  /** Draw the draft again from the session (undoes local changes to shapes). */
  _redraw() {
    this.layer.setCollection(this.session.grids);
  }

  _created(ev) {
    if (this.tool !== 'split' && this.tool !== 'draw') return;
    const geometry = ev.layer.toGeoJSON().geometry;
    ev.layer.remove(); // the server's answer is drawn instead
    const tool = this.tool;
    const key = this.key;
    this._stop();
    if (tool === 'split' && ev.shape === 'Line') {
      this.session.run((plan) => splitGrid(plan, key, geometry), { okText: t('plan.msg.split') });
    } else if (tool === 'draw' && ev.shape === 'Polygon' && this.onDrawn) {
      this.onDrawn(geometry);
    }
  }

  _cutDone(ev) {
    if (this.tool !== 'cut') return;
    const key = this.key;
    const geometry = ev.layer.toGeoJSON().geometry;
    ev.layer.remove();
    this._stop();
    this._redraw();
    this.session.run((plan) => updateGrid(plan, key, { geometry }), { okText: t('plan.msg.shapeSaved') });
  }

  _picked(key) {
    if (this.tool === 'merge') {
      if (key === this.key) return;
      const first = this.key;
      this._stop();
      this.session.run((plan) => mergeGrids(plan, [first, key]), { okText: t('plan.msg.merged') });
      return;
    }
    if (!this.tool) this.session.select(key);
  }

  _render() {
    const tool = this.tool;
    this.bar.hidden = !tool;
    this.bar.dataset.tool = tool || '';
    this.map.getContainer().classList.toggle('gl-plan-tool-on', Boolean(tool));
    if (!tool) return;
    const hint = this.bar.querySelector('.gl-ptool__hint');
    hint.dataset.i18n = HINTS[tool];
    const finish = this.bar.querySelector('#tool-finish');
    finish.hidden = tool === 'merge';
    finish.dataset.i18n = tool === 'edit' || tool === 'drag' ? 'plan.tool.save' : 'plan.tool.finish';
    applyI18n(this.bar);
  }
}

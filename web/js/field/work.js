// The patroller's work in the bottom sheet: the tabs, "my tasks" with the task in
// focus on the map, the resolve form, and "report a problem".
import { getCategories } from './api.js';
import { FoundForm } from './found.js';
import { ResolveForm } from './resolve.js';
import { SheetTabs } from './sheettabs.js';
import { TaskFocusLayer } from './taskfocus.js';
import { TaskList } from './tasks.js';
import { deadlineState } from './format.js';
import { t } from '../i18n.js';

const byId = (id) => document.getElementById(id);

function renderCount(tasks) {
  const el = byId('task-count');
  const overdue = tasks.filter((task) => deadlineState(task.deadline_at).kind === 'overdue').length;
  el.dataset.count = String(tasks.length);
  el.textContent = String(tasks.length);
  el.hidden = !tasks.length;
  el.classList.toggle('is-overdue', overdue > 0);
  el.title = overdue ? t('field.tasks.overdueCount', { count: overdue }) : '';
}

/**
 * Wire the sheet. Options: map, me (/api/me), live, meLayer, sheet (#sheet),
 * fitOptions() (padding that keeps clear of the sheet).
 */
export async function startFieldWork({ map, me, live, meLayer, sheet, fitOptions }) {
  const tabs = new SheetTabs(sheet).mount(); // usable at once, before the lists load
  let categories = [];
  try {
    categories = await getCategories();
  } catch {
    categories = []; // names come from the tasks themselves; the found form says why it is empty
  }
  const tasks = new TaskList({ el: byId('task-list'), me, live, categories });
  const focus = new TaskFocusLayer();
  const describe = (task) => `${tasks.categoryOf(task)} · ${task.description}`;
  const resolve = new ResolveForm({ form: byId('resolve-form'), describe });
  const found = new FoundForm({ map, meLayer, me, categories });

  const showFocus = (task) => {
    if (!task || tabs.tab !== 'tasks') {
      if (map.hasLayer(focus)) map.removeLayer(focus);
      return;
    }
    focus.setFrom(meLayer.getLatLng()).setTask(task, tasks.categoryOf(task));
    if (!map.hasLayer(focus)) focus.addTo(map);
  };
  tasks.addEventListener('select', ({ detail }) => {
    showFocus(detail.task);
    if (!detail.task) return;
    const bounds = focus.getBounds();
    if (meLayer.getLatLng()) map.fitBounds(bounds, fitOptions());
    else map.setView(bounds.getCenter(), Math.max(map.getZoom(), 17));
  });
  tasks.addEventListener('change', ({ detail }) => {
    renderCount(detail.tasks);
    const task = tasks.selectedId === null ? null : tasks.find(tasks.selectedId);
    if (task) focus.setTask(task, tasks.categoryOf(task));
    if (resolve.isOpen && resolve.task && !tasks.find(resolve.task.id)) resolve.close();
  });
  tasks.addEventListener('resolve', ({ detail }) => {
    byId('task-list').hidden = true;
    resolve.open(detail.task);
    tasks.select(detail.task.id);
  });
  resolve.addEventListener('close', () => {
    byId('task-list').hidden = false;
  });
  resolve.addEventListener('done', () => {
    byId('task-list').hidden = false;
    tasks.refresh();
  });
  found.addEventListener('done', () => tasks.refresh());
  meLayer.on('fix', () => {
    const here = meLayer.getLatLng();
    tasks.setHere(here);
    focus.setFrom(here);
  });
  tabs.addEventListener('change', ({ detail }) => {
    found.setActive(detail.tab === 'found');
    showFocus(detail.tab === 'tasks' && tasks.selectedId !== null ? tasks.find(tasks.selectedId) : null);
  });

  setInterval(() => renderCount(tasks.tasks), 15000); // deadlines pass between refreshes
  tasks.here = meLayer.getLatLng(); // the first fix may have come before the tasks
  tasks.mount();
  resolve.mount();
  found.mount();
  found.setActive(tabs.tab === 'found');
  return { tabs, tasks, resolve, found };
}

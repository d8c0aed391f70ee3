// The people who can be named head or worker of a draft's grids: those of the grids
// in the plan's scope, read from /api/grids/{id} (a few at a time), by worker id; and
// each existing grid's head and members now (a draft grid that names nobody keeps them).
import { getGrid, isAbort } from '../api.js';

const PARALLEL = 4;

export class WorkerPool {
  constructor() {
    this.byId = new Map(); // id → {id, name, role}
    this.current = new Map(); // grid id → {head: worker id | null, members: [worker id]}
    this._planId = null;
    this._loading = null;
  }

  /** Load the people of the draft's existing grids once per plan. */
  load(planId, features) {
    if (this._planId === planId && this._loading) return this._loading;
    this._planId = planId;
    this.byId.clear();
    this.current.clear();
    const ids = [...new Set(features.map((f) => f.properties.grid_id).filter((id) => id !== null && id !== undefined))];
    this._loading = this._fetchAll(ids);
    return this._loading;
  }

  async _fetchAll(ids) {
    const queue = [...ids];
    const next = async () => {
      while (queue.length) {
        const id = queue.shift();
        try {
          const feature = await getGrid(id);
          const workers = (feature && feature.properties.workers) || [];
          for (const w of workers) {
            if (!this.byId.has(w.id)) this.byId.set(w.id, { id: w.id, name: w.name, role: w.role });
          }
          const head = workers.find((w) => w.duty === 'head');
          this.current.set(String(id), {
            head: head ? head.id : null,
            members: workers.filter((w) => w.duty === 'member').map((w) => w.id),
          });
        } catch (err) {
          if (isAbort(err)) return;
          // a grid we cannot read only leaves its people out of the choice
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, next));
  }

  /** A draft grid's head and members: those it names, else those of its grid now. */
  peopleOf(props) {
    const now = (props.grid_id !== null && props.grid_id !== undefined && this.current.get(String(props.grid_id))) || { head: null, members: [] };
    return {
      head: props.head_worker_id ?? now.head,
      members: props.worker_ids ?? now.members,
    };
  }

  name(id) {
    const w = this.byId.get(Number(id));
    return w ? w.name : `#${id}`;
  }

  /** Everyone, by name. */
  list() {
    return [...this.byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }
}

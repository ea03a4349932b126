// Super-admin: what the tenant connection pools are doing (GET /admin/v1/pools), refreshed on demand.
import {h, heading, show} from '../dom.js';
import {call} from '../api.js';
import {problemSlot, showProblem} from '../problems.js';
import {table} from '../table.js';

export async function render(main) {
  const slot = problemSlot();
  const body = h('div', {});
  const refresh = h('button', {type: 'button'}, 'Refresh');
  main.append(heading('Pools', refresh), slot, body);
  async function load() {
    try {
      const stats = await call('/admin/v1/pools');
      body.replaceChildren();
      for (const [section, value] of Object.entries(stats)) {
        const holder = h('div', {});
        body.append(h('h2', {}, section.replace(/_/g, ' ')), holder);
        const rows = Object.entries(value || {}).map(([k, v]) =>
          typeof v === 'object' && v !== null && !Array.isArray(v)
            ? {name: k, value: Object.entries(v).map(([a, b]) => `${a.replace(/_/g, ' ')}: ${show(b)}`).join(', ')}
            : {name: k.replace(/_/g, ' '), value: show(v)});
        table(holder, section, [{id: 'name', name: 'Name'}, {id: 'value', name: 'Value'}], rows);
      }
    } catch (e) {
      showProblem(slot, e);
    }
  }
  refresh.addEventListener('click', load);
  await load();
}

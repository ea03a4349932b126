// Super-admin: all tenants, searched and filtered by the server (GET /admin/v1/tenants), page by page (cursor).
import {h, field, select, heading, when} from '../dom.js';
import {call, query, enc} from '../api.js';
import {table, gh} from '../table.js';
import {problemSlot, showProblem} from '../problems.js';

const PAGE = 20;

export async function render(main) {
  const q = h('input', {type: 'search', name: 'q', placeholder: 'slug or name starts with…'});
  const state = select('state', [['', 'any'], 'provisioning', 'active', 'suspended', 'archived', 'deleted'], '');
  const tier = select('tier', [['', 'any'], 'shared', 'schema', 'database'], '');
  const plan = h('input', {type: 'text', name: 'plan', size: 10});
  const parent = h('input', {type: 'text', name: 'parent', size: 12});
  const slot = problemSlot();
  const list = h('div', {id: 'tenant-list'});
  const pager = h('div', {class: 'pager'});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter tenants'},
    field('Search', q), field('State', state), field('Tier', tier), field('Plan', plan), field('Parent', parent),
    h('div', {class: 'field'}, h('button', {type: 'submit'}, 'Apply')));
  main.append(heading('Tenants', h('a', {class: 'button primary', href: '#/tenants/new'}, 'New tenant')),
    form, slot, list, pager);

  const cursors = [null]; // cursors[i]: the cursor of page i
  let page = 0;

  async function load() {
    showProblem(slot, null);
    try {
      const answer = await call('/admin/v1/tenants' + query({
        limit: PAGE, cursor: cursors[page], q: q.value.trim(), state: state.value, tier: tier.value,
        plan: plan.value.trim(), parent: parent.value.trim(),
      }));
      cursors[page + 1] = answer.next_cursor;
      table(list, 'Tenants', [
        {id: 'name', name: 'Name', formatter: (_, row) => gh('a', {href: `#/t/${enc(row.cells[1].data)}`}, row.cells[0].data)},
        {id: 'slug', name: 'Slug'},
        {id: 'status', name: 'State'},
        {id: 'isolation', name: 'Tier'},
        {id: 'plan', name: 'Plan'},
        {id: 'parent', name: 'Parent', data: r => r.parent || '—'},
        {id: 'created_at', name: 'Created', data: r => when(r.created_at)},
      ], answer.items, 'No tenant matches.');
      pager.replaceChildren(
        h('button', {type: 'button', disabled: page === 0, on: {click: () => { page -= 1; load(); }}}, 'Previous'),
        h('span', {}, ` Page ${page + 1} `),
        h('button', {type: 'button', disabled: !answer.next_cursor, on: {click: () => { page += 1; load(); }}}, 'Next'));
    } catch (e) {
      showProblem(slot, e);
    }
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    cursors.length = 1;
    page = 0;
    load();
  });
  await load();
}

// Super-admin: the rate-limit plans and their limits; edit one or add one (PUT /admin/v1/plans/{name}).
import {h, heading, field} from '../dom.js';
import {call, enc} from '../api.js';
import {problemSlot, showProblem, fieldProblem} from '../problems.js';
import {table, gh} from '../table.js';
import {modal} from '../dialog.js';

const LIMITS = ['rate', 'burst', 'user_rate', 'user_burst', 'write_cost'];

export async function render(main) {
  const slot = problemSlot();
  const list = h('div', {});
  const add = h('button', {type: 'button', class: 'primary'}, 'Add a plan');
  main.append(heading('Plans', add), h('p', {class: 'muted'}, 'Requests per second and burst per tenant; per-user sub-limits; what a write counts as.'), slot, list);
  add.addEventListener('click', () => edit({name: '', rate: 100, burst: 200, write_cost: 1}));

  async function load() {
    try {
      const answer = await call('/admin/v1/plans');
      table(list, 'Plans', [
        {id: 'name', name: 'Plan'},
        ...LIMITS.map(k => ({id: k, name: k.replace('_', ' '), data: r => r[k] ?? '—'})),
        {id: 'actions', name: 'Actions', data: r => r, formatter: r => gh('button', {type: 'button', onClick: () => edit(r)}, 'Edit')},
      ], answer.items);
    } catch (e) {
      showProblem(slot, e);
    }
  }

  async function edit(plan) {
    const name = h('input', {type: 'text', name: 'name', value: plan.name, disabled: !!plan.name && plan.name !== ''});
    const inputs = Object.fromEntries(LIMITS.map(k => [k, h('input', {type: 'number', name: k, min: 1,
      value: plan[k] == null ? '' : String(plan[k])})]));
    const saved = await modal(plan.name ? `Plan ${plan.name}` : 'New plan', [
      field('Name', name), ...LIMITS.map(k => field(k.replace('_', ' '), inputs[k], k.startsWith('user') ? 'Empty: none.' : null)),
    ], [
      {label: 'Cancel'},
      {label: 'Save', kind: 'primary', run: async () => {
        const body = {};
        for (const k of LIMITS) body[k] = inputs[k].value === '' ? null : Number(inputs[k].value);
        if (body.write_cost === null) delete body.write_cost;
        try {
          await call(`/admin/v1/plans/${enc(name.value.trim())}`, {method: 'PUT', body});
          return true;
        } catch (e) {
          const culprit = LIMITS.find(k => (e.detail || '').includes(k));
          fieldProblem(culprit ? inputs[culprit] : name, e);
          return undefined;
        }
      }},
    ]);
    if (saved) await load();
  }
  await load();
}

// One tenant: its facts, lifecycle actions (each confirmed), its place in the hierarchy, and (super-admin) its plan
// and effective rate limits.
import {h, heading, when, select, field} from '../dom.js';
import {call, enc} from '../api.js';
import {isSuperAdmin} from '../session.js';
import {confirmAction} from '../dialog.js';
import {problemSlot, showProblem, act} from '../problems.js';
import {table} from '../table.js';
import {followProvisioning} from './provisioning.js';

const ACTIONS = [
  {verb: 'suspend', label: 'Suspend', from: ['active'], method: 'POST', path: '/suspend',
    text: 'Its users and API keys are refused until it is resumed.'},
  {verb: 'resume', label: 'Resume', from: ['suspended'], method: 'POST', path: '/resume', text: 'It serves again.'},
  {verb: 'archive', label: 'Archive', from: ['active', 'suspended'], method: 'POST', path: '/archive',
    text: 'It stops serving and is kept read-only until restored.'},
  {verb: 'delete', label: 'Delete', from: ['active', 'suspended', 'archived'], method: 'DELETE', path: '',
    text: 'It is deleted; it can be restored until it is purged.'},
  {verb: 'restore', label: 'Restore', from: ['archived', 'deleted'], method: 'POST', path: '/restore',
    text: 'It comes back as it was.'},
];

export async function render(main, {slug}) {
  const base = `/admin/v1/tenants/${enc(slug)}`;
  const slot = problemSlot();
  main.append(slot);
  let tenant;
  try {
    tenant = await call(base);
  } catch (e) {
    showProblem(slot, e);
    return;
  }
  const facts = h('dl', {class: 'facts'},
    [['Name', tenant.name], ['Slug', tenant.slug], ['State', tenant.status], ['Isolation tier', tenant.isolation],
      ['Plan', tenant.plan ?? '—'], ['Parent', tenant.parent ?? '—'], ['Schema version', tenant.schema_version],
      ['Created', when(tenant.created_at)], ['Id', tenant.id]]
      .map(([k, v]) => [h('dt', {}, k), h('dd', {'data-fact': k}, v ?? '—')]));
  const actionSlot = problemSlot();
  const buttons = ACTIONS.filter(a => a.from.includes(tenant.status)).map(a => {
    const button = h('button', {type: 'button', class: a.verb === 'delete' ? 'danger' : '', 'data-action': a.verb}, a.label);
    button.addEventListener('click', async () => {
      const done = await confirmAction(`${a.label} ${tenant.name}?`, a.text, a.label,
        () => call(base + a.path, {method: a.method}));
      if (done) {
        main.replaceChildren();
        await render(main, {slug});
      }
    });
    return button;
  });
  main.append(heading(tenant.name, h('span', {class: `badge state-${tenant.status}`}, tenant.status)),
    facts, h('section', {'aria-labelledby': 'lc'}, h('h2', {id: 'lc'}, 'Lifecycle'),
      h('div', {class: 'actions'}, buttons.length ? buttons : h('p', {}, 'No lifecycle action applies now.')), actionSlot));
  if (tenant.status === 'provisioning') {
    const progress = h('section', {});
    main.append(progress);
    followProvisioning(progress, slug);
  }
  main.append(await hierarchy(base, tenant));
  if (isSuperAdmin()) main.append(await limits(base, slug));
}

async function hierarchy(base, tenant) {
  const section = h('section', {'aria-labelledby': 'hier'}, h('h2', {id: 'hier'}, 'Hierarchy'));
  try {
    const [ancestors, descendants] = await Promise.all([
      call(`${base}/ancestors`), call(`${base}/descendants?limit=500`)]);
    const path = [...ancestors.items].reverse();
    section.append(h('p', {class: 'breadcrumbs'}, 'Path: ',
      [...path.map(a => [h('a', {href: `#/t/${enc(a.slug)}`}, a.name), ' › ']), h('strong', {}, tenant.name)]));
    const byParent = new Map();
    for (const d of descendants.items) {
      const list = byParent.get(d.parent) || [];
      list.push(d);
      byParent.set(d.parent, list);
    }
    const tree = slug => {
      const kids = byParent.get(slug) || [];
      return kids.length ? h('ul', {}, kids.map(k => h('li', {},
        h('a', {href: `#/t/${enc(k.slug)}`}, k.name), ` (${k.slug}, ${k.status})`, tree(k.slug)))) : null;
    };
    section.append(h('div', {class: 'tree', 'aria-label': 'Descendants'},
      h('ul', {}, h('li', {}, h('strong', {}, tenant.name), tree(tenant.slug)))),
      descendants.items.length ? null : h('p', {class: 'muted'}, 'No child tenants.'),
      isSuperAdmin() ? h('p', {}, h('a', {href: '#/tenants/new'}, 'Create a tenant')) : null);
  } catch (e) {
    const slot = problemSlot();
    section.append(slot);
    showProblem(slot, e);
  }
  return section;
}

async function limits(base, slug) {
  const section = h('section', {'aria-labelledby': 'lim'}, h('h2', {id: 'lim'}, 'Plan and limits'));
  const slot = problemSlot();
  section.append(slot);
  try {
    const [l, plans] = await Promise.all([call(`${base}/limits`), call('/admin/v1/plans')]);
    const rows = ['rate', 'burst', 'user_rate', 'user_burst', 'write_cost'].map(k => ({
      limit: k.replace('_', ' '), value: l[k] ?? '—', source: l.sources?.[k] ?? '—', plan: l.plan_limits?.[k] ?? '—'}));
    const holder = h('div', {});
    section.append(holder);
    table(holder, 'Effective limits', [
      {id: 'limit', name: 'Limit'}, {id: 'value', name: 'Effective'}, {id: 'source', name: 'From'},
      {id: 'plan', name: `Plan ${l.plan}`}], rows);
    const plan = select('plan', plans.items.map(p => p.name), l.plan);
    const save = h('button', {type: 'button'}, 'Move to plan');
    const saveSlot = problemSlot();
    save.addEventListener('click', async () => {
      if (await act(save, saveSlot, () => call(`${base}/limits`, {method: 'PUT', body: {...(l.override || {}), plan: plan.value}})) !== undefined) {
        section.replaceWith(await limits(base, slug));
      }
    });
    section.append(h('div', {class: 'inline'}, field('Plan', plan), save), saveSlot);
  } catch (e) {
    showProblem(slot, e);
  }
  return section;
}

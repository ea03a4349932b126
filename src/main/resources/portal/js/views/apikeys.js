// A tenant's API keys: create (the secret is shown once, in a dialog), list, revoke.
import {h, heading, field, when} from '../dom.js';
import {call, enc} from '../api.js';
import {problemSlot, showProblem, fieldProblem, act} from '../problems.js';
import {table, gh} from '../table.js';
import {modal, confirmAction} from '../dialog.js';

const SCOPES = ['records:read', 'records:write', 'files:read', 'files:write', 'admin'];

export async function render(main, {slug}) {
  const base = `/admin/v1/tenants/${enc(slug)}/api-keys`;
  const slot = problemSlot();
  const list = h('div', {id: 'api-keys'});
  const name = h('input', {type: 'text', name: 'name', required: true, maxlength: 200});
  const expires = h('input', {type: 'datetime-local', name: 'expires_at'});
  const boxes = SCOPES.map(s => h('input', {type: 'checkbox', name: 'scope', value: s, checked: s === 'records:read', id: `scope-${s}`}));
  const scopes = h('fieldset', {class: 'scopes', id: 'scopes', tabindex: '-1'}, h('legend', {}, 'Scopes'),
    boxes.map(b => h('label', {for: b.id}, b, ' ', b.value)));
  const create = h('button', {type: 'submit', class: 'primary'}, 'Create key');
  const formSlot = problemSlot();
  const form = h('form', {class: 'inline', 'aria-label': 'Create an API key'},
    field('Name', name), scopes, field('Expires (optional, UTC)', expires), create);
  main.append(heading('API keys'), form, formSlot, slot, list);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    fieldProblem(name, null);
    fieldProblem(scopes, null);
    const body = {name: name.value.trim(), scopes: boxes.filter(b => b.checked).map(b => b.value)};
    if (expires.value) body.expires_at = new Date(expires.value + 'Z').toISOString();
    const key = await act(create, formSlot, () => call(base, {method: 'POST', body}).catch(e => {
      fieldProblem(/scope/.test(e.detail) ? scopes : name, e);
      throw e;
    }));
    if (key) {
      name.value = '';
      await showSecret(key);
      await load();
    }
  });

  async function showSecret(key) {
    const secret = h('input', {type: 'text', readonly: true, value: key.secret, id: 'new-key-secret', size: 60});
    const copy = async () => {
      await navigator.clipboard?.writeText(key.secret).catch(() => {});
      return true;
    };
    await modal(`Key ${key.name} created`, [
      h('p', {}, 'Copy the key now: it is shown only this once.'),
      field('Secret', secret),
    ], [{label: 'Copy and close', kind: 'primary', run: copy}, {label: 'Close'}]);
  }

  async function load() {
    showProblem(slot, null);
    try {
      const answer = await call(`${base}?limit=500`);
      table(list, 'API keys', [
        {id: 'name', name: 'Name'},
        {id: 'scopes', name: 'Scopes', data: r => r.scopes.join(', ')},
        {id: 'created_at', name: 'Created', data: r => when(r.created_at)},
        {id: 'expires_at', name: 'Expires', data: r => when(r.expires_at)},
        {id: 'last_used_at', name: 'Last used', data: r => when(r.last_used_at)},
        {id: 'state', name: 'State', data: r => r.revoked_at ? 'revoked' : 'active'},
        {id: 'actions', name: 'Actions', data: r => r, formatter: r => r.revoked_at ? '' : gh('button',
          {type: 'button', className: 'danger', 'data-revoke-key': r.name, onClick: () => revoke(r)}, 'Revoke')},
      ], answer.items, 'No API keys.');
    } catch (e) {
      showProblem(slot, e);
    }
  }

  async function revoke(key) {
    if (await confirmAction(`Revoke ${key.name}?`, 'Requests with this key are refused from now on.', 'Revoke',
      () => call(`${base}/${enc(key.id)}`, {method: 'DELETE'}))) {
      await load();
    }
  }
  await load();
}

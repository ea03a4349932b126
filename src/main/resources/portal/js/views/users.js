// A tenant's users and invitations: change a member's role, remove a member, invite by e-mail (a super-admin may
// also add a user with a password), list and revoke invitations.
import {h, heading, field, select, when, announce} from '../dom.js';
import {call, enc} from '../api.js';
import {isSuperAdmin} from '../session.js';
import {problemSlot, showProblem, fieldProblem, act} from '../problems.js';
import {table, gh} from '../table.js';
import {confirmAction} from '../dialog.js';

const ROLES = ['tenant_admin', 'member', 'read_only'];

export async function render(main, {slug}) {
  const base = `/admin/v1/tenants/${enc(slug)}`;
  const slot = problemSlot();
  const members = h('div', {id: 'members'});
  const invitations = h('div', {id: 'invitations'});

  const email = h('input', {type: 'email', name: 'email', required: true});
  const role = select('role', ROLES, 'member');
  const password = h('input', {type: 'password', name: 'password', autocomplete: 'new-password'});
  const invite = h('button', {type: 'submit', class: 'primary'}, 'Invite');
  const add = isSuperAdmin() ? h('button', {type: 'button'}, 'Add with password') : null;
  const formSlot = problemSlot();
  const form = h('form', {class: 'inline', 'aria-label': 'Invite a user'}, field('E-mail', email), field('Role', role),
    isSuperAdmin() ? field('Password (add only)', password) : null, invite, add);
  main.append(heading('Users'), slot, h('section', {'aria-labelledby': 'inv-h'}, h('h2', {id: 'inv-h'}, 'Invite'), form, formSlot),
    h('section', {'aria-labelledby': 'mem-h'}, h('h2', {id: 'mem-h'}, 'Members'), members),
    h('section', {'aria-labelledby': 'pend-h'}, h('h2', {id: 'pend-h'}, 'Invitations'), invitations));

  function problemFor(e) {
    const culprit = /password/i.test(e.detail) ? password : /role/i.test(e.detail) ? role : email;
    fieldProblem(culprit, e);
  }
  form.addEventListener('submit', async event => {
    event.preventDefault();
    [email, role, password].forEach(i => fieldProblem(i, null));
    const done = await act(invite, formSlot, () => call(`${base}/invitations`, {method: 'POST',
      body: {email: email.value.trim(), role: role.value}}).catch(e => { problemFor(e); throw e; }));
    if (done !== undefined) {
      announce(`Invited ${email.value}`);
      email.value = '';
      await load();
    }
  });
  add?.addEventListener('click', async () => {
    [email, role, password].forEach(i => fieldProblem(i, null));
    const done = await act(add, formSlot, () => call(`${base}/users`, {method: 'POST',
      body: {email: email.value.trim(), role: role.value, password: password.value}}).catch(e => { problemFor(e); throw e; }));
    if (done !== undefined) {
      announce(`Added ${email.value}`);
      email.value = '';
      password.value = '';
      await load();
    }
  });

  async function load() {
    showProblem(slot, null);
    try {
      const [m, i] = await Promise.all([call(`${base}/users?limit=500`), call(`${base}/invitations?limit=500`)]);
      table(members, 'Members', [
        {id: 'email', name: 'E-mail'},
        {id: 'role', name: 'Role', data: r => r, formatter: r => roleControl(r)},
        {id: 'actions', name: 'Actions', data: r => r, formatter: r => gh('button', {type: 'button',
          className: 'danger', 'data-remove': r.email, onClick: () => remove(r)}, 'Remove')},
      ], m.items, 'No members yet.');
      table(invitations, 'Invitations', [
        {id: 'email', name: 'E-mail'}, {id: 'role', name: 'Role'}, {id: 'state', name: 'State'},
        {id: 'expires_at', name: 'Expires', data: r => when(r.expires_at)},
        {id: 'actions', name: 'Actions', data: r => r, formatter: r => r.state === 'pending'
          ? gh('button', {type: 'button', 'data-revoke-invitation': r.email, onClick: () => revoke(r)}, 'Revoke') : ''},
      ], i.items, 'No invitations.');
    } catch (e) {
      showProblem(slot, e);
    }
  }

  function roleControl(member) {
    return gh('select', {'aria-label': `Role of ${member.email}`, 'data-role-of': member.email, value: member.role,
      onChange: async event => {
        const chosen = event.target.value;
        try {
          await call(`${base}/users/${enc(member.user_id)}`, {method: 'PATCH', body: {role: chosen}});
          announce(`${member.email} is now ${chosen}`);
          showProblem(slot, null);
          await load();
        } catch (e) {
          showProblem(slot, {title: e.title, detail: `${member.email}: ${e.detail}`});
          event.target.value = member.role;
        }
      }}, ROLES.map(r => gh('option', {value: r, selected: r === member.role}, r)));
  }

  async function remove(member) {
    if (await confirmAction(`Remove ${member.email}?`, 'They lose access to this tenant.', 'Remove',
      () => call(`${base}/users/${enc(member.user_id)}`, {method: 'DELETE'}))) {
      await load();
    }
  }

  async function revoke(invitation) {
    if (await confirmAction(`Revoke the invitation of ${invitation.email}?`, 'Its link stops working.', 'Revoke',
      () => call(`${base}/invitations/${enc(invitation.invitation_id)}`, {method: 'DELETE'}))) {
      await load();
    }
  }
  await load();
}

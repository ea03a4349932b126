// Sign-in with e-mail and password (POST /auth/token), optionally into one tenant; then GET /auth/me says who the
// caller is (super-admin, or the tenants it administers).
import {h, field} from '../dom.js';
import {call} from '../api.js';
import {storeToken, storeMe, clear} from '../session.js';
import {problemSlot, showProblem} from '../problems.js';

export function renderSignIn(main, message, done) {
  const email = h('input', {type: 'email', name: 'email', autocomplete: 'username', required: true});
  const password = h('input', {type: 'password', name: 'password', autocomplete: 'current-password', required: true});
  const tenant = h('input', {type: 'text', name: 'tenant', autocomplete: 'organization'});
  const slot = problemSlot();
  const submit = h('button', {type: 'submit', class: 'primary'}, 'Sign in');
  const form = h('form', {class: 'signin', 'aria-labelledby': 'signin-title'},
    h('h1', {id: 'signin-title'}, 'Sign in'),
    message ? h('p', {class: 'notice', role: 'status'}, message) : null,
    field('E-mail', email),
    field('Password', password),
    field('Tenant (optional)', tenant, 'A tenant administrator may name the tenant to sign in to.'),
    slot,
    h('div', {class: 'actions'}, submit));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    showProblem(slot, null);
    try {
      const body = {email: email.value.trim(), password: password.value};
      if (tenant.value.trim()) body.tenant = tenant.value.trim();
      const answer = await call('/auth/token', {method: 'POST', body, anonymous: true});
      storeToken(answer);
      let me = await call('/auth/me');
      const administered = (me.memberships || []).filter(m => m.role === 'tenant_admin');
      if (!me.super_admin && !body.tenant && administered.length) {
        // A tenant_admin's token names its tenant (the admin routes refuse one that does not): sign in to the
        // first tenant it administers; the others are a sign-in naming them away.
        storeToken(await call('/auth/token', {method: 'POST', body: {...body, tenant: administered[0].slug}, anonymous: true}));
        me = await call('/auth/me');
      }
      storeMe(me);
      done();
    } catch (e) {
      clear();
      showProblem(slot, e);
    } finally {
      submit.disabled = false;
    }
  });
  main.replaceChildren(form);
  email.focus();
}

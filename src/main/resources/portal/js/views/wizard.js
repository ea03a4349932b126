// Super-admin: the tenant creation wizard. Three steps (who, where, first admin), then POST /admin/v1/tenants with
// Prefer: respond-async and the provisioning steps followed live until the tenant is active (or a step fails,
// with a retry).
import {h, field, select, heading, announce} from '../dom.js';
import {call, query} from '../api.js';
import {problemSlot, showProblem, fieldProblem} from '../problems.js';
import {followProvisioning} from './provisioning.js';

const SLUG = /^[a-z0-9-]{3,63}$/;
const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A random key for the creation (getRandomValues works outside secure contexts too, unlike randomUUID). */
function idempotencyKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

function slugFrom(name) {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
}

export async function render(main) {
  const [plans, templates] = await Promise.all([
    call('/admin/v1/plans').catch(() => ({items: []})),
    call('/admin/v1/templates').catch(() => ({items: []})),
  ]);
  const name = h('input', {type: 'text', name: 'name', required: true, maxlength: 200});
  const slug = h('input', {type: 'text', name: 'slug', required: true, maxlength: 63, spellcheck: 'false'});
  const slugState = h('p', {class: 'hint', id: 'slug-state', 'aria-live': 'polite'});
  const parent = h('input', {type: 'text', name: 'parent', spellcheck: 'false'});
  const tier = select('isolation', [['', 'platform default'], 'shared', 'schema', 'database'], '');
  const plan = select('plan', [['', 'default (or the template’s)'], ...plans.items.map(p => p.name)], '');
  const template = select('template', [['', 'none'], ...templates.items.map(t => t.name)], '');
  const adminEmail = h('input', {type: 'email', name: 'admin_email'});
  let slugTouched = false;
  let attempt = {body: null, key: null}; // a retry of the same request reuses its key: one tenant, not two

  const steps = [
    {title: 'Name', body: [field('Name', name), field('Slug', slug, '3 to 63 of a-z, 0-9 and -; used in URLs.'), slugState]},
    {title: 'Placement', body: [field('Parent tenant (slug, optional)', parent, 'Empty: a top-level tenant.'),
      field('Isolation tier', tier), field('Plan', plan), field('Template', template,
        'A template brings configuration, collections and seed records; its tier and plan apply unless chosen here.')]},
    {title: 'First admin', body: [field('First administrator’s e-mail (optional)', adminEmail,
      'Invited as the tenant’s tenant_admin.')]},
  ];
  let at = 0;
  const stepList = h('ol', {class: 'steps'});
  const body = h('div', {class: 'wizard-body'});
  const slot = problemSlot();
  const back = h('button', {type: 'button'}, 'Back');
  const next = h('button', {type: 'submit', class: 'primary'}, 'Next');
  const form = h('form', {class: 'wizard', 'aria-labelledby': 'wizard-step'}, stepList, body, slot,
    h('div', {class: 'actions'}, back, next));
  const progress = h('div', {id: 'provisioning'});
  main.append(heading('New tenant'), form, progress);

  let slugCheck = 0;
  async function checkSlug() {
    const value = slug.value;
    const mine = ++slugCheck;
    if (!SLUG.test(value) || UUID_LIKE.test(value)) {
      slugState.textContent = '';
      fieldProblem(slug, {title: 'Invalid slug', detail: 'use 3 to 63 characters of a-z, 0-9 and -, not a UUID'});
      return false;
    }
    try {
      // A search (always 200) rather than GET .../{slug}, whose 404 for a free slug a browser logs as an error.
      const found = await call('/admin/v1/tenants' + query({q: value, limit: 500}));
      if (mine !== slugCheck) return false;
      if (found.items.some(t => t.slug === value)) {
        fieldProblem(slug, {title: 'Taken', detail: `a tenant '${value}' exists already`});
        return false;
      }
      fieldProblem(slug, null);
      slugState.textContent = `'${value}' is available.`;
      return true;
    } catch (e) {
      if (mine === slugCheck) fieldProblem(slug, e);
      return false;
    }
  }
  let debounce;
  slug.addEventListener('input', () => { slugTouched = true; clearTimeout(debounce); debounce = setTimeout(checkSlug, 250); });
  name.addEventListener('input', () => {
    if (!slugTouched) {
      slug.value = slugFrom(name.value);
      clearTimeout(debounce);
      debounce = setTimeout(checkSlug, 250);
    }
  });

  function show() {
    stepList.replaceChildren(...steps.map((s, i) => h('li', {class: i === at ? 'current' : i < at ? 'done' : '',
      'aria-current': i === at ? 'step' : null}, s.title)));
    body.replaceChildren(h('h2', {id: 'wizard-step'}, `Step ${at + 1} of ${steps.length}: ${steps[at].title}`), ...steps[at].body);
    back.disabled = at === 0;
    next.textContent = at === steps.length - 1 ? 'Create tenant' : 'Next';
    body.querySelector('input, select')?.focus();
  }
  back.addEventListener('click', () => { at -= 1; show(); });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    showProblem(slot, null);
    if (at === 0) {
      if (!name.value.trim()) {
        fieldProblem(name, {title: 'Required', detail: 'the tenant needs a name'});
        return;
      }
      fieldProblem(name, null);
      if (!(await checkSlug())) {
        slug.focus();
        return;
      }
    }
    if (at < steps.length - 1) {
      at += 1;
      show();
      return;
    }
    const request = {name: name.value.trim(), slug: slug.value};
    if (parent.value.trim()) request.parent = parent.value.trim();
    if (tier.value) request.isolation = tier.value;
    if (plan.value) request.plan = plan.value;
    if (template.value) request.template = template.value;
    if (adminEmail.value.trim()) request.admin_email = adminEmail.value.trim();
    if (JSON.stringify(request) !== attempt.body) attempt = {body: JSON.stringify(request), key: idempotencyKey()};
    next.disabled = true;
    try {
      const created = await call('/admin/v1/tenants', {method: 'POST', body: request,
        headers: {Prefer: 'respond-async', 'Idempotency-Key': attempt.key}});
      form.hidden = true;
      announce(`Tenant ${created.slug} created; provisioning`);
      await followProvisioning(progress, created.slug);
    } catch (e) {
      showProblem(slot, e);
      const culprit = {slug: 0, name: 0, parent: 1, isolation: 1, plan: 1, template: 1, admin_email: 2};
      const named = Object.keys(culprit).find(k => (e.detail || '').includes(k));
      if (named !== undefined && culprit[named] !== at) {
        at = culprit[named];
        show();
        body.append(slot);
      }
    } finally {
      next.disabled = false;
    }
  });
  show();
}

// Boot and routing. Locations are hashes (#/tenants, #/t/acme/users) so the server serves one page; each screen is a
// module loaded on first use (screens.js).
import {h, announce} from './dom.js';
import {call, whenSessionEnds} from './api.js';
import {session, clear, isSuperAdmin, adminTenants} from './session.js';
import {PLATFORM, TENANT} from './screens.js';
import {renderSignIn} from './views/signin.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const tenantNav = document.getElementById('tenant-nav');
const who = document.getElementById('who');

let signInMessage = '';
whenSessionEnds(message => {
  signInMessage = message;
  location.hash = '#/signin';
  route();
});

function home() {
  if (isSuperAdmin()) return '#/tenants';
  const first = adminTenants()[0];
  return first ? `#/t/${encodeURIComponent(first.slug)}` : '#/signin';
}

function link(href, label, current) {
  return h('a', {href, 'aria-current': current ? 'page' : null}, label);
}

function renderChrome(hash, tenantSlug, tenantPath) {
  const s = session();
  nav.replaceChildren();
  who.replaceChildren();
  if (!s) {
    tenantNav.hidden = true;
    return;
  }
  const items = isSuperAdmin()
    ? PLATFORM.filter(p => p.nav !== false).map(p => link(`#/${p.path}`, p.label, hash === `#/${p.path}`))
    : adminTenants().map(t => link(`#/t/${encodeURIComponent(t.slug)}`, t.name, t.slug === tenantSlug));
  nav.append(...items);
  const signOut = h('button', {type: 'button', class: 'link', on: {click: signOutNow}}, 'Sign out');
  who.append(h('span', {class: 'email'}, s.me?.email || ''), signOut);
  tenantNav.hidden = !tenantSlug;
  tenantNav.replaceChildren();
  if (tenantSlug) {
    const base = `#/t/${encodeURIComponent(tenantSlug)}`;
    tenantNav.append(h('p', {class: 'tenant-name'}, tenantSlug),
      h('ul', {}, TENANT.map(t => h('li', {},
        link(t.path ? `${base}/${t.path}` : base, t.label, t.path === tenantPath)))));
  }
}

async function signOutNow() {
  try {
    await call('/auth/logout', {method: 'POST'});
  } catch {
    // the session ends here whatever the server said
  }
  clear();
  signInMessage = 'You are signed out.';
  location.hash = '#/signin';
}

let generation = 0;

async function route() {
  const hash = location.hash || '#/';
  const mine = ++generation;
  if (!session()) {
    renderChrome(hash);
    renderSignIn(main, signInMessage, () => { signInMessage = ''; location.hash = home(); });
    return;
  }
  if (hash === '#/' || hash === '#/signin') {
    location.hash = home();
    return;
  }
  const parts = hash.slice(2).split('/');
  let screen;
  let params = {};
  let tenantSlug;
  let tenantPath;
  if (parts[0] === 't' && parts[1]) {
    tenantSlug = decodeURIComponent(parts[1]);
    tenantPath = parts.slice(2).join('/');
    screen = TENANT.find(t => t.path === tenantPath);
    params = {slug: tenantSlug};
  } else {
    screen = isSuperAdmin() ? PLATFORM.find(p => p.path === parts.join('/')) : null;
  }
  renderChrome(hash, tenantSlug, tenantPath);
  main.replaceChildren();
  if (!screen) {
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. '), h('a', {href: home()}, 'Go home'));
    return;
  }
  const module = await screen.load();
  if (mine !== generation) return;
  document.title = `${screen.label}${tenantSlug ? ' · ' + tenantSlug : ''} · Tenantry admin`;
  await module.render(main, params);
  announce(`${screen.label} loaded`);
}

window.addEventListener('hashchange', () => {
  route();
  main.focus({preventScroll: true});
});
route();

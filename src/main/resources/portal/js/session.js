// The signed-in session: the access token, its refresh token and expiry, and who the caller is. Kept in
// sessionStorage (this tab only, gone when it closes), never in a cookie, so no other site can make the browser
// send it: each API call carries it as a bearer header.
const KEY = 'tenantry.portal.session';

let current = load();

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

function save() {
  if (current) sessionStorage.setItem(KEY, JSON.stringify(current));
  else sessionStorage.removeItem(KEY);
}

export function session() {
  return current;
}

/** Stores a token answer of POST /auth/token (expiry kept as an absolute time, a little early). */
export function storeToken(answer, extra = {}) {
  current = {
    ...(current || {}),
    ...extra,
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token || null,
    expiresAt: Date.now() + (answer.expires_in - 15) * 1000,
  };
  save();
}

export function storeMe(me) {
  current = {...current, me};
  save();
}

export function clear() {
  current = null;
  save();
}

export function isSuperAdmin() {
  return !!current?.me?.super_admin;
}

/** The tenants the caller administers with this token (as tenant_admin of the tenant it names), from GET /auth/me. */
export function adminTenants() {
  const me = current?.me;
  return (me?.memberships || []).filter(m => m.role === 'tenant_admin'
    && (!me.token_tenant_id || m.tenant_id === me.token_tenant_id));
}

// The declared settings (GET /admin/v1/settings) and a tenant's effective values with their sources
// (GET .../config/effective), shared by the configuration, flag and branding screens.
import {call, enc} from '../api.js';

export async function settingsOf(slug) {
  const [catalog, effective, own] = await Promise.all([
    call('/admin/v1/settings'),
    call(`/admin/v1/tenants/${enc(slug)}/config/effective`),
    call(`/admin/v1/tenants/${enc(slug)}/config`),
  ]);
  return catalog.items.map(s => ({
    ...s,
    value: effective.settings[s.key]?.value,
    source: effective.settings[s.key]?.source ?? 'platform',
    own: Object.prototype.hasOwnProperty.call(own.values || {}, s.key),
  }));
}

export function putSetting(slug, key, value) {
  return call(`/admin/v1/tenants/${enc(slug)}/config/${enc(key)}`, {method: 'PUT', body: {value}});
}

export function resetSetting(slug, key) {
  return call(`/admin/v1/tenants/${enc(slug)}/config/${enc(key)}`, {method: 'DELETE'});
}

// The portal's screens. Each is a module exporting render(main, params) and is listed here once: the navigation and
// the router are built from this table, so a new screen is one more module and one more line.
// platform: super-admin screens; tenant: screens of one tenant (#/t/{slug}/...).
export const PLATFORM = [
  {path: 'tenants', label: 'Tenants', load: () => import('./views/tenants.js')},
  {path: 'tenants/new', label: 'New tenant', load: () => import('./views/wizard.js'), nav: false},
  {path: 'pools', label: 'Pools', load: () => import('./views/pools.js')},
  {path: 'plans', label: 'Plans', load: () => import('./views/plans.js')},
  {path: 'usage', label: 'Usage', load: () => import('./views/top-usage.js')},
];

export const TENANT = [
  {path: '', label: 'Overview', load: () => import('./views/overview.js')},
  {path: 'config', label: 'Configuration', load: () => import('./views/config.js')},
  {path: 'flags', label: 'Feature flags', load: () => import('./views/flags.js')},
  {path: 'collections', label: 'Collections', load: () => import('./views/collections.js')},
  {path: 'branding', label: 'Branding', load: () => import('./views/branding.js')},
  {path: 'users', label: 'Users', load: () => import('./views/users.js')},
  {path: 'keys', label: 'API keys', load: () => import('./views/apikeys.js')},
  {path: 'audit', label: 'Audit log', load: () => import('./views/audit.js')},
  {path: 'usage', label: 'Usage', load: () => import('./views/usage.js')},
  {path: 'invoices', label: 'Invoices', load: () => import('./views/invoices.js')},
];

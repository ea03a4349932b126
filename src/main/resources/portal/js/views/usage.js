// A tenant's usage (GET /api/v1/usage, docs/billing.md): requests by class, egress, active users, and records and
// storage when a sampler has stored any, per hour or day over a chosen range; each chart with its data table.
import {h, heading, field} from '../dom.js';
import {call, query} from '../api.js';
import {problemSlot, act} from '../problems.js';
import {chart, destroyCharts} from '../charts.js';
import {rangeControls, buckets, bucketLabel} from '../usage-range.js';

// Charts in order; `always` ones are drawn even when empty (a tenant with no traffic sees zeros, not nothing).
const CHARTS = [
  {id: 'requests', title: 'Requests', unit: 'requests', always: true,
    meters: [['requests_read', 'Read'], ['requests_write', 'Write'], ['requests_admin', 'Admin']]},
  {id: 'egress', title: 'Egress', unit: 'bytes', always: true, meters: [['egress_bytes', 'Egress']]},
  {id: 'active-users', title: 'Active users', unit: 'distinct users', always: true, meters: [['active_users', 'Users']]},
  {id: 'query-units', title: 'Query units', unit: 'units', meters: [['query_units', 'Query units']]},
  {id: 'records', title: 'Records stored', unit: 'records', meters: [['records_stored', 'Records']]},
  {id: 'storage', title: 'Storage', unit: 'bytes', meters: [['storage_bytes', 'Bytes']]},
  {id: 'files', title: 'Stored files', unit: 'files', meters: [['storage_files', 'Files']]},
];

export async function render(main, {slug}) {
  const range = rangeControls();
  const subtree = h('input', {type: 'checkbox', name: 'subtree'});
  const apply = h('button', {type: 'submit', class: 'primary'}, 'Show');
  const slot = problemSlot();
  const totals = h('dl', {class: 'facts', id: 'usage-totals'});
  const charts = h('div', {class: 'charts', id: 'usage-charts', 'aria-live': 'polite'});
  const form = h('form', {class: 'filters', 'aria-label': 'Usage range'}, ...range.fields.filter(Boolean),
    h('div', {class: 'field checkbox'}, h('label', {}, subtree, ' With the tenants below')),
    h('div', {class: 'field'}, apply), slot);
  main.append(heading('Usage'), h('p', {class: 'muted'},
    'What the tenant used, as metered (stored every few seconds; the current hour is still filling).'),
  form, totals, charts);

  async function load() {
    const p = range.params();
    const answer = await act(apply, slot, () => call('/api/v1/usage' + query({...p, subtree: subtree.checked ? 'true' : ''}),
      {headers: {'X-Tenant-ID': slug}}));
    if (!answer) return;
    destroyCharts(charts);
    charts.replaceChildren();
    const times = buckets(answer.from, answer.to, answer.granularity);
    const index = new Map(times.map((t, i) => [t, i]));
    const byMeter = new Map();
    for (const item of answer.items) {
      const i = index.get(Date.parse(item.start));
      if (i === undefined) continue;
      const values = byMeter.get(item.meter) || byMeter.set(item.meter, new Array(times.length).fill(0)).get(item.meter);
      values[i] += item.quantity; // with subtree, tenants add up per bucket
    }
    const labels = times.map(t => bucketLabel(t, answer.granularity));
    totals.replaceChildren(...CHARTS.flatMap(c => c.meters).filter(([m]) => byMeter.has(m))
      .flatMap(([m]) => [h('dt', {}, m), h('dd', {'data-total': m}, total(m, byMeter.get(m)).toLocaleString('en-US'))]));
    for (const c of CHARTS) {
      if (!c.always && !c.meters.some(([m]) => byMeter.has(m))) continue;
      charts.append(chart({id: c.id, title: c.title, unit: c.unit, labels,
        series: c.meters.map(([m, label]) => ({label, data: byMeter.get(m) || new Array(times.length).fill(0)}))}));
    }
    charts.setAttribute('data-ready', 'true');
  }

  // Chart.js keeps its charts in a registry: let them go when the screen is left.
  window.addEventListener('hashchange', () => destroyCharts(charts), {once: true});
  form.addEventListener('submit', event => {
    event.preventDefault();
    load();
  });
  await load();
}

// Counters add up over the range; users and gauges do not (a user seen in two hours is one user), so their
// headline figure is the highest bucket.
function total(meter, values) {
  return meter.startsWith('requests') || meter === 'egress_bytes' || meter === 'query_units'
    ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
}

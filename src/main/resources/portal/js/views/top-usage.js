// Super-admin: the tenants that used the most of one meter over a range (GET /admin/v1/usage), as a bar chart with
// its table; each tenant links to its own usage screen.
import {h, heading, field, select} from '../dom.js';
import {call, enc, query} from '../api.js';
import {problemSlot, act} from '../problems.js';
import {chart, destroyCharts} from '../charts.js';
import {table, gh} from '../table.js';
import {rangeControls} from '../usage-range.js';

const METERS = ['requests_read', 'requests_write', 'requests_admin', 'egress_bytes', 'active_users', 'query_units',
  'records_stored', 'storage_bytes', 'storage_files'];

export async function render(main) {
  const range = rangeControls({granularity: false});
  const meter = select('meter', METERS, 'requests_read');
  const top = h('input', {type: 'number', name: 'top', min: 1, max: 1000, value: '10', size: 5});
  const apply = h('button', {type: 'submit', class: 'primary'}, 'Show');
  const slot = problemSlot();
  const result = h('div', {id: 'top-usage', 'aria-live': 'polite'});
  const form = h('form', {class: 'filters', 'aria-label': 'Ranking'}, field('Meter', meter), field('Top', top),
    ...range.fields.filter(Boolean), h('div', {class: 'field'}, apply), slot);
  main.append(heading('Usage'), h('p', {class: 'muted'}, 'Tenants ranked by one meter over a range.'), form, result);

  async function load() {
    const answer = await act(apply, slot, () => call('/admin/v1/usage'
      + query({...range.params(), granularity: undefined, meter: meter.value, top: top.value})));
    if (!answer) return;
    destroyCharts(result);
    result.replaceChildren();
    if (!answer.items.length) {
      result.append(h('p', {class: 'empty'}, `No tenant used ${answer.meter} in this range.`));
      return;
    }
    const list = h('div', {});
    result.append(chart({id: 'top', type: 'bar', title: `Top ${answer.items.length} by ${answer.meter}`,
      labels: answer.items.map(i => i.tenant), labelHeader: 'Tenant',
      series: [{label: answer.meter, data: answer.items.map(i => i.quantity)}]}), list);
    table(list, `Tenants by ${answer.meter}`, [
      {id: 'rank', name: 'Rank'},
      {id: 'tenant', name: 'Tenant', data: r => r.tenant,
        formatter: t => gh('a', {href: `#/t/${enc(t)}/usage`}, t)},
      {id: 'quantity', name: answer.meter, data: r => r.quantity},
    ], answer.items.map((item, i) => ({rank: i + 1, ...item})));
    result.setAttribute('data-ready', 'true');
  }

  window.addEventListener('hashchange', () => destroyCharts(result), {once: true});
  form.addEventListener('submit', event => {
    event.preventDefault();
    load();
  });
  await load();
}

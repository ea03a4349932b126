// A tenant's audit log: filters (actor, action or prefix*, outcome, time range), newest first page by page, and the
// filtered log exported as NDJSON (GET .../audit/export, one entry a line) to a file.
import {h, heading, field, select, when} from '../dom.js';
import {call, enc, query} from '../api.js';
import {problemSlot, showProblem, act} from '../problems.js';
import {table} from '../table.js';

export async function render(main, {slug}) {
  const base = `/admin/v1/tenants/${enc(slug)}/audit`;
  const actor = h('input', {type: 'text', name: 'actor', size: 36, placeholder: 'user or key id'});
  const action = h('input', {type: 'text', name: 'action', placeholder: 'record.* or admin.suspendTenant'});
  const outcome = select('outcome', [['', 'any'], 'success', 'denied', 'failed'], '');
  const from = h('input', {type: 'datetime-local', name: 'from'});
  const to = h('input', {type: 'datetime-local', name: 'to'});
  const apply = h('button', {type: 'submit', class: 'primary'}, 'Apply');
  const exportButton = h('button', {type: 'button'}, 'Export NDJSON');
  const download = h('span', {class: 'download'});
  const slot = problemSlot();
  const list = h('div', {id: 'audit-list'});
  const more = h('div', {class: 'pager'});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter the audit log'},
    field('Actor', actor), field('Action', action), field('Outcome', outcome), field('From (UTC)', from),
    field('To (UTC)', to), h('div', {class: 'field'}, apply), h('div', {class: 'field'}, exportButton));
  main.append(heading('Audit log'), form, slot, download, list, more);

  const filters = () => ({actor: actor.value.trim(), action: action.value.trim(), outcome: outcome.value,
    from: from.value ? new Date(from.value + 'Z').toISOString() : '', to: to.value ? new Date(to.value + 'Z').toISOString() : ''});
  let rows = [];

  async function load(cursor) {
    const answer = await act(apply, slot, () => call(base + query({...filters(), limit: 50, cursor})));
    if (!answer) return;
    rows = cursor ? rows.concat(answer.items) : answer.items;
    table(list, 'Audit entries', [
      {id: 'time', name: 'Time', data: r => when(r.time)},
      {id: 'action', name: 'Action'},
      {id: 'outcome', name: 'Outcome'},
      {id: 'status', name: 'Status', data: r => r.status ?? '—'},
      {id: 'actor', name: 'Actor', data: r => r.actor?.user_id || r.actor?.key_id || '—'},
      {id: 'target', name: 'Target', data: r => r.target ?? '—'},
      {id: 'detail', name: 'Detail', data: r => r.detail && Object.keys(r.detail).length ? JSON.stringify(r.detail) : ''},
    ], rows, 'No entries match.');
    more.replaceChildren(answer.next_cursor
      ? h('button', {type: 'button', on: {click: () => load(answer.next_cursor)}}, 'Older entries') : '');
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    load();
  });
  exportButton.addEventListener('click', async () => {
    const response = await act(exportButton, slot, () => call(`${base}/export` + query(filters()),
      {raw: true, headers: {Accept: 'application/x-ndjson'}}));
    if (!response) return;
    const blob = await response.blob();
    const link = h('a', {href: URL.createObjectURL(blob), download: `audit-${slug}.ndjson`, id: 'audit-download'},
      `Download audit-${slug}.ndjson (${blob.size} bytes)`);
    download.replaceChildren(link);
    link.focus();
  });
  await load();
}

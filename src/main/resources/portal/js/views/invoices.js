// A tenant's invoices (docs/billing.md): the list (the open month's draft is computed on the fly), and one invoice's
// lines, total, state and the credit notes that correct it, with its CSV and printable HTML to download.
import {h, heading, when} from '../dom.js';
import {call, enc} from '../api.js';
import {problemSlot, showProblem, act} from '../problems.js';
import {table, gh} from '../table.js';
import {money} from '../money.js';

export async function render(main, {slug}) {
  const base = `/admin/v1/tenants/${enc(slug)}/invoices`;
  const slot = problemSlot();
  const list = h('div', {id: 'invoice-list'});
  const detail = h('section', {id: 'invoice-detail', 'aria-labelledby': 'invoice-title', hidden: true});
  main.append(heading('Invoices'), h('p', {class: 'muted'},
    'Monthly, in UTC. The open month is a draft until it is finalized an hour after it ends; corrections are credit notes.'),
  slot, list, detail);

  let invoices = [];
  try {
    invoices = (await call(base)).items;
  } catch (e) {
    showProblem(slot, e);
    return;
  }
  table(list, 'Invoices', [
    {id: 'period', name: 'Period', data: r => r.period_start?.slice(0, 7)},
    {id: 'kind', name: 'Kind', data: r => (r.kind === 'credit_note' ? 'Credit note' : 'Invoice')},
    {id: 'status', name: 'State', data: r => r.status},
    {id: 'total', name: 'Total', data: r => money(r.total, r.currency), sort: false},
    {id: 'finalized', name: 'Finalized', data: r => when(r.finalized_at)},
    {id: 'open', name: 'Details', data: r => r, formatter: r => gh('button', {type: 'button',
      'data-invoice': r.id, 'aria-controls': 'invoice-detail', onClick: () => open(r.id)}, 'View')},
  ], invoices, 'No invoices yet: a tenant is invoiced from its first subscription or usage.');

  async function open(id) {
    detail.hidden = false;
    detail.replaceChildren(h('p', {class: 'muted'}, 'Loading…'));
    let invoice;
    try {
      invoice = await call(`${base}/${enc(id)}`);
    } catch (e) {
      const problem = problemSlot();
      detail.replaceChildren(problem);
      showProblem(problem, e);
      return;
    }
    renderDetail(invoice);
  }

  function renderDetail(invoice) {
    const title = `${invoice.kind === 'credit_note' ? 'Credit note' : 'Invoice'} ${invoice.period_start.slice(0, 7)}`;
    const credits = invoices.filter(i => i.corrects === invoice.id);
    const downloads = h('div', {class: 'downloads'});
    const downloadSlot = problemSlot();
    const csv = h('button', {type: 'button'}, 'Download CSV');
    const html = h('button', {type: 'button'}, 'Download printable HTML');
    csv.addEventListener('click', () => download(csv, invoice, 'text/csv', 'csv'));
    html.addEventListener('click', () => download(html, invoice, 'text/html', 'html'));
    const lines = h('div', {id: 'invoice-lines'});
    detail.replaceChildren(
      h('h2', {id: 'invoice-title', tabindex: '-1'}, title),
      h('dl', {class: 'facts'}, [['State', invoice.status], ['Period', `${when(invoice.period_start)} – ${when(invoice.period_end)}`],
        ['Currency', invoice.currency], ['Total', money(invoice.total, invoice.currency)],
        ['Finalized', when(invoice.finalized_at)], invoice.corrects ? ['Corrects', invoice.corrects] : null,
        invoice.reason ? ['Reason', invoice.reason] : null, ['Id', invoice.id]]
        .filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {'data-fact': k}, v ?? '—')])),
      h('div', {class: 'actions'}, csv, html), downloadSlot, downloads,
      h('h3', {}, 'Lines'), lines,
      h('h3', {}, 'Credit notes'),
      credits.length
        ? h('ul', {id: 'credit-notes'}, credits.map(c => h('li', {},
          `${money(c.total, c.currency)} on ${when(c.finalized_at)}${c.reason ? ': ' + c.reason : ''}`)))
        : h('p', {class: 'empty', id: 'credit-notes'}, 'None.'));
    table(lines, `Lines of ${title}`, [
      {id: 'position', name: '#'},
      {id: 'tenant', name: 'Tenant'},
      {id: 'description', name: 'Description'},
      {id: 'quantity', name: 'Quantity', data: r => r.quantity.toLocaleString('en-US')},
      {id: 'unit_price', name: 'Unit price', data: r => money(r.unit_price, invoice.currency), sort: false},
      {id: 'amount', name: 'Amount', data: r => money(r.amount, invoice.currency), sort: false},
    ], invoice.lines || [], 'No lines: nothing to pay for this period yet.');
    detail.querySelector('#invoice-title').focus();

    async function download(button, inv, type, ext) {
      const response = await act(button, downloadSlot, () => call(`${base}/${enc(inv.id)}`, {raw: true, headers: {Accept: type}}));
      if (!response) return;
      const blob = await response.blob();
      const name = `invoice-${slug}-${inv.period_start.slice(0, 7)}.${ext}`;
      const link = h('a', {href: URL.createObjectURL(blob), download: name, 'data-download': ext},
        `Save ${name} (${blob.size} bytes)`);
      downloads.replaceChildren(link);
      link.focus();
    }
  }
}

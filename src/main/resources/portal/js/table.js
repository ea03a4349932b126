// Data tables through Grid.js (lib/gridjs, MIT, vendored with its licence): sortable columns, a caption for screen
// readers. Cells render as text; cells with controls or links are built with Grid.js's h(), which escapes text too.
import {Grid, h as gh} from '../lib/gridjs/gridjs.module.min.js';
import {h} from './dom.js';

export {gh};

/**
 * Renders rows (objects) into container. columns: [{id, name, formatter?, sort?}]. Returns the Grid. An empty list
 * shows `empty`.
 */
export function table(container, label, columns, rows, empty = 'Nothing here yet.') {
  container.replaceChildren();
  if (!rows.length) {
    container.append(h('p', {class: 'empty'}, empty));
    return null;
  }
  const holder = h('div', {class: 'table', 'data-table': label});
  container.append(holder);
  const grid = new Grid({
    columns: columns.map(c => ({sort: c.sort !== false && !c.formatter, ...c,
      data: c.data || (row => row[c.id])})),
    data: rows,
    sort: true,
    autoWidth: false,
    language: {noRecordsFound: empty},
  });
  grid.render(holder);
  grid.on('ready', () => {
    const t = holder.querySelector('table');
    if (t && !t.querySelector('caption')) t.prepend(h('caption', {class: 'sr-only'}, label));
    holder.setAttribute('data-ready', 'true');
  });
  return grid;
}

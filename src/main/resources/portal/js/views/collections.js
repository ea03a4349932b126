// A tenant's collection schemas (JSON Schema per collection): list, view/replace, add, delete.
import {h, heading, field, when} from '../dom.js';
import {call, enc} from '../api.js';
import {problemSlot, showProblem, fieldProblem} from '../problems.js';
import {table, gh} from '../table.js';
import {modal, confirmAction} from '../dialog.js';

const EXAMPLE = {type: 'object', properties: {title: {type: 'string'}}, required: ['title']};

export async function render(main, {slug}) {
  const base = `/admin/v1/tenants/${enc(slug)}/collections`;
  const slot = problemSlot();
  const list = h('div', {});
  const add = h('button', {type: 'button', class: 'primary'}, 'Add a schema');
  main.append(heading('Collection schemas', add), slot, list);
  add.addEventListener('click', () => edit(null));

  async function load() {
    try {
      const answer = await call(base);
      table(list, 'Collection schemas', [
        {id: 'collection', name: 'Collection'},
        {id: 'version', name: 'Version'},
        {id: 'updated_at', name: 'Updated', data: r => when(r.updated_at)},
        {id: 'actions', name: 'Actions', data: r => r, formatter: r => gh('div', {className: 'row-actions'},
          gh('button', {type: 'button', onClick: () => edit(r)}, 'Edit'),
          gh('button', {type: 'button', className: 'danger', onClick: () => remove(r)}, 'Delete'))},
      ], answer.items, 'No collection has a schema.');
    } catch (e) {
      showProblem(slot, e);
    }
  }

  async function edit(existing) {
    const name = h('input', {type: 'text', name: 'collection', value: existing?.collection || '', disabled: !!existing});
    const schema = h('textarea', {name: 'schema', rows: 12, cols: 60, spellcheck: 'false'});
    schema.value = JSON.stringify(existing?.schema || EXAMPLE, null, 2);
    const saved = await modal(existing ? `Schema of ${existing.collection}` : 'New collection schema', [
      field('Collection', name, 'a-z, 0-9 and _, starting with a letter.'),
      field('JSON Schema', schema),
    ], [
      {label: 'Cancel'},
      {label: 'Save', kind: 'primary', run: async () => {
        let parsed;
        try {
          parsed = JSON.parse(schema.value);
        } catch {
          fieldProblem(schema, {title: 'Not JSON', detail: 'the schema must be a JSON object'});
          return undefined;
        }
        try {
          await call(`${base}/${enc(name.value.trim())}`, {method: 'PUT', body: {schema: parsed}});
        } catch (e) {
          fieldProblem(e.status === 400 && /collection/.test(e.detail) ? name : schema, e);
          return undefined;
        }
        return true;
      }},
    ]);
    if (saved) await load();
  }

  async function remove(r) {
    if (await confirmAction(`Delete the schema of ${r.collection}?`,
      'Its records stay; new writes are no longer checked against a schema.', 'Delete',
      () => call(`${base}/${enc(r.collection)}`, {method: 'DELETE'}))) {
      await load();
    }
  }
  await load();
}

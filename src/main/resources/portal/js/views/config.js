// A tenant's configuration: every declared setting with its effective value and where that value comes from
// (platform default, an ancestor, the tenant itself); edit sets the tenant's own value, reset removes it.
import {h, heading, show, field} from '../dom.js';
import {problemSlot, showProblem, fieldProblem} from '../problems.js';
import {table, gh} from '../table.js';
import {modal, confirmAction} from '../dialog.js';
import {settingsOf, putSetting, resetSetting} from './settings-data.js';

export async function render(main, {slug}) {
  const slot = problemSlot();
  const list = h('div', {id: 'config-list'});
  main.append(heading('Configuration'), h('p', {class: 'muted'},
    'Effective values: the tenant’s own, else its nearest ancestor’s, else the platform default.'), slot, list);

  async function load() {
    let settings;
    try {
      settings = await settingsOf(slug);
    } catch (e) {
      showProblem(slot, e);
      return;
    }
    table(list, 'Settings', [
      {id: 'key', name: 'Setting'},
      {id: 'value', name: 'Effective value', data: r => show(r.value)},
      {id: 'source', name: 'From'},
      {id: 'description', name: 'Description'},
      {id: 'actions', name: 'Actions', data: r => r, formatter: r => gh('div', {className: 'row-actions'},
        gh('button', {type: 'button', 'data-edit': r.key, onClick: () => edit(r)}, 'Edit'),
        r.own ? gh('button', {type: 'button', 'data-reset': r.key, onClick: () => reset(r)}, 'Reset') : null)},
    ], settings);
  }

  async function edit(setting) {
    const value = h('textarea', {name: 'value', rows: 4, cols: 50, spellcheck: 'false'});
    value.value = JSON.stringify(setting.value ?? null, null, 1);
    const changed = await modal(`Set ${setting.key}`, [
      h('p', {}, setting.description),
      field('Value (JSON)', value, 'Schema: ' + JSON.stringify(setting.schema)),
    ], [
      {label: 'Cancel'},
      {label: 'Save', kind: 'primary', run: async () => {
        let parsed;
        try {
          parsed = JSON.parse(value.value);
        } catch {
          fieldProblem(value, {title: 'Not JSON', detail: 'write the value as JSON, e.g. "de-CH", 30 or true'});
          return undefined;
        }
        try {
          await putSetting(slug, setting.key, parsed);
        } catch (e) {
          fieldProblem(value, e);
          return undefined;
        }
        return true;
      }},
    ]);
    if (changed) await load();
  }

  async function reset(setting) {
    if (await confirmAction(`Reset ${setting.key}?`, 'The tenant’s own value is removed; the inherited value applies.',
      'Reset', () => resetSetting(slug, setting.key))) {
      await load();
    }
  }

  await load();
}

// Feature flags (the features.* settings): off, on, or on for a percentage of users.
import {h, heading, field, select, announce} from '../dom.js';
import {problemSlot, showProblem, act} from '../problems.js';
import {settingsOf, putSetting, resetSetting} from './settings-data.js';

export async function render(main, {slug}) {
  const slot = problemSlot();
  const list = h('div', {class: 'flags'});
  main.append(heading('Feature flags'), slot, list);
  async function load() {
    let flags;
    try {
      flags = (await settingsOf(slug)).filter(s => s.key.startsWith('features.'));
    } catch (e) {
      showProblem(slot, e);
      return;
    }
    list.replaceChildren(...flags.map(flag => {
      const mode = typeof flag.value === 'object' && flag.value !== null ? 'percentage' : flag.value ? 'on' : 'off';
      const choice = select('mode', [['off', 'Off'], ['on', 'On'], ['percentage', 'Share of users']], mode);
      const pct = h('input', {type: 'number', min: 0, max: 100, name: 'percentage',
        value: mode === 'percentage' ? String(flag.value.percentage) : '10'});
      const pctField = field('Percentage', pct);
      pctField.hidden = choice.value !== 'percentage';
      choice.addEventListener('change', () => { pctField.hidden = choice.value !== 'percentage'; });
      const save = h('button', {type: 'button', class: 'primary'}, 'Save');
      const reset = flag.own ? h('button', {type: 'button'}, 'Inherit') : null;
      const rowSlot = problemSlot();
      save.addEventListener('click', async () => {
        const value = choice.value === 'percentage' ? {percentage: Number(pct.value)} : choice.value === 'on';
        if (await act(save, rowSlot, () => putSetting(slug, flag.key, value)) !== undefined) {
          announce(`${flag.key} saved`);
          await load();
        }
      });
      reset?.addEventListener('click', async () => {
        if (await act(reset, rowSlot, () => resetSetting(slug, flag.key)) !== undefined) await load();
      });
      return h('fieldset', {class: 'flag', 'data-flag': flag.key},
        h('legend', {}, flag.key),
        h('p', {class: 'muted'}, flag.description.replace(/^Feature flag: /, ''), ` (from ${flag.source})`),
        h('div', {class: 'inline'}, field('State', choice), pctField, save, reset), rowSlot);
    }));
  }
  await load();
}

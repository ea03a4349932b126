// Branding: the display name and colours client apps show (branding.* settings), with a live preview. Colours reach
// the preview through CSS custom properties set with the CSSOM (the portal's CSP allows no style attributes).
import {h, heading, field, announce} from '../dom.js';
import {problemSlot, showProblem, fieldProblem} from '../problems.js';
import {settingsOf, putSetting} from './settings-data.js';

export async function render(main, {slug}) {
  const slot = problemSlot();
  main.append(heading('Branding'), slot);
  let settings;
  try {
    settings = await settingsOf(slug);
  } catch (e) {
    showProblem(slot, e);
    return;
  }
  const byKey = Object.fromEntries(settings.map(s => [s.key, s]));
  const colors = byKey['branding.colors']?.value || {primary: '#1f6feb', secondary: '#6e7781'};
  const displayName = h('input', {type: 'text', name: 'display_name', maxlength: 80,
    value: byKey['branding.display_name']?.value || ''});
  const primary = h('input', {type: 'color', name: 'primary', value: colors.primary});
  const secondary = h('input', {type: 'color', name: 'secondary', value: colors.secondary});
  const previewName = h('span', {class: 'preview-name'});
  const preview = h('div', {class: 'brand-preview', 'aria-label': 'Preview', role: 'img'},
    h('div', {class: 'preview-bar'}, previewName),
    h('div', {class: 'preview-body'}, h('span', {class: 'preview-button'}, 'Primary action'),
      h('span', {class: 'preview-muted'}, 'Secondary text')));
  function update() {
    previewName.textContent = displayName.value || slug;
    preview.style.setProperty('--brand-primary', primary.value);
    preview.style.setProperty('--brand-secondary', secondary.value);
  }
  [displayName, primary, secondary].forEach(i => i.addEventListener('input', update));
  update();
  const save = h('button', {type: 'submit', class: 'primary'}, 'Save branding');
  const form = h('form', {class: 'branding'},
    field('Display name', displayName, `Empty: apps show the tenant’s name. From ${byKey['branding.display_name']?.source}.`),
    field('Primary colour', primary), field('Secondary colour', secondary),
    h('div', {class: 'actions'}, save));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    save.disabled = true;
    try {
      fieldProblem(displayName, null);
      fieldProblem(primary, null);
      if (displayName.value.trim()) {
        await putSetting(slug, 'branding.display_name', displayName.value.trim()).catch(e => { fieldProblem(displayName, e); throw e; });
      }
      await putSetting(slug, 'branding.colors', {primary: primary.value, secondary: secondary.value})
        .catch(e => { fieldProblem(primary, e); throw e; });
      announce('Branding saved');
    } catch {
      // shown next to its field
    } finally {
      save.disabled = false;
    }
  });
  main.append(h('div', {class: 'columns'}, form, h('section', {'aria-labelledby': 'pv'}, h('h2', {id: 'pv'}, 'Live preview'), preview)));
}

// Shows an API problem (title and detail) where it belongs: under the field that caused it, or next to the action.
import {h} from './dom.js';

/** Shows the problem in a slot element (e.g. beside a button); an empty call clears it. */
export function showProblem(slot, error) {
  slot.replaceChildren();
  if (!error) {
    slot.hidden = true;
    return;
  }
  slot.hidden = false;
  slot.setAttribute('role', 'alert');
  slot.append(h('strong', {class: 'problem-title'}, error.title || 'Error'),
    error.detail ? h('span', {class: 'problem-detail'}, ' ' + error.detail) : null);
}

/** A slot for problems: a hidden alert box placed where the problem should appear. */
export function problemSlot() {
  return h('div', {class: 'problem', hidden: true});
}

/** Marks a field invalid with the problem under it (cleared with error null). */
export function fieldProblem(input, error) {
  let slot = document.getElementById(input.id + '-problem');
  if (!slot) {
    slot = h('div', {class: 'problem', id: input.id + '-problem', hidden: true});
    input.insertAdjacentElement('afterend', slot);
  }
  showProblem(slot, error);
  if (error) {
    input.setAttribute('aria-invalid', 'true');
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!described.includes(slot.id)) described.push(slot.id);
    input.setAttribute('aria-describedby', described.join(' '));
  } else {
    input.removeAttribute('aria-invalid');
  }
}

/**
 * Runs an action from a button: disables it meanwhile, shows its problem in the slot (or clears it). Returns the
 * action's result, or undefined when it failed.
 */
export async function act(button, slot, action) {
  showProblem(slot, null);
  button.disabled = true;
  try {
    return await action();
  } catch (e) {
    showProblem(slot, e);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

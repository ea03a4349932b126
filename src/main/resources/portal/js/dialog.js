// Modal dialogs on the native <dialog>: showModal() makes the rest of the page inert (focus stays inside, Tab cycles
// within it) and Escape cancels. Focus goes to the first control on open and back to where it was on close.
import {h} from './dom.js';
import {problemSlot, showProblem} from './problems.js';

/**
 * Opens a modal. body: nodes; actions: [{label, kind, run}] where run() may throw an ApiError (shown in the dialog)
 * or return a value that closes the dialog with it. Resolves with that value, or null when cancelled.
 */
export function modal(title, body, actions) {
  const returnTo = document.activeElement;
  const slot = problemSlot();
  const titleId = 'dlg-' + Math.random().toString(36).slice(2);
  const dialog = h('dialog', {'aria-labelledby': titleId, class: 'dialog'});
  return new Promise(resolve => {
    let result = null;
    const buttons = actions.map(a => {
      const button = h('button', {type: 'button', class: a.kind || ''}, a.label);
      button.addEventListener('click', async () => {
        if (!a.run) {
          dialog.close();
          return;
        }
        button.disabled = true;
        try {
          const value = await a.run();
          if (value !== undefined) {
            result = value;
            dialog.close();
          }
        } catch (e) {
          showProblem(slot, e);
        } finally {
          button.disabled = false;
        }
      });
      return button;
    });
    dialog.append(h('h2', {id: titleId}, title), h('div', {class: 'dialog-body'}, body), slot,
      h('div', {class: 'actions'}, buttons));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (returnTo && document.contains(returnTo)) returnTo.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = dialog.querySelector('input, select, textarea') || buttons[buttons.length - 1];
    first?.focus();
  });
}

/** Asks to confirm a consequential action; run() does it (its problem shows in the dialog). */
export function confirmAction(title, text, label, run) {
  return modal(title, [h('p', {}, text)], [
    {label: 'Cancel'},
    {label, kind: 'danger', run: async () => { await run(); return true; }},
  ]);
}

// A tenant's provisioning steps, followed live (GET /admin/v1/tenants/{slug}/provisioning every half second) until
// it is active, or a step failed (then Retry: POST .../provisioning/retry).
import {h, announce} from '../dom.js';
import {call, enc} from '../api.js';
import {problemSlot, showProblem, act} from '../problems.js';

export async function followProvisioning(container, slug) {
  const list = h('ol', {class: 'provisioning-steps', 'aria-label': 'Provisioning steps'});
  const state = h('p', {class: 'provisioning-state', role: 'status'});
  const slot = problemSlot();
  const after = h('div', {class: 'actions'});
  container.replaceChildren(h('h2', {}, `Provisioning ${slug}`), state, list, slot, after);
  for (;;) {
    let answer;
    try {
      answer = await call(`/admin/v1/tenants/${enc(slug)}/provisioning`);
    } catch (e) {
      showProblem(slot, e);
      return;
    }
    list.replaceChildren(...answer.steps.map(s => h('li', {class: `step-${s.state}`, 'data-step': s.name},
      h('span', {class: 'step-name'}, s.name.replace(/_/g, ' ')), ' ',
      h('span', {class: 'badge'}, s.state),
      s.duration_ms !== undefined ? h('span', {class: 'muted'}, ` ${s.duration_ms} ms`) : null,
      s.error ? h('span', {class: 'problem-detail'}, ` ${s.error}`) : null)));
    state.textContent = `State: ${answer.status}`;
    state.setAttribute('data-status', answer.status);
    if (answer.status === 'active') {
      announce(`${slug} is active`);
      after.replaceChildren(h('a', {class: 'button primary', href: `#/t/${enc(slug)}`}, `Open ${slug}`));
      return;
    }
    if (answer.steps.some(s => s.state === 'failed')) {
      const retry = h('button', {type: 'button'}, 'Retry provisioning');
      retry.addEventListener('click', async () => {
        if (await act(retry, slot, () => call(`/admin/v1/tenants/${enc(slug)}/provisioning/retry`, {method: 'POST'})) !== undefined) {
          followProvisioning(container, slug);
        }
      });
      after.replaceChildren(retry);
      return;
    }
    await new Promise(r => setTimeout(r, 500));
    if (!document.contains(container)) return; // the user went elsewhere
  }
}

// Builds DOM nodes. Text is always set as text (textContent / text nodes), never parsed as HTML: whatever a tenant,
// user or setting is called renders as the characters it is made of.

/**
 * h('button', {class: 'primary', type: 'button', on: {click: fn}}, 'Save'): props are attributes (set with
 * setAttribute, except `on` listeners, `class`, and `value`/`checked`/`disabled`/`hidden` as properties); children
 * are nodes, strings or numbers (as text), arrays of those, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    } else if (key === 'class') {
      node.className = value;
    } else if (['value', 'checked', 'disabled', 'hidden', 'selected'].includes(key)) {
      node[key] = value;
    } else if (key === 'style' || key.startsWith('on')) {
      throw new Error('inline styles and handlers are not allowed: ' + key);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

let ids = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form control: {label, input (a node), hint?}; returns the row; the input gets an id. */
export function field(label, input, hint) {
  if (!input.id) input.id = uid('f');
  const hintNode = hint ? h('p', {class: 'hint', id: input.id + '-hint'}, hint) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  return h('div', {class: 'field'}, h('label', {for: input.id}, label), input, hintNode);
}

export function select(name, options, value) {
  return h('select', {name},
    options.map(o => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return h('option', {value: v, selected: v === value}, text);
    }));
}

/** JSON for display: compact, or "—" for undefined. */
export function show(value) {
  return value === undefined ? '—' : JSON.stringify(value);
}

export function when(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

/** Announces a short message to screen readers and shows it in the page's status line. */
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  status.textContent = text;
}

export function heading(text, ...rest) {
  return h('div', {class: 'heading'}, h('h1', {}, text), ...rest);
}

// dom.js: building elements safely. Text always goes in as textContent;
// the only HTML ever parsed is the server's search snippet (safeSnippet).

// h('tag.class#id', {attr: value, on: {click: fn}}, child, ...)
export function h(spec, attrs, ...children) {
  const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec) || [];
  const el = document.createElement(m[1] || 'div');
  for (const part of (m[2] || '').match(/[.#][\w-]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs); attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') { for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn); }
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'multiple') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

// Append children: nodes, strings (as text), arrays, skipping null/false.
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replace everything inside el.
export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// The server's snippet is HTML-escaped text with <mark> around matches:
// parse it inert, keep only text and <mark>, anything else becomes text.
export function safeSnippet(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = String(html || '');
  const out = document.createElement('span');
  out.className = 'snippet';
  for (const n of tpl.content.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) out.append(n.textContent);
    else if (n.nodeType === Node.ELEMENT_NODE && n.tagName === 'MARK') out.append(h('mark', { text: n.textContent }));
    else out.append(n.textContent || '');
  }
  return out;
}

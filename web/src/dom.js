// DOM helpers. Every piece of data reaches the page through textContent
// or attribute setters, never through innerHTML, so post texts, handles
// and hashtags written by adversaries cannot become markup.

/** h(tag, attrs, ...children): children are nodes or strings (text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** User content (posts, handles, hashtags): isolated bidi, direction from
 * its own first strong character (Arabic right-to-left). */
export function ut(text, cls) {
  return h('bdi', { dir: 'auto', class: cls }, text ?? '');
}

/** A block of user text (a post), right-to-left when it is Arabic. */
export function post(text) {
  return h('p', { dir: 'auto', class: 'post' }, text ?? '');
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function fmtNum(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (Number.isInteger(x)) return x.toLocaleString('en');
  return Number(x).toLocaleString('en', { maximumFractionDigits: digits });
}

export function fmtTime(s) {
  if (!s) return '–';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return String(s);
  return d.toISOString().replace('T', ' ').replace(/:00\.000Z$|\.000Z$/, '').replace(/Z$/, '') + ' UTC';
}

export function fmtDuration(sec) {
  if (sec === null || sec === undefined) return '–';
  const a = Math.abs(sec);
  const sign = sec < 0 ? '−' : '';
  if (a < 120) return `${sign}${Math.round(a)} s`;
  if (a < 7200) return `${sign}${Math.round(a / 60)} min`;
  if (a < 172800) return `${sign}${(a / 3600).toFixed(1)} h`;
  return `${sign}${(a / 86400).toFixed(1)} d`;
}

export function table(headers, rows) {
  return h('table', null,
    h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', null, title), ...children);
}

export function note(text) {
  return h('p', { class: 'note' }, text);
}

/** shortId shows a post id without the server's directories
 * ("/data/uploads/X/file.csv.gz#5270" → "file.csv.gz#5270"); the full id is
 * kept in the title. */
export function shortId(id) {
  const s = String(id ?? '');
  const i = s.lastIndexOf('/');
  return h('bdi', { dir: 'auto', title: s }, i >= 0 ? s.slice(i + 1) : s);
}

// Small SVG charts (no library): a time line chart with vertical markers
// and stacked bars. Texts go through textContent.

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

function ticks(min, max, n) {
  const span = max - min || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= step0) || step0;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

function shortDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()} ${String(d.getUTCHours()).padStart(2, '0')}h`;
}

/**
 * timeChart: series [{name, color, points: [[ms, y]...], kind: 'line'|'bars'}],
 * markers [{ms, label, color}].
 */
export function timeChart({ title, series, markers = [], yLabel = '', height = 240 }) {
  const W = 900, H = height, L = 52, R = 16, T = 28, B = 34;
  const xs = series.flatMap((se) => se.points.map((p) => p[0])).concat(markers.map((m) => m.ms));
  const ys = series.flatMap((se) => se.points.map((p) => p[1]));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(s('title', null, title));
  if (!xs.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'muted' }, 'no data'));
    return svg;
  }
  const x0 = Math.min(...xs), x1 = Math.max(...xs) || x0 + 1;
  const y1 = Math.max(1, ...ys);
  const X = (v) => L + ((v - x0) / (x1 - x0 || 1)) * (W - L - R);
  const Y = (v) => H - B - (v / y1) * (H - T - B);
  for (const t of ticks(0, y1, 4)) {
    svg.append(s('line', { x1: L, x2: W - R, y1: Y(t), y2: Y(t), class: 'grid' }));
    svg.append(s('text', { x: L - 6, y: Y(t) + 4, 'text-anchor': 'end', class: 'axis' }, Number.isInteger(t) ? t : t.toFixed(2)));
  }
  const nx = 6;
  for (let i = 0; i <= nx; i++) {
    const v = x0 + ((x1 - x0) * i) / nx;
    svg.append(s('text', { x: X(v), y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }, shortDate(v)));
  }
  if (yLabel) svg.append(s('text', { x: 4, y: T - 10, class: 'axis' }, yLabel));
  series.forEach((se, i) => {
    const color = se.color || palette[i % palette.length];
    if (se.kind === 'bars') {
      const bw = Math.max(1, (W - L - R) / Math.max(1, se.points.length) - 1);
      for (const [px, py] of se.points) {
        if (py > 0) svg.append(s('rect', { x: X(px) - bw / 2, y: Y(py), width: bw, height: Y(0) - Y(py), fill: color, opacity: 0.75 }));
      }
    } else {
      const d = se.points.map(([px, py], j) => `${j ? 'L' : 'M'}${X(px).toFixed(1)},${Y(py).toFixed(1)}`).join('');
      svg.append(s('path', { d, fill: 'none', stroke: color, 'stroke-width': 2 }));
    }
  });
  markers.forEach((m, i) => {
    const x = X(m.ms);
    svg.append(s('line', { x1: x, x2: x, y1: T - 4, y2: H - B, stroke: m.color || '#111', 'stroke-dasharray': '4 3', 'stroke-width': 1.5 }));
    svg.append(s('text', { x: x + 3, y: T - 8 + (i % 2) * 12, class: 'marker', fill: m.color || '#111' }, m.label));
  });
  const legend = s('g', { transform: `translate(${L + 8}, ${T + 4})` });
  series.forEach((se, i) => {
    legend.append(s('rect', { x: i * 150, y: 0, width: 10, height: 10, fill: se.color || palette[i % palette.length] }));
    legend.append(s('text', { x: i * 150 + 14, y: 9, class: 'axis' }, se.name));
  });
  svg.append(legend);
  return svg;
}

/** stackedBars: bins [{ms, values: {key: n}}], keys with colors. */
export function stackedBars({ title, bins, keys, colors, markers = [], height = 220 }) {
  const series = [];
  const W = 900, H = height, L = 52, R = 16, T = 28, B = 34;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(s('title', null, title));
  if (!bins.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'muted' }, 'no data'));
    return svg;
  }
  const x0 = Math.min(bins[0].ms, ...markers.map((m) => m.ms)), x1 = Math.max(bins[bins.length - 1].ms, ...markers.map((m) => m.ms)) || x0 + 1;
  const ymax = Math.max(1, ...bins.map((b) => keys.reduce((a, k) => a + (b.values[k] || 0), 0)));
  const X = (v) => L + ((v - x0) / (x1 - x0 || 1)) * (W - L - R);
  const Y = (v) => H - B - (v / ymax) * (H - T - B);
  for (const t of ticks(0, ymax, 4)) {
    svg.append(s('line', { x1: L, x2: W - R, y1: Y(t), y2: Y(t), class: 'grid' }));
    svg.append(s('text', { x: L - 6, y: Y(t) + 4, 'text-anchor': 'end', class: 'axis' }, t));
  }
  for (let i = 0; i <= 6; i++) {
    const v = x0 + ((x1 - x0) * i) / 6;
    svg.append(s('text', { x: X(v), y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }, shortDate(v)));
  }
  const bw = Math.max(1, (W - L - R) / bins.length - 1);
  for (const b of bins) {
    let acc = 0;
    keys.forEach((k, i) => {
      const v = b.values[k] || 0;
      if (v > 0) svg.append(s('rect', { x: X(b.ms) - bw / 2, y: Y(acc + v), width: bw, height: Y(acc) - Y(acc + v), fill: colors[i] }));
      acc += v;
    });
  }
  markers.forEach((m) => {
    const x = X(m.ms);
    svg.append(s('line', { x1: x, x2: x, y1: T - 4, y2: H - B, stroke: m.color || '#111', 'stroke-dasharray': '4 3' }));
    svg.append(s('text', { x: x + 3, y: T - 8, class: 'marker', fill: m.color || '#111' }, m.label));
  });
  const legend = s('g', { transform: `translate(${L + 8}, ${T + 4})` });
  keys.forEach((k, i) => {
    legend.append(s('rect', { x: i * 110, y: 0, width: 10, height: 10, fill: colors[i] }));
    legend.append(s('text', { x: i * 110 + 14, y: 9, class: 'axis' }, k));
  });
  svg.append(legend);
  void series;
  return svg;
}

// Network view: draws a cluster's graph on a canvas from the positions the
// server precomputed (GET /api/runs/ID/clusters/CID/graph), so it stays
// smooth at thousands of nodes: pan with the mouse, zoom with the wheel,
// hover for the handle, click to open the account. Redraws happen only on
// interaction, batched by requestAnimationFrame.

import { h } from './dom.js';

export function networkView(graph, onPick) {
  const wrap = h('div', { class: 'network' });
  const canvas = h('canvas', { 'aria-label': `network of ${graph.nodes.length} accounts` });
  const tip = h('div', { class: 'tip', hidden: true });
  wrap.append(canvas, tip);
  const ctx = canvas.getContext('2d');
  const nodes = graph.nodes;
  const edges = graph.edges;
  const maxDeg = Math.max(1, ...nodes.map((n) => n.degree || 0));
  const maxW = Math.max(1, ...edges.map((e) => e.w));
  let scale = 1, ox = 0, oy = 0, hover = -1, raf = 0, W = 0, H = 0;

  function radius(n) { return 3 + 7 * Math.sqrt((n.degree || 0) / maxDeg); }
  // Margins keep the nodes (and their labels, drawn to the right) inside.
  const ML = 20, MR = 120, MT = 20, MB = 20;
  function sx(n) { return (ML + n.x * (W - ML - MR)) * scale + ox; }
  function sy(n) { return (MT + n.y * (H - MT - MB)) * scale + oy; }

  function resize() {
    const r = wrap.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    W = Math.max(200, r.width);
    H = Math.max(220, Math.min(640, r.width * 0.6, 160 + 40 * Math.sqrt(nodes.length) * 4));
    canvas.width = W * dpr;
    canvas.height = H * dpr;
    canvas.style.width = W + 'px';
    canvas.style.height = H + 'px';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }

  function draw() {
    if (raf) return;
    raf = requestAnimationFrame(() => {
      raf = 0;
      ctx.clearRect(0, 0, W, H);
      ctx.lineCap = 'round';
      for (const e of edges) {
        const a = nodes[e.s], b = nodes[e.t];
        const hot = hover === e.s || hover === e.t;
        ctx.strokeStyle = hot ? 'rgba(220,38,38,0.8)' : 'rgba(100,116,139,0.35)';
        ctx.lineWidth = 0.5 + 2.5 * (e.w / maxW);
        ctx.beginPath();
        ctx.moveTo(sx(a), sy(a));
        ctx.lineTo(sx(b), sy(b));
        ctx.stroke();
      }
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        ctx.fillStyle = i === hover ? '#dc2626' : '#2563eb';
        ctx.beginPath();
        ctx.arc(sx(n), sy(n), radius(n), 0, 2 * Math.PI);
        ctx.fill();
      }
      if (nodes.length <= 60) {
        ctx.fillStyle = '#111827';
        ctx.font = '12px system-ui, sans-serif';
        ctx.direction = 'inherit';
        for (const n of nodes) ctx.fillText(n.handle || n.id, sx(n) + radius(n) + 3, sy(n) + 4);
      }
    });
  }

  function pick(mx, my) {
    let best = -1, bd = 15 * 15;
    for (let i = 0; i < nodes.length; i++) {
      const dx = sx(nodes[i]) - mx, dy = sy(nodes[i]) - my;
      const d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = i; }
    }
    return best;
  }

  let drag = null;
  canvas.addEventListener('mousedown', (e) => { drag = { x: e.clientX, y: e.clientY, ox, oy, moved: false }; });
  window.addEventListener('mouseup', () => { setTimeout(() => { drag = null; }, 0); });
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    if (drag && (e.buttons & 1)) {
      ox = drag.ox + e.clientX - drag.x;
      oy = drag.oy + e.clientY - drag.y;
      drag.moved = drag.moved || Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3;
      draw();
      return;
    }
    const i = pick(e.clientX - r.left, e.clientY - r.top);
    if (i !== hover) {
      hover = i;
      draw();
      if (i >= 0) {
        tip.textContent = `${nodes[i].handle || nodes[i].id} · degree ${nodes[i].degree}`;
        tip.hidden = false;
      } else tip.hidden = true;
    }
    tip.style.left = e.clientX - r.left + 12 + 'px';
    tip.style.top = e.clientY - r.top + 12 + 'px';
  });
  canvas.addEventListener('mouseleave', () => { hover = -1; tip.hidden = true; draw(); });
  canvas.addEventListener('click', (e) => {
    if (drag && drag.moved) return;
    const r = canvas.getBoundingClientRect();
    const i = pick(e.clientX - r.left, e.clientY - r.top);
    if (i >= 0 && onPick) onPick(nodes[i]);
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    const mx = e.clientX - r.left, my = e.clientY - r.top;
    const f = Math.exp(-e.deltaY * 0.0015);
    const ns = Math.min(40, Math.max(0.2, scale * f));
    ox = mx - (mx - ox) * (ns / scale);
    oy = my - (my - oy) * (ns / scale);
    scale = ns;
    draw();
  }, { passive: false });

  new ResizeObserver(resize).observe(wrap);
  return wrap;
}

/**
 * What every HTML page grantcheck writes shares: escaping, Graphviz SVG made fit to inline, the
 * style sheet, and the one inline script (the trace viewer's stepping, zoom and pan; the outcome
 * table's filters; opening a collapsed section when a link points into it). Self-contained and
 * offline: no file, font or script is fetched. Deterministic: nothing here depends on the run.
 */

/** Text made safe for HTML content and attribute values. */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An id made of `s`: letters, digits, `_` and `-` only. */
export const anchor = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_');

/**
 * An SVG (Graphviz's, or ours) made fit to inline: no XML prolog or doctype, its ids made unique to
 * it (and the references to them), links to the page's own ids kept as they are.
 */
export function inlineSvg(svg: string, idPrefix: string): string {
  const own = new Set([...svg.matchAll(/\bid="([^"]*)"/g)].map((m) => m[1]!));
  return svg
    .replace(/^[\s\S]*?(?=<svg[\s>])/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\bid="([^"]*)"/g, (_m, id: string) => `id="${idPrefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${idPrefix}${id})`)
    .replace(/(xlink:)?href="#([^"]+)"/g, (m, x: string | undefined, id: string) => (own.has(id) ? `${x ?? ''}href="#${idPrefix}${id}"` : m))
    .replace(/<svg([^>]*)>/, (_m, attrs: string) => `<svg${attrs} class="graph" role="img">`)
    .trim();
}

export const CSS = `
:root{--line:#d0d0d0;--head:#f3f3f3;--ok:#eaf7ec;--okText:#1e6b30;--bad:#fde2df;--badText:#9b1c10;--unk:#fff4d6;--unkText:#7a5a00;--na:#999;--accent:#0a5bd3}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1d1d1f}
main{padding:1rem 1.5rem 3rem;max-width:1800px}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:1.8rem 0 .4rem;border-bottom:1px solid #ddd}h3{font-size:1.05rem;margin:1rem 0 .3rem}
code,pre,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px}
nav.top{position:sticky;top:0;z-index:20;background:#fafafa;border-bottom:1px solid #ddd;padding:.35rem 1.5rem;font-size:13px}
nav.top a{margin-right:1rem}
.verdict{padding:.5rem .8rem;border-radius:6px;margin:.8rem 0}.verdict.ok{background:#e7f6ea;border:1px solid #9bd3a6}.verdict.changed{background:#fdecea;border:1px solid #f1a9a0}
.verdict p{margin:.2rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;margin:.6rem 0}
.filters label{font-size:13px}.filters input,.filters select{font:inherit;font-size:13px;padding:2px 4px}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:12px;margin:.3rem 0 .6rem;align-items:center}
.legend span.chip{display:inline-block;padding:1px 6px;border:1px solid var(--line);border-radius:3px;margin-right:.3rem}
.chip.holds,td.holds{background:var(--ok);color:var(--okText)}.chip.ce,td.ce{background:var(--bad);color:var(--badText);font-weight:600}
.chip.na,td.na{color:var(--na)}.chip.unknown,td.unknown{background:var(--unk);color:var(--unkText)}
.chip.changed,td.changed{outline:3px solid #d93025;outline-offset:-3px}
:target,details.cx,details.run,section{scroll-margin-top:2.6rem}
.tablebox{overflow:auto;width:max-content;max-height:calc(100vh - 12rem);max-width:100%;border:1px solid var(--line);position:relative}
table.outcomes{border-collapse:separate;border-spacing:0;font-size:12px}
table.outcomes th,table.outcomes td{border-right:1px solid var(--line);border-bottom:1px solid var(--line);padding:3px 6px;text-align:center;white-space:nowrap}
table.outcomes thead th{background:var(--head);position:sticky;top:0;z-index:2}
table.outcomes .design{position:sticky;left:0;z-index:1;background:#fff;text-align:left;font-family:ui-monospace,Menlo,Consolas,monospace}
table.outcomes thead th.design{z-index:3;background:var(--head)}
table.outcomes td a{color:inherit;display:block;text-decoration:none}
table.outcomes td.ce a{text-decoration:underline}
table.outcomes td a:hover{outline:1px solid var(--accent)}
table.outcomes .hidden,table.outcomes tr.hidden{display:none}
dl.props dt{font-weight:600;margin-top:.4rem}dl.props dd{margin-left:1.2rem}
table.stats{border-collapse:collapse;font-size:13px}table.stats th{text-align:left;padding:2px 10px 2px 0;font-weight:500;color:#555}table.stats td{padding:2px 0}
table.grid{border-collapse:collapse;font-size:13px;margin:.4rem 0 .8rem}
table.grid th,table.grid td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
table.grid tr:first-child th{background:var(--head)}
details.run{border:1px solid #e2e2e2;border-radius:8px;margin:.5rem 0;background:#fff}
details.run>summary{padding:.4rem .8rem;cursor:pointer;font-weight:600}
details.run>summary .sub{font-weight:400;color:#555}
details.run>.body{padding:0 1rem .8rem}
details.cx{border:1px solid #e2e2e2;border-radius:8px;margin:.6rem 0;background:#fcfcfc}
details.cx>summary{padding:.35rem .8rem;cursor:pointer}
details.cx>.body{padding:0 .8rem .8rem}
.cx ul{margin:.2rem 0 .4rem 1.2rem;padding:0}
figure{margin:.5rem 0;overflow:auto;border:1px solid #eee;background:#fff}
svg.graph{display:block}
figure svg.graph{max-width:100%;height:auto}
.note{color:#7a5a00}
.warn{color:#9b1c10}
details pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;border-radius:4px}
.bars{border-collapse:collapse;font-size:12px;margin:.3rem 0 .8rem}
.bars th{text-align:left;font-weight:500;padding:1px 10px 1px 0;white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace}
.bars td{padding:1px 6px 1px 0;white-space:nowrap}.bars td.n{text-align:right;font-variant-numeric:tabular-nums}
.bars td.bar{width:320px}
.bar i{display:block;height:9px;background:#7aa7e8;border-radius:2px}.bar i.new{background:#2f7d3a}
.viewer{border:1px solid #cfd8e6;border-radius:6px;background:#fff;outline:none;margin:.4rem 0}
.viewer:focus-within,.viewer.active{border-color:var(--accent);box-shadow:0 0 0 2px #cfe0fb}
.vbar{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;padding:.35rem .5rem;border-bottom:1px solid #e6e6e6;background:#f7f9fc;position:sticky;top:2rem;z-index:5}
.vbar button,.vzoombar button{font:inherit;font-size:13px;padding:1px 8px;cursor:pointer}
.vpos{font-variant-numeric:tabular-nums;min-width:7em}
.vhint{color:#666;font-size:12px}
ul.vlist{display:flex;flex-wrap:wrap;gap:.15rem .9rem;margin:.3rem .5rem;padding:0;list-style:none;font-size:12px;font-family:ui-monospace,Menlo,Consolas,monospace}
ul.vlist a{color:#333;text-decoration:none;padding:0 3px;border-radius:3px}ul.vlist a b{color:#888;font-weight:400}
ul.vlist a.current{color:#fff;background:var(--accent)}ul.vlist a.current b{color:#dde8fb}
.vgrid{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:0;align-items:start}
@media (max-width:1100px){.vgrid{grid-template-columns:minmax(0,1fr)}}
.vgraph{border-right:1px solid #e6e6e6;min-width:0}
.vzoombar{display:flex;gap:.3rem;align-items:center;padding:.25rem .5rem}
.vcanvas{position:relative;overflow:hidden;height:70vh;min-height:320px;cursor:grab;touch-action:none;background:#fff}
.vcanvas.dragging{cursor:grabbing}
.vzoom{position:absolute;left:0;top:0;transform-origin:0 0}
.vzoom svg.graph{max-width:none}
.viewer g.node.current>path,.viewer g.node.current>polygon,.viewer g.node.current>ellipse{stroke:var(--accent);stroke-width:4}
.viewer g.edge.current>path{stroke-width:4}
.viewer g.node.alt>path,.viewer g.node.alt>polygon{stroke:var(--accent);stroke-width:2}
.viewer g.node.later,.viewer g.edge.later{opacity:.35}
.viewer g.node.step{cursor:pointer}
.viewer g.node.step>path,.viewer g.node.step>polygon{pointer-events:all}
.vsteps{padding:.4rem .7rem;min-width:0}
.vstep h4{margin:.2rem 0 .4rem;font-size:14px}
code.act{background:#eef3fb;padding:0 3px;border-radius:3px}
table.vchanges,table.vstate{border-collapse:collapse;width:100%;font-size:12px;margin:.3rem 0 .6rem}
table.vchanges caption,table.vstate caption{text-align:left;font-weight:600;font-size:12px;color:#444;padding:.2rem 0}
table.vchanges th,table.vstate th{text-align:left;vertical-align:top;padding:2px 8px 2px 0;white-space:nowrap;font-weight:600}
table.vchanges td,table.vstate td{padding:2px 0;font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
table.vchanges tr{background:#fff8e1}
table.vstate tr.changed{background:#fff8e1}
table.vstate code{font-size:11px;color:#333}
.vviolation{background:var(--bad);border:1px solid #f1a9a0;border-radius:4px;padding:.3rem .6rem;margin:.4rem 0}
.vviolation p{margin:.15rem 0}
details.valts{font-size:12px;margin:.3rem 0}
details.valts ul{margin:.2rem 0;padding-left:1.2rem}
.valt{font-family:ui-monospace,Menlo,Consolas,monospace;color:#555;word-break:break-all}
.vback{color:#666}
.vnone{color:#666;font-size:12px}
svg a:hover rect{stroke:#0a5bd3;stroke-width:2}
`;

/**
 * The page's script. Viewers step through their trace and keep the graph on the current state;
 * the outcome table filters by design, property and outcome; a link into a collapsed section
 * opens it. It reads the page, never the network.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var lastViewer = null;

  function titleOf(g) { var t = g.querySelector('title'); return t ? t.textContent : ''; }

  function Viewer(el) {
    this.el = el;
    this.last = Number(el.getAttribute('data-last'));
    this.cur = 0;
    this.steps = Array.prototype.slice.call(el.querySelectorAll('.vstep'));
    this.links = Array.prototype.slice.call(el.querySelectorAll('ul.vlist a'));
    this.canvas = el.querySelector('.vcanvas');
    this.zoomEl = el.querySelector('.vzoom');
    this.svg = el.querySelector('.vzoom svg');
    this.nodes = {};
    this.edges = {};
    this.z = 1; this.x = 0; this.y = 0; this.placed = false;
    var self = this;
    if (this.svg) {
      Array.prototype.forEach.call(this.svg.querySelectorAll('g.node'), function (g) {
        var t = titleOf(g);
        self.nodes[t] = g;
        var m = /^s(\\d+)$/.exec(t);
        if (m) { g.classList.add('step'); g.addEventListener('click', function () { self.go(Number(m[1])); }); }
      });
      Array.prototype.forEach.call(this.svg.querySelectorAll('g.edge'), function (g) { self.edges[titleOf(g)] = g; });
    }
    function on(sel, f) { var b = el.querySelector(sel); if (b) b.addEventListener('click', function (e) { e.preventDefault(); f(); }); }
    on('.vfirst', function () { self.go(0); });
    on('.vprev', function () { self.go(self.cur - 1); });
    on('.vnext', function () { self.go(self.cur + 1); });
    on('.vlast', function () { self.go(self.last); });
    on('.zin', function () { self.zoomAt(1.25); });
    on('.zout', function () { self.zoomAt(0.8); });
    on('.zfit', function () { self.fit(); });
    on('.z100', function () { self.z = 1; self.center(self.cur); });
    this.links.forEach(function (a) { a.addEventListener('click', function (e) { e.preventDefault(); self.go(Number(a.getAttribute('data-goto'))); }); });
    el.addEventListener('focusin', function () { activate(self); });
    el.addEventListener('pointerdown', function () { activate(self); });
    if (this.canvas) this.panZoom();
    this.show();
  }
  Viewer.prototype.go = function (i) {
    i = Math.max(0, Math.min(this.last, i));
    if (i === this.cur) return;
    this.cur = i;
    this.show();
    this.center(i);
  };
  Viewer.prototype.show = function () {
    var i = this.cur, self = this;
    this.steps.forEach(function (s) { s.hidden = Number(s.getAttribute('data-step')) !== i; });
    this.links.forEach(function (a) { a.classList.toggle('current', Number(a.getAttribute('data-goto')) === i); });
    var cur = this.el.querySelector('.vcur'); if (cur) cur.textContent = String(i);
    Object.keys(this.nodes).forEach(function (t) {
      var g = self.nodes[t], m = /^s(\\d+)$/.exec(t), a = /^a(\\d+)_/.exec(t);
      g.classList.toggle('current', !!m && Number(m[1]) === i);
      g.classList.toggle('later', !!m && Number(m[1]) > i);
      g.classList.toggle('alt', !!a && Number(a[1]) === i - 1);
    });
    Object.keys(this.edges).forEach(function (t) {
      var m = /^s(\\d+)->s(\\d+)$/.exec(t);
      self.edges[t].classList.toggle('current', !!m && Number(m[2]) === i && Number(m[1]) === i - 1);
      self.edges[t].classList.toggle('later', !!m && Number(m[2]) > i && Number(m[1]) === Number(m[2]) - 1);
    });
    this.el.setAttribute('data-current', String(i));
  };
  Viewer.prototype.apply = function () {
    if (this.zoomEl) this.zoomEl.style.transform = 'translate(' + this.x + 'px,' + this.y + 'px) scale(' + this.z + ')';
  };
  Viewer.prototype.size = function () {
    var w = this.svg.width.baseVal.value, h = this.svg.height.baseVal.value;
    return { w: w, h: h };
  };
  Viewer.prototype.fit = function () {
    if (!this.svg || !this.canvas.clientWidth) return;
    var s = this.size(), pw = this.canvas.clientWidth, ph = this.canvas.clientHeight;
    this.z = Math.min(pw / s.w, ph / s.h, 1.5);
    this.x = (pw - s.w * this.z) / 2; this.y = (ph - s.h * this.z) / 2;
    this.apply();
  };
  Viewer.prototype.place = function () {
    if (this.placed || !this.svg || !this.canvas.clientWidth) return;
    this.placed = true;
    var s = this.size(), pw = this.canvas.clientWidth;
    this.z = Math.max(0.6, Math.min(1, pw / s.w));
    this.x = 0; this.y = 0;
    this.center(this.cur);
  };
  Viewer.prototype.center = function (i) {
    if (!this.svg || !this.canvas.clientWidth) return;
    var g = this.nodes['s' + i];
    if (!g) { this.apply(); return; }
    this.apply();
    var r = g.getBoundingClientRect(), c = this.canvas.getBoundingClientRect();
    this.x += (c.left + c.width / 2) - (r.left + r.width / 2);
    this.y += (c.top + c.height / 3) - (r.top + r.height / 2);
    this.apply();
  };
  Viewer.prototype.zoomAt = function (f, px, py) {
    if (!this.canvas) return;
    if (px === undefined) { px = this.canvas.clientWidth / 2; py = this.canvas.clientHeight / 2; }
    var nz = Math.max(0.1, Math.min(8, this.z * f));
    this.x = px - (px - this.x) * nz / this.z;
    this.y = py - (py - this.y) * nz / this.z;
    this.z = nz;
    this.apply();
  };
  Viewer.prototype.panZoom = function () {
    var self = this, c = this.canvas, drag = null;
    c.addEventListener('wheel', function (e) {
      e.preventDefault();
      var r = c.getBoundingClientRect();
      self.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    c.addEventListener('pointerdown', function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, ox: self.x, oy: self.y, moved: false };
    });
    c.addEventListener('pointermove', function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      // A press that does not move is a click (on a state of the graph); one that moves pans.
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) <= 3) return;
      if (!drag.moved) { drag.moved = true; c.classList.add('dragging'); c.setPointerCapture(e.pointerId); }
      self.x = drag.ox + dx; self.y = drag.oy + dy; self.apply();
    });
    function end() { drag = null; c.classList.remove('dragging'); }
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
  };

  var viewers = [];
  function activate(v) {
    if (lastViewer && lastViewer !== v) lastViewer.el.classList.remove('active');
    lastViewer = v;
    v.el.classList.add('active');
    v.place();
  }
  Array.prototype.forEach.call(document.querySelectorAll('.viewer'), function (el) {
    var v = new Viewer(el);
    viewers.push(v);
    el.viewer = v;
  });
  // A viewer laid out while its section was closed has no size: place its graph when it opens.
  Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) {
    d.addEventListener('toggle', function () {
      if (!d.open) return;
      Array.prototype.forEach.call(d.querySelectorAll('.viewer'), function (el) { if (el.viewer) el.viewer.place(); });
      var own = d.querySelector(':scope > .body > .viewer');
      if (own && own.viewer) activate(own.viewer);
    });
  });
  if (viewers.length === 1) activate(viewers[0]);
  else viewers.forEach(function (v) { if (v.el.offsetParent !== null) v.place(); });

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var v = (t && t.closest && t.closest('.viewer') && t.closest('.viewer').viewer) || lastViewer;
    if (!v || v.el.offsetParent === null) return;
    var k = e.key;
    if (k === 'ArrowRight' || k === 'j') v.go(v.cur + 1);
    else if (k === 'ArrowLeft' || k === 'k') v.go(v.cur - 1);
    else if (k === 'Home') v.go(0);
    else if (k === 'End') v.go(v.last);
    else return;
    e.preventDefault();
  });

  // Links into collapsed sections open them.
  function reveal(id) {
    var el = id && document.getElementById(id);
    if (!el) return;
    for (var p = el; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
    el.scrollIntoView({ block: 'start' });
    var v = el.querySelector && el.querySelector('.viewer');
    if (v && v.viewer) { activate(v.viewer); v.focus({ preventScroll: true }); }
  }
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('a[href^="#"]');
    if (!a || a.hasAttribute('data-goto')) return;
    var id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!id || !document.getElementById(id)) return;
    e.preventDefault();
    if (location.hash !== '#' + id) history.pushState(null, '', '#' + id);
    reveal(id);
  });
  window.addEventListener('hashchange', function () { reveal(decodeURIComponent(location.hash.slice(1))); });
  if (location.hash) reveal(decodeURIComponent(location.hash.slice(1)));

  // The outcome table's filters.
  var table = document.getElementById('outcomes');
  if (table) {
    var fd = document.getElementById('f-design'), fp = document.getElementById('f-property'), fo = document.getElementById('f-outcome'), count = document.getElementById('f-count');
    var heads = Array.prototype.slice.call(table.querySelectorAll('thead th[data-col]'));
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    var apply = function () {
      var dq = (fd && fd.value || '').trim().toLowerCase(), pq = (fp && fp.value || '').trim().toLowerCase(), oq = fo ? fo.value : 'any';
      var shown = {};
      heads.forEach(function (th) {
        var col = th.getAttribute('data-col'), full = (th.getAttribute('title') || '').toLowerCase();
        var ok = !pq || col.toLowerCase().indexOf(pq) >= 0 || full.indexOf(pq) >= 0;
        shown[col] = ok;
        th.classList.toggle('hidden', !ok);
      });
      var visible = 0;
      rows.forEach(function (tr) {
        var cells = Array.prototype.slice.call(tr.querySelectorAll('td[data-col]'));
        cells.forEach(function (td) { td.classList.toggle('hidden', !shown[td.getAttribute('data-col')]); });
        var live = cells.filter(function (td) { return shown[td.getAttribute('data-col')]; });
        var o = live.map(function (td) { return td.getAttribute('data-outcome'); });
        var ok = (!dq || tr.getAttribute('data-design').toLowerCase().indexOf(dq) >= 0) &&
          (oq === 'any' ||
           (oq === 'ce' && o.indexOf('ce') >= 0) ||
           (oq === 'unknown' && o.indexOf('unknown') >= 0) ||
           (oq === 'changed' && live.some(function (td) { return td.hasAttribute('data-changed'); })) ||
           (oq === 'holds' && o.indexOf('holds') >= 0 && o.every(function (x) { return x === 'holds' || x === 'na'; })));
        tr.classList.toggle('hidden', !ok);
        if (ok) visible++;
      });
      if (count) count.textContent = visible + ' of ' + rows.length + ' runs shown';
    };
    [fd, fp, fo].forEach(function (x) { if (x) { x.addEventListener('input', apply); x.addEventListener('change', apply); } });
    apply();
  }
})();
`;

/** A whole page: the style sheet, a navigation bar, the sections, the script. */
export function page(title: string, nav: readonly (readonly [string, string])[], body: readonly string[]): string {
  const h: string[] = ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">'];
  h.push(`<title>${esc(title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  if (nav.length) h.push(`<nav class="top">${nav.map(([href, text]) => `<a href="${esc(href)}">${esc(text)}</a>`).join('')}</nav>`);
  h.push('<main>', ...body, '</main>', `<script>${SCRIPT}</script>`, '</body>', '</html>', '');
  return h.join('\n');
}

// mailview.js renders a mailview.Message (see model.go) as a mail client would. Plain script,
// no build step, no dependency, no request of its own except the raw source on demand.
//
//   const view = MailView.render(container, message, {remoteImages: false, loadRaw: fn, tab: 'html'});
//   view.show('text');   // switch tab: html, text, headers, links, attachments, raw
//   MailView.el('p', {class: 'hint', text: 'Hi'}, [child]);  // the pages' element builder
//
// Safety: every value of the message goes into the page as text (textContent), never as markup,
// except the HTML body, which is shown in an <iframe sandbox srcdoc>. The sandbox leaves out
// allow-scripts (no script of the mail runs), allow-same-origin (the body is an opaque origin
// that cannot read this page), allow-forms and allow-top-navigation. It grants allow-popups and
// allow-popups-to-escape-sandbox so that a link of the body, which <base target=_blank> opens in
// a new tab, works there as a normal page. The body's own CSP blocks every load but data: and
// blob: images and inline styles until the user clicks "Load remote images".
(function (global) {
  'use strict';

  const SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';
  const TABS = ['html', 'text', 'headers', 'links', 'attachments', 'raw'];
  const TAB_LABELS = {html: 'HTML', text: 'Text', headers: 'Headers', links: 'Links', attachments: 'Attachments', raw: 'Raw'};
  const REMOTE = /^\s*(https?:)?\/\//i;
  const CSS_URL = /url\(\s*(['"]?)([^'")]*)\1\s*\)/gi;

  // el builds an element, for this view and for the report's and the viewer's pages: text and
  // class set textContent and className, a function under an on* name listens for that event,
  // anything else is an attribute; null, undefined and false children are left out, so that a
  // conditional child can be written in place.
  function el(tag, props, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  }

  // safeURL lets through only what a click may open from the report or the viewer: web and
  // mail links, data:/blob: parts and relative paths. A javascript: URL in a hostile mail
  // would otherwise run in this page.
  function safeURL(u) {
    if (!u) return '';
    const m = /^\s*([a-z][a-z0-9+.-]*):/i.exec(u);
    if (!m) return u;
    return ['http', 'https', 'mailto', 'data', 'blob'].includes(m[1].toLowerCase()) ? u : '';
  }

  function formatAddress(a) {
    if (!a || !a.address) return a && a.name ? a.name : '';
    return a.name ? a.name + ' <' + a.address + '>' : a.address;
  }

  function formatSize(n) {
    if (!(n >= 0)) return '';
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }

  function formatDate(d) {
    const t = d ? new Date(d) : null;
    if (!t || isNaN(t) || t.getUTCFullYear() <= 1) return '';
    return t.toLocaleString();
  }

  function normCID(id) {
    let s = String(id || '').trim();
    try { s = decodeURIComponent(s); } catch (e) { /* keep as written */ }
    if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1);
    return s.toLowerCase();
  }

  // partsByCID maps each inline part's Content-ID to its URL, or to the data: URL its script
  // provided (loaded, by Content-ID).
  function partsByCID(msg, loaded) {
    const m = new Map();
    for (const p of msg.attachments || []) {
      const id = p.contentId && normCID(p.contentId);
      const url = id && (loaded.get(id) || p.url);
      if (url) m.set(id, url);
    }
    return m;
  }

  // bodyDocument turns the mail's HTML into the srcdoc of the iframe. DOMParser builds an inert
  // document (nothing loads, nothing runs) where cid: references become their parts' URLs,
  // remote image URLs are parked unless allowed, and the CSP goes first in <head>.
  function bodyDocument(msg, remoteImages, loaded) {
    const doc = new DOMParser().parseFromString(msg.html || '', 'text/html');
    const cids = partsByCID(msg, loaded);
    const partSources = new Set(); // the viewer's part routes, which the CSP must let through
    let remote = 0;
    const fixURL = (u) => {
      if (/^\s*cid:/i.test(u)) {
        const part = cids.get(normCID(u.trim().slice(4)));
        if (!part) return u;
        const abs = new URL(part, document.baseURI);
        if (abs.protocol === 'http:' || abs.protocol === 'https:') partSources.add((abs.origin + abs.pathname).replace(/[;,]/g, encodeURIComponent));
        return abs.protocol === 'data:' || abs.protocol === 'blob:' ? part : abs.href;
      }
      if (REMOTE.test(u)) { remote++; if (!remoteImages) return ''; }
      return u;
    };
    const fixCSS = (css) => css.replace(CSS_URL, (all, q, u) => 'url(' + q + fixURL(u) + q + ')');
    for (const e of doc.querySelectorAll('[src], [background], [poster]')) {
      for (const a of ['src', 'background', 'poster']) if (e.hasAttribute(a)) e.setAttribute(a, fixURL(e.getAttribute(a)));
    }
    for (const e of doc.querySelectorAll('[srcset]')) {
      if (REMOTE.test(e.getAttribute('srcset'))) { remote++; if (!remoteImages) e.removeAttribute('srcset'); }
    }
    for (const e of doc.querySelectorAll('[style]')) e.setAttribute('style', fixCSS(e.getAttribute('style')));
    for (const e of doc.querySelectorAll('style')) e.textContent = fixCSS(e.textContent);
    // A refresh would navigate the frame, a <base> would retarget links, <link> could prefetch:
    // none belongs in a shown mail.
    for (const e of doc.querySelectorAll('meta[http-equiv], base, link, script')) e.remove();
    for (const a of doc.querySelectorAll('a[href]')) a.setAttribute('rel', 'noopener noreferrer');
    const img = (remoteImages ? ['data:', 'blob:', 'http:', 'https:'] : ['data:', 'blob:']).concat([...partSources]).join(' ');
    const head = doc.head;
    head.prepend(
      el('meta', {'http-equiv': 'Content-Security-Policy',
        content: "default-src 'none'; img-src " + img + "; style-src 'unsafe-inline'; font-src data:"}),
      el('meta', {charset: 'utf-8'}),
      el('base', {target: '_blank'}),
      el('style', {text: 'html{color-scheme:light}body{margin:8px;font:14px/1.4 system-ui,sans-serif;background:#fff;color:#000}img{max-width:100%;height:auto}'}));
    return {html: '<!doctype html>' + doc.documentElement.outerHTML, remote: remote};
  }

  function htmlPane(msg, state) {
    const pane = el('div', {class: 'mv-pane mv-html'});
    const loaded = new Map(); // Content-ID -> data: URL, for the parts a report keeps as scripts
    const draw = () => {
      pane.textContent = '';
      const body = bodyDocument(msg, state.remoteImages, loaded);
      if (body.remote > 0 && !state.remoteImages) {
        const btn = el('button', {class: 'mv-remote-load', type: 'button', text: 'Load remote images'});
        btn.addEventListener('click', () => { state.remoteImages = true; draw(); });
        pane.append(el('div', {class: 'mv-notice'}, [
          el('span', {text: 'Remote content (' + body.remote + ') is blocked. '}), btn]));
      }
      const frame = el('iframe', {class: 'mv-frame', sandbox: SANDBOX, referrerpolicy: 'no-referrer', title: 'HTML body'});
      frame.srcdoc = body.html;
      pane.append(frame);
    };
    const scripts = (msg.attachments || []).filter((p) => p.contentId && p.script);
    if (!scripts.length) {
      draw();
      return pane;
    }
    pane.append(el('p', {class: 'mv-empty', text: 'Loading inline images…'}));
    Promise.all(scripts.map((p) => loadScript(p.script).then(
      (url) => { if (/^data:/i.test(url)) loaded.set(normCID(p.contentId), url); },
      () => {}))).then(draw);
    return pane;
  }

  function textPane(msg) {
    return el('div', {class: 'mv-pane'}, [el('pre', {class: 'mv-text', text: msg.text || ''})]);
  }

  function headersPane(msg) {
    const rows = (msg.headers || []).map((h) => el('tr', {}, [el('th', {text: h.name}), el('td', {text: h.value})]));
    return el('div', {class: 'mv-pane'}, [rows.length ? el('table', {class: 'mv-headers'}, rows) : el('p', {class: 'mv-empty', text: 'No headers.'})]);
  }

  function linksPane(msg) {
    const items = (msg.links || []).map((u) => {
      const href = safeURL(u);
      return el('li', {}, [href ? el('a', {href: href, target: '_blank', rel: 'noopener noreferrer', text: u}) : el('span', {text: u})]);
    });
    return el('div', {class: 'mv-pane'}, [items.length ? el('ul', {class: 'mv-links'}, items) : el('p', {class: 'mv-empty', text: 'No links.'})]);
  }

  function attachmentsPane(msg) {
    const items = (msg.attachments || []).map((p) => {
      const url = safeURL(p.url);
      const name = p.name || p.contentId || 'unnamed';
      const meta = [p.contentType, formatSize(p.size), p.inline ? 'inline' : ''].filter(Boolean).join(' · ');
      const li = el('li', {class: 'mv-part'}, [
        url ? el('a', {class: 'mv-download', href: url, download: name, text: name}) : el('span', {class: 'mv-name', text: name}),
        el('span', {class: 'mv-meta', text: ' ' + meta + (url ? '' : ' · not downloaded')})]);
      if (url && /^image\//i.test(p.contentType || '')) li.append(el('img', {class: 'mv-thumb', src: url, alt: name}));
      return li;
    });
    return el('div', {class: 'mv-pane'}, [items.length ? el('ul', {class: 'mv-parts'}, items) : el('p', {class: 'mv-empty', text: 'No attachments.'})]);
  }

  // What a report keeps beside it as scripts (file:// pages cannot fetch), raw sources and
  // large inline parts, announces itself here by its own path; see loadScript.
  const waiting = new Map(); // path -> [{resolve, reject}, ...]
  function provide(url, value) {
    const ws = waiting.get(url);
    if (ws) { waiting.delete(url); for (const w of ws) w.resolve(value); }
  }

  // loadScript settles every caller waiting for url: with what the script provides, or with an
  // error when it cannot be loaded or loads without providing (a report copied without its
  // parts/ or raw/ folder), so that no pane waits for ever.
  function loadScript(url) {
    return new Promise((resolve, reject) => {
      if (waiting.has(url)) { waiting.get(url).push({resolve, reject}); return; }
      waiting.set(url, [{resolve, reject}]);
      const fail = () => {
        const ws = waiting.get(url);
        if (!ws) return;
        waiting.delete(url);
        for (const w of ws) w.reject(new Error('cannot load ' + url));
      };
      const s = el('script', {src: url});
      s.onerror = fail;
      s.onload = () => { s.remove(); fail(); }; // a script runs before its load event: provided by now
      document.head.append(s);
    });
  }

  // defaultLoadRaw: a report's raw file is a script (rawUrl ends in .js); the viewer's is a route.
  function defaultLoadRaw(msg) {
    if (/\.js$/i.test(msg.rawUrl)) return loadScript(msg.rawUrl);
    return fetch(msg.rawUrl).then((r) => {
      if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
      return r.text();
    });
  }

  function rawPane(msg, opts) {
    const pane = el('div', {class: 'mv-pane'});
    if (!msg.rawUrl && !opts.loadRaw) {
      pane.append(el('p', {class: 'mv-empty', text: 'The raw source was not recorded.'}));
      return pane;
    }
    const out = el('pre', {class: 'mv-raw'});
    const btn = el('button', {class: 'mv-raw-load', type: 'button', text: 'Show raw source'});
    btn.addEventListener('click', () => {
      btn.disabled = true;
      out.textContent = 'Loading…';
      Promise.resolve().then(() => (opts.loadRaw || defaultLoadRaw)(msg)).then(
        (text) => { out.textContent = text; btn.remove(); },
        (err) => { out.textContent = 'Could not load the raw source: ' + err.message; btn.disabled = false; });
    });
    pane.append(btn);
    if (msg.rawUrl && !/\.js$/i.test(msg.rawUrl) && safeURL(msg.rawUrl)) {
      pane.append(' ', el('a', {href: safeURL(msg.rawUrl), download: (msg.id || 'message') + '.eml', text: 'Download .eml'}));
    }
    pane.append(out);
    return pane;
  }

  function headerBlock(msg) {
    const rows = [];
    const row = (label, value) => { if (value) rows.push(el('div', {class: 'mv-field'}, [el('span', {class: 'mv-label', text: label}), el('span', {class: 'mv-value', text: value})])); };
    const list = (as) => (as || []).map(formatAddress).filter(Boolean).join(', ');
    row('From', formatAddress(msg.from));
    row('To', list(msg.to));
    row('Cc', list(msg.cc));
    row('Bcc', list(msg.bcc));
    row('Reply-To', list(msg.replyTo));
    row('Date', formatDate(msg.date));
    row('Folder', msg.folder);
    return el('div', {class: 'mv-head'}, [el('h3', {class: 'mv-subject', text: msg.subject || '(no subject)'})].concat(rows));
  }

  function render(container, msg, opts) {
    opts = opts || {};
    const state = {remoteImages: !!opts.remoteImages};
    const builders = {
      html: () => htmlPane(msg, state), text: () => textPane(msg), headers: () => headersPane(msg),
      links: () => linksPane(msg), attachments: () => attachmentsPane(msg), raw: () => rawPane(msg, opts),
    };
    const counts = {links: (msg.links || []).length, attachments: (msg.attachments || []).length, headers: (msg.headers || []).length};
    const root = el('div', {class: 'mv'});
    const bar = el('div', {class: 'mv-tabs', role: 'tablist'});
    const body = el('div', {class: 'mv-body'});
    const panes = {};
    const buttons = {};
    const show = (tab) => {
      if (!builders[tab]) return;
      if (!panes[tab]) { panes[tab] = builders[tab](); body.append(panes[tab]); }
      for (const t of TABS) {
        if (panes[t]) panes[t].hidden = t !== tab;
        buttons[t].setAttribute('aria-selected', String(t === tab));
      }
    };
    for (const t of TABS) {
      const label = TAB_LABELS[t] + (counts[t] ? ' (' + counts[t] + ')' : '');
      const b = el('button', {class: 'mv-tab', type: 'button', role: 'tab', 'data-tab': t, text: label});
      if ((t === 'html' && !msg.html) || (t === 'text' && !msg.text)) b.disabled = true;
      b.addEventListener('click', () => show(t));
      buttons[t] = b;
      bar.append(b);
    }
    root.append(headerBlock(msg), bar, body);
    container.textContent = '';
    container.append(root);
    show(opts.tab && builders[opts.tab] ? opts.tab : msg.html ? 'html' : 'text');
    return {element: root, show: show};
  }

  global.MailView = {render: render, provide: provide, el: el};
})(window);

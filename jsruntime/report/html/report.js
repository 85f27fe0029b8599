// report.js draws the HTML report from window.MAILSCRIPT_REPORT (data.js, see html.go): the
// list of files and tests with filters and search, and, for the test named in the URL's hash,
// its failure, timeline of steps and messages (rendered by MailView). Every value of the run
// goes into the page as text, never as markup.
(function () {
  'use strict';

  const R = window.MAILSCRIPT_REPORT;
  const $ = (id) => document.getElementById(id);
  const STATUS_ICON = {passed: '✓', failed: '✗', flaky: '±', skipped: '↓', interrupted: '⊘'};
  const FILTERS = ['all', 'failed', 'flaky', 'passed', 'skipped', 'interrupted'];
  const AUTO_OPEN_MESSAGES = 3; // a test with this few messages shows them without a click

  const el = window.MailView.el; // mailview.js is loaded first

  function duration(ms) {
    if (!(ms > 0)) return '0ms';
    if (ms < 1000) return Math.round(ms) + 'ms';
    if (ms < 60000) return (ms / 1000).toFixed(2) + 's';
    return Math.floor(ms / 60000) + 'm ' + Math.round((ms % 60000) / 1000) + 's';
  }

  function fullName(t) { return (t.path || []).concat([t.name]).join(' › '); }

  if (!R) {
    $('list').append(el('p', {class: 'empty', text: 'data.js is missing or broken: this report cannot be shown.'}));
    return;
  }

  const NS_PER_MS = 1e6; // steps keep Go's durations, in nanoseconds
  const tests = [];
  const byID = new Map();
  for (const f of R.files) {
    for (const t of f.tests) {
      for (const s of t.steps || []) {
        s.startMs = s.start / NS_PER_MS;
        s.durationMs = s.duration / NS_PER_MS;
        for (const p of s.polls || []) { p.startMs = p.start / NS_PER_MS; p.durationMs = p.duration / NS_PER_MS; }
      }
      const entry = {file: f, test: t, name: fullName(t)};
      tests.push(entry);
      byID.set(t.id, entry);
    }
  }
  const state = {filter: 'all', query: ''};

  // ---- header: summary, filters, search

  function drawSummary() {
    const s = R.summary;
    const parts = [];
    for (const [k, cls] of [['failed', 'failed'], ['flaky', 'flaky'], ['passed', 'passed'], ['skipped', 'skipped'], ['interrupted', 'interrupted']]) {
      if (s[k]) parts.push(el('span', {class: 'chip ' + cls, text: s[k] + ' ' + k}));
    }
    parts.push(el('span', {class: 'chip', text: duration(s.durationMs)}));
    if (R.stopped) parts.push(el('span', {class: 'chip interrupted', text: 'run interrupted'}));
    parts.push(el('span', {class: 'generated', text: new Date(R.generated).toLocaleString()}));
    $('summary').append(...parts);
  }

  function count(filter) {
    if (filter === 'all') return tests.length;
    return tests.filter((e) => e.test.status === filter).length + (filter === 'failed' ? R.files.filter((f) => f.error).length : 0);
  }

  function drawFilters() {
    for (const f of FILTERS) {
      const n = count(f);
      if (f !== 'all' && n === 0) continue;
      const b = el('button', {type: 'button', class: 'filter', 'data-filter': f, 'aria-pressed': String(f === state.filter),
        text: f[0].toUpperCase() + f.slice(1) + ' (' + n + ')'});
      b.addEventListener('click', () => {
        state.filter = state.filter === f ? 'all' : f;
        for (const o of document.querySelectorAll('.filter')) o.setAttribute('aria-pressed', String(o.dataset.filter === state.filter));
        applyFilter();
        if (location.hash.length > 1) location.hash = '';
      });
      $('filters').append(b);
    }
    $('search').addEventListener('input', (e) => {
      state.query = e.target.value.trim().toLowerCase();
      applyFilter();
      if (location.hash.length > 1) location.hash = '';
    });
  }

  // ---- the list

  function drawList() {
    const list = $('list');
    for (const f of R.files) {
      const failed = f.error || f.tests.some((t) => t.status === 'failed');
      const sec = el('section', {class: 'file' + (failed ? ' has-failed' : '')});
      sec.append(el('h2', {class: 'file-name'}, [el('span', {text: f.file}), el('span', {class: 'dur', text: duration(f.durationMs)})]));
      if (f.error) {
        const fe = el('div', {class: 'test-row file-error failed', 'data-status': 'failed'}, [
          el('span', {class: 'icon', text: STATUS_ICON.failed}), el('span', {class: 'name', text: '(file) ' + f.error.headline})]);
        fe.dataset.search = f.file.toLowerCase();
        sec.append(fe, errorBlock(f.error));
        sec.lastChild.classList.add('file-error-detail');
        if (f.output) sec.append(outputBlock('Console output outside tests', f.output));
      }
      for (const t of f.tests) {
        const row = el('a', {class: 'test-row ' + t.status, href: '#' + t.id, 'data-status': t.status, 'data-id': t.id}, [
          el('span', {class: 'icon', text: STATUS_ICON[t.status] || '?'}),
          el('span', {class: 'name', text: fullName(t)}),
          t.steps && t.steps.some((s) => s.messages) ? el('span', {class: 'has-mail', title: 'has messages', text: '✉'}) : null,
          el('span', {class: 'dur', text: t.status === 'skipped' ? '' : duration(t.durationMs)})]);
        row.dataset.search = (f.file + ' ' + fullName(t)).toLowerCase();
        sec.append(row);
      }
      list.append(sec);
    }
    if (!R.files.length) list.append(el('p', {class: 'empty', text: 'No test files ran.'}));
  }

  function applyFilter() {
    for (const sec of document.querySelectorAll('#list .file')) {
      let shown = 0;
      for (const row of sec.querySelectorAll('.test-row')) {
        const ok = (state.filter === 'all' || row.dataset.status === state.filter) &&
          (!state.query || row.dataset.search.includes(state.query));
        row.hidden = !ok;
        if (ok) shown++;
      }
      const fed = sec.querySelector('.file-error-detail');
      if (fed) fed.hidden = sec.querySelector('.file-error').hidden;
      sec.hidden = shown === 0;
    }
  }

  // ---- a test's page

  function pre(cls, text) { return el('pre', {class: cls, text: text}); }

  function diffBlock(diff) {
    const p = el('pre', {class: 'diff'});
    for (const line of diff.split('\n')) {
      // As in the console: "-" lines are what was expected, "+" what was received.
      const cls = line.startsWith('-') ? 'exp' : line.startsWith('+') ? 'rec' : '';
      p.append(el('span', {class: cls, text: line + '\n'}));
    }
    return p;
  }

  function errorBlock(e) {
    return el('div', {class: 'errbox'}, [
      pre('headline', e.headline),
      e.diff ? diffBlock(e.diff) : null,
      e.location ? el('div', {class: 'location', text: e.location}) : null,
      e.source ? pre('source', e.source) : null,
      e.stack ? pre('stack', e.stack) : null]);
  }

  function outputBlock(title, text) {
    return el('section', {class: 'output'}, [el('h3', {text: title}), pre('console', text)]);
  }

  function messageBlock(id, open) {
    const m = R.messages[id];
    if (!m) return null;
    const from = m.from && (m.from.name || m.from.address) || '';
    const d = el('details', {class: 'msg'}, [el('summary', {}, [
      el('span', {class: 'msg-subject', text: m.subject || '(no subject)'}), el('span', {class: 'msg-from', text: from})])]);
    const box = el('div', {class: 'msg-view'});
    d.append(box);
    let drawn = false;
    d.addEventListener('toggle', () => {
      if (d.open && !drawn) { drawn = true; MailView.render(box, m); }
    });
    if (open) d.open = true;
    return d;
  }

  function stepBlock(s, total, openMessages) {
    const left = total > 0 ? Math.min(100, 100 * s.startMs / total) : 0;
    const width = total > 0 ? Math.max(0.4, Math.min(100 - left, 100 * s.durationMs / total)) : 0;
    const track = el('div', {class: 'track'}, [el('div', {class: 'bar ' + s.outcome, style: 'left:' + left + '%;width:' + width + '%'})]);
    for (const p of s.polls || []) {
      const pl = total > 0 ? Math.min(100, 100 * p.startMs / total) : 0;
      track.append(el('div', {class: 'tick' + (p.matched ? ' matched' : ''), style: 'left:' + pl + '%',
        title: '+' + duration(p.startMs) + ': ' + p.matched + ' matched' + (p.error ? ', ' + p.error : '')}));
    }
    const head = el('div', {class: 'step-head'}, [
      el('span', {class: 'kind ' + s.kind, text: s.kind}),
      el('span', {class: 'step-name', text: s.name, title: s.mailbox || ''}),
      s.args ? el('code', {class: 'args', text: s.args, title: s.args}) : el('span'),
      el('span', {class: 'start', text: '+' + duration(s.startMs)}),
      s.kind === 'console' ? el('span') : track,
      el('span', {class: 'step-dur', text: s.kind === 'console' ? '' : duration(s.durationMs)}),
      el('span', {class: 'outcome ' + s.outcome, text: s.kind === 'console' ? '' : s.outcome})]);
    const body = [];
    if (s.result) body.push(el('div', {class: 'result', text: s.result}));
    if (s.error) body.push(el('div', {class: 'step-error', text: s.error}));
    if (s.polls && s.polls.length) {
      const polls = el('details', {class: 'polls'}, [el('summary', {text: s.polls.length + (s.polls.length === 1 ? ' poll' : ' polls')})]);
      const ol = el('ol');
      for (const p of s.polls) {
        const seen = p.seen !== undefined ? p.seen + ' new, ' : '';
        ol.append(el('li', {text: '+' + duration(p.startMs) + ' (' + duration(p.durationMs) + '): ' + seen + p.matched + ' matched' + (p.error ? ' — ' + p.error : '')}));
      }
      polls.append(ol);
      body.push(polls);
    }
    for (const id of s.messages || []) body.push(messageBlock(id, openMessages));
    return el('li', {class: 'step ' + s.outcome, 'data-kind': s.kind, 'data-name': s.name}, [head].concat(body));
  }

  function drawDetail(entry) {
    const {file: f, test: t} = entry;
    const d = $('detail');
    d.textContent = '';
    const attempts = t.attempts > 1 ? (t.status === 'flaky' ? 'passed on attempt ' + t.attempts : t.attempts + ' attempts') : '';
    d.append(
      el('a', {class: 'back', href: '#', text: '← All tests'}),
      el('h2', {class: 'test-title ' + t.status}, [el('span', {class: 'icon', text: STATUS_ICON[t.status] || '?'}), el('span', {text: entry.name})]),
      el('div', {class: 'meta'}, [el('span', {text: f.file}), el('span', {class: 'badge ' + t.status, text: t.status}),
        el('span', {text: duration(t.durationMs)}), attempts ? el('span', {text: attempts}) : null]));
    if (t.error) d.append(el('section', {class: 'failure'}, [el('h3', {text: t.status === 'interrupted' ? 'Interrupted' : 'Error'}), errorBlock(t.error)]));
    if (t.retries && t.retries.length) {
      const r = el('details', {class: 'retries'}, [el('summary', {text: 'Failed attempts (' + t.retries.length + ')'})]);
      t.retries.forEach((e, i) => r.append(el('h4', {text: 'Attempt ' + (i + 1)}), errorBlock(e)));
      d.append(r);
    }
    const steps = t.steps || [];
    const total = Math.max(t.durationMs, ...steps.map((s) => s.startMs + s.durationMs));
    const nMessages = steps.reduce((n, s) => n + (s.messages || []).length, 0);
    const timeline = el('section', {class: 'timeline'}, [el('h3', {text: 'Steps (' + steps.length + ')'})]);
    if (steps.length) {
      const ol = el('ol', {class: 'steps'});
      for (const s of steps) ol.append(stepBlock(s, total, nMessages <= AUTO_OPEN_MESSAGES));
      timeline.append(ol);
    } else {
      timeline.append(el('p', {class: 'empty', text: 'No steps were recorded for this test.'}));
    }
    d.append(timeline);
    if (t.output) d.append(outputBlock('Console output', t.output));
  }

  function route() {
    const id = decodeURIComponent(location.hash.slice(1));
    const entry = byID.get(id);
    $('list').hidden = !!entry;
    $('detail').hidden = !entry;
    if (entry) {
      drawDetail(entry);
      window.scrollTo(0, 0);
    }
  }

  drawSummary();
  drawFilters();
  drawList();
  applyFilter();
  addEventListener('hashchange', route);
  route();
})();

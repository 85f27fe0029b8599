// viewer.js is the emulator's web viewer: mailboxes of both faces and the SMTP sink, a message
// list that follows the store live (server-sent events from /_emulator/events), search, the
// shared message view (mailview.js) and the fault settings. Plain script, no build step. Every
// value from the server goes into the page through textContent, never as markup.
(function () {
  'use strict';

  const state = {mailboxes: [], sel: null, q: '', messages: [], open: null};
  const $ = (sel) => document.querySelector(sel);

  const el = window.MailView.el; // mailview.js is loaded first

  // api calls the inspection API. Writes send JSON from this page's own origin, which the
  // emulator's guard accepts; errors carry the API's own message.
  async function api(method, path, body) {
    const init = {method: method, headers: {}};
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    if (!r.ok) throw new Error((data && data.error) || r.status + ' ' + r.statusText);
    return {data: data, total: r.headers.get('X-Total-Count')};
  }

  const enc = encodeURIComponent;
  const msgPath = (sel, id) => sel.sink ? '/_emulator/sink/' + enc(id) : '/_emulator/mailboxes/' + enc(sel.mailbox) + '/messages/' + enc(id);

  function countBadge(total, unread) {
    return el('span', {class: 'count' + (unread ? ' unread' : ''), text: unread ? unread + ' / ' + total : String(total),
      title: unread + ' unread of ' + total});
  }

  function renderSidebar() {
    for (const kind of ['microsoft', 'google']) {
      const ul = $('#mb-' + kind);
      ul.textContent = '';
      for (const mb of state.mailboxes.filter((m) => m.kind === kind)) {
        const mine = state.sel && !state.sel.sink && state.sel.mailbox === mb.id;
        const li = el('li', {}, [el('button', {type: 'button', class: 'mailbox' + (mine ? ' selected' : ''), 'data-mailbox': mb.id,
          title: mb.displayName || mb.address, onclick: () => select({mailbox: mb.id, folder: 'inbox'})},
        [el('span', {text: mb.address}), countBadge(mb.messages, mb.unread)])]);
        if (mine) {
          const fl = el('ul', {class: 'folders'});
          for (const f of mb.folders || []) {
            const on = state.sel.folder === f.id || state.sel.folder === f.wellKnown;
            fl.append(el('li', {}, [el('button', {type: 'button', class: 'folder' + (on ? ' selected' : ''), 'data-folder': f.wellKnown || f.id,
              onclick: () => select({mailbox: mb.id, folder: f.wellKnown || f.id})}, [el('span', {text: f.name}), countBadge(f.messages, f.unread)])]));
          }
          li.append(fl);
        }
        ul.append(li);
      }
    }
    $('#sink').classList.toggle('selected', !!(state.sel && state.sel.sink));
  }

  async function loadMailboxes() {
    const [mbs, sink] = await Promise.all([api('GET', '/_emulator/mailboxes'), api('GET', '/_emulator/sink?limit=0')]);
    state.mailboxes = mbs.data;
    $('#sink-count').textContent = sink.total || '0';
    renderSidebar();
  }

  function listTitle() {
    if (!state.sel) return 'Choose a mailbox';
    if (state.sel.sink) return 'SMTP sink';
    const mb = state.mailboxes.find((m) => m.id === state.sel.mailbox);
    const f = mb && (mb.folders || []).find((x) => x.id === state.sel.folder || x.wellKnown === state.sel.folder);
    return (mb ? mb.address : '') + (f ? ' · ' + f.name : '');
  }

  async function loadMessages() {
    const sel = state.sel;
    if (!sel) return;
    const q = state.q ? '&q=' + enc(state.q) : '';
    let rows, total;
    if (sel.sink) {
      const r = await api('GET', '/_emulator/sink?' + q.slice(1));
      rows = r.data.slice().reverse().map((m) => ({id: m.id, from: m.from || m.envelopeFrom, to: m.recipients, subject: m.subject,
        receivedAt: m.receivedAt, isRead: true, hasAttachments: m.attachments.some((a) => !a.inline), preview: (m.text || '').slice(0, 200)}));
      total = r.total;
    } else {
      const r = await api('GET', '/_emulator/mailboxes/' + enc(sel.mailbox) + '/messages?limit=500&folder=' + enc(sel.folder) + q);
      rows = r.data;
      total = r.total;
    }
    if (sel !== state.sel) return; // the person moved on while this loaded
    state.messages = rows;
    renderList(total);
  }

  function when(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return '';
    const today = new Date().toDateString() === d.toDateString();
    return today ? d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'}) : d.toLocaleDateString();
  }

  function renderList(total) {
    $('#list-title').textContent = listTitle();
    $('#list-count').textContent = total != null ? '(' + (Number(total) > state.messages.length ? state.messages.length + ' of ' + total : total) + ')' : '';
    const body = $('#messages tbody');
    body.textContent = '';
    for (const m of state.messages) {
      const from = m.fromName ? m.fromName + ' <' + m.from + '>' : m.from || '';
      const tr = el('tr', {class: 'msg' + (m.isRead ? '' : ' unread') + (state.open === m.id ? ' selected' : ''), 'data-id': m.id,
        onclick: () => openMessage(m.id)}, [
        el('td', {}, [
          el('div', {class: 'from', text: from, title: from}),
          el('div', {class: 'subject'}, [el('span', {text: m.subject || '(no subject)'}),
            m.hasAttachments ? el('span', {class: 'clip', title: 'has attachments', text: '📎'}) : null]),
          el('div', {class: 'preview', text: m.preview || ''})]),
        el('td', {class: 'when', text: when(m.receivedAt), title: m.receivedAt})]);
      body.append(tr);
    }
    if (state.open && !state.messages.some((m) => m.id === state.open)) { // deleted, or moved away
      state.open = null;
      clearView();
    }
    $('#list-empty').textContent = 'No messages.';
    $('#list-empty').hidden = state.messages.length > 0;
  }

  function select(sel) {
    state.sel = sel;
    state.open = null;
    showFaults(false);
    clearView();
    renderSidebar();
    loadMessages().catch(showError);
  }

  function clearView() {
    $('#toolbar').hidden = true;
    $('#view').textContent = '';
    $('#view').append(el('p', {class: 'hint', text: 'Select a message to read it.'}));
  }

  async function openMessage(id) {
    const sel = state.sel;
    state.open = id;
    for (const tr of document.querySelectorAll('#messages tr')) tr.classList.toggle('selected', tr.dataset.id === id);
    const msg = (await api('GET', msgPath(sel, id) + (sel.sink ? '/view' : ''))).data;
    if (state.open !== id) return;
    MailView.render($('#view'), msg, {});
    $('#toolbar').hidden = false;
    $('#mark').hidden = !!sel.sink;
    $('#mark').textContent = msg.isRead ? 'Mark unread' : 'Mark read';
    $('#mark').dataset.read = String(msg.isRead);
    // Opening a mailbox message reads it, as a mail client does.
    if (!sel.sink && !msg.isRead) await setRead(true);
  }

  async function setRead(read) {
    await api('PATCH', msgPath(state.sel, state.open), {isRead: read});
    $('#mark').textContent = read ? 'Mark unread' : 'Mark read';
    $('#mark').dataset.read = String(read);
  }

  async function deleteOpen() {
    await api('DELETE', msgPath(state.sel, state.open));
    state.open = null;
    clearView();
  }

  // Live updates: any change to what is on screen re-reads it, at most every 150 ms.
  let pending = null;
  function refreshSoon(list) {
    if (pending) { pending.list = pending.list || list; return; }
    pending = {list: list};
    setTimeout(() => {
      const p = pending;
      pending = null;
      loadMailboxes().catch(showError);
      if (p.list) loadMessages().catch(showError);
    }, 150);
  }

  function connect() {
    const es = new EventSource('/_emulator/events');
    const live = $('#live');
    es.onopen = () => { live.textContent = 'live'; live.className = 'live on'; refreshSoon(true); };
    es.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; };
    es.addEventListener('change', (ev) => {
      const e = JSON.parse(ev.data);
      const sel = state.sel;
      const sinkEvent = e.kind.startsWith('sink');
      refreshSoon(!!sel && (e.kind === 'reset' || (sinkEvent ? sel.sink : !sel.sink && e.mailbox === sel.mailbox)));
    });
    es.addEventListener('resync', () => refreshSoon(true));
  }

  // Faults: the form shows GET /_emulator/faults and saves with PUT, showing the API's error.
  const NUMBERS = ['graphConcurrency', 'graphRequestLimit', 'gmailQuotaRate', 'gmailConcurrency', 'drop', 'dropAfter'];
  const STATUSES = ['429', '500', '503'];

  function showFaults(on) {
    $('#faults').hidden = !on;
    $('#pane').hidden = on;
    $('#faults-toggle').setAttribute('aria-pressed', String(on));
    if (on) loadFaults().catch(faultStatus);
  }

  function faultStatus(err, ok) {
    const s = $('#faults-status');
    s.textContent = ok || err.message;
    s.className = ok ? 'ok' : 'error';
  }

  async function loadFaults() {
    const f = (await api('GET', '/_emulator/faults')).data;
    const form = $('#faults-form');
    form.latency.value = f.latency;
    form.serviceTime.value = f.serviceTime;
    for (const n of NUMBERS) form[n].value = f[n];
    for (const s of STATUSES) form['fail' + s].value = (f.fail && f.fail[s]) || 0;
    form.signIn.checked = f.signIn;
    $('#faults-status').textContent = '';
  }

  async function saveFaults(ev) {
    ev.preventDefault();
    const form = $('#faults-form');
    const body = {latency: form.latency.value.trim(), serviceTime: form.serviceTime.value.trim(), fail: {}, signIn: form.signIn.checked};
    for (const n of NUMBERS) body[n] = Number(form[n].value || 0);
    for (const s of STATUSES) {
      const v = Number(form['fail' + s].value || 0);
      if (v) body.fail[s] = v;
    }
    try {
      await api('PUT', '/_emulator/faults', body);
      await loadFaults();
      faultStatus(null, 'Saved.');
    } catch (err) {
      faultStatus(err);
    }
  }

  function showError(err) {
    $('#list-empty').hidden = false;
    $('#list-empty').textContent = 'Error: ' + err.message;
  }

  let searchTimer = null;
  $('#search').addEventListener('input', (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = ev.target.value.trim(); loadMessages().catch(showError); }, 200);
  });
  $('#sink').addEventListener('click', () => select({sink: true}));
  $('#mark').addEventListener('click', () => setRead($('#mark').dataset.read !== 'true').catch(showError));
  $('#delete').addEventListener('click', () => deleteOpen().catch(showError));
  $('#faults-toggle').addEventListener('click', () => showFaults($('#faults').hidden));
  $('#faults-form').addEventListener('submit', saveFaults);
  $('#faults-reload').addEventListener('click', () => loadFaults().catch(faultStatus));

  loadMailboxes().then(() => {
    const first = state.mailboxes.find((m) => m.kind === 'microsoft') || state.mailboxes[0];
    if (first && !state.sel) select({mailbox: first.id, folder: 'inbox'});
  }).catch(showError);
  connect();
})();

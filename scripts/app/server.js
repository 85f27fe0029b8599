// A small signup service: the application under test of the README's "testing an application
// offline" example. It knows nothing of mailscript: it sends its mail the way applications do,
// configured from its environment, so pointing that environment at `mailscript emulator`
// catches every message.
//
//   POST /signup {email, name}  stores the user, mails a welcome with a confirm link through
//                               nodemailer (SMTP) and, when Microsoft Graph is configured, a
//                               "new signup" notice to the team through the Graph client
//   GET  /confirm?token=...     confirms the account, sets a session cookie, redirects to /welcome
//   GET  /welcome               the signed-in page (401 without the session)
//   GET  /users/:email          the account's state as JSON
//
// Environment (the emulator's env file provides the MAILSCRIPT_* ones):
//   MAILSCRIPT_SMTP_HOST, MAILSCRIPT_SMTP_PORT   the SMTP server (STARTTLS is required when
//                                                MAILSCRIPT_CA_FILE is set)
//   SMTP_USER, SMTP_PASS                         SMTP credentials, if the server wants them
//   MAILSCRIPT_LOGIN_URL, MAILSCRIPT_GRAPH_URL, MAILSCRIPT_M365_TENANT_ID,
//   MAILSCRIPT_M365_CLIENT_ID, MAILSCRIPT_M365_CLIENT_SECRET, MAILSCRIPT_M365_MAILBOX
//                                                Graph: the app registration and the mailbox the
//                                                notices are sent from (and to, unless NOTIFY_TO)
//   PORT (default 0: a free port), APP_URL_FILE (write the app's URL there once listening)
// Node trusts the emulator's CA through NODE_EXTRA_CA_CERTS=$MAILSCRIPT_CA_FILE.
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const nodemailer = require('nodemailer');
const { Client } = require('@microsoft/microsoft-graph-client');

const env = process.env;
const users = new Map(); // email -> {email, name, confirmed, token}
const sessions = new Map(); // session id -> email
let appURL = '';

// nodemailer, configured as its SMTP transport docs show.
const smtp = nodemailer.createTransport({
  host: env.MAILSCRIPT_SMTP_HOST || '127.0.0.1',
  port: Number(env.MAILSCRIPT_SMTP_PORT || 2525),
  secure: false,
  requireTLS: Boolean(env.MAILSCRIPT_CA_FILE),
  auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS } : undefined,
});

// The Graph client with a custom authProvider (a client-credentials token from the login URL),
// as the SDK's docs show; customHosts lets it send the token to a Graph host of our choosing.
function graphClient() {
  if (!env.MAILSCRIPT_GRAPH_URL || !env.MAILSCRIPT_M365_CLIENT_ID) return null;
  const graphURL = new URL(env.MAILSCRIPT_GRAPH_URL);
  let token = null;
  return Client.initWithMiddleware({
    baseUrl: graphURL.origin + '/',
    customHosts: new Set([graphURL.hostname]),
    authProvider: {
      async getAccessToken() {
        if (token && token.expires > Date.now() + 60000) return token.value;
        const res = await fetch(`${env.MAILSCRIPT_LOGIN_URL}/${env.MAILSCRIPT_M365_TENANT_ID}/oauth2/v2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: env.MAILSCRIPT_M365_CLIENT_ID,
            client_secret: env.MAILSCRIPT_M365_CLIENT_SECRET,
            scope: 'https://graph.microsoft.com/.default',
          }),
        });
        const body = await res.json();
        if (!res.ok) throw new Error(`token endpoint: ${res.status} ${body.error_description || body.error}`);
        token = { value: body.access_token, expires: Date.now() + body.expires_in * 1000 };
        return token.value;
      },
    },
  });
}
const graph = graphClient();

async function sendWelcome(user) {
  const link = `${appURL}/confirm?token=${user.token}`;
  await smtp.sendMail({
    from: '"Signup App" <no-reply@signup-app.example>',
    to: user.email,
    subject: `Welcome, ${user.name}`,
    text: `Hello ${user.name},\n\nConfirm your account: ${link}\n`,
    html: `<p>Hello ${escapeHTML(user.name)},</p><p><a href="${link}">Confirm your account</a></p>`,
  });
}

async function notifyTeam(user) {
  if (!graph) return;
  const mailbox = env.MAILSCRIPT_M365_MAILBOX;
  await graph.api(`/users/${encodeURIComponent(mailbox)}/sendMail`).post({
    message: {
      subject: `New signup: ${user.email}`,
      body: { contentType: 'Text', content: `${user.name} <${user.email}> signed up.` },
      toRecipients: [{ emailAddress: { address: env.NOTIFY_TO || mailbox } }],
    },
    saveToSentItems: false,
  });
}

function escapeHTML(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readJSON(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 1 << 16) reject(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(data || '{}'));
      } catch (e) {
        reject(new Error('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function cookie(req, name) {
  for (const part of (req.headers.cookie || '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name) return v;
  }
  return undefined;
}

async function handle(req, res) {
  const url = new URL(req.url, appURL);
  if (req.method === 'POST' && url.pathname === '/signup') {
    let body;
    try {
      body = await readJSON(req);
    } catch (e) {
      return json(res, 400, { error: e.message });
    }
    const email = String(body.email || '').trim().toLowerCase();
    const name = String(body.name || email.split('@')[0]);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) return json(res, 400, { error: 'email: want an address like ana@example.com' });
    if (users.has(email)) return json(res, 409, { error: `${email} has already signed up` });
    const user = { email, name, confirmed: false, token: crypto.randomBytes(16).toString('hex') };
    users.set(email, user);
    try {
      await sendWelcome(user);
      await notifyTeam(user);
    } catch (e) {
      users.delete(email);
      return json(res, 502, { error: `could not send mail: ${e.message}` });
    }
    return json(res, 201, { email, confirmed: false });
  }
  if (req.method === 'GET' && url.pathname === '/confirm') {
    const user = [...users.values()].find((u) => u.token === url.searchParams.get('token'));
    if (!user) return json(res, 404, { error: 'unknown or used confirmation link' });
    user.confirmed = true;
    user.token = '';
    const sid = crypto.randomBytes(16).toString('hex');
    sessions.set(sid, user.email);
    res.writeHead(302, { location: '/welcome', 'set-cookie': `session=${sid}; HttpOnly; Path=/; SameSite=Lax` });
    return res.end();
  }
  if (req.method === 'GET' && url.pathname === '/welcome') {
    const user = users.get(sessions.get(cookie(req, 'session')));
    if (!user) {
      res.writeHead(401, { 'content-type': 'text/html' });
      return res.end('<h1>Please sign in</h1>');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(`<h1>Welcome, ${escapeHTML(user.name)}!</h1><p>Your account ${escapeHTML(user.email)} is confirmed.</p>`);
  }
  const m = url.pathname.match(/^\/users\/([^/]+)$/);
  if (req.method === 'GET' && m) {
    const user = users.get(decodeURIComponent(m[1]).toLowerCase());
    if (!user) return json(res, 404, { error: 'no such user' });
    return json(res, 200, { email: user.email, name: user.name, confirmed: user.confirmed });
  }
  json(res, 404, { error: `no route ${req.method} ${url.pathname}` });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => json(res, 500, { error: e.message }));
});
server.listen(Number(env.PORT || 0), '127.0.0.1', () => {
  appURL = `http://127.0.0.1:${server.address().port}`;
  if (env.APP_URL_FILE) fs.writeFileSync(env.APP_URL_FILE, appURL + '\n');
  console.log(`signup app listening on ${appURL}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));

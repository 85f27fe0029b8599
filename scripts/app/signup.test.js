// Drives the signup app next to this file (server.js) end to end, the way the README's
// "testing an application offline" shows: the script makes the application act with fetch,
// catches its mail in the emulator, follows the link and checks what the application did.
// The app sends with nodemailer over SMTP and with the Microsoft Graph client over https,
// unchanged: only its environment points at the emulator. .ci/run starts both, then runs
//   mailscript run --env-file "$ENV_FILE" scripts/app/signup.test.js   (with APP_URL set)
const app = env.APP_URL ?? '';
const inbox = mail.connect('google'); // a hosted mailbox: the welcome mail arrives over SMTP
const team = mail.connect('microsoft365'); // the team's notice, sent through Graph
const emulator = env.MAILSCRIPT_GRAPH_URL ?? ''; // the emulator's root, for its sink API

const unique = () => Math.random().toString(36).slice(2, 8);

async function signUp(email, name) {
  const res = await fetch(`${app}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name }),
  });
  expect(res.status).toBe(201);
}

// following the link keeps the session cookie (one jar per test) through the redirect
async function confirm(link, name, email) {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  expect(page.redirected).toBe(true);
  expect(await page.text()).toContain(`Welcome, ${name}!`);
  const state = await (await fetch(`${app}/users/${encodeURIComponent(email)}`)).json();
  expect(state).toEqual({ email, name, confirmed: true });
}

test('a signup mails a confirm link to the user and a notice to the team', async () => {
  expect(app).toMatch(/^http/);
  const started = new Date();
  const email = inbox.uniqueAddress('signup'); // tests running side by side never take each other's mail
  const name = `Zed ${unique()}`;
  await signUp(email, name);

  const welcome = await inbox.waitFor({ to: email, subject: `Welcome, ${name}`, since: started }, { timeout: '30s' });
  expect(welcome.from.address).toBe('no-reply@signup-app.example');
  const link = welcome.links.find((l) => l.startsWith(`${app}/confirm?token=`));
  expect(link).toBeDefined();
  await confirm(link ?? '', name, email);

  const notice = await team.waitFor({ subject: `New signup: ${email}`, since: started }, { timeout: '30s' });
  expect(notice.text).toContain(`${name} <${email}> signed up.`);
});

test('mail to a customer outside the emulated domains lands in the sink', async () => {
  const email = `newcomer-${unique()}@customers.example`;
  const name = `Neu ${unique()}`;
  await signUp(email, name);

  let caught = [];
  for (let i = 0; i < 50 && caught.length === 0; i++) {
    caught = await (await fetch(`${emulator}/_emulator/sink?to=${encodeURIComponent(email)}`)).json();
    if (caught.length === 0) await sleep('100ms');
  }
  expect(caught).toHaveLength(1);
  expect(caught[0].subject).toBe(`Welcome, ${name}`);
  expect(caught[0].envelopeFrom).toBe('no-reply@signup-app.example');
  await confirm(caught[0].links[0], name, email);
});

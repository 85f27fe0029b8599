// A one-time-code check against a Google Workspace mailbox.
// Credentials come from MAILSCRIPT_GOOGLE_* (set by --emulator, --env-file or your CI secrets).
const box = mail.connect('google');

test('a one-time code arrives and can be read', async () => {
  const started = new Date();
  const me = box.uniqueAddress('otp');
  const code = String(Math.floor(100000 + Math.random() * 900000));
  await box.send({ to: me, subject: `Your sign-in code`, text: `Your code is ${code}. It expires in 10 minutes.` });

  const msg = await box.waitFor({ to: me, subject: 'sign-in code', since: started }, { timeout: '30s', interval: '1s' });
  const found = msg.text.match(/\b(\d{6})\b/);
  expect(found && found[1]).toBe(code);
  expect(msg.isRead).toBe(false);

  await box.markRead(msg);
  expect((await box.list({ to: me, unread: true }))).toHaveLength(0);
  await box.delete(msg);
});

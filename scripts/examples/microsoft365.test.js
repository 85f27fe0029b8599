// A password-reset check against a Microsoft 365 mailbox: send, wait, inspect, clean up.
// Credentials come from MAILSCRIPT_M365_* (set by --emulator, --env-file or your CI secrets).
const box = mail.connect('microsoft365');

test('a reset mail arrives with its link and attachment', async () => {
  const started = new Date();
  const me = box.uniqueAddress('reset'); // this test's own address: other tests never see its mail
  const token = Math.random().toString(36).slice(2, 10);
  const link = `https://app.example.com/reset?token=${token}`;
  const { messageId } = await box.send({
    to: me,
    subject: `Reset your password (${token})`,
    text: `Reset it here: ${link}`,
    html: `<p>Reset it <a href="${link}">here</a>.</p>`,
    attachments: [{ name: 'terms.txt', content: 'Terms, version 1' }],
  });

  const msg = await box.waitFor({ to: me, since: started }, { timeout: '30s', interval: '1s' });
  expect(msg.messageId).toBe(messageId);
  expect(msg.to[0].address).toBe(me);
  expect(msg.links).toContain(link);
  expect(msg.text).toContain(link);
  expect(msg.attachments.map(a => a.name)).toEqual(['terms.txt']);
  expect(await msg.attachments[0].text()).toBe('Terms, version 1');

  await box.delete(msg);
  const left = await box.list({ to: me });
  expect(left).toHaveLength(0);
});

// Mail sent from Microsoft 365 and received in Google Workspace: the emulator delivers between
// its mailboxes as the real services would between tenants.
const outlook = mail.connect('microsoft365');
const gmail = mail.connect('google');

test('a message sent from Microsoft 365 arrives in Google Workspace', async () => {
  const started = new Date();
  const to = gmail.uniqueAddress('invoice'); // a plus-address of the Google mailbox
  const subject = `Invoice ${Date.now()}`;
  await outlook.send({
    to,
    subject,
    html: '<p>Your invoice is attached.</p>',
    attachments: [{ name: 'invoice.csv', content: 'item,amount\nwidget,42\n' }],
  });

  const msg = await gmail.waitFor({ to, since: started }, { timeout: '30s', interval: '1s' });
  expect(msg.subject).toBe(subject);
  expect(msg.from.address).toBe(outlook.address);
  expect(msg.headers['delivered-to']).toBe(to);
  expect(msg.hasAttachments).toBe(true);
  expect(await msg.attachments[0].text()).toContain('widget,42');
  await gmail.delete(msg);
});

describe('two tests side by side on one mailbox', () => {
  // Each test has its own plus-address: neither sees the other's mail, whatever the order.
  for (const tag of ['signup', 'reset']) {
    test(`${tag} gets only its own mail`, async () => {
      const started = new Date();
      const mine = gmail.uniqueAddress(tag);
      const other = gmail.uniqueAddress(tag === 'signup' ? 'reset' : 'signup');
      await Promise.all([
        outlook.send({ to: other, subject: `not for ${tag}` }),
        outlook.send({ to: gmail.address, subject: `not for ${tag} either` }),
        outlook.send({ to: mine, subject: `for ${tag}` }),
      ]);
      const msg = await gmail.waitFor({ to: mine, since: started }, { timeout: '30s', interval: '1s' });
      expect(msg.subject).toBe(`for ${tag}`);
      expect((await gmail.list({ to: mine })).map(m => m.subject)).toEqual([`for ${tag}`]);
    });
  }
});

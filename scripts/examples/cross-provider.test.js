// Mail sent from Microsoft 365 and received in Google Workspace: the emulator delivers between
// its mailboxes as the real services would between tenants.
const outlook = mail.connect('microsoft365');
const gmail = mail.connect('google');

test('a message sent from Microsoft 365 arrives in Google Workspace', async () => {
  const started = new Date();
  const subject = `Invoice ${Date.now()}`;
  await outlook.send({
    to: env.MAILSCRIPT_GOOGLE_USER ?? '',
    subject,
    html: '<p>Your invoice is attached.</p>',
    attachments: [{ name: 'invoice.csv', content: 'item,amount\nwidget,42\n' }],
  });

  const msg = await gmail.waitFor({ subject, since: started }, { timeout: '30s', interval: '1s' });
  expect(msg.from.address).toBe(env.MAILSCRIPT_M365_MAILBOX);
  expect(msg.hasAttachments).toBe(true);
  expect(await msg.attachments[0].text()).toContain('widget,42');
  await gmail.delete(msg);
});

// Reading mail that is already in the mailbox (the emulator's default seed has a verification
// code and a password-reset mail in qa-inbox@contoso.com). TypeScript runs as is.
import { oneTimeCode } from './lib/extract.ts';

const box: Mailbox = mail.connect('microsoft365');

describe('seeded mail', () => {
  test('the verification code can be extracted', async () => {
    const [summary] = await box.list({ subject: /verification code/i, limit: 1 });
    expect(summary).toBeDefined();
    const msg = await box.read(summary);
    expect(oneTimeCode(msg.text)).toMatch(/^\d{6}$/);
    expect(msg.from.address).toContain('@');
  });

  test('the reset mail links to a reset page', async () => {
    // Other files run in parallel and send their own reset mails: match the seeded one exactly.
    const [summary] = await box.list({ subject: /^Reset your password$/, limit: 1 });
    const msg = await box.read(summary.id);
    const reset = msg.links.find(l => /reset/i.test(l)) ?? '';
    const url = new URL(reset);
    expect(url.protocol).toBe('https:');
    expect(url.searchParams.get('token')).toBeTruthy();
  });

  test('folders include the well-known ones', async () => {
    const names = (await box.folders()).map(f => f.wellKnown).filter(Boolean);
    expect(names).toContain('inbox');
    expect(names).toContain('sent');
  });
});

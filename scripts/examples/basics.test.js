// The harness and expect, with no mailbox: a first test to copy from.
describe('expect', () => {
  test('compares values', () => {
    expect(1 + 1).toBe(2);
    expect({ subject: 'Welcome', to: ['qa@example.com'] }).toEqual({ subject: 'Welcome', to: ['qa@example.com'] });
    expect('Your code is 123456').toMatch(/\d{6}/);
  });

  test('awaits promises', async () => {
    await sleep('10ms');
    await expect(Promise.resolve(42)).resolves.toBe(42);
  });
});

test.each([[1, 1, 2], [2, 3, 5]])('add(%i, %i) is %i', (a, b, sum) => {
  expect(a + b).toBe(sum);
});
test.each([{ to: 'ada@example.com', n: 1 }, { to: 'bob@example.com', n: 2 }])('mail to $to (case %#)', ({ to, n }) => {
  expect(to).toContain('@');
  expect(n).toBeGreaterThan(2);
});
describe.each([['microsoft365'], ['google']])('on %s', (provider) => {
  test('the provider is named', () => expect(typeof provider).toBe('string'));
});
test.each([['a', 'a', 'a'], 'b'])('%j and %p and %s%%', async (x) => {
  await null;
  expect(x.length).toBe(1);
});

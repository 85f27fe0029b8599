let runs = 0;
const hooks = { before: 0, after: 0 };
beforeEach(() => { hooks.before++; });
afterEach(() => { hooks.after++; });
test('passes on the third attempt', () => {
  runs++;
  console.log('attempt ' + runs);
  if (runs < 3) throw new Error('attempt ' + runs + ' failed');
});
test('always fails', () => { throw new Error('still broken'); });
test('passes at once', () => {});
test('hooks ran around each attempt', () => {
  expect(hooks).toEqual({ before: 8, after: 7 });
});

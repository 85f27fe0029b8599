test('forgotten resolves', () => {
  expect(new Promise(() => {})).resolves.toBe(1);
});
test('forgotten rejects', async () => {
  expect(sleep(30).then(() => { throw new Error('late'); })).rejects.toThrow('late');
});
test('awaited is fine', async () => {
  await expect(sleep(1).then(() => 2)).resolves.toBe(2);
});
test('returned is fine', () => expect(Promise.resolve(2)).resolves.toBe(2));
test('settled in time but failing', async () => {
  expect(Promise.resolve(1)).resolves.toBe(2);
  await sleep(5);
});
describe('setup', () => {
  beforeAll(() => { expect(new Promise(() => {})).rejects.toThrow(); });
  test('runs', () => {});
});

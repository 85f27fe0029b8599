test('one', async () => { await null; for (;;) {} });
test('between', async () => { await sleep(1); });
describe('block', () => {
  test('two', async () => { await sleep(1); while (true) {} });
  test.skip('skipped', async () => {});
  test('end', async () => { await sleep(1); });
});
test('last', async () => { await Promise.resolve(); });

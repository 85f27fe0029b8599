test('busy', async () => { await null; for (;;) {} });
test('after', async () => { await sleep(1); });
test('sync after', () => { expect(1).toBe(1); });

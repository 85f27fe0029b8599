test.only('busy', async () => { await null; for (;;) {} });
test('not only', async () => { await sleep(1); });
test.only('after', async () => { await sleep(1); });

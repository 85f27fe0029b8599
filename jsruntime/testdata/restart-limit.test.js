for (let i = 1; i <= 6; i++) {
  test(`busy ${i}`, async () => { await null; for (;;) {} });
}
test('after', async () => { await sleep(1); });

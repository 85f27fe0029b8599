const n = loads();
if (n > 1 && env.MAILSCRIPT_RELOAD === 'hang') {
  await null;
  for (;;) {}
}
test('busy', async () => { await null; for (;;) {} });
if (n > 1 && env.MAILSCRIPT_RELOAD === 'differ') {
  test('extra', () => {});
}
test('after', async () => { await sleep(1); });

test('env reads', () => {
  expect(env.MAILSCRIPT_TEST_NAME).toBe('qa');
  expect(env.MAILSCRIPT_UNSET).toBeUndefined();
});
test('env is read-only', () => {
  env.MAILSCRIPT_TEST_NAME = 'changed';
});
test('open text and bytes', () => {
  expect(open('fixtures/data.txt')).toBe('hello from a file\n');
  const bytes = open('fixtures/data.txt', 'b');
  expect(bytes instanceof Uint8Array).toBe(true);
  expect(bytes.length).toBe(18);
  expect(bytes[0]).toBe(104);
});
test('open missing file', () => {
  open('fixtures/missing.txt');
});
test('timers', async () => {
  const seen = [];
  setTimeout((a, b) => seen.push(a + b), 2, 'x', 'y');
  const id = setTimeout(() => seen.push('cleared'), 1);
  clearTimeout(id);
  let n = 0;
  // Wait for the third tick, not for a fixed time: a loaded machine may be slower than 1 ms.
  await new Promise((done) => {
    const iv = setInterval(() => { if (++n === 3) { clearInterval(iv); setTimeout(done, 5); } }, 1);
  });
  expect(seen).toEqual(['xy']);
  expect(n).toBe(3);
});
test('bad sleep', async () => {
  await sleep('soon');
});

test('grows forever', () => {
  const a = [];
  for (;;) a.push('x'.repeat(1 << 20) + a.length);
});

test('grows forever in an async test', async () => {
  await null;
  const a = [];
  for (;;) a.push(new Uint8Array(1 << 20));
});

test('runs after', () => {
  expect([1, 2, 3].length).toBe(3);
});

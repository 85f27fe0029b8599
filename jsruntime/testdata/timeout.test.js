test('busy loop', () => {
  let n = 0;
  while (true) { n++; }
});
test('interval keeps it waiting', async () => {
  setInterval(() => {}, 5);
  await new Promise(() => {});
});
test('never settles', async () => {
  await new Promise(() => {});
});
test('per-test timeout', async () => {
  await sleep(200);
}, 20);
test('still works afterwards', async () => {
  await sleep(1);
});

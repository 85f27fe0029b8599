test('waits long', async () => {
  await sleep('10s');
});
test('never starts', () => {});

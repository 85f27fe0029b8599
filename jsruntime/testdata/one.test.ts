interface Msg { subject: string }
test('one', async () => {
  const m: Msg = { subject: 'hello' };
  await sleep(0);
  if (m.subject !== 'hello') throw new Error('bad subject');
});

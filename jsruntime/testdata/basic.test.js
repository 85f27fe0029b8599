console.log('loading');
test('passes', () => {
  console.log('in passes');
});
test('fails', async () => {
  await sleep(1);
  console.error('about to fail');
  throw new Error('nope');
});

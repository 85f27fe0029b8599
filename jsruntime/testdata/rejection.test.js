test('forgotten rejection', async () => {
  Promise.reject(new TypeError('nobody caught me'));
  await sleep(1);
});
test('handled rejection is fine', async () => {
  const p = Promise.reject(new Error('caught'));
  await p.catch(() => {});
});
test('throw in a timer', async () => {
  setTimeout(() => { throw new Error('timer threw'); }, 0);
  await sleep(5);
});

test('go work outlives the test', async () => {
  await waitForCancel();
});
test('next test is not disturbed', async () => {
  await sleep(5);
});

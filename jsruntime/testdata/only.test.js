test('not only', () => {});
test.only('only one', () => {});
describe.only('only block', () => {
  test('inside only', () => {});
  test.skip('skipped inside only', () => {});
});
describe.skip('skipped block', () => {
  test.only('only inside skip', () => {});
});

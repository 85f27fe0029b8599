describe('inbox', () => {
  test('lists mail', () => {});
  test('reads mail', () => { throw new Error('read failed'); });
});
test('sends mail', () => {});
test('deletes mail', () => {});

test('declares inside', () => {
  test('inner', () => {});
});

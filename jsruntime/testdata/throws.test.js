test('string', () => {
  throw 'just a string';
});
test('object', () => {
  throw { code: 42 };
});
test('async string', async () => {
  throw 'async string';
});
test('recursion', () => {
  function down(n) { return down(n + 1) + 1; }
  down(0);
}, '10s');
test('panic in a binding', () => {
  explode();
});
test('after the panic', () => {});

test('logs', () => {
  console.log('n =', 42);
  console.warn('careful');
});

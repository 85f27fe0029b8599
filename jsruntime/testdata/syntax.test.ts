const subject: string = 'hi';
test('never runs', () => {
  let x = (;
});

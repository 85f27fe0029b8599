test('needs a function');

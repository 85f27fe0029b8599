// .resolves and .rejects return promises settled by the matcher.
passes('resolves', () => expect(Promise.resolve(3)).resolves.toBe(3));
passes('resolves not', () => expect(Promise.resolve(3)).resolves.not.toBe(4));
passes('not resolves', () => expect(Promise.resolve(3)).not.resolves.toBe(4));
passes('rejects', () => expect(Promise.reject(new Error('x'))).rejects.toBeInstanceOf(Error));
passes('rejects message', () => expect(Promise.reject(new Error('x'))).rejects.toHaveProperty('message', 'x'));
passes('resolves thenable async function', () => expect((async () => ({ a: 1 }))()).resolves.toEqual({ a: 1 }));
fails('resolves mismatch', () => expect(Promise.resolve(2)).resolves.toBe(3),
  'expect(received).resolves.toBe(expected) // Object.is equality\n\nExpected: 3\nReceived: 2');
fails('resolves but rejected', () => expect(Promise.reject(new Error('bad'))).resolves.toBe(1),
  /^expect\(received\)\.resolves\.toBe\(expected\) \/\/ Object.is equality\n\nReceived promise rejected instead of resolved\nRejected to value: Error: bad/);
fails('rejects but resolved', () => expect(Promise.resolve(1)).rejects.toThrow(),
  'expect(received).rejects.toThrow(expected)\n\nReceived promise resolved instead of rejected\nResolved to value: 1');
fails('rejects not', () => expect(Promise.reject('e')).rejects.not.toBe('e'),
  "expect(received).rejects.not.toBe(expected) // Object.is equality\n\nExpected: not 'e'");
misuse('resolves on a value', () => expect(5).resolves.toBe(5),
  'expect(received).resolves.toBe(expected) // Object.is equality\n\nMatcher error: received value must be a promise\n\nReceived has type:  number\nReceived has value: 5');

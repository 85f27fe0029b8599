// toThrow in its forms, including .rejects.
const boom = () => { throw new TypeError('boom: bad input') };

passes('toThrow any', () => expect(boom).toThrow());
passes('toThrow substring', () => expect(boom).toThrow('bad input'));
passes('toThrow regexp', () => expect(boom).toThrow(/^boom/));
passes('toThrow class', () => expect(boom).toThrow(TypeError));
passes('toThrow base class', () => expect(boom).toThrow(Error));
passes('toThrow error object', () => expect(boom).toThrow(new Error('boom: bad input')));
passes('toThrow non-error value', () => expect(() => { throw 'plain' }).toThrow('plain'));
passes('not toThrow', () => expect(() => 1).not.toThrow());
passes('toThrowError alias', () => expect(boom).toThrowError('boom'));
fails('toThrow did not throw', () => expect(() => 1).toThrow(),
  'expect(received).toThrow(expected)\n\nReceived function did not throw');
fails('toThrow substring', () => expect(boom).toThrow('other'),
  "expect(received).toThrow(expected)\n\nExpected substring: 'other'\nReceived message: 'boom: bad input'");
fails('toThrow regexp no throw', () => expect(() => 1).toThrow(/x/),
  'expect(received).toThrow(expected)\n\nExpected pattern: /x/\nReceived function did not throw');
fails('toThrow class', () => expect(boom).toThrow(RangeError),
  "expect(received).toThrow(expected)\n\nExpected constructor: RangeError\nReceived constructor: TypeError\n\nReceived message: 'boom: bad input'");
fails('not toThrow', () => expect(boom).not.toThrow(),
  /^expect\(received\)\.not\.toThrow\(expected\)\n\nReceived function threw: TypeError: boom: bad input/);
misuse('toThrow on a value', () => expect(1).toThrow(),
  'expect(received).toThrow(expected)\n\nMatcher error: received value must be a function\n\nReceived has type:  number\nReceived has value: 1');
passes('rejects toThrow', () => expect(Promise.reject(new Error('nope'))).rejects.toThrow('nope'));

// Wrong use throws a TypeError naming the matcher and the argument.
misuse('toHaveLength without length', () => expect(5).toHaveLength(1),
  'expect(received).toHaveLength(expected)\n\nMatcher error: received value must have a length property whose value must be a number\n\nReceived has type:  number\nReceived has value: 5');
misuse('toHaveLength negative', () => expect([]).toHaveLength(-1),
  /Matcher error: expected value must be a non-negative integer\n\nExpected has type:  number\nExpected has value: -1/);
misuse('toBeGreaterThan string', () => expect('5').toBeGreaterThan(1),
  "expect(received).toBeGreaterThan(expected)\n\nMatcher error: received value must be a number or bigint\n\nReceived has type:  string\nReceived has value: '5'");
misuse('toBeLessThan expected', () => expect(1).toBeLessThan(null),
  /Matcher error: expected value must be a number or bigint\n\nExpected has type:  null/);
misuse('toMatch number', () => expect(1).toMatch(/1/), /Matcher error: received value must be a string/);
misuse('toContain null', () => expect(null).toContain(1), /Matcher error: received value must not be null nor undefined/);
misuse('toContain number', () => expect(5).toContain(1), /Matcher error: received value must be a string or an iterable/);
misuse('toBeCloseTo strings', () => expect('1').toBeCloseTo(1), /Matcher error: received value must be a number/);
misuse('toBeInstanceOf non function', () => expect({}).toBeInstanceOf({}), /Matcher error: expected value must be a function/);
misuse('toHaveProperty empty path', () => expect({}).toHaveProperty(''), /Matcher error: expected path must not be an empty string/);
misuse('toThrow bad expected', () => expect(() => { throw 1 }).toThrow(5), /Matcher error: expected value must be a string or regular expression or class or error/);

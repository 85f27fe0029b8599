// Messages and outcomes of each matcher, with and without .not.

passes('toBe same number', () => expect(1).toBe(1));
passes('toBe NaN', () => expect(NaN).toBe(NaN));
passes('toBe no argument is undefined', () => expect().toBe(undefined));
fails('toBe numbers', () => expect(2).toBe(3),
  'expect(received).toBe(expected) // Object.is equality\n\nExpected: 3\nReceived: 2');
fails('toBe zero sign', () => expect(0).toBe(-0),
  'expect(received).toBe(expected) // Object.is equality\n\nExpected: -0\nReceived: 0');
fails('not toBe', () => expect('a').not.toBe('a'),
  "expect(received).not.toBe(expected) // Object.is equality\n\nExpected: not 'a'");
fails('toBe equal objects suggests toStrictEqual', () => expect({ a: 1 }).toBe({ a: 1 }),
  'expect(received).toBe(expected) // Object.is equality\n\nExpected: { a: 1 }\nReceived: { a: 1 }\n\n' +
  'If it should pass with deep equality, replace "toBe" with "toStrictEqual"');

passes('toBeTruthy', () => expect('x').toBeTruthy());
fails('toBeTruthy', () => expect(0).toBeTruthy(), 'expect(received).toBeTruthy()\n\nReceived: 0');
passes('toBeFalsy', () => expect('').toBeFalsy());
fails('not toBeFalsy', () => expect(null).not.toBeFalsy(), 'expect(received).not.toBeFalsy()\n\nReceived: null');
passes('toBeNull', () => expect(null).toBeNull());
fails('toBeNull', () => expect(undefined).toBeNull(), 'expect(received).toBeNull()\n\nReceived: undefined');
passes('toBeUndefined', () => expect(undefined).toBeUndefined());
passes('toBeDefined', () => expect(0).toBeDefined());
fails('toBeDefined', () => expect(undefined).toBeDefined(), 'expect(received).toBeDefined()\n\nReceived: undefined');
passes('toBeNaN', () => expect(NaN).toBeNaN());

passes('toContain array item', () => expect([1, 'a', null]).toContain('a'));
passes('toContain set item', () => expect(new Set([1, 2])).toContain(2));
passes('toContain substring', () => expect('hello world').toContain('o w'));
fails('toContain uses ===', () => expect([{ a: 1 }]).toContain({ a: 1 }),
  'expect(received).toContain(expected)\n\nExpected value: { a: 1 }\nReceived array:  [ { a: 1 } ]');
fails('toContain substring missing', () => expect('abc').toContain('x'),
  "expect(received).toContain(expected)\n\nExpected substring: 'x'\nReceived string:  'abc'");
fails('not toContain', () => expect([1, 2]).not.toContain(2),
  'expect(received).not.toContain(expected)\n\nExpected value: not 2\nReceived array:  [ 1, 2 ]');
passes('toContainEqual', () => expect([{ a: 1 }]).toContainEqual({ a: 1 }));

passes('toMatch regexp', () => expect('Reset your password').toMatch(/reset/i));
passes('toMatch string', () => expect('abc').toMatch('b'));
fails('toMatch', () => expect('abc').toMatch(/^b/),
  "expect(received).toMatch(expected)\n\nExpected pattern: /^b/\nReceived string:  'abc'");
fails('not toMatch', () => expect('abc').not.toMatch('b'),
  "expect(received).not.toMatch(expected)\n\nExpected substring: not 'b'\nReceived string:  'abc'");

passes('toHaveLength array', () => expect([1, 2]).toHaveLength(2));
passes('toHaveLength string', () => expect('abc').toHaveLength(3));
fails('toHaveLength', () => expect([1]).toHaveLength(2),
  'expect(received).toHaveLength(expected)\n\nExpected length: 2\nReceived length: 1\nReceived value:  [ 1 ]');

passes('toHaveProperty dotted', () => expect({ a: { b: [{ c: 1 }] } }).toHaveProperty('a.b[0].c'));
passes('toHaveProperty array path', () => expect({ 'a.b': 1 }).toHaveProperty(['a.b'], 1));
passes('toHaveProperty value deep', () => expect({ a: { b: 2 } }).toHaveProperty('a', { b: 2 }));
passes('toHaveProperty undefined value', () => expect({ a: undefined }).toHaveProperty('a'));
passes('toHaveProperty string length', () => expect('abc').toHaveProperty('length', 3));
fails('toHaveProperty missing', () => expect({ a: { b: 1 } }).toHaveProperty('a.c.d'),
  "expect(received).toHaveProperty(path)\n\nExpected path: 'a.c.d'\nReceived path: 'a'\n\nReceived value: { a: { b: 1 } }");
fails('toHaveProperty value', () => expect({ a: 1 }).toHaveProperty('a', 2),
  "expect(received).toHaveProperty(path, value)\n\nExpected path: 'a'\n\nExpected value: 2\nReceived value: 1");

passes('toBeGreaterThan', () => expect(3).toBeGreaterThan(2));
passes('toBeGreaterThan bigint', () => expect(3n).toBeGreaterThan(2));
passes('toBeGreaterThanOrEqual', () => expect(2).toBeGreaterThanOrEqual(2));
passes('toBeLessThan', () => expect(1).toBeLessThan(2));
passes('toBeLessThanOrEqual', () => expect(2).toBeLessThanOrEqual(2));
fails('toBeGreaterThan', () => expect(3).toBeGreaterThan(5),
  'expect(received).toBeGreaterThan(expected)\n\nExpected: > 5\nReceived:   3');
fails('not toBeLessThanOrEqual', () => expect(1).not.toBeLessThanOrEqual(2),
  'expect(received).not.toBeLessThanOrEqual(expected)\n\nExpected: not <= 2\nReceived:        1');
fails('NaN is never greater', () => expect(NaN).toBeGreaterThan(0), /Expected: > 0\nReceived:   NaN/);

passes('toBeCloseTo', () => expect(0.1 + 0.2).toBeCloseTo(0.3));
passes('toBeCloseTo digits', () => expect(1.23).toBeCloseTo(1.2, 1));
passes('toBeCloseTo infinity', () => expect(Infinity).toBeCloseTo(Infinity));
fails('toBeCloseTo', () => expect(0.5).toBeCloseTo(0.3),
  'expect(received).toBeCloseTo(expected, precision)\n\nExpected: 0.3\nReceived: 0.5\n\n' +
  'Expected precision:    2\nExpected difference: < 0.005\nReceived difference:   0.2');

passes('toBeInstanceOf', () => expect(new TypeError('x')).toBeInstanceOf(Error));
passes('not toBeInstanceOf primitive', () => expect(1).not.toBeInstanceOf(Number));
fails('toBeInstanceOf', () => { class Foo {} class Bar {} expect(new Bar()).toBeInstanceOf(Foo) },
  'expect(received).toBeInstanceOf(expected)\n\nExpected constructor: Foo\nReceived constructor: Bar');
fails('toBeInstanceOf null prototype', () => expect(Object.create(null)).toBeInstanceOf(Object),
  'expect(received).toBeInstanceOf(expected)\n\nExpected constructor: Object\nReceived value has no prototype\nReceived value: [Object: null prototype] {}');

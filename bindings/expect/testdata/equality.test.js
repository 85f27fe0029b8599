// toEqual, toStrictEqual and toMatchObject semantics (Jest's equals()).
class Point { constructor(x) { this.x = x } }

passes('toEqual objects', () => expect({ a: 1, b: [1, { c: 'x' }] }).toEqual({ b: [1, { c: 'x' }], a: 1 }));
passes('toEqual ignores undefined props', () => expect({ a: 1, b: undefined }).toEqual({ a: 1 }));
passes('toEqual ignores class', () => expect(new Point(1)).toEqual({ x: 1 }));
passes('toEqual NaN', () => expect([NaN]).toEqual([NaN]));
fails('toEqual zero sign', () => expect(0).toEqual(-0), /Expected: -0\nReceived: 0/);
passes('toEqual dates', () => expect(new Date(5)).toEqual(new Date(5)));
passes('toEqual invalid dates', () => expect(new Date('x')).toEqual(new Date('y')));
fails('toEqual dates differ', () => expect(new Date(5)).toEqual(new Date(6)), /^expect\(received\)\.toEqual\(expected\) \/\/ deep equality/);
passes('toEqual regexps', () => expect(/a/g).toEqual(/a/g));
fails('toEqual regexp flags', () => expect(/a/g).toEqual(/a/i), /toEqual/);
passes('toEqual maps any order', () => expect(new Map([['a', 1], ['b', { c: 2 }]])).toEqual(new Map([['b', { c: 2 }], ['a', 1]])));
passes('toEqual maps object keys', () => expect(new Map([[{ k: 1 }, 'v']])).toEqual(new Map([[{ k: 1 }, 'v']])));
fails('toEqual maps differ', () => expect(new Map([['a', 1]])).toEqual(new Map([['a', 2]])), /toEqual/);
passes('toEqual sets deep', () => expect(new Set([{ a: 1 }, 2])).toEqual(new Set([2, { a: 1 }])));
fails('toEqual sets differ', () => expect(new Set([1])).toEqual(new Set([2])), /toEqual/);
passes('toEqual uint8array', () => expect(new Uint8Array([1, 2])).toEqual(new Uint8Array([1, 2])));
fails('toEqual uint8array differs', () => expect(new Uint8Array([1, 2])).toEqual(new Uint8Array([1, 3])), /toEqual/);
fails('toEqual typed array kinds', () => expect(new Uint8Array([1])).toEqual(new Int8Array([1])), /toEqual/);
fails('toEqual array length', () => expect([1]).toEqual([1, undefined]), /toEqual/);
passes('toEqual cycles', () => {
  const a = { n: 1 }; a.self = a;
  const b = { n: 1 }; b.self = b;
  expect(a).toEqual(b);
});
fails('toEqual cycles differ', () => {
  const a = { n: 1 }; a.self = a;
  const b = { n: 1, self: { n: 1 } };
  expect(a).toEqual(b);
}, /toEqual/);
passes('toEqual errors by message', () => expect(new Error('x')).toEqual(new TypeError('x')));
passes('toEqual boxed', () => expect(new String('a')).toEqual(new String('a')));
fails('toEqual primitive vs boxed', () => expect('a').toEqual(new String('a')), /toEqual/);
passes('toEqual symbols keys', () => { const s = Symbol('s'); expect({ [s]: 1 }).toEqual({ [s]: 1 }) });
fails('toEqual functions', () => expect({ f() {} }).toEqual({ f() {} }), /toEqual/);
passes('not toEqual', () => expect({ a: 1 }).not.toEqual({ a: 2 }));

fails('toStrictEqual undefined props', () => expect({ a: 1, b: undefined }).toStrictEqual({ a: 1 }), /toStrictEqual/);
fails('toStrictEqual class', () => expect(new Point(1)).toStrictEqual({ x: 1 }), /toStrictEqual/);
fails('toStrictEqual sparse', () => expect([, 1]).toStrictEqual([undefined, 1]), /toStrictEqual/);
passes('toStrictEqual same class', () => expect(new Point(1)).toStrictEqual(new Point(1)));
passes('toStrictEqual arrays', () => expect([1, [2]]).toStrictEqual([1, [2]]));

passes('toMatchObject subset', () => expect({ a: 1, b: { c: 2, d: 3 }, e: [1] }).toMatchObject({ b: { c: 2 } }));
passes('toMatchObject arrays elementwise', () => expect({ list: [{ id: 1, x: 1 }, { id: 2 }] }).toMatchObject({ list: [{ id: 1 }, { id: 2 }] }));
fails('toMatchObject array lengths', () => expect({ list: [1, 2] }).toMatchObject({ list: [1] }), /toMatchObject/);
passes('toMatchObject class instance', () => expect(new Point(3)).toMatchObject({ x: 3 }));
passes('toMatchObject array of objects', () => expect([{ a: 1, b: 2 }]).toMatchObject([{ a: 1 }]));
fails('toMatchObject with diff', () => expect({ subject: 'Hello', from: { address: 'a@x' }, size: 10 })
  .toMatchObject({ subject: 'Hello', from: { address: 'b@x' } }),
  "expect(received).toMatchObject(expected)\n\n- Expected  - 1\n+ Received  + 1\n\n  {\n    subject: 'Hello',\n    from: {\n-     address: 'b@x'\n+     address: 'a@x'\n    }\n  }");
misuse('toMatchObject on a primitive', () => expect(1).toMatchObject({}),
  'expect(received).toMatchObject(expected)\n\nMatcher error: received value must be a non-null object\n\nReceived has type:  number\nReceived has value: 1');

passes('expect.any primitives', () => expect({ n: 1, s: 'x', b: true }).toEqual({ n: expect.any(Number), s: expect.any(String), b: expect.any(Boolean) }));
passes('expect.any class', () => expect({ when: new Date() }).toMatchObject({ when: expect.any(Date) }));
fails('expect.any mismatch', () => expect({ n: 'x' }).toEqual({ n: expect.any(Number) }),
  "expect(received).toEqual(expected) // deep equality\n\n- Expected  - 1\n+ Received  + 1\n\n  {\n-   n: Any<Number>\n+   n: 'x'\n  }");
passes('expect.anything', () => expect({ id: 'x' }).toEqual({ id: expect.anything() }));
fails('expect.anything rejects null', () => expect(null).toEqual(expect.anything()), /Expected: Anything\nReceived: null/);
passes('expect.any in toHaveProperty', () => expect({ a: 5 }).toHaveProperty('a', expect.any(Number)));
passes('expect.any in toContainEqual', () => expect([{ id: 3 }]).toContainEqual({ id: expect.any(Number) }));
misuse('expect.any without constructor', () => expect.any(1), /^expect.any\(\) expects a constructor/);

// Strings that print the same: the failure says why they differ.
fails('toBe CRLF vs LF', () => expect('Hello\r\nWorld').toBe('Hello\nWorld'),
  "expect(received).toBe(expected) // Object.is equality\n\nthe strings differ only in line endings (LF vs CRLF): expected has LF, received has CRLF\n\n- Expected  - 1\n+ Received  + 1\n\n- Hello\n+ Hello\\r\n  World");
fails('toEqual NBSP', () => expect('Total:\u00a010 EUR').toEqual('Total: 10 EUR'),
  "expect(received).toEqual(expected) // deep equality\n\nthe strings differ only in invisible characters (shown below as escapes)\n\n- Expected  - 1\n+ Received  + 1\n\n- Total: 10 EUR\n+ Total:\\u00A010 EUR");
fails('toBe zero-width space and BOM', () => expect('\ufeffcode:\u200b42').toBe('code:42'),
  /invisible characters[\s\S]*\+ \\uFEFFcode:\\u200B42/);
fails('toBe trailing whitespace', () => expect('line one \nline two\t').toBe('line one\nline two'),
  /invisible characters[\s\S]*\+ line one\\x20\n\+ line two\\t/);
fails('toBe visible difference keeps the plain message', () => expect('a\r\nb').toBe('a\nc'),
  /^expect\(received\)\.toBe\(expected\) \/\/ Object\.is equality\n\n- Expected  - 2\n\+ Received  \+ 2/);

// Regenerates inspect.golden.json from Node (v20): node testdata/gen.js
// Each case is evaluated by Node here and by goja in the Go test; the expected text is Node's.
'use strict';
const util = require('util');
const fs = require('fs');
const path = require('path');

const err = (ctor, msg, extra) => `(() => { const e = new ${ctor}(${JSON.stringify(msg)}); ${extra || ''}; return e })()`;

// [name, expression, options in Go's jsfmt.Options names]
const inspectCases = [
  ['int', '42'], ['float', '1.5'], ['negzero', '-0'], ['nan', 'NaN'], ['neginf', '-Infinity'],
  ['bignum', '1.5e300'], ['bigint', '123n'], ['negbigint', '-5n'],
  ['string', "'hello'"], ['string single quote', `"it's"`], ['string both quotes', `"it's \\"q\\""`],
  ['string all quotes', '"it\'s \\"q\\" `b`"'], ['string escapes', "'a\\nb\\t\\x1b\\u0007\\\\'"],
  ['string unicode', "'héllo ☃ 😀'"], ['lone surrogate', "'\\ud800x'"],
  ['long string', "'x'.repeat(100)"], ['long multiline', "'line one is here\\n'.repeat(6)"],
  ['max string', "'abcdef'", { MaxStringLength: 3 }],
  ['undefined', 'undefined'], ['null', 'null'], ['true', 'true'],
  ['symbol', "Symbol('x')"], ['symbol empty', 'Symbol()'], ['symbol wellknown', 'Symbol.iterator'],
  ['empty object', '({})'], ['object', "({ a: 1, b: 'x', c: [1, 2] })"],
  ['keys quoting', "({ 'a-b': 1, 2: 3, _x: 1, $y: 2, 'it\\'s': 3, é: 4 })"],
  ['proto key', `JSON.parse('{"__proto__": 1}')`],
  ['nested depth', '({ a: { b: { c: { d: 1 } } } })'],
  ['nested array depth', '[[1, [2, [3, [4]]]]]'],
  ['unlimited depth', '({ a: { b: { c: { d: { e: 1 } } } } })', { Depth: -1 }],
  ['depth 1', '({ a: { b: { c: 1 } }, m: new Map([[1, {}]]), s: new Set([[1]]) })', { Depth: 1 }],
  ['empty array', '[]'], ['array', '[1, 2, 3]'], ['sparse', '[1, , 3]'], ['holes', 'new Array(5)'],
  ['sparse tail', '(() => { const a = [1]; a.length = 4; return a })()'],
  ['array extra key', "Object.assign([1, , , 4], { foo: 'bar' })"],
  ['array 120 numbers', 'Array.from({ length: 120 }, (_, i) => i * 3)'],
  ['array strings grouped', "Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 5 + 1))"],
  ['array of objects', "Array.from({ length: 4 }, (_, i) => ({ id: i, name: 'item number ' + i }))"],
  ['array max length', '[1, 2, 3, 4, 5]', { MaxArrayLength: 3 }],
  ['array mixed', "[1, 'a', null, undefined, true, 2n, Symbol('s'), [], {}]"],
  ['map', "new Map([['a', 1], [{ k: 1 }, [2]]])"], ['empty map', 'new Map()'],
  ['set', "new Set([1, 'x', { y: 2 }])"], ['empty set', 'new Set()'],
  ['set max length', 'new Set([1, 2, 3, 4])', { MaxArrayLength: 2 }],
  ['map with props', "Object.assign(new Map([[1, 2]]), { extra: true })"],
  ['date', "new Date('2024-01-02T03:04:05Z')"], ['invalid date', "new Date('nope')"],
  ['date with props', "Object.assign(new Date(0), { tz: 'UTC' })"],
  ['regexp', '/ab+c/gi'], ['regexp with props', "Object.assign(/x/, { y: 1 })"],
  ['named function', 'function foo() {}; foo'], ['anonymous function', '(function () {})'],
  ['arrow', '(() => {})'], ['named arrow', 'const arrowFn = () => 1; arrowFn'],
  ['async function', 'async function af() {}; af'], ['generator function', 'function* gen() {}; gen'],
  ['class', 'class A {}; A'], ['subclass', 'class Base {}; class Derived extends Base {}; Derived'],
  ['anonymous class', '(class {})'],
  ['function with props', 'Object.assign(function f() {}, { x: 1 })'],
  ['method', '({ m() {} }).m'],
  ['instance', 'class Foo { constructor() { this.x = 1; this.y = [1] } }; new Foo()'],
  ['empty instance', 'class Bar {}; new Bar()'],
  ['null prototype', "Object.assign(Object.create(null), { a: 1 })"],
  ['null prototype empty', 'Object.create(null)'],
  ['circular', '(() => { const o = { name: "o" }; o.self = o; return o })()'],
  ['circular two', '(() => { const a = { b: {} }; a.b.a = a; a.c = { d: {} }; a.c.d.c = a.c; return a })()'],
  ['circular array', '(() => { const a = [1]; a.push(a); return a })()'],
  ['uint8array', 'new Uint8Array([1, 2, 3])'], ['empty uint8array', 'new Uint8Array(0)'],
  ['float64array', 'new Float64Array([1.5, -0, NaN])'], ['bigint64array', 'new BigInt64Array([1n, -2n])'],
  ['long uint8array', 'new Uint8Array(150).map((_, i) => i)'],
  ['arraybuffer', 'new Uint8Array([1, 2, 255]).buffer'],
  ['promise fulfilled', 'Promise.resolve({ a: 1 })'], ['promise pending', 'new Promise(() => {})'],
  ['promise rejected', "(p => (p.catch(() => {}), p))(Promise.reject('bad'))"],
  ['error no stack', err('TypeError', 'bad input', 'delete e.stack')],
  ['error no stack props', err('Error', 'boom', "delete e.stack; e.code = 'E_BOOM'; e.status = 404")],
  ['error custom stack', err('Error', 'boom', "e.stack = 'Error: boom\\n    at f (file.js:1:2)\\n    at g (file.js:3:4)'; e.code = 'X'")],
  ['error nested', `({ err: ${err('RangeError', 'r', 'delete e.stack')} })`],
  ['error nested stack', `({ err: ${err('Error', 'x', "e.stack = 'Error: x\\n    at f (file.js:1:2)'")} })`],
  ['error subclass', `class ValidationError extends Error {}; ${err('ValidationError', 'v', 'delete e.stack')}`],
  ['error subclass named', `class NamedError extends Error { constructor(m) { super(m); this.name = 'NamedError' } }; ${err('NamedError', 'n', 'delete e.stack')}`],
  ['error cause', "(() => { const e = new Error('outer', { cause: 'inner' }); delete e.stack; return e })()"],
  ['error empty message', err('Error', '', 'delete e.stack')],
  ['getters', '({ get a() { return 1 }, set b(v) {}, get c() { return 1 }, set c(v) {} })'],
  ['throwing getter', "({ get boom() { throw new Error('no') } })"],
  ['symbol keys', "({ [Symbol('s')]: 1, plain: 2 })"],
  ['own tostringtag', "({ [Symbol.toStringTag]: 'T' })"],
  ['class tostringtag', "class Tagged { get [Symbol.toStringTag]() { return 'tag' } }; new Tagged()"],
  ['boxed number', 'new Number(3)'], ['boxed string', "new String('ab')"],
  ['boxed boolean', 'new Boolean(false)'], ['boxed bigint', 'Object(1n)'], ['boxed symbol', "Object(Symbol('q'))"],
  ['boxed string props', "Object.assign(new String('ab'), { x: 1 })"],
  ['proxy', "new Proxy({ a: 1 }, { get() { throw new Error('trap') }, ownKeys() { throw new Error('trap') } })"],
  ['revoked proxy', '(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy })()'],
  ['arguments', '(function () { return arguments })(1, 2)'],
  ['weakmap', 'new WeakMap()'], ['weakset', 'new WeakSet()'],
  ['long object', "({ alpha: 'x'.repeat(20), beta: 'y'.repeat(20), gamma: 'z'.repeat(20), delta: 1 })"],
  ['nested long', "({ list: [{ name: 'first entry', value: 1 }, { name: 'second entry', value: 2 }], meta: { total: 2, page: 1 } })"],
  ['four levels', '({ a: { b: { c: {} } }, x: [[[]]] })'],
  ['long string in object', "({ body: 'Dear user,\\nplease reset your password using the link below.\\nThanks' })"],
  ['colors', "({ n: 1, s: 's', nul: null, u: undefined, b: [true], sym: Symbol('x'), d: new Date(0), r: /x/, f() {}, big: 1n })", { Colors: true }],
  ['colors array grouped', 'Array.from({ length: 10 }, (_, i) => i)', { Colors: true }],
  ['colors circular', '(() => { const o = {}; o.o = o; return o })()', { Colors: true }],
  ['compact', "({ a: { b: { c: 'x'.repeat(30) } }, d: [1, 2, 3], e: 'y'.repeat(40) })", { Compact: true }],
  ['compact short', '({ a: 1, b: [1, 2] })', { Compact: true }],
  ['break length', "({ first: 'one', second: 'two', third: 'three' })", { BreakLength: 30 }],
  ['break length wide', "({ alpha: 'x'.repeat(20), beta: 'y'.repeat(20), gamma: 'z'.repeat(20), delta: 1 })", { BreakLength: 200 }],
];

// [name, expression giving the console.log argument array, options]
const argCases = [
  ['empty', '[]'], ['string only', "['plain %s text']"], ['subst s', "['a %s b', 'x']"],
  ['subst s number', "['%s', -0]"], ['subst s bigint', "['%s', 5n]"], ['subst s null', "['%s', null]"],
  ['subst s object', "['%s', { a: { b: 1 } }]"], ['subst s array', "['%s', [1, [2, [3]]]]"],
  ['subst s custom tostring', "class Pretty { toString() { return 'pretty!' } }; ['%s', new Pretty()]"],
  ['subst s symbol', "['%s', Symbol('s')]"],
  ['subst d', "['%d', '42']"], ['subst d object', "['%d', {}]"], ['subst i', "['%i', 42.9]"],
  ['subst f', "['%f', '1.5xyz']"], ['subst j', "['%j', { a: [1, 'x'] }]"],
  ['subst j circular', "(() => { const o = {}; o.o = o; return ['%j', o] })()"],
  ['subst O', "['%O', { a: { b: { c: { d: 1 } } } }]"], ['subst o', "['%o', { a: { b: { c: { d: { e: 1 } } } } }]"],
  ['subst c', "['%cstyled', 'color: red']"], ['percent', "['100%%', 1]"], ['percent alone', "['100%%']"],
  ['unknown verb', "['%x', 1]"], ['missing args', "['%s and %s', 'one']"], ['trailing percent', "['a%', 1]"],
  ['extra args', "['%s:', 'k', 'v', { o: 1 }]"], ['non string first', "[1, 'a', { b: 2 }, [3]]"],
  ['strings raw', "['a', 'b\\nc']"], ['colors', "[{ n: 1 }, 'raw']", { Colors: true }],
];

const nodeOpts = (o = {}) => ({
  depth: o.Depth === -1 ? null : (o.Depth || 2),
  colors: !!o.Colors,
  maxArrayLength: o.MaxArrayLength === -1 ? null : (o.MaxArrayLength || 100),
  maxStringLength: o.MaxStringLength === -1 ? null : (o.MaxStringLength || 10000),
  compact: o.Compact ? true : 3,
  breakLength: o.BreakLength || 80,
});

const out = { inspect: [], args: [] };
for (const [name, expr, opts] of inspectCases) {
  out.inspect.push({ name, expr, opts: opts || {}, want: util.inspect((0, eval)(`{${expr}}`), nodeOpts(opts)) });
}
for (const [name, expr, opts] of argCases) {
  out.args.push({ name, expr, opts: opts || {}, want: util.formatWithOptions(nodeOpts(opts), ...(0, eval)(`{${expr}}`)) });
}
fs.writeFileSync(path.join(__dirname, 'inspect.golden.json'), JSON.stringify(out, null, 1) + '\n');

// How console.log and the REPL show these objects (the Symbol.for('mailscript.inspect') hook
// of bindings/jsfmt): their state lives behind symbols, which would print as "Response {}".
const INSPECT = Symbol.for('mailscript.inspect');
const viewProtos = {};

// view is fields on an object whose class name is name, so that it prints as "name { ... }".
function view(name, fields) {
  viewProtos[name] = viewProtos[name] ?? { [name]: class {} }[name].prototype;
  return Object.assign(Object.create(viewProtos[name]), fields);
}

const views = [
  [Headers, h => view('Headers', Object.fromEntries(h))],
  [Request, r => view('Request', { method: r.method, url: r.url, headers: r.headers, bodyUsed: r.bodyUsed })],
  [Response, r => view('Response', { status: r.status, statusText: r.statusText, ok: r.ok, url: r.url, redirected: r.redirected, headers: r.headers, bodyUsed: r.bodyUsed })],
  [Blob, b => view(b instanceof File ? 'File' : 'Blob', b instanceof File ? { name: b.name, size: b.size, type: b.type } : { size: b.size, type: b.type })],
  [FormData, f => view('FormData', Object.fromEntries(f))],
  [AbortSignal, s => view('AbortSignal', { aborted: s.aborted, reason: s.reason })],
  [AbortController, c => view('AbortController', { signal: c.signal })],
];
for (const [cls, fn] of views) {
  Object.defineProperty(cls.prototype, INSPECT, {
    value() {
      return fn(this);
    },
  });
}

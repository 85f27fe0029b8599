// Headers: a list of [lower-case name, value] in insertion order. A value may be a secret():
// it shows as its [secret REF] label and only the wire gets the real value.
const LIST = Symbol('headers');
const isSecret = v => native.isSecret(v);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function headerName(name, what) {
  const n = String(name);
  if (!TOKEN.test(n)) {
    throw new TypeError(`${what}: ${JSON.stringify(n)} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
  }
  return n.toLowerCase();
}

function headerValue(value, name, what) {
  if (isSecret(value)) return value;
  const v = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  if (/[\0\r\n]/.test(v)) {
    throw new TypeError(`${what}: the value of ${name} has a line break or NUL character, which would split the header`);
  }
  return v;
}

class Headers {
  constructor(init) {
    Object.defineProperty(this, LIST, { value: [], writable: true });
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      this[LIST] = init[LIST].slice();
      return;
    }
    if (typeof init !== 'object' || isSecret(init)) {
      throw new TypeError('Headers: init must be an object ({"Content-Type": "text/plain"}), an array of [name, value] pairs or a Headers');
    }
    if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const p = typeof pair === 'object' && pair !== null && typeof pair[Symbol.iterator] === 'function' ? [...pair] : [];
        if (p.length !== 2) throw new TypeError('Headers: each entry of an array must be a [name, value] pair');
        this.append(p[0], p[1]);
      }
      return;
    }
    for (const key of Object.keys(init)) this.append(key, init[key]);
  }

  append(name, value) {
    const n = headerName(name, 'Headers.append');
    this[LIST].push([n, headerValue(value, n, 'Headers.append')]);
  }

  delete(name) {
    const n = headerName(name, 'Headers.delete');
    this[LIST] = this[LIST].filter(([k]) => k !== n);
  }

  get(name) {
    const n = headerName(name, 'Headers.get');
    const values = this[LIST].filter(([k]) => k === n).map(([, v]) => String(v));
    return values.length ? values.join(', ') : null;
  }

  getSetCookie() {
    return this[LIST].filter(([k]) => k === 'set-cookie').map(([, v]) => String(v));
  }

  has(name) {
    const n = headerName(name, 'Headers.has');
    return this[LIST].some(([k]) => k === n);
  }

  set(name, value) {
    const n = headerName(name, 'Headers.set');
    const v = headerValue(value, n, 'Headers.set');
    const i = this[LIST].findIndex(([k]) => k === n);
    if (i < 0) {
      this[LIST].push([n, v]);
      return;
    }
    this[LIST] = this[LIST].filter(([k], j) => j <= i || k !== n);
    this[LIST][i] = [n, v];
  }

  forEach(fn, thisArg) {
    for (const [k, v] of this) fn.call(thisArg, v, k, this);
  }

  // Sorted by name with repeated names combined, as the standard iterates; Set-Cookie stays
  // one entry per cookie.
  *entries() {
    const names = [...new Set(this[LIST].map(([k]) => k))].sort();
    for (const n of names) {
      if (n === 'set-cookie') {
        for (const c of this.getSetCookie()) yield [n, c];
      } else {
        yield [n, this.get(n)];
      }
    }
  }

  *keys() {
    for (const [k] of this.entries()) yield k;
  }

  *values() {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator]() {
    return this.entries();
  }

  get [Symbol.toStringTag]() {
    return 'Headers';
  }
}

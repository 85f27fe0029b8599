// Blob, File and FormData: bytes with a type, a file name on top, and form fields. A FormData
// field may hold a secret(), sent as its real value.
const BYTES = Symbol('bytes');
const encoder = new TextEncoder();

// bytesOf copies a part's bytes: string (UTF-8), ArrayBuffer, typed array or DataView, Blob.
function bytesOf(part, what) {
  if (typeof part === 'string') return encoder.encode(part);
  if (part instanceof Blob) return part[BYTES];
  if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
  if (isSecret(part)) throw new TypeError(`${what}: a secret cannot go into a Blob, which scripts can read back; put it in a header, a FormData field or the whole body`);
  return encoder.encode(String(part));
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

class Blob {
  constructor(parts = [], options = {}) {
    if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') {
      throw new TypeError('Blob: the first argument must be an array of parts (strings, bytes or Blobs), like new Blob(["hello"], {type: "text/plain"})');
    }
    const type = options && options.type !== undefined ? String(options.type) : '';
    Object.defineProperty(this, BYTES, { value: concat([...parts].map(p => bytesOf(p, 'Blob'))) });
    Object.defineProperty(this, 'type', { value: /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : '', enumerable: true });
  }

  get size() {
    return this[BYTES].length;
  }

  async text() {
    return new TextDecoder().decode(this[BYTES]);
  }

  async arrayBuffer() {
    return this[BYTES].slice().buffer;
  }

  async bytes() {
    return this[BYTES].slice();
  }

  slice(start = 0, end = this.size, type = '') {
    return new Blob([this[BYTES].slice(start, end)], { type });
  }

  get [Symbol.toStringTag]() {
    return 'Blob';
  }
}

class File extends Blob {
  constructor(parts, name, options = {}) {
    if (arguments.length < 2) {
      throw new TypeError('File: the file name is missing: new File([bytes], "report.pdf", {type: "application/pdf"})');
    }
    super(parts, options);
    Object.defineProperty(this, 'name', { value: String(name), enumerable: true });
    Object.defineProperty(this, 'lastModified', { value: options && options.lastModified !== undefined ? Number(options.lastModified) : Date.now(), enumerable: true });
  }

  get [Symbol.toStringTag]() {
    return 'File';
  }
}

const ENTRIES = Symbol('entries');

// formValue is what a field holds: a string, a secret, or a File (a Blob becomes one).
function formValue(value, filename, what) {
  if (value instanceof Blob) {
    if (value instanceof File && filename === undefined) return value;
    return new File([value], filename !== undefined ? String(filename) : value instanceof File ? value.name : 'blob', { type: value.type });
  }
  if (filename !== undefined) throw new TypeError(`${what}: a file name goes with a Blob or File value only; wrap the bytes: new File([bytes], ${JSON.stringify(String(filename))})`);
  return isSecret(value) ? value : String(value);
}

class FormData {
  constructor(form) {
    if (form !== undefined) throw new TypeError('FormData: there is no HTML form to read here; use new FormData() and append the fields');
    Object.defineProperty(this, ENTRIES, { value: [], writable: true });
  }

  append(name, value, filename) {
    this[ENTRIES].push([String(name), formValue(value, filename, 'FormData.append')]);
  }

  delete(name) {
    this[ENTRIES] = this[ENTRIES].filter(([k]) => k !== String(name));
  }

  get(name) {
    const e = this[ENTRIES].find(([k]) => k === String(name));
    return e ? e[1] : null;
  }

  getAll(name) {
    return this[ENTRIES].filter(([k]) => k === String(name)).map(([, v]) => v);
  }

  has(name) {
    return this[ENTRIES].some(([k]) => k === String(name));
  }

  set(name, value, filename) {
    const n = String(name);
    const entry = [n, formValue(value, filename, 'FormData.set')];
    const i = this[ENTRIES].findIndex(([k]) => k === n);
    if (i < 0) {
      this[ENTRIES].push(entry);
      return;
    }
    this[ENTRIES] = this[ENTRIES].filter(([k], j) => j <= i || k !== n);
    this[ENTRIES][i] = entry;
  }

  forEach(fn, thisArg) {
    for (const [k, v] of this[ENTRIES]) fn.call(thisArg, v, k, this);
  }

  *entries() {
    yield* this[ENTRIES].map(e => e.slice());
  }

  *keys() {
    for (const [k] of this[ENTRIES]) yield k;
  }

  *values() {
    for (const [, v] of this[ENTRIES]) yield v;
  }

  [Symbol.iterator]() {
    return this.entries();
  }

  get [Symbol.toStringTag]() {
    return 'FormData';
  }
}

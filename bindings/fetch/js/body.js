// Bodies: what init.body may be, turned into what the native side sends, and the reading
// methods Request and Response share. A body is read at most once, as the standard says.
const BODY = Symbol('body');

// extractBody returns the stored body ({bytes}, {secret} or {form}) and the Content-Type it
// implies, or null for a FormData, whose multipart boundary the native side picks.
function extractBody(body, what) {
  if (isSecret(body)) return [{ secret: body }, 'text/plain;charset=UTF-8'];
  if (typeof body === 'string') return [{ bytes: encoder.encode(body) }, 'text/plain;charset=UTF-8'];
  if (body instanceof URLSearchParams) return [{ bytes: encoder.encode(formEncode(body)) }, 'application/x-www-form-urlencoded;charset=UTF-8'];
  if (body instanceof FormData) return [{ form: body[ENTRIES].slice() }, null];
  if (body instanceof Blob) return [{ bytes: body[BYTES] }, body.type || null];
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return [{ bytes: bytesOf(body, what) }, null];
  if (typeof body === 'object' && body !== null) {
    throw new TypeError(`${what}: body must be a string, bytes (Uint8Array, ArrayBuffer), URLSearchParams, FormData, Blob or a secret(); for JSON write body: JSON.stringify(data) with headers: {'Content-Type': 'application/json'}`);
  }
  return [{ bytes: encoder.encode(String(body)) }, 'text/plain;charset=UTF-8'];
}

// formEncode serializes as the URL standard's application/x-www-form-urlencoded serializer
// does. URLSearchParams.toString() here leaves '+' unescaped, which a server reads as a space:
// a plus-address like qa+signup@example.com would arrive as "qa signup@example.com".
function formEncode(params) {
  const enc = s => encodeURIComponent(s).replace(/[!'()~]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, '+');
  return [...params].map(([k, v]) => enc(k) + '=' + enc(v)).join('&');
}

// wire is a stored body as the native side takes it.
function wire(b) {
  if (!b) return undefined;
  if (b.bytes) return { bytes: b.bytes.slice().buffer };
  if (b.secret) return b;
  return {
    form: b.form.map(([k, v]) => [k, v instanceof File ? { name: v.name, type: v.type, bytes: v[BYTES].slice().buffer } : v]),
  };
}

const USED = Symbol('used');

// consume takes the body's bytes once; a secret or form body cannot be read back.
function consume(obj, what) {
  if (obj[USED]) {
    throw new TypeError(`${what}: the body was already read; call clone() before the first read to read it twice`);
  }
  obj[USED] = true;
  const b = obj[BODY];
  if (!b) return new Uint8Array(0);
  if (b.bytes) return b.bytes;
  throw new TypeError(`${what}: a ${b.secret ? 'secret' : 'FormData'} body cannot be read back`);
}

function mixBody(cls, name) {
  Object.defineProperty(cls.prototype, 'bodyUsed', {
    get() {
      return !!this[USED];
    },
  });
  Object.assign(cls.prototype, {
    async text() {
      return new TextDecoder().decode(consume(this, `${name}.text()`));
    },
    async json() {
      const text = new TextDecoder().decode(consume(this, `${name}.json()`));
      try {
        return JSON.parse(text);
      } catch (e) {
        const start = text.length > 80 ? text.slice(0, 80) + '...' : text;
        throw new SyntaxError(`${name}.json(): the body is not JSON (${e.message}); it starts with ${JSON.stringify(start)}`);
      }
    },
    async arrayBuffer() {
      return consume(this, `${name}.arrayBuffer()`).slice().buffer;
    },
    async bytes() {
      return consume(this, `${name}.bytes()`).slice();
    },
    async blob() {
      const bytes = consume(this, `${name}.blob()`);
      return new Blob([bytes], { type: this.headers.get('content-type') ?? '' });
    },
  });
}

// Response: what fetch resolves with (HTTP errors too: check ok or status), or one a script
// builds itself. The body is read whole before fetch resolves, within the native side's cap.
const RES = Symbol('response');

function makeResponse(r, body) {
  const res = Object.create(Response.prototype);
  Object.defineProperty(res, RES, { value: r });
  Object.defineProperty(res, BODY, { value: body });
  return res;
}

class Response {
  constructor(body = null, init = {}) {
    init = init ?? {};
    const status = init.status === undefined ? 200 : Number(init.status);
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new TypeError(`new Response: status must be an integer from 200 to 599; got ${String(init.status)}`);
    }
    const headers = new Headers(init.headers);
    let stored = null;
    if (body !== null && body !== undefined) {
      const [b, type] = extractBody(body, 'new Response');
      if (!b.bytes) throw new TypeError('new Response: the body must be a string, bytes, URLSearchParams or Blob');
      stored = b;
      if (type !== null && !headers.has('content-type')) headers.set('content-type', type);
    }
    Object.defineProperty(this, RES, {
      value: { status, statusText: init.statusText === undefined ? '' : String(init.statusText), headers, url: '', redirected: false, type: 'default' },
    });
    Object.defineProperty(this, BODY, { value: stored });
  }

  static json(data, init = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(data), { ...init, headers });
  }

  static error() {
    return makeResponse({ status: 0, statusText: '', headers: new Headers(), url: '', redirected: false, type: 'error' }, null);
  }

  static redirect(url, status = 302) {
    if (![301, 302, 303, 307, 308].includes(status)) throw new RangeError(`Response.redirect: status must be 301, 302, 303, 307 or 308; got ${status}`);
    return new Response(null, { status, headers: { location: absoluteURL(url) } });
  }

  get status() {
    return this[RES].status;
  }

  get ok() {
    return this[RES].status >= 200 && this[RES].status <= 299;
  }

  get statusText() {
    return this[RES].statusText;
  }

  get headers() {
    return this[RES].headers;
  }

  get url() {
    return this[RES].url;
  }

  get redirected() {
    return this[RES].redirected;
  }

  get type() {
    return this[RES].type;
  }

  clone() {
    if (this.bodyUsed) throw new TypeError('Response.clone(): the body was already read; clone before reading');
    return makeResponse({ ...this[RES], headers: new Headers(this[RES].headers) }, this[BODY]);
  }

  get [Symbol.toStringTag]() {
    return 'Response';
  }
}
mixBody(Response, 'Response');

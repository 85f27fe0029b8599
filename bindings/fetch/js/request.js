// Request: a checked URL, method, headers, body and modes. Every mistake is a TypeError that
// names the option and how to fix it.
const OPTIONS = ['method', 'headers', 'body', 'redirect', 'signal', 'credentials'];
const MODES = { redirect: ['follow', 'manual', 'error'], credentials: ['same-origin', 'include', 'omit'] };
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const REQ = Symbol('request');
let caller = 'new Request'; // fetch() sets it, so that errors name what the script called

function absoluteURL(input) {
  const s = String(input);
  let url;
  try {
    url = new URL(s);
  } catch (e) {
    throw new TypeError(`${caller}: ${JSON.stringify(s)} is not an absolute URL; a script has no page to resolve it against, so give the whole URL, e.g. new URL('/signup', env.APP_URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${caller}: ${JSON.stringify(s)} has the scheme ${url.protocol}, but fetch speaks http: and https: only`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(`${caller}: ${JSON.stringify(url.protocol + '//' + url.host + url.pathname)} carries a user name or password; send them in an Authorization header instead (a secret() is accepted there)`);
  }
  url.hash = '';
  return url.href;
}

function checkMethod(m) {
  const s = String(m);
  if (!TOKEN.test(s)) throw new TypeError(`${caller}: method ${JSON.stringify(s)} is not a valid HTTP method`);
  const upper = s.toUpperCase();
  if (['CONNECT', 'TRACE', 'TRACK'].includes(upper)) throw new TypeError(`${caller}: method ${upper} is forbidden in fetch`);
  return NORMALIZED.includes(upper) ? upper : s;
}

class Request {
  constructor(input, init) {
    if (init !== undefined && init !== null && (typeof init !== 'object' || Array.isArray(init))) {
      throw new TypeError(`${caller}: the second argument must be an options object, like {method: 'POST', body: '...'}`);
    }
    init = init ?? {};
    for (const key of Object.keys(init)) {
      if (!OPTIONS.includes(key)) {
        throw new TypeError(`${caller}: unknown option ${JSON.stringify(key)}; mailscript's fetch takes ${OPTIONS.join(', ')} (no browser, so mode, cache and referrer do not apply)`);
      }
    }
    const base = input instanceof Request ? input[REQ] : null;
    const r = {
      url: base ? base.url : absoluteURL(input),
      method: base ? base.method : 'GET',
      headers: new Headers(base ? base.headers : undefined),
      redirect: base ? base.redirect : 'follow',
      credentials: base ? base.credentials : 'same-origin',
      signal: base ? base.signal : null,
    };
    if (init.method !== undefined) r.method = checkMethod(init.method);
    if (init.headers !== undefined) r.headers = new Headers(init.headers);
    for (const mode of ['redirect', 'credentials']) {
      if (init[mode] === undefined) continue;
      if (!MODES[mode].includes(init[mode])) {
        throw new TypeError(`${caller}: ${mode} must be ${MODES[mode].map(m => `'${m}'`).join(', ')}; got ${JSON.stringify(String(init[mode]))}`);
      }
      r[mode] = init[mode];
    }
    if (init.signal !== undefined) {
      if (init.signal !== null && !(init.signal instanceof AbortSignal)) {
        throw new TypeError(`${caller}: signal must be an AbortSignal, like new AbortController().signal or AbortSignal.timeout(5000)`);
      }
      r.signal = init.signal;
    }
    let body = base && init.body === undefined ? input[BODY] : null;
    if (init.body !== undefined && init.body !== null) {
      const [b, type] = extractBody(init.body, caller);
      body = b;
      if (type !== null && !r.headers.has('content-type')) r.headers.set('content-type', type);
    }
    if (body && (r.method === 'GET' || r.method === 'HEAD')) {
      throw new TypeError(`${caller}: a ${r.method} request cannot have a body; use method: 'POST' (or PUT, PATCH), or put the data in the URL's query`);
    }
    r.signal = r.signal ?? new AbortController().signal;
    Object.defineProperty(this, REQ, { value: r });
    Object.defineProperty(this, BODY, { value: body });
  }

  get url() {
    return this[REQ].url;
  }

  get method() {
    return this[REQ].method;
  }

  get headers() {
    return this[REQ].headers;
  }

  get redirect() {
    return this[REQ].redirect;
  }

  get credentials() {
    return this[REQ].credentials;
  }

  get signal() {
    return this[REQ].signal;
  }

  clone() {
    if (this.bodyUsed) throw new TypeError('Request.clone(): the body was already read');
    return new Request(this);
  }

  get [Symbol.toStringTag]() {
    return 'Request';
  }
}
mixBody(Request, 'Request');

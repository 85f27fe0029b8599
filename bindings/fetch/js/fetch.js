// fetch: checks its arguments like new Request, hands the request to the native side and
// settles on the loop. An abort rejects at once with the signal's reason (AbortError, or
// TimeoutError from AbortSignal.timeout) and cancels the Go request; a network failure
// rejects with a TypeError whose stack points at the script's call.
function networkError(e) {
  // The native side rejects with an Error that knows where the script called fetch (as frames,
  // for reports): keep the object and make it the TypeError the standard asks for.
  Object.setPrototypeOf(e, TypeError.prototype);
  const stack = typeof e.stack === 'string' ? e.stack : '';
  e.stack = 'TypeError: ' + e.message + (stack.indexOf('\n') >= 0 ? stack.slice(stack.indexOf('\n')) : '');
  return e;
}

function fetch(input, init) {
  let req;
  caller = 'fetch';
  try {
    req = new Request(input, init);
  } catch (e) {
    return Promise.reject(e);
  } finally {
    caller = 'new Request';
  }
  const signal = req.signal;
  if (signal.aborted) return Promise.reject(signal.reason);
  const op = native.send({
    url: req.url,
    method: req.method,
    headers: req.headers[LIST],
    body: wire(req[BODY]),
    redirect: req.redirect,
    credentials: req.credentials,
  });
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      op.cancel();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    op.promise.then(
      raw => {
        signal.removeEventListener('abort', onAbort);
        const headers = new Headers();
        headers[LIST] = raw.headers;
        const r = { status: raw.status, statusText: raw.statusText, headers, url: raw.url, redirected: raw.redirected, type: 'basic' };
        resolve(makeResponse(r, { bytes: new Uint8Array(raw.body) }));
      },
      e => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? signal.reason : networkError(e));
      },
    );
  });
}

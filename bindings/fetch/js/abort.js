// DOMException (for AbortError and TimeoutError), AbortSignal and AbortController.
class DOMException extends Error {
  constructor(message = '', name = 'Error') {
    super(String(message));
    Object.defineProperty(this, 'name', { value: String(name), configurable: true, writable: true });
  }

  get code() {
    return { AbortError: 20, TimeoutError: 23 }[this.name] ?? 0;
  }
}

const SIGNAL = Symbol('signal');
const CREATE = Symbol('create');

class AbortSignal {
  constructor(key) {
    if (key !== CREATE) {
      throw new TypeError('AbortSignal has no constructor: use new AbortController().signal, AbortSignal.timeout(ms) or AbortSignal.abort()');
    }
    Object.defineProperty(this, SIGNAL, { value: { aborted: false, reason: undefined, listeners: [] } });
    this.onabort = null;
  }

  get aborted() {
    return this[SIGNAL].aborted;
  }

  get reason() {
    return this[SIGNAL].reason;
  }

  throwIfAborted() {
    if (this.aborted) throw this.reason;
  }

  addEventListener(type, fn, options) {
    if (type !== 'abort' || typeof fn !== 'function') return;
    const s = this[SIGNAL];
    if (s.listeners.some(l => l.fn === fn)) return;
    s.listeners.push({ fn, once: typeof options === 'object' && options !== null && !!options.once });
  }

  removeEventListener(type, fn) {
    const s = this[SIGNAL];
    s.listeners = s.listeners.filter(l => l.fn !== fn);
  }

  static abort(reason) {
    const signal = new AbortSignal(CREATE);
    abortSignal(signal, reason);
    return signal;
  }

  static timeout(ms) {
    const n = Number(ms);
    if (typeof ms !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new TypeError(`AbortSignal.timeout(ms): ms must be a number of milliseconds, like AbortSignal.timeout(5000); got ${String(ms)}`);
    }
    const signal = new AbortSignal(CREATE);
    setTimeout(() => abortSignal(signal, new DOMException('The operation timed out.', 'TimeoutError')), n);
    return signal;
  }

  static any(signals) {
    const signal = new AbortSignal(CREATE);
    for (const s of signals) {
      if (!(s instanceof AbortSignal)) throw new TypeError('AbortSignal.any(signals): every entry must be an AbortSignal');
      if (s.aborted) {
        abortSignal(signal, s.reason);
        return signal;
      }
    }
    for (const s of signals) s.addEventListener('abort', () => abortSignal(signal, s.reason), { once: true });
    return signal;
  }

  get [Symbol.toStringTag]() {
    return 'AbortSignal';
  }
}

// abortSignal aborts signal once and tells its listeners; a listener that throws does not
// keep the others from hearing, and its error is thrown when all have run.
function abortSignal(signal, reason) {
  const s = signal[SIGNAL];
  if (s.aborted) return;
  s.aborted = true;
  s.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
  const event = { type: 'abort', target: signal, currentTarget: signal };
  const listeners = s.listeners;
  s.listeners = listeners.filter(l => !l.once);
  let failure;
  const handlers = (typeof signal.onabort === 'function' ? [signal.onabort] : []).concat(listeners.map(l => l.fn));
  for (const fn of handlers) {
    try {
      fn.call(signal, event);
    } catch (e) {
      if (failure === undefined) failure = e;
    }
  }
  if (failure !== undefined) throw failure;
}

class AbortController {
  constructor() {
    Object.defineProperty(this, SIGNAL, { value: new AbortSignal(CREATE) });
  }

  get signal() {
    return this[SIGNAL];
  }

  abort(reason) {
    abortSignal(this[SIGNAL], reason);
  }

  get [Symbol.toStringTag]() {
    return 'AbortController';
  }
}

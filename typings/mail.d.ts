// Type definitions for mailscript test scripts.
//
// Reference this file from a script or a tsconfig.json ("types"/"files") to get completion and
// type checking in your editor:
//   /// <reference path="../../typings/mail.d.ts" />
// Every global declared here exists at run time and vice versa (a Go test checks it).

/** A duration: milliseconds as a number, or a string such as "500ms", "2s", "1m30s". */
type Duration = number | string;

/** A string criterion matches case-insensitively as "contains"; a RegExp is matched as is. */
type TextMatcher = string | RegExp;

/** A mailbox address with its display name. */
interface Address {
  name: string;
  address: string;
}

/** A recipient: "a@example.com", "Name <a@example.com>, b@example.com", an Address, or a list. */
type Recipients = string | Address | Array<string | Address>;

/** Error codes a rejected mail operation carries in `err.code`. */
type MailErrorCode =
  | "AUTH_FAILED"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "THROTTLED"
  | "TIMEOUT"
  | "INVALID_ARGUMENT"
  | "UNAVAILABLE"
  /** The run was stopped (Ctrl-C, --bail) before the call finished; TIMEOUT is a time limit. */
  | "CANCELLED";

/** The error a mailbox promise rejects with. The message says what to fix. */
interface MailError extends Error {
  code: MailErrorCode;
  /** "microsoft365", "google", ... */
  provider: string;
  /** HTTP status of the failing request, 0 when there was none. */
  status: number;
  /** The service's own code, e.g. "AADSTS7000215", "ErrorItemNotFound", "invalid_grant". */
  providerCode: string;
}

/** What list and waitFor select by. Every field is optional. */
interface Criteria {
  /** Well-known name ("inbox", "sent", "drafts", "trash", "archive", "junk") or a folder/label name. Default "inbox". */
  folder?: string;
  /** A fragment matches "Name <address>"; a RegExp is tried on the address, the name and that form: /^no-reply@/. */
  from?: TextMatcher;
  /**
   * A whole address (such as one from `box.uniqueAddress()`) matches that exact recipient, in
   * To or Cc (and, on Google, the address a Bcc copy was delivered to), case-insensitively: a
   * plus-address never matches mail to the base address or another tag. A fragment matches the
   * To line; a RegExp each recipient's address, name or "Name <address>", or the To line.
   */
  to?: TextMatcher;
  subject?: TextMatcher;
  /** Matched against the text and HTML bodies. */
  body?: TextMatcher;
  unread?: boolean;
  hasAttachments?: boolean;
  /**
   * Received at or after. A Date, epoch milliseconds or an ISO 8601 string read as Date reads it:
   * "2026-01-05" is midnight UTC, "2026-01-05T10:30" local time, "2026-01-05T10:30:00Z" an instant.
   */
  since?: Date | string | number;
  /** Received strictly before. */
  before?: Date | string | number;
  /** At most this many summaries (1-100000). Default 50. */
  limit?: number;
  /** A provider-native search passed through untouched (Graph $search / Gmail q). */
  query?: string;
}

/** One message as list returns it. */
interface MessageSummary {
  id: string;
  subject: string;
  from: Address;
  to: Address[];
  receivedAt: Date;
  isRead: boolean;
  hasAttachments: boolean;
  /** The first words of the body. */
  preview: string;
  folder: string;
}

/** An attachment of a received message; its content is downloaded only when asked for. */
interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** True for inline parts such as images referenced by cid: in the HTML. */
  inline: boolean;
  contentId?: string;
  bytes(): Promise<Uint8Array>;
  /** The content decoded as UTF-8. */
  text(): Promise<string>;
  /** Writes the content to path (relative to the working folder); resolves with the path. */
  save(path: string): Promise<string>;
}

/** A whole message as read and waitFor return it. */
interface Message extends MessageSummary {
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  /** The RFC 5322 Message-ID, angle brackets included. */
  messageId: string;
  /**
   * The text/plain part, with "\n" line ends whatever the wire used (CRLF, CR CR LF). Microsoft
   * 365 keeps one body per message, HTML when the sender sent HTML (even alongside a text part),
   * so there `text` is derived from the HTML: visible text, block elements on their own lines, and
   * a link as `text <url>`. A message with HTML and no text part gets that derived text on Google
   * too; "" only when the message has neither.
   */
  text: string;
  /** The text/html part ("" when there is none), with "\n" line ends; `raw` keeps the bytes. */
  html: string;
  /** Header names lower-cased; a header that occurs more than once gives an array. */
  headers: Record<string, string | string[]>;
  attachments: Attachment[];
  /** Every http(s) URL in the HTML and text, decoded, in order, without duplicates. */
  links: string[];
  /** The RFC 5322 source, only with read(id, { format: 'raw' }). */
  raw?: string;
}

/**
 * An attachment to send: bytes or text in `content`, or a file by `path` (relative to the
 * script). A path must name a regular file of at most 35 MB (a TypeError otherwise).
 */
type DraftAttachment =
  | { name: string; content: string | Uint8Array | ArrayBuffer; contentType?: string; inline?: boolean; contentId?: string }
  | { path: string; name?: string; contentType?: string; inline?: boolean; contentId?: string };

/** A message to send. At least one recipient in to, cc or bcc. */
interface Draft {
  to?: Recipients;
  cc?: Recipients;
  bcc?: Recipients;
  replyTo?: Recipients;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: DraftAttachment[];
  /** Extra headers. Microsoft Graph accepts only names starting with "x-". */
  headers?: Record<string, string>;
}

/** A folder (Microsoft 365) or label (Google). */
interface Folder {
  id: string;
  name: string;
  /** "inbox", "sent", "drafts", "trash", "archive", "junk" for the service's well-known folders. */
  wellKnown?: string;
  total: number;
  unread: number;
}

/** A connected mailbox. Every method returns a promise; failures reject with a MailError. */
interface Mailbox {
  /** The provider this mailbox was connected with. */
  readonly provider: string;
  /** The mailbox's own address ("" when it was connected by object id). */
  readonly address: string;
  /**
   * A fresh plus-address of the mailbox, without a network call: `qa-inbox+signup-7f3a9c01@contoso.com`
   * for tag "signup" (lower-cased, letters, digits and dashes, at most 24 characters). Exchange Online,
   * Gmail and the emulator deliver it to the mailbox; wait with `{ to: address }` so that tests
   * running side by side on one mailbox never take each other's mail.
   */
  uniqueAddress(tag?: string): string;
  /** Summaries of matching messages, newest first. */
  list(criteria?: Criteria): Promise<MessageSummary[]>;
  /** The whole message. */
  read(message: string | { id: string }, options?: { format?: "full" | "raw" }): Promise<Message>;
  /** Sends a message; mailscript sets its Message-ID, so a send is never repeated blindly. */
  send(draft: Draft): Promise<{ messageId: string }>;
  /**
   * The first matching message that arrives after the call (or after criteria.since), polling the
   * service's change feed. Rejects with code TIMEOUT, listing what was seen, after options.timeout.
   */
  waitFor(criteria: Criteria, options?: { timeout?: Duration; interval?: Duration }): Promise<Message>;
  /**
   * Moves the message to Deleted Items / Trash (a message object passed in gets its new id and
   * folder 'trash', as with move); with permanent: true deletes it for good.
   */
  delete(message: string | { id: string }, options?: { permanent?: boolean }): Promise<void>;
  /** Moves the message; resolves with its new id (a message object passed in is updated too). */
  move(message: string | { id: string }, folder: string): Promise<string>;
  /** Marks the message read (or unread with read = false). */
  markRead(message: string | { id: string }, read?: boolean): Promise<void>;
  folders(): Promise<Folder[]>;
}

/** Connection options for Microsoft 365 (an Entra app with Mail.Read, Mail.ReadWrite, Mail.Send). */
interface Microsoft365Options {
  /** Default: MAILSCRIPT_M365_TENANT_ID. */
  tenantId?: string;
  /** Default: MAILSCRIPT_M365_CLIENT_ID. */
  clientId?: string;
  /** Default: MAILSCRIPT_M365_CLIENT_SECRET. */
  clientSecret?: string | Secret;
  /** A certificate instead of a secret: a PEM or PFX file. Default: MAILSCRIPT_M365_CERTIFICATE_PATH / _PASSWORD. */
  certificate?: { path: string; password?: string | Secret };
  /** UPN or id of the mailbox. Default: MAILSCRIPT_M365_MAILBOX. */
  mailbox?: string;
  /** The national cloud's login and Graph hosts. Default: MAILSCRIPT_M365_CLOUD, else global. */
  cloud?: "global" | "usgov" | "usgov-dod" | "china";
  /** Login host root, e.g. https://login.microsoftonline.com. Default: MAILSCRIPT_LOGIN_URL. */
  loginUrl?: string;
  /** Graph host root, e.g. https://graph.microsoft.com. Default: MAILSCRIPT_GRAPH_URL. */
  graphUrl?: string;
}

/** Connection options for Google Workspace (a service account with domain-wide delegation). */
interface GoogleOptions {
  /** The service account key JSON. Default: MAILSCRIPT_GOOGLE_CREDENTIALS. */
  credentials?: string | Secret;
  /** A path to the key file instead. Default: MAILSCRIPT_GOOGLE_CREDENTIALS_FILE. */
  credentialsFile?: string;
  /** The user impersonated. Default: MAILSCRIPT_GOOGLE_USER. */
  user?: string;
  /** Default: MAILSCRIPT_GOOGLE_SCOPES, else ["https://www.googleapis.com/auth/gmail.modify"]. */
  scopes?: string[];
  /** Gmail host root, e.g. https://gmail.googleapis.com/. Default: MAILSCRIPT_GMAIL_URL. */
  gmailUrl?: string;
}

/** An opaque secret: it prints as [secret REF]; pass it where a credential goes. */
interface Secret {
  /** The secret's value, registered for redaction in every output. */
  reveal(): string;
}

interface Mail {
  /** Connects to a provider, or to a named connection in mailscript.json. Throws TypeError for bad options. */
  connect(provider: "microsoft365", options?: Microsoft365Options): Mailbox;
  connect(provider: "google", options?: GoogleOptions): Mailbox;
  connect(connectionName: string, options?: Record<string, unknown>): Mailbox;
}

declare const mail: Mail;

type TestFn = () => void | Promise<void>;

interface TestFunction {
  /**
   * Declares a test. Async functions are awaited. Each test has a time limit: `timeout`, else
   * --timeout (default 120 s).
   */
  (name: string, fn: TestFn, timeout?: Duration): void;
  /** Declares a test that is reported as skipped. */
  skip(name: string, fn?: TestFn, timeout?: Duration): void;
  /** When any test or describe uses .only, only those run in the file. */
  only(name: string, fn: TestFn, timeout?: Duration): void;
  /**
   * One test per case, as in Jest: an array case is spread into fn's arguments and fills the
   * name's %s %d %i %f %j %o %O %p in order (%# is the index); an object case is passed whole
   * and named with $key. `test.each([[1, 1, 2]])('add(%i, %i) is %i', (a, b, sum) => ...)`.
   */
  each<T>(table: readonly T[]): (name: string, fn: (...args: T extends readonly unknown[] ? T : [T]) => void | Promise<void>, timeout?: Duration) => void;
}

interface DescribeFunction {
  /** Groups tests; groups nest and their names prefix the tests' full names ("group > test"). */
  (name: string, fn: () => void): void;
  skip(name: string, fn: () => void): void;
  only(name: string, fn: () => void): void;
  /** One group per case, named and called as test.each does. */
  each<T>(table: readonly T[]): (name: string, fn: (...args: T extends readonly unknown[] ? T : [T]) => void) => void;
}

declare const test: TestFunction;
declare const describe: DescribeFunction;
declare function beforeAll(fn: TestFn, timeout?: Duration): void;
declare function afterAll(fn: TestFn, timeout?: Duration): void;
declare function beforeEach(fn: TestFn, timeout?: Duration): void;
declare function afterEach(fn: TestFn, timeout?: Duration): void;

interface Matchers<R> {
  /** Not: every matcher negated. */
  not: Matchers<R>;
  /** Awaits the promise and matches its value. */
  resolves: Matchers<Promise<R>>;
  /** Awaits the promise's rejection and matches the error. */
  rejects: Matchers<Promise<R>>;
  toBe(expected: unknown): R;
  toEqual(expected: unknown): R;
  toStrictEqual(expected: unknown): R;
  toBeTruthy(): R;
  toBeFalsy(): R;
  toBeNull(): R;
  toBeUndefined(): R;
  toBeDefined(): R;
  toContain(item: unknown): R;
  toMatch(expected: string | RegExp): R;
  toHaveLength(length: number): R;
  toHaveProperty(path: string | Array<string | number>, value?: unknown): R;
  toBeGreaterThan(n: number | bigint): R;
  toBeGreaterThanOrEqual(n: number | bigint): R;
  toBeLessThan(n: number | bigint): R;
  toBeLessThanOrEqual(n: number | bigint): R;
  toBeCloseTo(n: number, digits?: number): R;
  toThrow(expected?: string | RegExp | Error | (new (...args: any[]) => Error)): R;
  /** The same as toThrow. */
  toThrowError(expected?: string | RegExp | Error | (new (...args: any[]) => Error)): R;
  toBeNaN(): R;
  /** An array contains an item equal (toEqual) to the given one. */
  toContainEqual(item: unknown): R;
  toBeInstanceOf(ctor: new (...args: any[]) => unknown): R;
  toMatchObject(expected: object | object[]): R;
}

interface Expect {
  <T = unknown>(actual: T): Matchers<void>;
  /** Matches any value created by ctor (inside toEqual / toMatchObject). */
  any(ctor: unknown): any;
  /** Matches anything but null and undefined. */
  anything(): any;
}

declare const expect: Expect;

/** Resolves after the duration. */
declare function sleep(duration: Duration): Promise<void>;

/** The environment (read-only), including variables from --env-file and --emulator. */
declare const env: Readonly<Record<string, string | undefined>>;

/**
 * Resolves a secret reference (env:NAME, file:PATH, vault://..., azurekv://..., gcpsm://...,
 * awssm://..., cyberark://...) to an opaque Secret.
 */
declare function secret(ref: string): Secret;

/**
 * Reads a file next to the script: text by default, bytes with mode "b". Only regular files
 * (a TypeError for a folder, device or FIFO), of at most 100 MB (a RangeError above).
 */
declare function open(path: string): string;
declare function open(path: string, mode: "b"): ArrayBuffer;

interface Console {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

declare const console: Console;

declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(id: number | undefined): void;

/** A WHATWG URL, for taking links apart: new URL(link).searchParams.get('token'). */
declare class URL {
  constructor(url: string, base?: string | URL);
  href: string;
  origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  readonly searchParams: URLSearchParams;
  hash: string;
  toString(): string;
  toJSON(): string;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | Array<[string, string]>);
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  forEach(fn: (value: string, name: string) => void): void;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  readonly size: number;
}

/** Decodes base64 to a binary string (one character per byte). */
declare function atob(data: string): string;
/** Encodes a binary string (characters up to U+00FF) as base64. */
declare function btoa(data: string): string;

/** UTF-8 encoding of strings to bytes. */
declare class TextEncoder {
  readonly encoding: "utf-8";
  encode(input?: string): Uint8Array;
}

/** UTF-8 decoding of bytes (other encodings are refused). */
declare class TextDecoder {
  constructor(label?: "utf-8" | "utf8");
  readonly encoding: "utf-8";
  decode(input?: Uint8Array | ArrayBuffer): string;
}

// Driving the application: the WHATWG fetch over Go's net/http. Each test has its own cookie
// jar (beforeEach, the test and afterEach share it); the test's timeout cancels requests in
// flight. A secret() is accepted as a header value, a FormData field or a whole body: it is
// sent as its value and shows as [secret REF] everywhere else.

type HeadersInit = Headers | Record<string, string | Secret> | Array<[string, string | Secret]>;
type BodyInit = string | Secret | Uint8Array | ArrayBuffer | ArrayBufferView | URLSearchParams | FormData | Blob;

interface RequestInit {
  /** GET by default; GET and HEAD cannot have a body. */
  method?: string;
  headers?: HeadersInit;
  /** Sets Content-Type unless headers do (FormData: multipart/form-data with its boundary). */
  body?: BodyInit | null;
  /** "follow" (default, up to 20), "manual" (resolve with the 3xx) or "error" (reject). */
  redirect?: "follow" | "manual" | "error";
  /** "omit" sends and keeps no cookies; the others use the test's cookie jar. */
  credentials?: "omit" | "same-origin" | "include";
  signal?: AbortSignal | null;
}

/**
 * Sends an HTTP request. Resolves with the response once its body is read (at most 64 MiB),
 * whatever the status; rejects with a TypeError when no response came ("fetch URL failed:
 * connection refused"), with the signal's reason when aborted (an AbortError, or a
 * TimeoutError from AbortSignal.timeout), and with a TypeError for bad arguments (a relative
 * URL, an unknown option, a body with GET). TLS trusts the system's roots plus the PEM file
 * named by MAILSCRIPT_CA_FILE; HTTP(S)_PROXY and NO_PROXY apply.
 */
declare function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;

declare class Headers {
  constructor(init?: HeadersInit);
  append(name: string, value: string | Secret): void;
  delete(name: string): void;
  /** Values of a repeated header joined with ", "; a secret shows as [secret REF]. */
  get(name: string): string | null;
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string | Secret): void;
  forEach(fn: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

/** What Request and Response read their bodies with (each interface below merges it into its class, as lib.dom does). */
interface Body {
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  /** Rejects with a SyntaxError that quotes the start of the body when it is not JSON. */
  json(): Promise<any>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
}

interface Request extends Body {}
declare class Request {
  constructor(input: string | URL | Request, init?: RequestInit);
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly redirect: "follow" | "manual" | "error";
  readonly credentials: "omit" | "same-origin" | "include";
  readonly signal: AbortSignal;
  clone(): Request;
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

interface Response extends Body {}
declare class Response {
  constructor(body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | URLSearchParams | Blob | null, init?: ResponseInit);
  static json(data: unknown, init?: ResponseInit): Response;
  static error(): Response;
  static redirect(url: string | URL, status?: 301 | 302 | 303 | 307 | 308): Response;
  readonly status: number;
  /** status is 200-299. */
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: Headers;
  /** The final URL, after redirects. */
  readonly url: string;
  readonly redirected: boolean;
  readonly type: "basic" | "default" | "error";
  /** A copy whose body can be read separately; call it before reading. */
  clone(): Response;
}

declare class Blob {
  constructor(parts?: Array<string | Uint8Array | ArrayBuffer | ArrayBufferView | Blob>, options?: { type?: string });
  readonly size: number;
  readonly type: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  slice(start?: number, end?: number, type?: string): Blob;
}

/** A named Blob, for FormData uploads: new File([bytes], "report.pdf", {type: "application/pdf"}). */
declare class File extends Blob {
  constructor(parts: Array<string | Uint8Array | ArrayBuffer | ArrayBufferView | Blob>, name: string, options?: { type?: string; lastModified?: number });
  readonly name: string;
  readonly lastModified: number;
}

/** Form fields and files, sent as multipart/form-data. */
declare class FormData {
  constructor();
  append(name: string, value: string | Secret): void;
  append(name: string, value: Blob, filename?: string): void;
  delete(name: string): void;
  get(name: string): string | Secret | File | null;
  getAll(name: string): Array<string | Secret | File>;
  has(name: string): boolean;
  set(name: string, value: string | Secret): void;
  set(name: string, value: Blob, filename?: string): void;
  forEach(fn: (value: string | Secret | File, name: string, form: FormData) => void, thisArg?: unknown): void;
  entries(): IterableIterator<[string, string | Secret | File]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string | Secret | File>;
  [Symbol.iterator](): IterableIterator<[string, string | Secret | File]>;
}

/** The error an abort rejects with: name "AbortError", or "TimeoutError" for AbortSignal.timeout. */
declare class DOMException extends Error {
  constructor(message?: string, name?: string);
  readonly code: number;
}

declare class AbortSignal {
  private constructor();
  readonly aborted: boolean;
  readonly reason: any;
  onabort: ((event: { type: "abort"; target: AbortSignal }) => void) | null;
  throwIfAborted(): void;
  addEventListener(type: "abort", listener: (event: { type: "abort"; target: AbortSignal }) => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: (event: { type: "abort"; target: AbortSignal }) => void): void;
  /** A signal that is already aborted. */
  static abort(reason?: unknown): AbortSignal;
  /** A signal that aborts with a TimeoutError after ms milliseconds. */
  static timeout(ms: number): AbortSignal;
  /** A signal that aborts when any of signals does. */
  static any(signals: AbortSignal[]): AbortSignal;
}

declare class AbortController {
  constructor();
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

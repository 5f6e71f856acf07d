// Type declarations for dstoken (Node.js binding of the dstoken C library).

/**
 * A time: unix seconds (a whole Number or a BigInt) or a Date (whole seconds, rounded down).
 * Times a token carries lie from 0 to 253402300799 (1970-01-01 to 9999-12-31T23:59:59Z); a value
 * beyond is refused (DST_ERR_INVALID_ARGUMENT), with a hint when it looks like milliseconds
 * (`Date.now()` counts milliseconds).
 */
export type Instant = number | bigint | Date;
/** A number of seconds: a Number or a BigInt. A fractional lifetime (expiresIn) is rounded up. */
export type Seconds = number | bigint;
/** The developer key: a Key, or its bytes (a string is taken as UTF-8). */
export type KeyLike = Key | string | ArrayBufferView | ArrayBuffer;

/** dst_status values by name; numbers are stable and only appended to. */
export declare const Status: Readonly<{
  DST_OK: 0;
  DST_ERR_NULL_ARGUMENT: 1;
  DST_ERR_INVALID_UTF8: 2;
  DST_ERR_INVALID_ARGUMENT: 3;
  DST_ERR_MISSING_CLAIM: 4;
  DST_ERR_BUFFER_TOO_SMALL: 5;
  DST_ERR_MALFORMED_TOKEN: 6;
  DST_ERR_UNSUPPORTED_ALGORITHM: 7;
  DST_ERR_BAD_SIGNATURE: 8;
  DST_ERR_EXPIRED: 9;
  DST_ERR_NOT_YET_VALID: 10;
  DST_ERR_NOT_FOUND: 11;
  DST_ERR_WRONG_TYPE: 12;
  DST_ERR_INTERNAL: 13;
}>;

export type StatusName = keyof typeof Status;

/**
 * Every failure dstoken reports (a wrong JavaScript type is a TypeError instead).
 * `message` is "<status>: <the library's description naming the function and argument>".
 */
export declare class DstokenError extends Error {
  readonly name: 'DstokenError';
  /** The status name, e.g. "DST_ERR_EXPIRED". */
  readonly status: StatusName;
  /** The status number, e.g. 9. */
  readonly code: number;
}

/**
 * An HS256 signing key (the team's developer key, used byte for byte; a string is UTF-8).
 * Holds the native key (its precomputed HMAC state). close() wipes and frees it; a
 * FinalizationRegistry frees it if you forget. One Key may be used for any number of tokens.
 * Throws DstokenError DST_ERR_INVALID_ARGUMENT for an empty key.
 */
export declare class Key {
  constructor(secret: string | ArrayBufferView | ArrayBuffer);
  /** Wipes and frees the native key; idempotent. Using the key afterwards throws DstokenError. */
  close(): void;
  // Also [Symbol.dispose]() (= close()) at run time, for `using`; not declared here so that the
  // declarations compile without the esnext.disposable lib.
  /** True after close(). */
  readonly closed: boolean;
}

/**
 * The fields of one room token, for mint(). `null`/`undefined` mean absent. An expiry is
 * required: expiresIn or expiresAt, or noExpiry: true for a token that never expires.
 */
export interface RoomToken {
  /** `td`, the team id (required). */
  teamId: string;
  /** `rd`, the room name or id (required). */
  room: string;
  /** `u`, the user's display name. */
  userName?: string | null;
  /** `ud`, the external user id. */
  userId?: string | null;
  initials?: string | null;
  /** e.g. "moderator", "attendee". */
  role?: string | null;
  breakoutId?: string | null;
  /** A picture URL. */
  avatar?: string | null;
  /** Explicit `iat`; not combinable with expiresIn. */
  issuedAt?: Instant | null;
  /** Explicit `nbf`. */
  notBefore?: Instant | null;
  /** Explicit `exp`; must be after `now` (a token is never minted already expired). */
  expiresAt?: Instant | null;
  /** Relative mode: iat = now, exp = now + expiresIn (> 0 seconds; a fraction is rounded up). */
  expiresIn?: Seconds | null;
  /** Relative mode only: nbf = now - notBeforeSkew (>= 0). */
  notBeforeSkew?: Seconds | null;
  /** The minting time (default: the clock): relative times count from it; expiresAt must be after it. */
  now?: Instant | null;
  /** true: sign a token without `exp`, which never expires (refused together with an expiry). */
  noExpiry?: boolean | null;
}

/** A token's claims as verify() returns them (the payload as a plain object). */
export interface TokenClaims {
  td?: string;
  rd?: string;
  u?: string;
  ud?: string;
  initials?: string;
  role?: string;
  breakoutId?: string;
  avatar?: string;
  iat?: number;
  nbf?: number;
  exp?: number;
  [custom: string]: unknown;
}

export interface VerifyOptions {
  /** The current time (default: the clock). */
  now?: Instant;
  /** Allowed clock difference for exp, nbf and iat, in seconds (0 to 2^32-1; default 0). */
  leeway?: number;
}

/**
 * A room token's claims, built by chaining. Values stay in JavaScript until sign(), which makes
 * the token in one native call when there are no custom claims. Passing null/undefined to a
 * setter removes that claim. A Claims may be signed any number of times (relative times are
 * recomputed each time). Setters throw TypeError for a wrong type and DstokenError for a bad
 * value (an empty teamId/room, U+0000, an unpaired surrogate, a registered name in claim()).
 */
export declare class Claims {
  teamId(value: string | null | undefined): this;
  room(value: string | null | undefined): this;
  userName(value: string | null | undefined): this;
  userId(value: string | null | undefined): this;
  initials(value: string | null | undefined): this;
  role(value: string | null | undefined): this;
  breakoutId(value: string | null | undefined): this;
  avatar(value: string | null | undefined): this;
  issuedAt(t: Instant | null | undefined): this;
  notBefore(t: Instant | null | undefined): this;
  expiresAt(t: Instant | null | undefined): this;
  /** Signs without `exp` (a token that never expires); sign() refuses a token without expiry otherwise. */
  noExpiry(value?: boolean | null): this;
  /** Relative mode: iat = now, exp = now + seconds. Clears a validity() skew. */
  expiresIn(seconds: Seconds | null | undefined): this;
  /** Relative mode: iat = now, nbf = now - skewSeconds, exp = now + lifetimeSeconds. */
  validity(skewSeconds: Seconds, lifetimeSeconds: Seconds): this;
  /** The minting time (default: the clock at each sign()): relative times count from it; expiresAt() must be after it. */
  now(t: Instant | null | undefined): this;
  /**
   * A custom claim: any JSON-serialisable value (a top-level BigInt is written as an integer).
   * The registered names (td rd u ud initials role breakoutId avatar iat nbf exp) and NaN or
   * Infinity anywhere in the value are refused (DST_ERR_INVALID_ARGUMENT).
   */
  claim(name: string, value: unknown): this;
  /** A custom claim as JSON text, validated and re-written compactly by the library (e.g. `[1.50, 2]` → `[1.5,2]`). */
  claimJson(name: string, jsonText: string): this;
  /** Removes a custom claim; returns whether it was there. */
  removeClaim(name: string): boolean;
  /** An independent copy. */
  clone(): Claims;
  /** The fields set so far (mint() field names), plus `claims` holding the custom claims. */
  toObject(): Partial<RoomToken> & { claims?: Record<string, unknown> };
  /**
   * Signs with `key`. Throws DstokenError: DST_ERR_MISSING_CLAIM without teamId/room,
   * DST_ERR_INVALID_ARGUMENT without an expiry (expiresIn/validity/expiresAt, or noExpiry()), or
   * with an expiresAt at or before now.
   */
  sign(key: KeyLike): string;
}

/** Signs `claims` with `key`: the same as claims.sign(key). */
export declare function sign(claims: Claims, key: KeyLike): string;

/**
 * Mints a room token in one native call. Throws DstokenError: unknown field names, no expiry
 * (set expiresIn or expiresAt, or noExpiry: true), an expiresAt already past, times outside
 * 1970..9999 (DST_ERR_INVALID_ARGUMENT); no teamId/room (DST_ERR_MISSING_CLAIM).
 */
export declare function mint(token: RoomToken, key: KeyLike): string;

/** Options of joinUrl() and mintUrl(). */
export interface UrlOptions {
  /** Accept a custom domain with a port (`meet.example.com:8443`); refused otherwise. */
  allowPort?: boolean | null;
}

/** Mints a room token and returns its join URL, in one native call without options (`team` as in joinUrl()). */
export declare function mintUrl(token: RoomToken, key: KeyLike, team: string, options?: UrlOptions): string;

/**
 * Verifies an HS256 token strictly and returns its payload. Throws DstokenError:
 * DST_ERR_MALFORMED_TOKEN (also for a URL: pass the token alone), DST_ERR_UNSUPPORTED_ALGORITHM, DST_ERR_BAD_SIGNATURE,
 * DST_ERR_EXPIRED, DST_ERR_NOT_YET_VALID, ... Integers beyond 2^53 lose precision (JSON.parse).
 */
export declare function verify(token: string, key: KeyLike, options?: VerifyOptions): TokenClaims;

/**
 * https://<team>.digitalsamba.com/<room>?token=<token>: `team` is the team's subdomain (a DNS
 * label) or, containing a dot, its custom domain (https://<domain>/<room>?token=...), both
 * lowercased; a port only with `{ allowPort: true }`; IP addresses are refused. Without a
 * token: the public-room URL.
 */
export declare function joinUrl(team: string, room: string, token?: string | null, options?: UrlOptions): string;

/** The native library's version, e.g. "0.1.0". */
export declare function libraryVersion(): string;

/** Where the native library came from. */
export declare function libraryInfo(): {
  path: string;
  source: 'DSTOKEN_LIBRARY' | 'bundled' | 'system library path' | 'DSTOKEN_WASM' | 'bundled wasm';
  version: string;
  /** "native": the C library through koffi; "wasm": the WebAssembly core run by Node. */
  backend: 'native' | 'wasm';
};

/** This package's version (equal to the library's crate version). */
export declare const version: string;

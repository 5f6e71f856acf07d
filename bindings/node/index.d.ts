// Type declarations for dstoken (Node.js binding of the dstoken C library).

/**
 * A time: unix seconds (a whole Number or a BigInt) or a Date (whole seconds, rounded down).
 * Times a token carries lie from 0 to 253402300799 (1970-01-01 to 9999-12-31T23:59:59Z); the
 * library refuses a value beyond (InvalidArgumentError), with a hint when it looks like
 * milliseconds (`Date.now()` counts milliseconds).
 */
export type Instant = number | bigint | Date;
/** A whole number of seconds: a Number or a BigInt. */
export type Seconds = number | bigint;
/**
 * A lifetime: seconds (a Number or a BigInt), or a duration string as jsonwebtoken's `expiresIn`
 * takes it (`'10s'`, `'30m'`, `'1h'`, `'2d'`, `'1w'`, `'1.5h'`, `'2 hours'`; a number string is
 * seconds). A fraction of a second is refused by the library (token times are whole seconds).
 */
export type Duration = number | bigint | string;
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
  DST_ERR_CLAIM_MISMATCH: 14;
}>;

export type StatusName = keyof typeof Status;

/** `'ERR_DSTOKEN_EXPIRED'` for DST_ERR_EXPIRED, and so on: DstokenError's `code`. */
export type ErrorCode = StatusName extends infer S ? S extends `DST_ERR_${infer R}` ? `ERR_DSTOKEN_${R}` : 'ERR_DSTOKEN_OK' : never;

/**
 * Every failure dstoken reports (a wrong JavaScript type is a TypeError instead), as data:
 * the parts the library reports (dst_last_error()), and a `message` worded from them:
 * "<function called>: <what is wrong, naming this API's option or method>".
 * Parts a reason does not set are absent.
 */
export declare class DstokenError extends Error {
  constructor(status: StatusName | number, message?: string);
  /** The class name: "DstokenError", "TokenExpiredError", ... */
  readonly name: string;
  /** A stable string, e.g. "ERR_DSTOKEN_EXPIRED" (in 0.1.0: the status number, now `statusNumber`). */
  readonly code: ErrorCode;
  /** The status name, e.g. "DST_ERR_EXPIRED". */
  readonly status: StatusName;
  /** The status number, e.g. 9. */
  readonly statusNumber: number;
  /** Which rule refused: a reason of schema/dstoken.json ("EXPIRED", "MILLISECONDS", ...), or "NONE". */
  readonly reason: string;
  /** The option, field or method at fault as this API spells it ("expiresAt", "key", ...), or "". */
  readonly argument: string;
  /** A second argument the rule involves (the other of two that conflict, ...). */
  readonly other?: string;
  /** A claim's JSON name ("exp", "td", a custom claim's). */
  readonly claim?: string;
  /** A string the error is about: the host given, the token's alg, the token's `td`/`rd`. */
  readonly text?: string;
  /** The value given (see the reason). A BigInt beyond 2^53. */
  readonly value?: number | bigint;
  /** The limit or value wanted (see the reason). */
  readonly limit?: number | bigint;
  /** The value to give instead (e.g. seconds for a time given in milliseconds). */
  readonly suggested?: number | bigint;
  /** A time the error involves (when the token expired, ...). */
  readonly time?: Date;
}
/** The token has expired (ERR_DSTOKEN_EXPIRED); jsonwebtoken's name and `expiredAt`. */
export declare class TokenExpiredError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_EXPIRED';
  readonly expiredAt: Date;
}
/** The token is not valid yet: its nbf, or an iat in the future (ERR_DSTOKEN_NOT_YET_VALID); `date` as jsonwebtoken's. */
export declare class NotBeforeError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_NOT_YET_VALID';
  readonly date: Date;
}
/** The signature does not match the key (ERR_DSTOKEN_BAD_SIGNATURE). */
export declare class InvalidSignatureError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_BAD_SIGNATURE';
}
/** Not a well-formed compact JWT, or a URL given whole (ERR_DSTOKEN_MALFORMED_TOKEN). */
export declare class MalformedTokenError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_MALFORMED_TOKEN';
}
/** The token's alg is not HS256 (ERR_DSTOKEN_UNSUPPORTED_ALGORITHM). */
export declare class UnsupportedAlgorithmError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_UNSUPPORTED_ALGORITHM';
}
/** A required claim is absent (ERR_DSTOKEN_MISSING_CLAIM); `claim` names it. */
export declare class MissingClaimError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_MISSING_CLAIM';
  readonly claim: string;
}
/** The token's td/rd is not the expected one (ERR_DSTOKEN_CLAIM_MISMATCH): `claim`, and the token's value in `text`. */
export declare class ClaimMismatchError extends DstokenError {
  readonly code: 'ERR_DSTOKEN_CLAIM_MISMATCH';
  readonly claim: string;
  readonly text: string;
}
/** An argument refused (ERR_DSTOKEN_INVALID_ARGUMENT, ERR_DSTOKEN_NULL_ARGUMENT, ERR_DSTOKEN_INVALID_UTF8). */
export declare class InvalidArgumentError extends DstokenError {}

/**
 * An HS256 signing key (the team's developer key). Bytes are used as they are; a string is its
 * UTF-8, and the library refuses one with whitespace at either end (a developer key has none: a
 * trailing newline read from a file), reason KEY_WHITESPACE. Holds the native key (its
 * precomputed HMAC state). close() wipes and frees it; a FinalizationRegistry frees it if you
 * forget. One Key may be used for any number of tokens. An empty key: InvalidArgumentError.
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
  /** Relative mode: iat = now, exp = now + expiresIn (seconds, or a string such as '1h'). */
  expiresIn?: Duration | null;
  /** Relative mode only: nbf = now - notBeforeSkew (>= 0). */
  notBeforeSkew?: Seconds | null;
  /** The minting time (default: the clock): relative times count from it; expiresAt must be after it. */
  now?: Instant | null;
  /** true: sign a token without `exp`, which never expires (refused together with an expiry). */
  noExpiry?: boolean | null;
  /** The longest expiresIn accepted (default: the library's, 30 days), to mint longer-lived tokens on purpose. */
  maxLifetime?: Duration | null;
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
  /** Accept a token without `exp` (refused by default, MissingClaimError). */
  expOptional?: boolean;
  /** The team id (`td`) the token must carry: ClaimMismatchError otherwise. */
  teamId?: string;
  /** The room (`rd`) the token must carry: ClaimMismatchError otherwise. */
  room?: string;
  /** Further claims the token must carry, as jose's option: MissingClaimError otherwise. */
  requiredClaims?: string[];
}

/** What decodeUnverified() returns: the header and the claims, neither of them verified. */
export interface UnverifiedToken {
  header: { alg: string; typ?: string; [field: string]: unknown };
  claims: TokenClaims;
}

/**
 * A room token's claims, built by chaining. Values stay in JavaScript until sign(), which makes
 * the token in one native call when there are no custom claims. Passing null/undefined to a
 * setter removes that claim. A Claims may be signed any number of times (relative times are
 * recomputed each time). Setters throw TypeError for a wrong type and InvalidArgumentError for a
 * value C cannot carry (U+0000, an unpaired surrogate) or a registered name in claim(); the
 * library's rules (required claims, an expiry, times in range) are applied at sign().
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
  /** Relative mode: iat = now, exp = now + lifetime (seconds, or a string such as '1h'). Clears a validity() skew. */
  expiresIn(lifetime: Duration | null | undefined): this;
  /** Relative mode: iat = now, nbf = now - skewSeconds, exp = now + lifetime. */
  validity(skewSeconds: Seconds, lifetime: Duration): this;
  /** The longest expiresIn() accepted (default: the library's, 30 days). */
  maxLifetime(lifetime: Duration | null | undefined): this;
  /** The minting time (default: the clock at each sign()): relative times count from it; expiresAt() must be after it. */
  now(t: Instant | null | undefined): this;
  /**
   * A custom claim: any JSON-serialisable value (a top-level BigInt is written as an integer).
   * The registered names (td rd u ud initials role breakoutId avatar iat nbf exp) and NaN or
   * Infinity anywhere in the value are refused (InvalidArgumentError).
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
   * Signs with `key`. Throws MissingClaimError without teamId/room, InvalidArgumentError without
   * an expiry (expiresIn/validity/expiresAt, or noExpiry()), with an expiresAt at or before now,
   * a lifetime over maxLifetime, ...: `reason` says which.
   */
  sign(key: KeyLike): string;
}

/** Signs `claims` with `key`: the same as claims.sign(key). */
export declare function sign(claims: Claims, key: KeyLike): string;

/**
 * Mints a room token in one native call. Throws InvalidArgumentError: unknown field names, no
 * expiry (set expiresIn or expiresAt, or noExpiry: true), an expiresAt already past, times
 * outside 1970..9999, a lifetime over maxLifetime; MissingClaimError: no teamId/room.
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
 * Verifies an HS256 token strictly and returns its payload. Throws MalformedTokenError (also
 * for a URL: pass the token alone), UnsupportedAlgorithmError, InvalidSignatureError,
 * TokenExpiredError, NotBeforeError, MissingClaimError (no exp, unless expOptional),
 * ClaimMismatchError. Integers beyond 2^53 lose precision (JSON.parse).
 */
export declare function verify(token: string, key: KeyLike, options?: VerifyOptions): TokenClaims;

/**
 * Reads a token's header and claims WITHOUT checking its signature or its times: the result
 * proves nothing about who made the token (anyone can write one). For choosing a key, routing
 * or logging before verify(). Throws MalformedTokenError for what is not a well-formed token.
 */
export declare function decodeUnverified(token: string): UnverifiedToken;

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

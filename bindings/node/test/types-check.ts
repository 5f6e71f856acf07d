// Compiled by types.test.js with tsc --strict (no emit): index.d.ts must describe the API as the
// README uses it, and reject misuse (the @ts-expect-error lines must stay errors).
import { Claims, ClaimMismatchError, DstokenError, Key, Status, TokenExpiredError, decodeUnverified, joinUrl, libraryInfo, mint, mintUrl, sign, verify, version } from 'dstoken';
import type { ErrorCode } from 'dstoken';
import type { RoomToken, StatusName, TokenClaims } from 'dstoken';

const key: Key = new Key('secret');
const k2 = new Key(new Uint8Array([1, 2, 3]));
const fields: RoomToken = { teamId: 't', room: 'r', userName: 'u', expiresIn: 3600, notBeforeSkew: 30n, now: new Date() };
const t1: string = mint(fields, key);
const u1: string = mintUrl({ teamId: 't', room: 'r', issuedAt: 1, expiresAt: 2n }, 'raw secret', 'acme');
const c: Claims = new Claims().teamId('t').room('r').userName(null).role('moderator').validity(30, 3600)
  .claim('x', { a: 1 }).claimJson('y', '[1]').now(1700000000);
const t2: string = sign(c, key) + c.sign(k2) + c.clone().sign(Buffer.from('k'));
const forever: string = mint({ teamId: 't', room: 'r', noExpiry: true }, key) + new Claims().teamId('t').room('r').noExpiry().sign(key) +
  new Claims().noExpiry(false).noExpiry(null).expiresIn('1h').maxLifetime(86400).sign(key) +
  mint({ teamId: 't', room: 'r', expiresIn: '30m', maxLifetime: '2d' }, key);
const claims: TokenClaims = verify(t1, key, { now: 1700000000, leeway: 5, expOptional: true, teamId: 't', room: 'r', requiredClaims: ['u'] });
const alg: string = decodeUnverified(t1).header.alg + String(decodeUnverified(t1).claims.td);
const td: string | undefined = claims.td;
const iat: number | undefined = claims.iat;
const url: string = joinUrl('acme', 'r', t2) + joinUrl('acme', 'r') + u1 + joinUrl('meet.example.com:8443', 'r', null, { allowPort: true }) +
  mintUrl(fields, key, 'meet.example.com', { allowPort: false });
const info: 'DSTOKEN_LIBRARY' | 'bundled' | 'system library path' | 'DSTOKEN_WASM' | 'bundled wasm' = libraryInfo().source;
const backend: 'native' | 'wasm' = libraryInfo().backend;
const v: string = version;
const code: 9 = Status.DST_ERR_EXPIRED;
try {
  verify('x', key);
} catch (e) {
  if (e instanceof DstokenError) {
    const s: StatusName = e.status;
    const n: number = e.statusNumber;
    const c: ErrorCode = e.code;
    const expired: boolean = e.code === 'ERR_DSTOKEN_EXPIRED';
    const m: string = e.message + e.reason + e.argument;
    console.log(s, n, c, m, expired);
  }
  if (e instanceof TokenExpiredError) console.log(e.expiredAt.toISOString());
  if (e instanceof ClaimMismatchError) console.log(e.claim, e.text);
}
key.close();
const closed: boolean = key.closed;
console.log(td, iat, url, info, v, code, closed, forever, alg);

// @ts-expect-error a code is a string, not the status number
const wrong: number = new DstokenError(9).code;

// @ts-expect-error teamId is required
mint({ room: 'r' }, key);
// @ts-expect-error snake_case names are not fields
mint({ teamId: 't', room: 'r', user_name: 'u' }, key);
// @ts-expect-error a key is not a number
mint(fields, 5);
// @ts-expect-error sign() takes a Claims, not fields
sign(fields, key);
// @ts-expect-error noExpiry is a boolean
mint({ teamId: 't', room: 'r', noExpiry: 'yes' }, key);
// @ts-expect-error leeway is a number
verify(t1, key, { leeway: '5' });
const expiredCode: ErrorCode = 'ERR_DSTOKEN_EXPIRED';
// @ts-expect-error not a dstoken code
const otherCode: ErrorCode = 'ERR_JWT_EXPIRED';
console.log(wrong, expiredCode, otherCode);

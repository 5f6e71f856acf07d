<?php

declare(strict_types=1);

namespace Dstoken;

use Dstoken\Internal\JoinUrl;
use Dstoken\Internal\Json;
use Dstoken\Internal\Mint;
use Dstoken\Internal\Native;

/** This package's version; the native library must have the same major.minor. */
const VERSION = Native::PACKAGE_VERSION;

/**
 * Mints a Digital Samba room token (an HS256 JWT) in one native call.
 *
 * `teamId` (td) and `room` (rd) are required; `userName` (u), `userId` (ud), `initials`, `role`,
 * `breakoutId` and `avatar` are optional. Times are unix seconds (int) or DateTimeInterface,
 * either explicit (`issuedAt`, `notBefore`, `expiresAt`) or relative: `lifetime` seconds gives
 * iat = now and exp = now + lifetime (a fraction rounds up), `notBeforeSkew` seconds adds
 * nbf = now - skew; `now` defaults to the clock. An expiry is required: set `lifetime` or
 * `expiresAt`, or pass `noExpiry: true` for a token that never expires. Times must lie in
 * 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, and `expiresAt` must be after `now`.
 *
 * @param Key|string $key a Key, or the developer key itself (then a Key is made for this call)
 * @throws DstokenException DST_ERR_INVALID_ARGUMENT, DST_ERR_INVALID_UTF8 (naming the argument)
 */
function mint(
    Key|string $key,
    string $teamId,
    string $room,
    ?string $userName = null,
    ?string $userId = null,
    ?string $initials = null,
    ?string $role = null,
    ?string $breakoutId = null,
    ?string $avatar = null,
    int|\DateTimeInterface|null $issuedAt = null,
    int|\DateTimeInterface|null $notBefore = null,
    int|\DateTimeInterface|null $expiresAt = null,
    int|float|null $lifetime = null,
    int|float|null $notBeforeSkew = null,
    int|\DateTimeInterface|null $now = null,
    bool $noExpiry = false,
): string {
    // The common shapes go straight to one native call: lifetime (int) with an optional `now`,
    // or issuedAt/expiresAt (ints) at the clock. Anything else, and any failure, takes the
    // general path below, which checks everything and names the argument at fault.
    if ($key instanceof Key && $notBefore === null && $notBeforeSkew === null && !$noExpiry && $teamId !== '' && $room !== '') {
        if ($lifetime !== null) {
            if (is_int($lifetime) && $issuedAt === null && $expiresAt === null && ($now === null || is_int($now))) {
                $t0 = $now ?? time();
                if ($lifetime > 0 && $t0 > 0 && $t0 <= Mint::MAX_TIME - $lifetime) {
                    $token = (Native::$n ?? Native::get())->mintFast($key, 'Dstoken\mint()', $teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar, 0, 0, 0, $lifetime, 0, $t0);
                    if ($token !== null) {
                        return $token;
                    }
                }
            }
        } elseif (is_int($expiresAt) && ($issuedAt === null || is_int($issuedAt)) && $now === null) {
            if ($expiresAt > time() && $expiresAt <= Mint::MAX_TIME && ($issuedAt === null || ($issuedAt > 0 && $issuedAt <= $expiresAt))) {
                $token = (Native::$n ?? Native::get())->mintFast($key, 'Dstoken\mint()', $teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar, $issuedAt ?? 0, 0, $expiresAt, 0, 0, 0);
                if ($token !== null) {
                    return $token;
                }
            }
        }
    }
    Mint::requireClaims('Dstoken\mint()', false, $teamId, $room);
    return Mint::mint(
        'Dstoken\mint()',
        false,
        $key,
        [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar],
        Mint::times('Dstoken\mint()', false, $issuedAt, $notBefore, $expiresAt, $lifetime, $notBeforeSkew, $now, $noExpiry)
    );
}

/**
 * Mints a room token as mint() does and returns the URL that opens the room with it:
 * `https://<team>.digitalsamba.com/<room>?token=<token>`. `team` is the team's subdomain
 * (e.g. "acme") or the full domain the team's rooms are served on (e.g. "meet.example.com");
 * a port ("meet.example.com:8443") only with `allowPort: true`, an IP address never.
 *
 * @throws DstokenException as mint(), and DST_ERR_INVALID_ARGUMENT for an unusable team
 */
function mintUrl(
    Key|string $key,
    string $team,
    string $teamId,
    string $room,
    ?string $userName = null,
    ?string $userId = null,
    ?string $initials = null,
    ?string $role = null,
    ?string $breakoutId = null,
    ?string $avatar = null,
    int|\DateTimeInterface|null $issuedAt = null,
    int|\DateTimeInterface|null $notBefore = null,
    int|\DateTimeInterface|null $expiresAt = null,
    int|float|null $lifetime = null,
    int|float|null $notBeforeSkew = null,
    int|\DateTimeInterface|null $now = null,
    bool $noExpiry = false,
    bool $allowPort = false,
): string {
    Mint::requireClaims('Dstoken\mintUrl()', false, $teamId, $room);
    $times = Mint::times('Dstoken\mintUrl()', false, $issuedAt, $notBefore, $expiresAt, $lifetime, $notBeforeSkew, $now, $noExpiry);
    $strings = [$teamId, $room, $userName, $userId, $initials, $role, $breakoutId, $avatar];
    if ($allowPort) {
        // dst_mint_url takes no flags: mint, then join with DST_URL_ALLOW_PORT.
        $token = Mint::mint('Dstoken\mintUrl()', false, $key, $strings, $times);
        return JoinUrl::build('Dstoken\mintUrl()', $team, $room, $token, true);
    }
    return Mint::mint('Dstoken\mintUrl()', false, $key, $strings, $times, $team);
}

/**
 * Verifies a token (HS256 only, the signature in constant time, then `exp`, `nbf`, `iat` at
 * `now` with `leeway` seconds of clock difference) and returns its claims as an array, as
 * firebase/php-jwt's JWT::decode() would (but as an array, not an object).
 *
 * Numbers are exact: an integer is an int when it fits in PHP's int and a numeric string
 * otherwise; a number with a fraction or exponent is a float when that float has the same
 * decimal value (shortest round trip), otherwise a string with the number as written.
 *
 * @param string $token the token alone (not a join URL)
 * @param int|\DateTimeInterface|null $now unix seconds; default: the clock
 * @param int $leeway seconds, 0 .. 4294967295
 * @return array<string, mixed>
 * @throws ExpiredException|BeforeValidException|SignatureInvalidException|MalformedTokenException|UnsupportedAlgorithmException|DstokenException
 */
function verify(string $token, Key|string $key, int|\DateTimeInterface|null $now = null, int $leeway = 0): array
{
    $m = 'Dstoken\verify()';
    if (str_starts_with($token, 'http://') || str_starts_with($token, 'https://') || str_contains($token, '?token=')) {
        throw new MalformedTokenException(Status::MALFORMED_TOKEN, "$m: token looks like a URL; pass the token alone (the value of the URL's token parameter)");
    }
    if (str_contains($token, "\0")) {
        throw new MalformedTokenException(Status::MALFORMED_TOKEN, "$m: token contains a NUL byte; a token is base64url text");
    }
    if ($leeway < 0 || $leeway > 0xFFFFFFFF) {
        throw Mint::bad($m, "leeway: must be from 0 to 4294967295 seconds, got $leeway");
    }
    if ($now instanceof \DateTimeInterface) {
        $now = $now->getTimestamp();
    }
    $now ??= time();
    $n = Native::$n ?? Native::get();
    $k = $key instanceof Key ? $key : Key::fromString($key);
    $claims = $n->ffi->new('dst_claims*');
    $st = $n->ffi->dst_verify($token, $k->handle($m), $now, $leeway, \FFI::addr($claims));
    if ($st !== 0) {
        $e = $n->error($st, $m);
        if ($st === Status::BAD_SIGNATURE && !str_contains($e->getMessage(), 'newline')) {
            $e = new SignatureInvalidException($st, substr($e->getMessage(), strlen('DST_ERR_BAD_SIGNATURE: '))
                . ' (usual causes: another team\'s key, a trailing newline in the key, or a key that was base64-decoded: Digital Samba\'s developer key is used as its raw text)');
        }
        throw $e;
    }
    try {
        $out = $n->stringOut();
        $st = $n->ffi->dst_claims_to_json($claims, \FFI::addr($out));
        if ($st !== 0) {
            throw $n->error($st, $m);
        }
        $json = $n->takeString($out);
    } finally {
        $n->ffi->dst_claims_free($claims);
    }
    return Json::decodeObject($json);
}

/**
 * The URL that opens a Digital Samba room: `https://<team>.digitalsamba.com/<room>?token=<token>`
 * (`team` a subdomain such as "acme", lowercased, or the full domain the team's rooms are
 * served on, such as "meet.example.com"; a port, "meet.example.com:8443", only with
 * `allowPort: true`); without a token, the public room's URL.
 *
 * @throws DstokenException DST_ERR_INVALID_ARGUMENT for an unusable team, room or token
 */
function joinUrl(string $team, string $room, ?string $token = null, bool $allowPort = false): string
{
    return JoinUrl::build('Dstoken\joinUrl()', $team, $room, $token, $allowPort);
}

/**
 * The libdstoken file in use: the bundled copy, DSTOKEN_LIBRARY, or the system library found
 * by its SONAME (libdstoken.so.0.1); under a preload scope, the file PHP-FPM's preload loaded.
 */
function libraryPath(): string
{
    return Native::get()->path();
}

/** The native library's version, e.g. "0.1.0". */
function libraryVersion(): string
{
    return Native::get()->version;
}

/**
 * Where the native library came from: `source` is "preload" (an opcache.preload FFI scope),
 * "bundled", "DSTOKEN_LIBRARY" or "system".
 *
 * @return array{path: string, source: string, version: string}
 */
function libraryInfo(): array
{
    $n = Native::get();
    return ['path' => $n->path(), 'source' => $n->source, 'version' => $n->version];
}

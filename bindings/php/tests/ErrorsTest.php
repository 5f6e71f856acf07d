<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\BeforeValidException;
use Dstoken\ClaimMismatchException;
use Dstoken\Claims;
use Dstoken\DstokenException;
use Dstoken\ExpiredException;
use Dstoken\Key;
use Dstoken\MalformedTokenException;
use Dstoken\MissingClaimException;
use Dstoken\SignatureInvalidException;
use Dstoken\UnsupportedAlgorithmException;
use PHPUnit\Framework\TestCase;

use function Dstoken\decodeUnverified;
use function Dstoken\joinUrl;
use function Dstoken\mint;
use function Dstoken\mintUrl;
use function Dstoken\verify;

/**
 * Every error path: the status (name and number), the exception class, and a message in PHP's
 * words (the function and the argument at fault, never a C function name).
 */
final class ErrorsTest extends TestCase
{
    private const K = Support::KEY;

    /**
     * The binding's own conversions (NUL bytes, NaN, fractions, PHP ints C cannot take), the
     * PHP names in the library's refusals, and the paths the vectors do not reach (URLs, the
     * builder's custom claims, verify's argument checks). Each rule's own case is in
     * tests/vectors/vectors.json (VectorsTest), not here.
     *
     * @return iterable<string, array{0: \Closure, 1: string, 2: string, 3?: class-string}>
     */
    public static function cases(): iterable
    {
        $k = Key::fromString(self::K);
        $now = time();
        $t = ['teamId' => 't', 'room' => 'r'];
        // The library's refusals, in PHP's words.
        yield 'string key: mint without expiry' => [fn () => mint(self::K, ...$t), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mint(): the token has no expiry: give lifetime or expiresAt'];
        yield 'builder without expiry' => [fn () => (new Claims(...$t))->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::sign(): the token has no expiry'];
        yield 'mintUrl without expiry' => [fn () => mintUrl($k, 'acme', ...$t), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): the token has no expiry'];
        yield 'builder without teamId' => [fn () => (new Claims(room: 'r'))->lifetime(60)->sign($k), 'DST_ERR_MISSING_CLAIM', 'Dstoken\Claims::sign(): teamId (claim "td") is required', MissingClaimException::class];
        yield 'lifetime in milliseconds names maxLifetime' => [fn () => mint($k, ...$t, lifetime: 3600000, now: 1767225600), 'DST_ERR_INVALID_ARGUMENT', 'lifetime is 3600000 seconds (41 d 16 h 0 min 0 s), longer than the 30 d 0 h 0 min 0 s allowed; if it is milliseconds, give 3600 seconds; to mint longer-lived tokens raise maxLifetime'];
        yield 'already expired' => [fn () => mint($k, ...$t, expiresAt: 1767222000, now: 1767225600), 'DST_ERR_INVALID_ARGUMENT', 'the token would be expired when minted: expiresAt (2025-12-31T23:00:00Z) is not after now (2026-01-01T00:00:00Z), 1 h 0 min 0 s ago; give a later expiresAt, or a lifetime (lifetime) instead'];
        yield 'exp in milliseconds' => [fn () => mint($k, ...$t, expiresAt: 1767229200000, now: 1767225600), 'DST_ERR_INVALID_ARGUMENT', 'expiresAt is 1767229200000, which looks like milliseconds: 1767229200000 ms is 2026-01-01T01:00:00Z; give seconds (1767229200)'];
        yield 'expiresAt DateTime past 9999' => [fn () => mint($k, ...$t, expiresAt: new \DateTimeImmutable('@253402300800000')), 'DST_ERR_INVALID_ARGUMENT', 'expiresAt is 253402300800000, outside the time range [0, 253402300799]'];
        // Fractions: the library refuses them (no rounding up).
        yield 'lifetime 3.6' => [fn () => mint($k, ...$t, lifetime: 3.6, now: $now), 'DST_ERR_INVALID_ARGUMENT', 'lifetime is 3 s and 600000000 ns: token times are whole seconds'];
        yield 'lifetime 0.2 (builder)' => [fn () => (new Claims(...$t))->lifetime(0.2)->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::sign(): lifetime is 0 s and 200000000 ns'];
        yield 'lifetime -0.5' => [fn () => mint($k, ...$t, lifetime: -0.5), 'DST_ERR_INVALID_ARGUMENT', 'lifetime'];
        yield 'skew 1.5' => [fn () => mint($k, ...$t, lifetime: 60, notBeforeSkew: 1.5), 'DST_ERR_INVALID_ARGUMENT', 'notBeforeSkew is 1 s and 500000000 ns: token times are whole seconds'];
        yield 'lifetime NAN' => [fn () => mint($k, ...$t, lifetime: NAN), 'DST_ERR_INVALID_ARGUMENT', 'lifetime must be a finite number of seconds within a 64-bit integer, got NAN'];
        yield 'lifetime INF' => [fn () => mint($k, ...$t, lifetime: INF), 'DST_ERR_INVALID_ARGUMENT', 'got INF'];
        yield 'lifetime 1e19' => [fn () => mint($k, ...$t, lifetime: 1e19), 'DST_ERR_INVALID_ARGUMENT', 'within a 64-bit integer'];
        yield 'skew NAN' => [fn () => mint($k, ...$t, lifetime: 60, notBeforeSkew: NAN), 'DST_ERR_INVALID_ARGUMENT', 'notBeforeSkew must be a finite number'];
        // Strings: NUL bytes (C cannot carry them) and UTF-8 (the library names the argument).
        foreach (['teamId', 'room', 'userName', 'userId', 'initials', 'role', 'breakoutId', 'avatar'] as $arg) {
            $nul = [$arg => "a\0b"] + $t;
            $bad = [$arg => "caf\xe9"] + $t;
            yield "NUL in $arg" => [fn () => mint($k, ...$nul, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', "Dstoken\\mint(): $arg contains a NUL byte"];
            yield "NUL in $arg (builder, custom claims)" => [fn () => (new Claims(...$nul))->lifetime(60)->claim('x', 1)->sign($k), 'DST_ERR_INVALID_ARGUMENT', "$arg contains a NUL byte"];
            yield "latin-1 in $arg" => [fn () => mint($k, ...$bad, lifetime: 60), 'DST_ERR_INVALID_UTF8', "Dstoken\\mint(): $arg is not valid UTF-8 (bad byte at offset 3)"];
            yield "latin-1 in $arg (mintUrl)" => [fn () => mintUrl($k, 'acme', ...$bad, lifetime: 60), 'DST_ERR_INVALID_UTF8', "Dstoken\\mintUrl(): $arg is not valid UTF-8"];
            yield "latin-1 in $arg (builder, custom claims)" => [fn () => (new Claims(...$bad))->lifetime(60)->claim('x', 1)->sign($k), 'DST_ERR_INVALID_UTF8', "$arg is not valid UTF-8"];
        }
        yield 'empty key' => [fn () => Key::fromString(''), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Key::fromString(): $key must not be empty'];
        yield 'empty key bytes' => [fn () => Key::fromBytes(''), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Key::fromBytes(): $key must not be empty'];
        yield 'key with a newline' => [fn () => Key::fromString(self::K . "\n"), 'DST_ERR_INVALID_ARGUMENT', '$key has whitespace at its start or end (offset 32)'];
        // Custom claims: refused where they are set, by the library.
        yield 'custom claim role' => [fn () => (new Claims())->claim('role', 'x'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::claim(): "role" is a registered claim; set it with role, not as a custom claim'];
        yield 'custom claim in the constructor' => [fn () => new Claims(teamId: 't', custom: ['exp' => 1]), 'DST_ERR_INVALID_ARGUMENT', 'set it with expiresAt'];
        yield 'custom claim NAN' => [fn () => (new Claims())->claim('n', NAN), 'DST_ERR_INVALID_ARGUMENT', 'custom claim "n" cannot be signed: NaN and INF have no JSON form'];
        yield 'custom claim -INF nested' => [fn () => (new Claims())->claim('n', ['a' => [1, -INF]]), 'DST_ERR_INVALID_ARGUMENT', 'NaN and INF'];
        yield 'custom claim latin-1 string' => [fn () => (new Claims())->claim('n', "caf\xe9"), 'DST_ERR_INVALID_ARGUMENT', 'Malformed UTF-8'];
        yield 'custom claim empty name' => [fn () => (new Claims())->claim('', 1), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::claim(): $name must not be empty'];
        yield 'custom claim NUL name' => [fn () => (new Claims())->claim("a\0", 1), 'DST_ERR_INVALID_ARGUMENT', '$name contains a NUL byte'];
        yield 'custom JSON invalid' => [fn () => (new Claims())->claimJson('j', '{"a":1,"a":2}'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::claimJson(): $value for claim "j" is not valid JSON'];
        yield 'custom JSON NUL' => [fn () => (new Claims())->claimJson('j', "\"a\0\""), 'DST_ERR_INVALID_ARGUMENT', '$value contains a NUL byte'];
        // URLs.
        yield 'mintUrl bad team' => [fn () => mintUrl($k, 'bad team', ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): $team "bad team"'];
        yield 'mintUrl team NUL' => [fn () => mintUrl($k, "acme\0", ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', '$team contains a NUL byte'];
        yield 'joinUrl bad team' => [fn () => joinUrl('-acme', 'r'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): $team "-acme"'];
        yield 'joinUrl room ..' => [fn () => joinUrl('acme', '..'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): room ".." is not a usable path segment'];
        yield 'joinUrl bad token' => [fn () => joinUrl('acme', 'r', 'a b'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): $token has characters'];
        yield 'joinUrl port without allowPort' => [fn () => joinUrl('meet.example.com:8443', 'r'), 'DST_ERR_INVALID_ARGUMENT', 'has a port (:8443)'];
        yield 'mintUrl allowPort IP literal' => [fn () => mintUrl($k, '127.0.0.1:8080', ...$t, lifetime: 60, allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): $team "127.0.0.1:8080"'];
        yield 'mintUrl allowPort no expiry' => [fn () => mintUrl($k, 'meet.example.com:8443', ...$t, allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): the token has no expiry'];
        yield 'signUrl allowPort IP literal' => [fn () => (new Claims(...$t))->lifetime(60)->signUrl($k, '[::1]:8443', allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::signUrl(): $team'];
        yield 'joinUrl latin-1 room' => [fn () => joinUrl('acme', "caf\xe9"), 'DST_ERR_INVALID_UTF8', 'room is not valid UTF-8'];
        // Verification: verify()'s own conversions and exception classes.
        $good = mint($k, ...$t, lifetime: 60);
        yield 'verify a join URL' => [fn () => verify("https://acme.digitalsamba.com/r?token=$good", $k), 'DST_ERR_MALFORMED_TOKEN', 'Dstoken\verify(): this is a URL, not a token', MalformedTokenException::class];
        yield 'verify NUL' => [fn () => verify("$good\0", $k), 'DST_ERR_MALFORMED_TOKEN', '$token has characters a compact JWT never contains', MalformedTokenException::class];
        yield 'verify leeway negative' => [fn () => verify($good, $k, leeway: -1), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\verify(): leeway must not be negative, got -1'];
        yield 'verify leeway 2^32' => [fn () => verify($good, $k, leeway: 1 << 32), 'DST_ERR_INVALID_ARGUMENT', 'leeway is 4294967296 seconds'];
        yield 'verify wrong key' => [fn () => verify($good, 'another team key'), 'DST_ERR_BAD_SIGNATURE', 'Dstoken\verify(): the token\'s signature does not match the key', SignatureInvalidException::class];
        yield 'verify expired' => [fn () => verify($good, $k, now: $now + 3600), 'DST_ERR_EXPIRED', 'Dstoken\verify(): the token expired at ' . gmdate('Y-m-d\TH:i:s\Z', $now + 60) . ', 59 min 0 s ago', ExpiredException::class];
        yield 'verify not yet valid' => [fn () => verify(mint($k, ...$t, lifetime: 60, notBeforeSkew: 0, now: $now + 600), $k, now: $now), 'DST_ERR_NOT_YET_VALID', 'Dstoken\verify(): ', BeforeValidException::class];
        yield 'verify alg none' => [fn () => verify('eyJhbGciOiJub25lIn0.eyJ0ZCI6InQiLCJyZCI6InIifQ.', $k), 'DST_ERR_UNSUPPORTED_ALGORITHM', 'Dstoken\verify(): ', UnsupportedAlgorithmException::class];
        yield 'verify teamId mismatch' => [fn () => verify($good, $k, teamId: 'other'), 'DST_ERR_CLAIM_MISMATCH', 'Dstoken\verify(): the token\'s teamId (claim "td") is "t", not the one expected', ClaimMismatchException::class];
        yield 'verify required claim' => [fn () => verify($good, $k, required: ['role']), 'DST_ERR_MISSING_CLAIM', '(claim "role") is required', MissingClaimException::class];
        yield 'verify required NUL' => [fn () => verify($good, $k, required: ["a\0"]), 'DST_ERR_INVALID_ARGUMENT', 'required contains a NUL byte'];
        yield 'decodeUnverified garbage' => [fn () => decodeUnverified('abc'), 'DST_ERR_MALFORMED_TOKEN', 'Dstoken\decodeUnverified(): a token has three base64url parts', MalformedTokenException::class];
    }

    /**
     * @dataProvider cases
     * @param class-string|null $class
     */
    public function testError(\Closure $f, string $status, string $message, ?string $class = null): void
    {
        try {
            $f();
        } catch (DstokenException $e) {
            $this->assertSame($status, $e->getStatus(), $e->getMessage());
            $this->assertSame(\Dstoken\Status::fromName($status), $e->getCode());
            $this->assertStringStartsWith("$status: Dstoken\\", $e->getMessage());
            $this->assertStringContainsString($message, $e->getMessage());
            $this->assertDoesNotMatchRegularExpression('/\bdst_[a-z]/', $e->getMessage(), 'a C name in a PHP message');
            $this->assertSame($class ?? DstokenException::class, get_class($e));
            $this->assertStringNotContainsString(self::K, $e->getMessage(), 'key bytes in a message');
            return;
        }
        $this->fail("no exception; expected $status");
    }

    public function testKeyIsNotCopiedOrShown(): void
    {
        $key = Key::fromString(self::K);
        $this->assertStringNotContainsString(self::K, print_r($key, true));
        $this->assertStringNotContainsString(self::K, var_export($key, true));
        try {
            serialize($key);
            $this->fail('serialized a Key');
        } catch (\LogicException $e) {
            $this->assertStringContainsString('cannot be serialized', $e->getMessage());
        }
        $this->expectException(\Error::class);
        $this->expectExceptionMessage('Call to private Dstoken\Key::__clone()');
        $copy = clone $key;
    }

    public function testJoinUrlDomains(): void
    {
        $this->assertSame('https://acme.digitalsamba.com/my%20room', joinUrl('ACME', 'my room'));
        $this->assertSame('https://meet.example.com/r?token=a.b.c', joinUrl('Meet.Example.com', 'r', 'a.b.c'));
        $this->assertSame('https://meet.example.com:8443/r', joinUrl('meet.example.com:8443', 'r', allowPort: true));
        $url = mintUrl(self::K, 'meet.example.com', teamId: 't', room: 'r', lifetime: 60);
        $this->assertStringStartsWith('https://meet.example.com/r?token=', $url);
        $this->assertSame('t', verify(substr($url, strlen('https://meet.example.com/r?token=')), self::K)['td']);
    }

    /** allowPort: true on mintUrl() and Claims::signUrl(): the port kept, the token PyJWT accepts. */
    public function testMintUrlAndSignUrlAllowPort(): void
    {
        $now = time();
        $prefix = 'https://meet.example.com:8443/my%20room?token=';
        $a = mintUrl(self::K, 'Meet.Example.com:8443', teamId: 't', room: 'my room', userName: 'Zoë', lifetime: 60, now: $now, allowPort: true);
        $this->assertStringStartsWith($prefix, $a);
        $tokenA = substr($a, strlen($prefix));
        $this->assertSame(mint(self::K, teamId: 't', room: 'my room', userName: 'Zoë', lifetime: 60, now: $now), $tokenA);
        $b = (new Claims(teamId: 't', room: 'my room'))->userName('Zoë')->lifetime(60)->now($now)->claim('plan', 'pro')
            ->signUrl(self::K, 'meet.example.com:8443', allowPort: true);
        $this->assertStringStartsWith($prefix, $b);
        $tokenB = substr($b, strlen($prefix));
        [$pa, $pb] = Support::pyjwt([$tokenA, $tokenB], self::K);
        $this->assertSame(['td' => 't', 'rd' => 'my room', 'u' => 'Zoë', 'iat' => $now, 'exp' => $now + 60], $pa);
        $this->assertSame(['td' => 't', 'rd' => 'my room', 'u' => 'Zoë', 'iat' => $now, 'exp' => $now + 60, 'plan' => 'pro'], $pb);
        // allowPort on a domain without a port, or off: the URL dst_mint_url builds.
        $c = mintUrl(self::K, 'meet.example.com', teamId: 't', room: 'r', lifetime: 60, now: $now, allowPort: true);
        $this->assertSame(mintUrl(self::K, 'meet.example.com', teamId: 't', room: 'r', lifetime: 60, now: $now), $c);
        $d = (new Claims(teamId: 't', room: 'r'))->lifetime(60)->now($now)->signUrl(self::K, 'acme', allowPort: false);
        $this->assertSame('https://acme.digitalsamba.com/r?token=' . mint(self::K, teamId: 't', room: 'r', lifetime: 60, now: $now), $d);
    }

    /** A time of exactly 0 (which dst_room_token reads as "absent") still signs, through a claim set. */
    public function testZeroTimes(): void
    {
        $now = time();
        $a = mint(self::K, teamId: 't', room: 'r', issuedAt: 0, notBefore: 0, expiresAt: $now + 60);
        $this->assertSame(['td' => 't', 'rd' => 'r', 'iat' => 0, 'nbf' => 0, 'exp' => $now + 60], verify($a, self::K));
        // A now of 0 is the system clock (as everywhere), so a zero iat is given explicitly.
        $b = mint(self::K, teamId: 't', room: 'r', issuedAt: 0, expiresAt: 3600, now: 1);
        $this->assertSame(['td' => 't', 'rd' => 'r', 'iat' => 0, 'exp' => 3600], verify($b, self::K, now: 100));
        $clock = time();
        $c = verify(mint(self::K, teamId: 't', room: 'r', lifetime: 3600, notBeforeSkew: 0, now: 0), self::K);
        $this->assertEqualsWithDelta($clock, $c['iat'], 2);
        $this->assertSame(Support::handRolled(['td' => 't', 'rd' => 'r', 'iat' => 0, 'exp' => 3600], self::K), $b);
    }

    /** noExpiry: true signs a token without exp, as the CLI's --no-expiry does; maxLifetime raises the limit. */
    public function testNoExpiryAndMaxLifetime(): void
    {
        $now = time();
        $forever = mint(self::K, teamId: 't', room: 'r', noExpiry: true);
        $this->assertSame(['td' => 't', 'rd' => 'r'], verify($forever, self::K, expOptional: true));
        $this->assertSame(['td' => 't', 'rd' => 'r', 'x' => 1], verify((new Claims(teamId: 't', room: 'r'))->noExpiry()->claim('x', 1)->sign(self::K), self::K, expOptional: true));
        // A whole float is a whole number of seconds.
        $c = verify(mint(self::K, teamId: 't', room: 'r', lifetime: 90.0, notBeforeSkew: 2.0, now: $now), self::K, now: $now);
        $this->assertSame([$now, $now - 2, $now + 90], [$c['iat'], $c['nbf'], $c['exp']]);
        $long = 60 * 86400;
        foreach ([mint(self::K, teamId: 't', room: 'r', lifetime: $long, maxLifetime: $long, now: $now),
                  (new Claims(teamId: 't', room: 'r'))->lifetime($long)->maxLifetime($long)->now($now)->claim('x', 1)->sign(self::K)] as $token) {
            $this->assertSame($now + $long, verify($token, self::K, now: $now)['exp']);
        }
        $dt = new \DateTimeImmutable('@' . ($now + 120));
        $this->assertSame($now + 120, verify(mint(self::K, teamId: 't', room: 'r', expiresAt: $dt), self::K)['exp']);
        $decoded = Support::pyjwt([$forever], self::K);
        $this->assertSame(['td' => 't', 'rd' => 'r'], $decoded[0]);
    }

    /** The parts of an error as properties: numbers, times as DateTimeImmutable, PHP argument names. */
    public function testErrorParts(): void
    {
        $k = Key::fromString(self::K);
        $token = mint($k, teamId: 't', room: 'r', lifetime: 60, now: 1767225600);
        try {
            verify($token, $k, now: 1767225600 + 3600);
            $this->fail('verified an expired token');
        } catch (ExpiredException $e) {
            $this->assertSame('EXPIRED', $e->reason);
            $this->assertEquals(new \DateTimeImmutable('2026-01-01T00:01:00Z'), $e->getExpiredAt());
            $this->assertSame($e->time, $e->getExpiredAt());
            $this->assertSame(3540, $e->value);
            $this->assertSame(0, $e->limit);
            $this->assertNull($e->suggested);
            $this->assertSame('DST_ERR_EXPIRED: Dstoken\verify(): the token expired at 2026-01-01T00:01:00Z, 59 min 0 s ago', $e->getMessage());
        }
        try {
            mint($k, teamId: 't', room: 'r', issuedAt: 1767225600, expiresAt: 1767225599, now: 1767225000);
            $this->fail('minted exp before iat');
        } catch (DstokenException $e) {
            $this->assertSame(['EXP_BEFORE', 'expiresAt', 'issuedAt', 1767225599, 1767225600, null], [$e->reason, $e->argument, $e->other, $e->value, $e->limit, $e->time]);
            $this->assertSame('DST_ERR_INVALID_ARGUMENT: Dstoken\mint(): expiresAt (1767225599) is earlier than issuedAt (1767225600)', $e->getMessage());
        }
        try {
            verify($token, $k, now: 1767225600, room: 'other');
            $this->fail('verified another room');
        } catch (ClaimMismatchException $e) {
            $this->assertSame(['CLAIM_MISMATCH', 'room', 'rd', 'r'], [$e->reason, $e->argument, $e->claim, $e->text]);
        }
    }

    /** Verify options that pass, and decodeUnverified(), which checks nothing. */
    public function testVerifyOptionsAndDecodeUnverified(): void
    {
        $k = Key::fromString(self::K);
        $token = mint($k, teamId: 't', room: 'r', role: 'moderator', lifetime: 60, now: 1767225600);
        $want = ['td' => 't', 'rd' => 'r', 'role' => 'moderator', 'iat' => 1767225600, 'exp' => 1767225660];
        $this->assertSame($want, verify($token, $k, now: 1767225600, teamId: 't', room: 'r', required: ['role', 'iat']));
        // Expired and signed with another key: decoded all the same.
        $other = mint('another team key', teamId: 't', room: 'r', lifetime: 60, now: 1767225600);
        $this->assertSame(['header' => ['alg' => 'HS256', 'typ' => 'JWT'], 'claims' => $want], decodeUnverified($token));
        $this->assertSame($want['td'], decodeUnverified($other)['claims']['td']);
    }
}

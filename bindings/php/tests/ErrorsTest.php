<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\BeforeValidException;
use Dstoken\Claims;
use Dstoken\DstokenException;
use Dstoken\ExpiredException;
use Dstoken\Key;
use Dstoken\MalformedTokenException;
use Dstoken\SignatureInvalidException;
use Dstoken\UnsupportedAlgorithmException;
use PHPUnit\Framework\TestCase;

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

    /** @return iterable<string, array{0: \Closure, 1: string, 2: string, 3?: class-string}> */
    public static function cases(): iterable
    {
        // A Key object: mint() then tries its fast path first, which must fail over to the
        // checked path with the same error (the string-key cases below take the checked path).
        $k = Key::fromString(self::K);
        $now = time();
        $t = ['teamId' => 't', 'room' => 'r'];
        yield 'string key: mint without expiry' => [fn () => mint(self::K, ...$t), 'DST_ERR_INVALID_ARGUMENT', 'the token has no expiry'];
        yield 'string key: NUL in userName' => [fn () => mint(self::K, ...$t, userName: "a\0", lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'userName: contains a NUL byte'];
        yield 'string key: latin-1 role' => [fn () => mint(self::K, ...$t, role: "\xff", expiresAt: $now + 60), 'DST_ERR_INVALID_UTF8', 'role: is not valid UTF-8'];
        // An expiry is required.
        yield 'mint without expiry' => [fn () => mint($k, ...$t), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mint(): the token has no expiry: set lifetime: (seconds, e.g. 3600) or expiresAt:, or pass noExpiry: true'];
        yield 'mintUrl without expiry' => [fn () => mintUrl($k, 'acme', ...$t), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): the token has no expiry'];
        yield 'builder without expiry' => [fn () => (new Claims(...$t))->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'set lifetime() (seconds, e.g. 3600) or expiresAt(), or pass noExpiry() true'];
        yield 'builder with custom claims, without expiry' => [fn () => (new Claims(...$t))->claim('x', 1)->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'the token has no expiry'];
        yield 'noExpiry with lifetime' => [fn () => mint($k, ...$t, lifetime: 60, noExpiry: true), 'DST_ERR_INVALID_ARGUMENT', 'noExpiry: true contradicts lifetime:'];
        yield 'noExpiry with expiresAt' => [fn () => mint($k, ...$t, expiresAt: $now + 60, noExpiry: true), 'DST_ERR_INVALID_ARGUMENT', 'noExpiry: true contradicts expiresAt:'];
        // Lifetimes and skews.
        yield 'lifetime 0' => [fn () => mint($k, ...$t, lifetime: 0), 'DST_ERR_INVALID_ARGUMENT', 'lifetime: must be > 0 seconds, got 0; for a token that never expires pass noExpiry: true'];
        yield 'lifetime negative' => [fn () => mint($k, ...$t, lifetime: -5), 'DST_ERR_INVALID_ARGUMENT', 'lifetime: must be > 0 seconds, got -5'];
        yield 'lifetime -0.5' => [fn () => mint($k, ...$t, lifetime: -0.5), 'DST_ERR_INVALID_ARGUMENT', 'lifetime: must be > 0 seconds, got -0.5'];
        yield 'lifetime NAN' => [fn () => mint($k, ...$t, lifetime: NAN), 'DST_ERR_INVALID_ARGUMENT', 'lifetime: must be a finite number of seconds, got NAN'];
        yield 'lifetime INF' => [fn () => mint($k, ...$t, lifetime: INF), 'DST_ERR_INVALID_ARGUMENT', 'lifetime: must be a finite number of seconds, got INF'];
        yield 'builder lifetime 0' => [fn () => (new Claims(...$t))->lifetime(0)->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::sign(): lifetime() must be > 0 seconds'];
        yield 'skew negative' => [fn () => mint($k, ...$t, lifetime: 60, notBeforeSkew: -1), 'DST_ERR_INVALID_ARGUMENT', 'notBeforeSkew: must be >= 0 seconds, got -1'];
        yield 'skew NAN' => [fn () => mint($k, ...$t, lifetime: 60, notBeforeSkew: NAN), 'DST_ERR_INVALID_ARGUMENT', 'notBeforeSkew: must be a finite number'];
        yield 'skew without lifetime' => [fn () => mint($k, ...$t, expiresAt: $now + 60, notBeforeSkew: 5), 'DST_ERR_INVALID_ARGUMENT', 'explicit times (issuedAt:, notBefore:, expiresAt:) and relative times (lifetime:, notBeforeSkew:) exclude each other'];
        yield 'skew alone' => [fn () => mint($k, ...$t, notBeforeSkew: 5, noExpiry: true), 'DST_ERR_INVALID_ARGUMENT', 'notBeforeSkew: needs lifetime:'];
        yield 'explicit and relative' => [fn () => mint($k, ...$t, issuedAt: $now, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'exclude each other'];
        // The time range, milliseconds, an expiry already past.
        yield 'issuedAt before 1970' => [fn () => mint($k, ...$t, issuedAt: -1, expiresAt: $now + 60), 'DST_ERR_INVALID_ARGUMENT', 'issuedAt: (-1) must be unix seconds from 0 to 253402300799 (1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z)'];
        yield 'expiresAt in milliseconds' => [fn () => mint($k, ...$t, expiresAt: ($now + 3600) * 1000), 'DST_ERR_INVALID_ARGUMENT', 'it looks like milliseconds: pass seconds (' . ($now + 3600) . ', '];
        yield 'expiresAt DateTime past 9999' => [fn () => mint($k, ...$t, expiresAt: new \DateTimeImmutable('@253402300800')), 'DST_ERR_INVALID_ARGUMENT', 'expiresAt: (253402300800) must be unix seconds'];
        yield 'notBefore in milliseconds' => [fn () => mint($k, ...$t, notBefore: $now * 1000, expiresAt: $now + 60), 'DST_ERR_INVALID_ARGUMENT', 'notBefore: (' . ($now * 1000) . ') must be unix seconds'];
        yield 'now in milliseconds' => [fn () => mint($k, ...$t, lifetime: 60, now: $now * 1000), 'DST_ERR_INVALID_ARGUMENT', 'now: (' . ($now * 1000) . ') must be unix seconds from 0 to 253402300799 (1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z); it looks like milliseconds'];
        yield 'now before 1970' => [fn () => mint($k, ...$t, lifetime: 60, now: -1), 'DST_ERR_INVALID_ARGUMENT', 'now: (-1) must be unix seconds'];
        yield 'builder now in milliseconds' => [fn () => (new Claims(...$t))->lifetime(60)->now($now * 1000)->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'now() (' . ($now * 1000) . ') must be unix seconds'];
        yield 'lifetime past 9999' => [fn () => mint($k, ...$t, lifetime: 253402300799), 'DST_ERR_INVALID_ARGUMENT', 'puts exp after 9999-12-31T23:59:59Z'];
        yield 'lifetime in milliseconds past 9999' => [fn () => mint($k, ...$t, lifetime: 3600.0 * 1e9), 'DST_ERR_INVALID_ARGUMENT', 'lifetime: (3600000000000.0) is out of range'];
        yield 'skew before 1970' => [fn () => mint($k, ...$t, lifetime: 60, notBeforeSkew: 20, now: 10), 'DST_ERR_INVALID_ARGUMENT', 'notBeforeSkew: (20 s) puts nbf before 1970-01-01T00:00:00Z'];
        yield 'already expired' => [fn () => mint($k, ...$t, expiresAt: $now - 10, now: $now), 'DST_ERR_INVALID_ARGUMENT', sprintf('expiresAt: (%d) is already past: the token expired at %s, 10 s before now', $now - 10, gmdate('Y-m-d\TH:i:s\Z', $now - 10))];
        yield 'expires right now' => [fn () => mint($k, ...$t, expiresAt: $now, now: $now), 'DST_ERR_INVALID_ARGUMENT', 'is already past'];
        yield 'already expired (clock)' => [fn () => mint($k, ...$t, expiresAt: 1767229200), 'DST_ERR_INVALID_ARGUMENT', 'the token expired at 2026-01-01T01:00:00Z'];
        yield 'builder already expired' => [fn () => (new Claims(...$t))->expiresAt($now - 1)->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'expiresAt() (' . ($now - 1) . ') is already past'];
        yield 'exp before iat' => [fn () => mint($k, ...$t, issuedAt: $now + 100, expiresAt: $now + 50), 'DST_ERR_INVALID_ARGUMENT', 'expiresAt: (' . ($now + 50) . ') is earlier than issuedAt:'];
        yield 'exp before nbf' => [fn () => mint($k, ...$t, notBefore: $now + 100, expiresAt: $now + 50), 'DST_ERR_INVALID_ARGUMENT', 'is earlier than notBefore:'];
        // Strings.
        yield 'empty teamId' => [fn () => mint($k, teamId: '', room: 'r', lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mint(): teamId: must not be empty'];
        yield 'empty room' => [fn () => mint($k, teamId: 't', room: '', lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'room: must not be empty'];
        yield 'builder empty room' => [fn () => (new Claims(teamId: 't', room: ''))->lifetime(60)->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'room() must not be empty'];
        yield 'builder without teamId' => [fn () => (new Claims(room: 'r'))->lifetime(60)->sign($k), 'DST_ERR_MISSING_CLAIM', 'Dstoken\Claims::sign(): claim "td" is required; set it with teamId()'];
        yield 'builder without room' => [fn () => (new Claims(teamId: 't'))->lifetime(60)->claim('x', 1)->sign($k), 'DST_ERR_MISSING_CLAIM', 'claim "rd" is required; set it with room()'];
        foreach (['teamId', 'room', 'userName', 'userId', 'initials', 'role', 'breakoutId', 'avatar'] as $arg) {
            $nul = [$arg => "a\0b"] + $t;
            $bad = [$arg => "caf\xe9"] + $t;
            yield "NUL in $arg" => [fn () => mint($k, ...$nul, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', "Dstoken\\mint(): $arg: contains a NUL byte"];
            yield "NUL in $arg (builder, custom claims)" => [fn () => (new Claims(...$nul))->lifetime(60)->claim('x', 1)->sign($k), 'DST_ERR_INVALID_ARGUMENT', "$arg() contains a NUL byte"];
            yield "latin-1 in $arg" => [fn () => mint($k, ...$bad, lifetime: 60), 'DST_ERR_INVALID_UTF8', "Dstoken\\mint(): $arg: is not valid UTF-8"];
            yield "latin-1 in $arg (mintUrl)" => [fn () => mintUrl($k, 'acme', ...$bad, lifetime: 60), 'DST_ERR_INVALID_UTF8', "Dstoken\\mintUrl(): $arg: is not valid UTF-8"];
            yield "latin-1 in $arg (builder, custom claims)" => [fn () => (new Claims(...$bad))->lifetime(60)->claim('x', 1)->sign($k), 'DST_ERR_INVALID_UTF8', "$arg() is not valid UTF-8"];
        }
        yield 'empty key' => [fn () => Key::fromString(''), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Key::fromString(): developerKey must not be empty'];
        yield 'empty key string to mint' => [fn () => mint('', ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'developerKey must not be empty'];
        // Custom claims.
        foreach (['td' => 'teamId', 'rd' => 'room', 'u' => 'userName', 'ud' => 'userId', 'initials' => 'initials', 'role' => 'role',
            'breakoutId' => 'breakoutId', 'avatar' => 'avatar', 'iat' => 'issuedAt', 'nbf' => 'notBefore', 'exp' => 'expiresAt'] as $claim => $setter) {
            yield "custom claim $claim" => [fn () => (new Claims())->claim($claim, 'x'), 'DST_ERR_INVALID_ARGUMENT', "\"$claim\" is a registered claim; set it with Claims::$setter()"];
            yield "custom JSON claim $claim" => [fn () => (new Claims())->claimJson($claim, '"x"'), 'DST_ERR_INVALID_ARGUMENT', "set it with Claims::$setter()"];
            yield "custom claim $claim in the constructor" => [fn () => new Claims(teamId: 't', custom: [$claim => 'moderator']), 'DST_ERR_INVALID_ARGUMENT', "set it with Claims::$setter()"];
        }
        yield 'custom claim NAN' => [fn () => (new Claims())->claim('n', NAN), 'DST_ERR_INVALID_ARGUMENT', 'custom claim "n" cannot be signed: NaN and INF have no JSON form'];
        yield 'custom claim INF' => [fn () => (new Claims())->claim('n', INF), 'DST_ERR_INVALID_ARGUMENT', 'NaN and INF'];
        yield 'custom claim -INF nested' => [fn () => (new Claims())->claim('n', ['a' => [1, -INF]]), 'DST_ERR_INVALID_ARGUMENT', 'NaN and INF'];
        yield 'custom claim latin-1 string' => [fn () => (new Claims())->claim('n', "caf\xe9"), 'DST_ERR_INVALID_ARGUMENT', 'Malformed UTF-8'];
        yield 'custom claim empty name' => [fn () => (new Claims())->claim('', 1), 'DST_ERR_INVALID_ARGUMENT', 'a custom claim name must be non-empty'];
        yield 'custom claim NUL name' => [fn () => (new Claims())->claim("a\0", 1), 'DST_ERR_INVALID_ARGUMENT', 'no NUL byte'];
        yield 'custom JSON invalid' => [fn () => (new Claims(...$t))->lifetime(60)->claimJson('j', '{"a":1,"a":2}')->sign($k), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::sign(): custom claim "j"'];
        yield 'custom JSON NUL' => [fn () => (new Claims())->claimJson('j', "\"a\0\""), 'DST_ERR_INVALID_ARGUMENT', 'contains a NUL byte'];
        // URLs.
        yield 'mintUrl bad team' => [fn () => mintUrl($k, 'bad team', ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): team "bad team"'];
        yield 'mintUrl team NUL' => [fn () => mintUrl($k, "acme\0", ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'team contains a NUL byte'];
        yield 'joinUrl bad team' => [fn () => joinUrl('-acme', 'r'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): '];
        yield 'joinUrl room ..' => [fn () => joinUrl('acme', '..'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): '];
        yield 'joinUrl empty room' => [fn () => joinUrl('acme', ''), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): '];
        yield 'joinUrl bad token' => [fn () => joinUrl('acme', 'r', 'a b'), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): '];
        yield 'joinUrl port without allowPort' => [fn () => joinUrl('meet.example.com:8443', 'r'), 'DST_ERR_INVALID_ARGUMENT', 'allowPort'];
        yield 'joinUrl IP literal' => [fn () => joinUrl('127.0.0.1', 'r', null, true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\joinUrl(): '];
        yield 'mintUrl port' => [fn () => mintUrl($k, 'meet.example.com:8443', ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): '];
        yield 'mintUrl port names allowPort' => [fn () => mintUrl($k, 'meet.example.com:8443', ...$t, lifetime: 60), 'DST_ERR_INVALID_ARGUMENT', 'allowPort: true'];
        yield 'mintUrl allowPort IP literal' => [fn () => mintUrl($k, '127.0.0.1:8080', ...$t, lifetime: 60, allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): team "127.0.0.1:8080"'];
        yield 'mintUrl allowPort port 0' => [fn () => mintUrl($k, 'meet.example.com:0', ...$t, lifetime: 60, allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): '];
        yield 'mintUrl allowPort subdomain with port' => [fn () => mintUrl($k, 'acme:8443', ...$t, lifetime: 60, allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): '];
        yield 'mintUrl allowPort no expiry' => [fn () => mintUrl($k, 'meet.example.com:8443', ...$t, allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\mintUrl(): '];
        yield 'signUrl port names allowPort' => [fn () => (new Claims(...$t))->lifetime(60)->signUrl($k, 'meet.example.com:8443'), 'DST_ERR_INVALID_ARGUMENT', 'allowPort: true'];
        yield 'signUrl allowPort IP literal' => [fn () => (new Claims(...$t))->lifetime(60)->signUrl($k, '[::1]:8443', allowPort: true), 'DST_ERR_INVALID_ARGUMENT', 'Dstoken\Claims::signUrl(): '];
        yield 'joinUrl latin-1 room' => [fn () => joinUrl('acme', "caf\xe9"), 'DST_ERR_INVALID_UTF8', 'room is not valid UTF-8'];
        // Verification.
        $good = mint($k, ...$t, lifetime: 60);
        yield 'verify a join URL' => [fn () => verify("https://acme.digitalsamba.com/r?token=$good", $k), 'DST_ERR_MALFORMED_TOKEN', 'Dstoken\verify(): token looks like a URL; pass the token alone', MalformedTokenException::class];
        yield 'verify an http URL' => [fn () => verify('http://x', $k), 'DST_ERR_MALFORMED_TOKEN', 'pass the token alone', MalformedTokenException::class];
        yield 'verify a query' => [fn () => verify("r?token=$good", $k), 'DST_ERR_MALFORMED_TOKEN', 'pass the token alone', MalformedTokenException::class];
        yield 'verify NUL' => [fn () => verify("$good\0", $k), 'DST_ERR_MALFORMED_TOKEN', 'NUL byte', MalformedTokenException::class];
        yield 'verify garbage' => [fn () => verify('abc', $k), 'DST_ERR_MALFORMED_TOKEN', 'Dstoken\verify(): ', MalformedTokenException::class];
        yield 'verify leeway negative' => [fn () => verify($good, $k, leeway: -1), 'DST_ERR_INVALID_ARGUMENT', 'leeway: must be from 0 to 4294967295 seconds, got -1'];
        yield 'verify leeway 2^32' => [fn () => verify($good, $k, leeway: 1 << 32), 'DST_ERR_INVALID_ARGUMENT', 'got 4294967296'];
        yield 'verify wrong key' => [fn () => verify($good, 'another team key'), 'DST_ERR_BAD_SIGNATURE', 'trailing newline', SignatureInvalidException::class];
        yield 'verify key with newline' => [fn () => verify($good, self::K . "\n"), 'DST_ERR_BAD_SIGNATURE', 'base64-decoded', SignatureInvalidException::class];
        yield 'verify expired' => [fn () => verify($good, $k, now: $now + 3600), 'DST_ERR_EXPIRED', 'Dstoken\verify(): ', ExpiredException::class];
        yield 'verify expired beyond leeway' => [fn () => verify($good, $k, now: $now + 100, leeway: 30), 'DST_ERR_EXPIRED', 'expired', ExpiredException::class];
        yield 'verify not yet valid' => [fn () => verify(mint($k, ...$t, lifetime: 60, notBeforeSkew: 0, now: $now + 600), $k, now: $now), 'DST_ERR_NOT_YET_VALID', 'Dstoken\verify(): ', BeforeValidException::class];
        yield 'verify alg none' => [fn () => verify('eyJhbGciOiJub25lIn0.eyJ0ZCI6InQiLCJyZCI6InIifQ.', $k), 'DST_ERR_UNSUPPORTED_ALGORITHM', 'Dstoken\verify(): ', UnsupportedAlgorithmException::class];
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

    /** noExpiry: true signs a token without exp, as the CLI's --no-expiry does; fractions round up. */
    public function testNoExpiryAndRounding(): void
    {
        $now = time();
        $forever = mint(self::K, teamId: 't', room: 'r', noExpiry: true);
        $this->assertSame(['td' => 't', 'rd' => 'r'], verify($forever, self::K));
        $this->assertSame(['td' => 't', 'rd' => 'r', 'iat' => $now], verify(mint(self::K, teamId: 't', room: 'r', issuedAt: $now, noExpiry: true), self::K));
        $this->assertSame(['td' => 't', 'rd' => 'r', 'x' => 1], verify((new Claims(teamId: 't', room: 'r'))->noExpiry()->claim('x', 1)->sign(self::K), self::K));
        $c = verify(mint(self::K, teamId: 't', room: 'r', lifetime: 0.2, now: $now), self::K, now: $now);
        $this->assertSame($now + 1, $c['exp']);
        $c = verify(mint(self::K, teamId: 't', room: 'r', lifetime: 90.5, notBeforeSkew: 1.5, now: $now), self::K, now: $now);
        $this->assertSame([$now, $now - 2, $now + 91], [$c['iat'], $c['nbf'], $c['exp']]);
        $dt = new \DateTimeImmutable('@' . ($now + 120));
        $this->assertSame($now + 120, verify(mint(self::K, teamId: 't', room: 'r', expiresAt: $dt), self::K)['exp']);
        $decoded = Support::pyjwt([$forever], self::K);
        $this->assertSame(['td' => 't', 'rd' => 'r'], $decoded[0]);
    }
}

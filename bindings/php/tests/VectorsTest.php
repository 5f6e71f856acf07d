<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\DstokenException;
use Dstoken\Internal\Schema;
use Dstoken\Key;
use Dstoken\Status;
use PHPUnit\Framework\TestCase;

use function Dstoken\decodeUnverified;
use function Dstoken\joinUrl;
use function Dstoken\mint;
use function Dstoken\mintUrl;
use function Dstoken\verify;

/**
 * tests/vectors/vectors.json, every section: tokens byte for byte through the one-call mint
 * and the Claims builder; every refusal's exception class, argument (this binding's spelling,
 * from the schema) and parts.
 */
final class VectorsTest extends TestCase
{
    private const ARGS = [
        'team_id' => 'teamId', 'room' => 'room', 'user_name' => 'userName', 'user_id' => 'userId',
        'initials' => 'initials', 'role' => 'role', 'breakout_id' => 'breakoutId', 'avatar' => 'avatar',
        'issued_at' => 'issuedAt', 'not_before' => 'notBefore', 'expires_at' => 'expiresAt',
        'lifetime_seconds' => 'lifetime', 'not_before_skew_seconds' => 'notBeforeSkew', 'now' => 'now',
        'no_expiry' => 'noExpiry', 'max_lifetime_seconds' => 'maxLifetime',
    ];

    /** The exception class for a status (firebase/php-jwt's names where it has them). */
    private const CLASSES = [
        'DST_ERR_EXPIRED' => \Dstoken\ExpiredException::class,
        'DST_ERR_NOT_YET_VALID' => \Dstoken\BeforeValidException::class,
        'DST_ERR_BAD_SIGNATURE' => \Dstoken\SignatureInvalidException::class,
        'DST_ERR_MALFORMED_TOKEN' => \Dstoken\MalformedTokenException::class,
        'DST_ERR_UNSUPPORTED_ALGORITHM' => \Dstoken\UnsupportedAlgorithmException::class,
        'DST_ERR_MISSING_CLAIM' => \Dstoken\MissingClaimException::class,
        'DST_ERR_CLAIM_MISMATCH' => \Dstoken\ClaimMismatchException::class,
    ];

    /**
     * A vector's dst_room_token as mint()'s named arguments: lifetime_seconds +
     * lifetime_nanos as one PHP number (3 s + 600000000 ns is 3.6).
     *
     * @param array<string, mixed> $token
     * @return array<string, mixed>
     */
    public static function args(array $token): array
    {
        $a = [];
        foreach ($token as $k => $v) {
            if ($k === 'lifetime_nanos') {
                continue;
            }
            self::assertArrayHasKey($k, self::ARGS, "unknown vector field $k");
            $a[self::ARGS[$k]] = $v;
        }
        if (isset($token['lifetime_nanos'])) {
            $a['lifetime'] = ($token['lifetime_seconds'] ?? 0) + $token['lifetime_nanos'] / 1e9;
            self::assertSame($token['lifetime_nanos'], (int) round(($a['lifetime'] - (int) $a['lifetime']) * 1e9), 'the nanoseconds survive as a PHP float');
        }
        return $a;
    }

    /** @param array<string, mixed> $a */
    private static function claims(array $a): Claims
    {
        return new Claims(...$a);
    }

    /** @return iterable<string, array{0: array<string, mixed>}> */
    private static function section(string $name): iterable
    {
        foreach (Support::vectors()[$name] as $case) {
            yield $case['name'] => [$case];
        }
    }

    public static function signCases(): iterable
    {
        return self::section('sign');
    }

    public static function signErrorCases(): iterable
    {
        return self::section('sign_errors');
    }

    public static function mintErrorCases(): iterable
    {
        return self::section('mint_errors');
    }

    public static function verifyCases(): iterable
    {
        return self::section('verify');
    }

    public static function decodeCases(): iterable
    {
        return self::section('decode');
    }

    public static function keyCases(): iterable
    {
        return self::section('keys');
    }

    /**
     * The refusal's class (from status), its status, reason, argument in this binding's
     * spelling and the parts the case names.
     *
     * @param array<string, mixed> $case
     */
    private function assertRefusal(array $case, DstokenException $e, string $what): void
    {
        $this->assertSame($case['status'], $e->getStatus(), "$what: {$e->getMessage()}");
        $this->assertSame(Status::fromName($case['status']), $e->getCode());
        $this->assertSame(self::CLASSES[$case['status']] ?? DstokenException::class, get_class($e), $what);
        $this->assertStringStartsWith("{$case['status']}: Dstoken\\", $e->getMessage());
        $this->assertDoesNotMatchRegularExpression('/\bdst_[a-z]|[a-z]_[a-z]+_seconds\b/', $e->getMessage(), "$what: a C name in a PHP message");
        if (isset($case['reason'])) {
            $this->assertSame($case['reason'], $e->reason, "$what: {$e->getMessage()}");
        }
        if (isset($case['argument'])) {
            $this->assertSame(self::spelling($case['argument']), $e->argument, "$what: {$e->getMessage()}");
            $this->assertNotSame('', $e->argument);
            if (str_contains(self::template($case['reason'] ?? 'NONE'), '{arg}')) {
                $this->assertStringContainsString($e->argument, $e->getMessage());
            }
        }
        foreach ($case['parts'] ?? [] as $part => $want) {
            $got = match ($part) {
                'other' => $e->other,
                'name' => $e->claim,
                'text' => $e->text,
                'value' => $e->value,
                'limit' => $e->limit,
                'suggested' => $e->suggested,
                'time' => $e->time?->getTimestamp(),
            };
            $this->assertSame($part === 'other' ? self::spelling($want) : $want, $got, "$what: part $part of {$e->getMessage()}");
        }
        foreach ($case['message_contains'] ?? [] as $word) {
            $this->assertStringContainsString($word, $e->getMessage(), $what);
        }
    }

    private static function template(string $reason): string
    {
        foreach (Schema::REASONS as [$name, $template]) {
            if ($name === $reason) {
                return $template;
            }
        }
        self::fail("unknown reason $reason");
    }

    /** An argument's PHP spelling: the schema's php column. */
    private static function spelling(string $argument): string
    {
        foreach (Schema::ARGS as [$name, $php]) {
            if ($name === $argument) {
                return $php;
            }
        }
        self::fail("unknown argument $argument");
    }

    /**
     * @dataProvider signCases
     * @param array<string, mixed> $case
     */
    public function testSign(array $case): void
    {
        $bytes = (string) hex2bin($case['key_hex']);
        $key = Key::fromBytes($bytes);
        $a = self::args($case['token']);
        if (isset($a['expiresAt']) && !isset($a['now'])) {
            // A fixed vector's exp lies in the past of the real clock: mint as of just before.
            $a['now'] = $a['expiresAt'] - 1;
        }
        $builder = self::claims($a);
        foreach ($case['custom'] ?? [] as [$name, $json]) {
            $builder->claimJson($name, $json);
        }
        $this->assertSame($case['jwt'], $builder->sign($key), 'Claims::sign()');
        if (!isset($case['custom'])) {
            $this->assertSame($case['jwt'], mint($key, ...$a), 'mint()');
            $this->assertSame(joinUrl('acme', $a['room'], $case['jwt']), mintUrl($key, 'acme', ...$a), 'mintUrl()');
        }
    }

    /**
     * @dataProvider signErrorCases
     * @param array<string, mixed> $case
     */
    public function testSignErrors(array $case): void
    {
        $key = Key::fromBytes((string) hex2bin($case['key_hex']));
        $a = self::args($case['token']);
        $paths = [
            'Claims::sign()' => fn () => self::claims($a)->sign($key),
            'Claims::sign() with a custom claim' => fn () => self::claims($a)->claim('x', 1)->sign($key),
        ];
        if (isset($a['teamId'], $a['room'])) {
            $paths['mint()'] = fn () => mint($key, ...$a);
        }
        foreach ($paths as $what => $f) {
            try {
                $f();
                $this->fail("$what signed {$case['name']}");
            } catch (DstokenException $e) {
                $this->assertRefusal($case, $e, $what);
            }
        }
    }

    /**
     * The one-call mint's refusals, through mint(), mintUrl() and the builder (with and
     * without a custom claim). A case with `custom` passes a registered name through
     * Claims::claim()/claimJson(), which the library refuses (the token alone mints).
     *
     * @dataProvider mintErrorCases
     * @param array<string, mixed> $case
     */
    public function testMintErrors(array $case): void
    {
        $key = Key::fromBytes((string) hex2bin($case['key_hex']));
        $a = self::args($case['token']);
        if (isset($case['custom'])) {
            $this->assertNotSame('', mint($key, ...$a));
            foreach ($case['custom'] as [$name, $json]) {
                $paths = [
                    'claim' => fn () => self::claims($a)->claim($name, json_decode($json, true)),
                    'claimJson' => fn () => self::claims($a)->claimJson($name, $json),
                    'constructor' => fn () => self::claims($a + ['custom' => [$name => json_decode($json, true)]]),
                ];
                foreach ($paths as $what => $f) {
                    try {
                        $f();
                        $this->fail("Claims $what accepted the registered name $name");
                    } catch (DstokenException $e) {
                        $this->assertRefusal($case, $e, $what);
                    }
                }
            }
            return;
        }
        $paths = [
            'mint()' => fn () => mint($key, ...$a),
            'mintUrl()' => fn () => mintUrl($key, 'acme', ...$a),
            'Claims::sign()' => fn () => self::claims($a)->sign($key),
            'Claims::sign() with a custom claim' => fn () => self::claims($a)->claim('x', 1)->sign($key),
        ];
        foreach ($paths as $what => $f) {
            try {
                $f();
                $this->fail("$what minted {$case['name']}");
            } catch (DstokenException $e) {
                $this->assertRefusal($case, $e, $what);
            }
        }
    }

    /**
     * @dataProvider verifyCases
     * @param array<string, mixed> $case
     */
    public function testVerify(array $case): void
    {
        $key = Key::fromBytes((string) hex2bin($case['key_hex']));
        $o = $case['options'] ?? [];
        $opts = [];
        foreach (['exp_optional' => 'expOptional', 'team_id' => 'teamId', 'room' => 'room', 'required' => 'required'] as $from => $to) {
            if (array_key_exists($from, $o)) {
                $opts[$to] = $o[$from];
            }
        }
        $this->assertSame([], array_diff(array_keys($o), ['exp_optional', 'team_id', 'room', 'required']), 'unknown verify option');
        try {
            $claims = verify(...['token' => $case['jwt'], 'key' => $key, 'now' => $case['now'], 'leeway' => $case['leeway']] + $opts);
        } catch (DstokenException $e) {
            $this->assertRefusal($case, $e, 'verify()');
            if ($e instanceof \Dstoken\ExpiredException) {
                $this->assertSame($case['parts']['time'] ?? $e->time?->getTimestamp(), $e->getExpiredAt()?->getTimestamp());
            }
            return;
        }
        $this->assertSame('DST_OK', $case['status'], 'verified a token the vectors refuse');
        $this->assertSame($case['claims'], $claims);
    }

    /**
     * @dataProvider decodeCases
     * @param array<string, mixed> $case
     */
    public function testDecode(array $case): void
    {
        try {
            $d = decodeUnverified($case['jwt']);
        } catch (DstokenException $e) {
            $this->assertRefusal($case, $e, 'decodeUnverified()');
            return;
        }
        $this->assertSame('DST_OK', $case['status'], 'decoded a token the vectors refuse');
        $this->assertSame(['header' => $case['header'], 'claims' => $case['claims']], $d);
    }

    /**
     * @dataProvider keyCases
     * @param array<string, mixed> $case
     */
    public function testKeys(array $case): void
    {
        try {
            $k = Key::fromString($case['key']);
        } catch (DstokenException $e) {
            $this->assertRefusal($case, $e, 'Key::fromString()');
            // The same text through mint()'s string key.
            try {
                mint($case['key'], teamId: 't', room: 'r', noExpiry: true);
                $this->fail('mint() took a key Key::fromString() refuses');
            } catch (DstokenException $e2) {
                $this->assertRefusal($case, $e2, 'mint()');
            }
            if ($case['key'] !== '') {
                // Bytes are taken as they are.
                $this->assertNotSame('', mint(Key::fromBytes($case['key']), teamId: 't', room: 'r', noExpiry: true));
            }
            return;
        }
        $this->assertSame('DST_OK', $case['status']);
        $t = mint($k, teamId: 't', room: 'r', noExpiry: true);
        $this->assertSame($t, mint(Key::fromBytes($case['key']), teamId: 't', room: 'r', noExpiry: true));
    }
}

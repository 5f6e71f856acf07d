<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Claims;
use Dstoken\DstokenException;
use Dstoken\Key;
use Dstoken\Status;
use PHPUnit\Framework\TestCase;

use function Dstoken\joinUrl;
use function Dstoken\mint;
use function Dstoken\mintUrl;
use function Dstoken\verify;

/** tests/vectors/vectors.json, byte for byte, through the one-call mint and the Claims builder. */
final class VectorsTest extends TestCase
{
    private const ARGS = [
        'team_id' => 'teamId', 'room' => 'room', 'user_name' => 'userName', 'user_id' => 'userId',
        'initials' => 'initials', 'role' => 'role', 'breakout_id' => 'breakoutId', 'avatar' => 'avatar',
        'issued_at' => 'issuedAt', 'not_before' => 'notBefore', 'expires_at' => 'expiresAt',
        'lifetime_seconds' => 'lifetime', 'not_before_skew_seconds' => 'notBeforeSkew', 'now' => 'now',
        'no_expiry' => 'noExpiry',
    ];

    /**
     * A vector's dst_room_token as mint()'s named arguments (a case without exp carries
     * no_expiry). In explicit mode the test adds now: exp - 1, the instant PHP's "already
     * expired" check uses (a fixed vector's exp lies in the past of the real clock).
     *
     * @param array<string, mixed> $token
     * @return array<string, mixed>
     */
    public static function args(array $token, bool $signs = true): array
    {
        $a = [];
        foreach ($token as $k => $v) {
            self::assertArrayHasKey($k, self::ARGS, "unknown vector field $k");
            $a[self::ARGS[$k]] = $v;
        }
        if ($signs && !isset($a['expiresAt']) && !isset($a['lifetime'])) {
            self::assertTrue($a['noExpiry'] ?? false, 'a vector without exp must say no_expiry');
        }
        if (isset($a['expiresAt']) && !isset($a['lifetime']) && !isset($a['now'])) {
            $a['now'] = $a['expiresAt'] - 1;
        }
        return $a;
    }

    /** @param array<string, mixed> $a */
    private static function claims(array $a): Claims
    {
        return new Claims(...$a);
    }

    /** @return iterable<string, array{0: array<string, mixed>}> */
    public static function signCases(): iterable
    {
        foreach (Support::vectors()['sign'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * @dataProvider signCases
     * @param array<string, mixed> $case
     */
    public function testSign(array $case): void
    {
        $key = Key::fromString((string) hex2bin($case['key_hex']));
        $a = self::args($case['token']);
        $outOfRange = array_filter(['issuedAt', 'notBefore', 'expiresAt'], static fn ($k) => isset($a[$k]) && $a[$k] < 0);
        if ($outOfRange) {
            // Signing-side time range 1970..9999: PHP refuses what the C struct still takes.
            foreach (['mint()' => fn () => mint($key, ...$a), 'Claims::sign()' => fn () => self::claims($a)->sign($key)] as $what => $f) {
                try {
                    $f();
                    $this->fail("$what signed a time before 1970");
                } catch (DstokenException $e) {
                    $this->assertSame('DST_ERR_INVALID_ARGUMENT', $e->getStatus());
                    $this->assertStringContainsString('must be unix seconds from 0 to 253402300799', $e->getMessage());
                }
            }
            return;
        }
        $builder = self::claims($a);
        foreach ($case['custom'] ?? [] as [$name, $json]) {
            $builder->claimJson($name, $json);
        }
        $this->assertSame($case['jwt'], $builder->sign($key), 'Claims::sign()');
        $this->assertSame($case['jwt'], $builder->sign((string) hex2bin($case['key_hex'])), 'Claims::sign() with the key as a string');
        if (!isset($case['custom'])) {
            $this->assertSame($case['jwt'], mint($key, ...$a), 'mint()');
            $this->assertSame(joinUrl('acme', $a['room'], $case['jwt']), mintUrl($key, 'acme', ...$a), 'mintUrl()');
        }
    }

    /** @return iterable<string, array{0: array<string, mixed>}> */
    public static function signErrorCases(): iterable
    {
        foreach (Support::vectors()['sign_errors'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * @dataProvider signErrorCases
     * @param array<string, mixed> $case
     */
    public function testSignErrors(array $case): void
    {
        $key = Key::fromString((string) hex2bin($case['key_hex']));
        $a = self::args($case['token'], false);
        $paths = ['Claims::sign()' => fn () => self::claims($a)->sign($key)];
        if (isset($a['teamId'], $a['room'])) {
            $paths['mint()'] = fn () => mint($key, ...$a);
        }
        foreach ($paths as $what => $f) {
            try {
                $f();
                $this->fail("$what signed {$case['name']}");
            } catch (DstokenException $e) {
                $this->assertSame($case['status'], $e->getStatus(), "$what: {$e->getMessage()}");
                $this->assertSame(Status::fromName($case['status']), $e->getCode());
                $this->assertStringNotContainsString('dst_', $e->getMessage());
            }
        }
    }

    /** @return iterable<string, array{0: array<string, mixed>}> */
    public static function mintErrorCases(): iterable
    {
        foreach (Support::vectors()['mint_errors'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * The one-call mint's refusals (and the builder's, which follows the same rules): status
     * and the language-neutral words of the message. A case with `custom` passes a registered
     * name through Claims::claim()/claimJson(), which must refuse it (the token alone mints).
     *
     * @dataProvider mintErrorCases
     * @param array<string, mixed> $case
     */
    public function testMintErrors(array $case): void
    {
        $key = Key::fromString((string) hex2bin($case['key_hex']));
        $a = [];
        foreach ($case['token'] as $k => $v) {
            $a[self::ARGS[$k]] = $v;
        }
        if (isset($case['custom'])) {
            $this->assertNotSame('', mint($key, ...$a));
            foreach ($case['custom'] as [$name, $json]) {
                foreach (['claim' => fn () => self::claims($a)->claim($name, json_decode($json, true)),
                          'claimJson' => fn () => self::claims($a)->claimJson($name, $json)] as $what => $f) {
                    try {
                        $f();
                        $this->fail("Claims::$what() accepted the registered name $name");
                    } catch (DstokenException $e) {
                        $this->assertSame($case['status'], $e->getStatus());
                        $this->assertStringContainsString("\"$name\" is a registered claim; set it with Claims::", $e->getMessage());
                    }
                }
            }
            return;
        }
        $paths = ['mint()' => fn () => mint($key, ...$a), 'Claims::sign()' => fn () => self::claims($a)->sign($key),
                  'Claims::sign() with a custom claim' => fn () => self::claims($a)->claim('x', 1)->sign($key)];
        foreach ($paths as $what => $f) {
            try {
                $f();
                $this->fail("$what minted {$case['name']}");
            } catch (DstokenException $e) {
                $this->assertSame($case['status'], $e->getStatus(), "$what: {$e->getMessage()}");
                foreach ($case['message_contains'] as $word) {
                    $this->assertStringContainsString($word, $e->getMessage(), $what);
                }
                $this->assertDoesNotMatchRegularExpression('/\bdst_[a-z]/', $e->getMessage());
            }
        }
    }

    /** @return iterable<string, array{0: array<string, mixed>}> */
    public static function verifyCases(): iterable
    {
        foreach (Support::vectors()['verify'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * @dataProvider verifyCases
     * @param array<string, mixed> $case
     */
    public function testVerify(array $case): void
    {
        $key = Key::fromString((string) hex2bin($case['key_hex']));
        $class = [
            'DST_ERR_EXPIRED' => \Dstoken\ExpiredException::class,
            'DST_ERR_NOT_YET_VALID' => \Dstoken\BeforeValidException::class,
            'DST_ERR_BAD_SIGNATURE' => \Dstoken\SignatureInvalidException::class,
            'DST_ERR_MALFORMED_TOKEN' => \Dstoken\MalformedTokenException::class,
            'DST_ERR_UNSUPPORTED_ALGORITHM' => \Dstoken\UnsupportedAlgorithmException::class,
        ];
        try {
            $claims = verify($case['jwt'], $key, now: $case['now'], leeway: $case['leeway']);
        } catch (DstokenException $e) {
            $this->assertSame($case['status'], $e->getStatus(), $e->getMessage());
            $this->assertInstanceOf($class[$case['status']], $e);
            $this->assertStringNotContainsString('dst_', $e->getMessage());
            return;
        }
        $this->assertSame('DST_OK', $case['status'], 'verified a token the vectors refuse');
        $this->assertSame($case['claims'], $claims);
    }
}

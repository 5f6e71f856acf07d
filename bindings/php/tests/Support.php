<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use PHPUnit\Framework\TestCase;

/** Shared helpers: the repository, the vectors, PyJWT, the hand-rolled method, subprocesses. */
final class Support
{
    public const KEY = '0123456789abcdef0123456789abcdef';

    public static function repo(): string
    {
        return dirname(__DIR__, 3);
    }

    /** @return array<string, mixed> */
    public static function vectors(): array
    {
        $v = json_decode((string) file_get_contents(self::repo() . '/tests/vectors/vectors.json'), true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        return $v;
    }

    /** Whether nothing may be skipped: under CI or DSTOKEN_STRICT_TESTS. */
    public static function strict(): bool
    {
        foreach (['CI', 'DSTOKEN_STRICT_TESTS'] as $v) {
            $x = getenv($v);
            if (is_string($x) && $x !== '') {
                return true;
            }
        }
        return false;
    }

    /**
     * A prerequisite is missing: fails the test under CI or DSTOKEN_STRICT_TESTS, where nothing
     * may be skipped, and marks it skipped otherwise.
     */
    public static function unavailable(string $why): never
    {
        if (self::strict()) {
            TestCase::fail("$why (a failure under CI or DSTOKEN_STRICT_TESTS, where nothing is skipped)");
        }
        TestCase::markTestSkipped($why);
    }

    public static function python(): string
    {
        $p = getenv('DSTOKEN_PYTHON');
        if (!is_string($p) || $p === '') {
            $p = self::repo() . '/build/venv/bin/python';
        }
        if (!is_executable($p)) {
            TestCase::fail("no Python with PyJWT at $p: run scripts/bootstrap.sh --test or set DSTOKEN_PYTHON");
        }
        return $p;
    }

    /**
     * Decodes tokens with PyJWT (HS256 only, exp/nbf/iat checked at the real clock unless
     * $verifyTimes is false) and returns the payloads, in order.
     *
     * @param list<string> $tokens
     * @return list<array<string, mixed>>
     */
    public static function pyjwt(array $tokens, string $key, bool $verifyTimes = true): array
    {
        $script = <<<'PY'
import json, sys, jwt
req = json.load(sys.stdin)
key = bytes.fromhex(req["key_hex"])
opts = {"require": [], "verify_exp": req["times"], "verify_nbf": req["times"], "verify_iat": req["times"]}
out = [jwt.decode(t, key, algorithms=["HS256"], options=opts) for t in req["tokens"]]
json.dump(out, sys.stdout, ensure_ascii=False)
PY;
        $in = json_encode(['key_hex' => bin2hex($key), 'tokens' => $tokens, 'times' => $verifyTimes], JSON_THROW_ON_ERROR);
        [$code, $out, $err] = self::run([self::python(), '-c', $script], $in);
        TestCase::assertSame(0, $code, "PyJWT refused a token: $err");
        return json_decode($out, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }

    /**
     * The hand-rolled PHP method of Digital Samba's token page: json_encode with
     * JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE, base64url, hash_hmac.
     *
     * @param array<string, mixed> $payload
     */
    public static function handRolled(array $payload, string $key): string
    {
        $b64 = static fn (string $s): string => rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
        $header = $b64(json_encode(['alg' => 'HS256', 'typ' => 'JWT'], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
        $body = $b64(json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
        return "$header.$body." . $b64(hash_hmac('sha256', "$header.$body", $key, true));
    }

    /**
     * Runs a command (no shell); returns [exit code, stdout, stderr].
     *
     * @param list<string> $cmd
     * @param array<string, string>|null $env
     * @return array{0: int, 1: string, 2: string}
     */
    public static function run(array $cmd, string $stdin = '', ?array $env = null, ?string $cwd = null): array
    {
        $p = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $cwd, $env);
        if (!is_resource($p)) {
            TestCase::fail('cannot start ' . implode(' ', $cmd));
        }
        fwrite($pipes[0], $stdin);
        fclose($pipes[0]);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        return [proc_close($p), $out, $err];
    }

    /** The environment of this process, with changes (null removes a variable). @param array<string, ?string> $changes @return array<string, string> */
    public static function env(array $changes): array
    {
        $env = getenv();
        foreach ($changes as $k => $v) {
            if ($v === null) {
                unset($env[$k]);
            } else {
                $env[$k] = $v;
            }
        }
        return $env;
    }

    /** The library under test (DSTOKEN_LIBRARY, or the one loaded). */
    public static function library(): string
    {
        $l = getenv('DSTOKEN_LIBRARY');
        return is_string($l) && $l !== '' ? $l : \Dstoken\libraryPath();
    }
}

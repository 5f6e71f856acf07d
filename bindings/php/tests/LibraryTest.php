<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Internal\Native;
use PHPUnit\Framework\TestCase;

/**
 * Finding the library (bundled copy, DSTOKEN_LIBRARY, the system SONAME), libraryPath(), the
 * FFI header against include/dstoken.h, and the preloaded FFI scope beside the CLI's own.
 * Each lookup runs in a fresh PHP process with its own environment.
 */
final class LibraryTest extends TestCase
{
    private static function lib(): string
    {
        $l = Support::library();
        self::assertFileExists($l);
        return (string) realpath($l);
    }

    /**
     * Runs PHP code with the package's autoloader in a fresh process; returns [code, out, err].
     *
     * @param array<string, ?string> $env
     * @param list<string> $ini
     * @param list<string> $prefix a command to run PHP under (e.g. runuser)
     * @return array{0: int, 1: string, 2: string}
     */
    private static function php(string $code, array $env = [], array $ini = [], ?string $src = null, array $prefix = []): array
    {
        $src ??= dirname(__DIR__) . '/src';
        $args = [PHP_BINARY];
        foreach ($ini as $i) {
            $args[] = '-d';
            $args[] = $i;
        }
        $args[] = '-r';
        $args[] = "require '$src/autoload.php'; $code";
        return Support::run(array_merge($prefix, $args), '', Support::env($env));
    }

    public function testVersionMatchesCargo(): void
    {
        $cargo = (string) file_get_contents(Support::repo() . '/Cargo.toml');
        $this->assertMatchesRegularExpression('/^version = "' . preg_quote(\Dstoken\VERSION, '/') . '"$/m', $cargo);
        $this->assertSame(\Dstoken\VERSION, \Dstoken\libraryVersion());
        $this->assertSame('libdstoken.so.0.1', Native::soname());
        // dst_room_token version 3 (max_lifetime_seconds, lifetime_nanos appended): 144 bytes on LP64, packed in one go.
        $this->assertSame(PHP_INT_SIZE === 8 ? 144 : Native::get()->structSize, Native::get()->structSize);
        $this->assertTrue(PHP_INT_SIZE !== 8 || Native::get()->packable, 'the one-memcpy struct path is used on 64-bit little-endian');
    }

    /** src/dstoken.h declares exactly what include/dstoken.h declares (two ABI-compatible spellings aside). */
    public function testHeaderMatchesTheLibraryHeader(): void
    {
        $ours = (string) file_get_contents(dirname(__DIR__) . '/src/dstoken.h');
        $theirs = (string) file_get_contents(Support::repo() . '/include/dstoken.h');
        $flat = static fn (string $s): string => preg_replace('/\s+/', ' ', preg_replace('~/\*.*?\*/|//[^\n]*~s', '', $s) ?? '') ?? '';
        $theirsFlat = $flat($theirs);
        $protos = [];
        foreach (explode(';', $flat($ours)) as $piece) {
            if (preg_match('/^\s*((?:const )?[a-z_0-9]+ \*?(dst_[a-z_]+)\([^)]*\))\s*$/', $piece, $m) === 1) {
                $protos[] = $m;
            }
        }
        $this->assertGreaterThanOrEqual(25, count($protos));
        foreach ($protos as [, $proto, $name]) {
            $c = str_replace(['int dst_key_new(const char *secret', 'int dst_key_new_text(const char *text'], ['dst_status dst_key_new(const uint8_t *secret', 'dst_status dst_key_new_text(const uint8_t *text'], $proto);
            $c = preg_replace('/^int (dst_(?!status_name)[a-z_]+\()/', 'dst_status $1', $c) ?? $c;
            $this->assertStringContainsString($c, $theirsFlat, "$name differs from include/dstoken.h");
        }
        // dst_room_token: our fields are the library header's, in order (it only grows at the end).
        $fields = static function (string $flatText): array {
            preg_match('/typedef struct \{([^{}]*)\} dst_room_token;/', $flatText, $m);
            preg_match_all('/([a-z0-9_]+ \*?)([a-z_]+);/', $m[1] ?? '', $f, PREG_SET_ORDER);
            return array_map(static fn ($x) => trim($x[1]) . ' ' . $x[2], $f);
        };
        $mine = $fields($flat($ours));
        $this->assertSame($mine, array_slice($fields($theirsFlat), 0, count($mine)));
        $this->assertContains('uint32_t lifetime_nanos', $mine, 'dst_room_token version 3');
        // dst_error and dst_verify_options: the same members, in order (capacities as numbers,
        // `required` without its inner const).
        foreach (['dst_error', 'dst_verify_options'] as $struct) {
            $members = static function (string $flatText) use ($struct): string {
                preg_match('/typedef struct \{([^{}]*?)\} ' . $struct . ';/', $flatText, $m);
                return trim(strtr($m[1] ?? '', ['DST_ERROR_NAME_CAPACITY' => '128', 'DST_ERROR_TEXT_CAPACITY' => '256', 'const char *const *' => 'const char **']));
            };
            $this->assertNotSame('', $members($flat($ours)), $struct);
            $this->assertSame($members($theirsFlat), $members($flat($ours)), "$struct differs from include/dstoken.h");
        }
        $this->assertSame(
            "#define FFI_SCOPE \"DSTOKEN\"\n#define FFI_LIB \"libdstoken.so.0.1\"\n" . $ours,
            file_get_contents(dirname(__DIR__) . '/src/dstoken-preload.h'),
            'src/dstoken-preload.h is src/dstoken.h with FFI_SCOPE and FFI_LIB'
        );
        $this->assertSame(Native::preloadHeader('libdstoken.so.0.1'), file_get_contents(dirname(__DIR__) . '/src/dstoken-preload.h'));
    }

    public function testDstokenLibrary(): void
    {
        $lib = self::lib();
        [$code, $out, $err] = self::php('echo json_encode(Dstoken\libraryInfo());', ['DSTOKEN_LIBRARY' => $lib]);
        $this->assertSame(0, $code, $err);
        $this->assertSame(['path' => $lib, 'source' => 'DSTOKEN_LIBRARY', 'version' => \Dstoken\VERSION], json_decode($out, true));
    }

    /** The bundled copy wins over DSTOKEN_LIBRARY and the system library. */
    public function testBundledCopyFirst(): void
    {
        $dir = sys_get_temp_dir() . '/dstoken-php-bundled-' . getmypid();
        $arch = ['amd64' => 'x86_64', 'arm64' => 'aarch64'][php_uname('m')] ?? php_uname('m');
        $native = "$dir/native/linux-$arch";
        @mkdir($native, 0777, true);
        Support::run(['cp', '-r', dirname(__DIR__) . '/src', "$dir/"]);
        copy(self::lib(), "$native/libdstoken.so.0.1");
        try {
            [$code, $out, $err] = self::php('echo json_encode(Dstoken\libraryInfo()), "\n", Dstoken\mint("k", teamId: "t", room: "r", noExpiry: true);',
                ['DSTOKEN_LIBRARY' => '/nonexistent/libdstoken.so'], [], "$dir/src");
            $this->assertSame(0, $code, $err);
            [$info, $token] = explode("\n", $out);
            $this->assertSame(['path' => "$native/libdstoken.so.0.1", 'source' => 'bundled', 'version' => \Dstoken\VERSION], json_decode($info, true));
            $this->assertSame(Support::handRolled(['td' => 't', 'rd' => 'r'], 'k'), $token);
        } finally {
            Support::run(['rm', '-rf', $dir]);
        }
    }

    /** Without a bundled copy or DSTOKEN_LIBRARY: the SONAME through the dynamic loader; libraryPath() names the file. */
    public function testSystemLibraryBySoname(): void
    {
        $dir = sys_get_temp_dir() . '/dstoken-php-system-' . getmypid();
        @mkdir($dir);
        copy(self::lib(), "$dir/libdstoken.so.0.1");
        try {
            [$code, $out, $err] = self::php('echo json_encode(Dstoken\libraryInfo());', ['DSTOKEN_LIBRARY' => null, 'LD_LIBRARY_PATH' => $dir]);
            $this->assertSame(0, $code, $err);
            $this->assertSame(['path' => "$dir/libdstoken.so.0.1", 'source' => 'system', 'version' => \Dstoken\VERSION], json_decode($out, true));
        } finally {
            Support::run(['rm', '-rf', $dir]);
        }
    }

    public function testNothingFoundSaysWhatWasTried(): void
    {
        if (is_file('/usr/lib/' . php_uname('m') . '-linux-gnu/libdstoken.so.0.1')) {
            $this->markTestSkipped('libdstoken0.1 is installed system-wide');
        }
        [$code, , $err] = self::php('Dstoken\libraryPath();', ['DSTOKEN_LIBRARY' => '/nonexistent/libdstoken.so', 'LD_LIBRARY_PATH' => null], ['display_errors=stderr']);
        $this->assertNotSame(0, $code);
        $this->assertStringContainsString('cannot load the dstoken C library. Tried, in order:', $err);
        $this->assertStringContainsString('DSTOKEN_LIBRARY: /nonexistent/libdstoken.so', $err);
        $this->assertStringContainsString('system: libdstoken.so.0.1', $err);
        $this->assertStringContainsString("install Debian's libdstoken0.1", $err);
    }

    /** ffi.enable=0 turns FFI off altogether (preloading cannot help): the message says to enable it. */
    public function testFfiDisabledSaysToEnableIt(): void
    {
        [$code, , $err] = self::php('Dstoken\libraryPath();', ['DSTOKEN_LIBRARY' => self::lib()], ['ffi.enable=0', 'display_errors=stderr']);
        $this->assertNotSame(0, $code);
        $this->assertStringContainsString('PHP\'s FFI is disabled (ffi.enable=0)', $err);
        $this->assertStringContainsString('set ffi.enable=preload', $err);
        $this->assertStringNotContainsString('the default outside the CLI', $err);
    }

    private const SCOPE_PROGRAM = <<<'PHP'
$k = Dstoken\Key::fromString("0123456789abcdef0123456789abcdef");
$t = Dstoken\mint($k, teamId: "t", room: "r", userName: "Zoë", lifetime: 60, now: 1700000000);
$libc = FFI::cdef("size_t strlen(const char *s);", "libc.so.6");
echo json_encode([Dstoken\libraryInfo(), $t, Dstoken\verify($t, $k, now: 1700000001), $libc->strlen("four")]);
PHP;

    /**
     * Checks a run of SCOPE_PROGRAM: the package used the preloaded scope (also with
     * DSTOKEN_LIBRARY set, which the CLI's own FFI::cdef would use: one process, one FFI
     * instance, so their types never mix), an application's FFI::cdef beside the scope works,
     * and the token is the one the CLI mints without any preloading.
     *
     * @param array{0: int, 1: string, 2: string} $run
     */
    private function assertScopeRun(array $run, string $lib): void
    {
        [$status, $out, $err] = $run;
        $this->assertSame(0, $status, $err . $out);
        [$info, $token, $claims, $four] = json_decode($out, true);
        $this->assertSame('preload', $info['source']);
        $this->assertSame($lib, $info['path']);
        $this->assertSame(4, $four);
        $this->assertSame(\Dstoken\mint(Support::KEY, teamId: 't', room: 'r', userName: 'Zoë', lifetime: 60, now: 1700000000), $token);
        $this->assertSame(['td' => 't', 'rd' => 'r', 'u' => 'Zoë', 'iat' => 1700000000, 'exp' => 1700000060], $claims);
    }

    /** ffi.preload with the header bin/dstoken-ffi-header prints (the FPM setup, also as root). */
    public function testFfiPreloadScope(): void
    {
        $lib = self::lib();
        [$code, $header, $err] = Support::run([PHP_BINARY, dirname(__DIR__) . '/bin/dstoken-ffi-header'], '', Support::env(['DSTOKEN_LIBRARY' => $lib]));
        $this->assertSame(0, $code, $err);
        $this->assertSame(Native::preloadHeader($lib), $header);
        $file = tempnam(sys_get_temp_dir(), 'dstoken-test-h-');
        file_put_contents($file, $header);
        try {
            $run = self::php(self::SCOPE_PROGRAM, ['DSTOKEN_LIBRARY' => '/nonexistent/other.so'], ["ffi.preload=$file", 'ffi.enable=preload', 'display_errors=stderr']);
            $this->assertScopeRun($run, $lib);
        } finally {
            unlink($file);
        }
        // Without the scope: the CLI's FFI::cdef, the same bytes.
        [$status, $out, $err] = self::php(self::SCOPE_PROGRAM, ['DSTOKEN_LIBRARY' => $lib], ['ffi.enable=preload', 'display_errors=stderr']);
        $this->assertSame(0, $status, $err . $out);
        $this->assertSame('DSTOKEN_LIBRARY', json_decode($out, true)[0]['source']);
    }

    /** A preloaded scope from another header (here: dst_room_token version 1) is refused, not misused. */
    public function testStaleScopeIsRefused(): void
    {
        $lib = self::lib();
        $file = tempnam(sys_get_temp_dir(), 'dstoken-test-h-');
        file_put_contents($file, str_replace("    bool no_expiry;\n", '', Native::preloadHeader($lib)));
        try {
            [$code, , $err] = self::php('Dstoken\libraryPath();', ['DSTOKEN_LIBRARY' => $lib], ["ffi.preload=$file", 'display_errors=stderr']);
        } finally {
            unlink($file);
        }
        $this->assertNotSame(0, $code);
        $this->assertStringContainsString('dstoken: the preloaded FFI scope DSTOKEN is libdstoken ' . \Dstoken\VERSION, $err);
        $this->assertStringContainsString("point ffi.preload at this package's dstoken-preload.h", $err);
    }

    /**
     * opcache.preload=src/preload.php (PHP running as a non-root user: as root PHP requires
     * opcache.preload_user and then refuses FFI::load(), which preload.php explains).
     */
    public function testOpcachePreloadScript(): void
    {
        $lib = self::lib();
        $preload = dirname(__DIR__) . '/src/preload.php';
        $ini = ['opcache.enable=1', 'opcache.enable_cli=1', "opcache.preload=$preload", 'ffi.enable=preload', 'display_errors=stderr'];
        $prefix = [];
        if (posix_getuid() === 0) {
            [$status, , $err] = self::php('', ['DSTOKEN_LIBRARY' => $lib], array_merge($ini, ['opcache.preload_user=root']));
            $this->assertNotSame(0, $status);
            $this->assertStringContainsString('PHP refuses FFI::load() when opcache.preload_user is set', $err);
            $this->assertStringContainsString('also set ffi.preload=' . dirname(__DIR__) . '/src/dstoken-preload.h', $err);
            $prefix = ['runuser', '-u', 'nobody', '--'];
        }
        $this->assertScopeRun(self::php(self::SCOPE_PROGRAM, ['DSTOKEN_LIBRARY' => $lib], $ini, null, $prefix), $lib);
    }
}

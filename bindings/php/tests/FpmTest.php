<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use Dstoken\Internal\Native;
use PHPUnit\Framework\TestCase;

use function Dstoken\verify;

/**
 * dstoken under Debian's PHP-FPM, for real: the test starts php-fpm with its own configuration
 * (in build/, or for a master run as nobody under the temp dir) and a private socket, sends a
 * request with cgi-fcgi (libfcgi-bin), and checks the
 * token the page minted with PyJWT. FPM keeps ffi.enable=preload (PHP's default), so the page
 * can reach libdstoken only through a preloaded FFI scope, and only from preloaded code
 * (opcache.preload=src/preload.php preloads the package):
 *  - a root master: ffi.preload with the header bin/dstoken-ffi-header prints declares the
 *    scope (PHP requires opcache.preload_user as root, which disables FFI::load());
 *  - a master running as another user: preload.php declares the scope itself (FFI::load()).
 */
final class FpmTest extends TestCase
{
    private const PAGE = <<<'PHP'
<?php
require getenv('DSTOKEN_PHP_SRC') . '/autoload.php';
$key = Dstoken\Key::fromString('0123456789abcdef0123456789abcdef');
$token = Dstoken\mint($key, teamId: 'fpm-team', room: 'fpm-room', userName: $_GET['u'] ?? 'nobody', role: 'moderator', lifetime: 300);
try {
    FFI::cdef('size_t strlen(const char *s);', 'libc.so.6');
    $cdef = 'allowed';
} catch (Throwable $e) {
    $cdef = $e->getMessage();
}
header('Content-Type: application/json');
echo json_encode(['token' => $token, 'info' => Dstoken\libraryInfo(), 'sapi' => PHP_SAPI, 'ffi.enable' => ini_get('ffi.enable'),
    'cdef' => $cdef, 'url' => Dstoken\mintUrl($key, 'acme', teamId: 'fpm-team', room: 'fpm-room', lifetime: 300)]);
PHP;

    private static function fpmBinary(): string
    {
        $found = glob('/usr/sbin/php-fpm*') ?: [];
        $bin = $found[0] ?? '';
        if (!is_executable($bin)) {
            self::fail('php-fpm not found (/usr/sbin/php-fpm*): scripts/bootstrap.sh --test installs Debian\'s php-fpm');
        }
        if (!is_executable('/usr/bin/cgi-fcgi')) {
            self::fail('cgi-fcgi not found: scripts/bootstrap.sh --test installs Debian\'s libfcgi-bin');
        }
        return $bin;
    }

    /** @return iterable<string, array{0: string}> */
    public static function setups(): iterable
    {
        yield 'ffi.preload + opcache.preload (root master, opcache.preload_user)' => ['ffi.preload'];
        yield 'opcache.preload alone (master not root)' => ['opcache.preload'];
        yield 'ffi.preload without opcache.preload: a message saying what to set' => ['scope only'];
    }

    /** @dataProvider setups */
    public function testPageMintsThroughThePreloadedScope(string $setup): void
    {
        $fpm = self::fpmBinary();
        $lib = (string) realpath(Support::library());
        $src = dirname(__DIR__) . '/src';
        $root = posix_getuid() === 0;
        $tag = getmypid() . '-' . str_replace('.', '-', $setup);
        $prefix = [];
        $fpmArgs = [];
        if ($setup === 'opcache.preload' && $root) {
            // The master must not be root here: it runs as nobody, which cannot be assumed to
            // read the checkout (it may live under /root), so the package, the library and the
            // configuration are copied to a world-readable directory under the system temp dir.
            $dir = sys_get_temp_dir() . "/dstoken-php-fpm-test-$tag";
            Support::run(['rm', '-rf', $dir]);
            mkdir("$dir/lib", 0755, true);
            Support::run(['cp', '-r', $src, "$dir/src"]);
            copy($lib, "$dir/lib/" . basename($lib));
            $lib = "$dir/lib/" . basename($lib);
            $src = "$dir/src";
            Support::run(['chmod', '-R', 'a+rX', $dir]);
            chmod($dir, 0777); // the master (nobody) writes its socket, pid and logs here
            $prefix = ['runuser', '-u', 'nobody', '--'];
        } else {
            // The configuration lives in build/; a root master keeps root workers (-R) so they
            // read the checkout wherever it is.
            $dir = Support::repo() . "/build/php-fpm-test-$tag";
            Support::run(['rm', '-rf', $dir]);
            mkdir($dir, 0755, true);
            if ($root) {
                $fpmArgs[] = '-R';
            }
        }
        $ini = "ffi.enable=preload\ndisplay_errors=stderr\nlog_errors=On\nerror_log=$dir/php.log\n";
        if ($setup !== 'scope only') {
            $ini .= "opcache.enable=1\nopcache.preload=$src/preload.php\n";
        }
        if ($setup !== 'opcache.preload') {
            file_put_contents("$dir/dstoken-ffi.h", Native::preloadHeader($lib));
            $ini .= "ffi.preload=$dir/dstoken-ffi.h\n" . ($root ? "opcache.preload_user=root\n" : '');
        }
        file_put_contents("$dir/php.ini", $ini);
        file_put_contents("$dir/php-fpm.conf", <<<CONF
[global]
pid = $dir/fpm.pid
error_log = $dir/fpm.log
daemonize = no

[test]
listen = $dir/fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 1
catch_workers_output = yes
env[DSTOKEN_PHP_SRC] = $src

CONF);
        file_put_contents("$dir/mint.php", self::PAGE);
        Support::run(['chmod', 'a+r', "$dir/php.ini", "$dir/php-fpm.conf", "$dir/mint.php"]);
        $env = Support::env(['DSTOKEN_LIBRARY' => $lib]);
        $proc = proc_open(array_merge($prefix, [$fpm, '--nodaemonize'], $fpmArgs, ['-c', "$dir/php.ini", '-y', "$dir/php-fpm.conf"]),
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/fpm.stdout", 'w'], 2 => ['file', "$dir/fpm.stderr", 'w']], $pipes, null, $env);
        $this->assertIsResource($proc);
        try {
            for ($i = 0; $i < 200 && !file_exists("$dir/fpm.sock"); $i++) {
                $st = proc_get_status($proc);
                if (!$st['running']) {
                    break;
                }
                usleep(50000);
            }
            $this->assertFileExists("$dir/fpm.sock", "php-fpm did not start:\n" . @file_get_contents("$dir/fpm.stderr") . @file_get_contents("$dir/fpm.log"));
            [$code, $out, $err] = Support::run(['cgi-fcgi', '-bind', '-connect', "$dir/fpm.sock"], '', [
                'SCRIPT_FILENAME' => "$dir/mint.php", 'SCRIPT_NAME' => '/mint.php', 'REQUEST_METHOD' => 'GET',
                'QUERY_STRING' => 'u=Zo%C3%AB', 'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1',
                'PATH' => '/usr/bin:/bin',
            ]);
            $this->assertSame(0, $code, $err);
            [$headers, $body] = explode("\r\n\r\n", $out, 2) + [1 => ''];
            if ($setup === 'scope only') {
                // Under ffi.enable=preload even FFI::scope() is refused to code that was not preloaded.
                $this->assertStringContainsString("dstoken: PHP's FFI is restricted here (ffi.enable=preload", $body);
                $this->assertStringContainsString("opcache.preload=$src/preload.php", $body);
                Support::run(['rm', '-rf', $dir]);
                return;
            }
            $this->assertStringContainsString('Content-Type: application/json', $headers, $out . @file_get_contents("$dir/php.log") . @file_get_contents("$dir/fpm.log"));
            $page = json_decode($body, true, 512, JSON_THROW_ON_ERROR);
        } finally {
            proc_terminate($proc, 15);
            proc_close($proc);
        }
        $this->assertSame('fpm-fcgi', $page['sapi']);
        $this->assertSame('preload', $page['ffi.enable']);
        $this->assertStringContainsString('FFI API is restricted by "ffi.enable"', $page['cdef'], 'FPM must refuse FFI::cdef: the scope is the only way in');
        $this->assertSame(['path' => $lib, 'source' => 'preload', 'version' => \Dstoken\VERSION], $page['info']);
        $claims = Support::pyjwt([$page['token']], Support::KEY)[0];
        $this->assertSame(['fpm-team', 'fpm-room', 'Zoë', 'moderator'], [$claims['td'], $claims['rd'], $claims['u'], $claims['role']]);
        $this->assertSame(300, $claims['exp'] - $claims['iat']);
        $this->assertEqualsWithDelta(time(), $claims['iat'], 60);
        $this->assertSame($claims, verify($page['token'], Support::KEY));
        $this->assertStringStartsWith('https://acme.digitalsamba.com/fpm-room?token=', $page['url']);
        Support::run(['rm', '-rf', $dir]);
    }
}

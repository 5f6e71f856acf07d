<?php

declare(strict_types=1);

namespace Dstoken\Tests;

use PHPUnit\Framework\TestCase;

/**
 * Installs the package as a user would: scripts/package.sh php writes the artifact
 * (dist/dstoken-php-<version>.zip; DSTOKEN_PHP_ARTIFACT names a ready one instead), a fresh
 * project outside the repository requires dstoken/dstoken from an artifact repository only
 * (packagist.org off, COMPOSER_DISABLE_NETWORK=1), and its program mints a token with the
 * bundled library that PyJWT verifies.
 */
final class ComposerArtifactTest extends TestCase
{
    public function testFreshProjectRequiresTheArtifact(): void
    {
        $version = \Dstoken\VERSION;
        $zip = getenv('DSTOKEN_PHP_ARTIFACT');
        if (!is_string($zip) || $zip === '') {
            [$code, $out, $err] = Support::run([Support::repo() . '/scripts/package.sh', 'php'], '',
                Support::env(['DSTOKEN_PREBUILT_LIBRARY' => (string) realpath(Support::library())]), Support::repo());
            $this->assertSame(0, $code, $out . $err);
            $zip = Support::repo() . "/dist/dstoken-php-$version.zip";
        }
        $this->assertFileExists($zip);
        $project = sys_get_temp_dir() . '/dstoken-composer-project-' . getmypid();
        $this->assertStringStartsNotWith(Support::repo(), $project);
        Support::run(['rm', '-rf', $project]);
        mkdir("$project/artifacts", 0777, true);
        copy($zip, "$project/artifacts/" . basename($zip));
        file_put_contents("$project/composer.json", json_encode([
            'name' => 'example/room-app',
            'type' => 'project',
            'repositories' => [['type' => 'artifact', 'url' => 'artifacts/'], ['packagist.org' => false]],
            'require' => (object) [],
        ], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
        $env = Support::env([
            'COMPOSER_HOME' => "$project/.composer-home", 'COMPOSER_CACHE_DIR' => "$project/.composer-cache",
            'COMPOSER_DISABLE_NETWORK' => '1', 'COMPOSER_NO_INTERACTION' => '1', 'DSTOKEN_LIBRARY' => null,
        ]);
        try {
            [$code, $out, $err] = Support::run(['composer', 'require', "dstoken/dstoken:$version", '--no-progress', '--no-interaction'], '', $env, $project);
            $this->assertSame(0, $code, "composer require failed:\n$out$err");
            $lock = json_decode((string) file_get_contents("$project/composer.lock"), true);
            $this->assertSame([['dstoken/dstoken', $version, 'zip']], array_map(
                static fn ($p) => [$p['name'], $p['version'], $p['dist']['type']],
                $lock['packages']
            ));
            file_put_contents("$project/app.php", <<<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';

$key = Dstoken\Key::fromString('0123456789abcdef0123456789abcdef');
$token = Dstoken\mint($key, teamId: 'b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f', room: 'daily-standup',
    userName: 'John Smith', role: 'moderator', lifetime: 3600);
echo json_encode(['token' => $token, 'info' => Dstoken\libraryInfo(), 'claims' => Dstoken\verify($token, $key)]);
PHP);
            [$code, $out, $err] = Support::run([PHP_BINARY, 'app.php'], '', $env, $project);
            $this->assertSame(0, $code, $err);
            $r = json_decode($out, true, 512, JSON_THROW_ON_ERROR);
            $arch = ['amd64' => 'x86_64', 'arm64' => 'aarch64'][php_uname('m')] ?? php_uname('m');
            $this->assertSame('bundled', $r['info']['source']);
            $this->assertSame(realpath($project) . "/vendor/dstoken/dstoken/native/linux-$arch/libdstoken.so.0.1", $r['info']['path']);
            $claims = Support::pyjwt([$r['token']], Support::KEY)[0];
            $this->assertSame(['b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f', 'daily-standup', 'John Smith', 'moderator'],
                [$claims['td'], $claims['rd'], $claims['u'], $claims['role']]);
            $this->assertSame(3600, $claims['exp'] - $claims['iat']);
            $this->assertSame($claims, $r['claims']);
            // The ffi.preload header for PHP-FPM names the bundled copy.
            [$code, $out, $err] = Support::run(['vendor/bin/dstoken-ffi-header'], '', $env, $project);
            $this->assertSame(0, $code, $err);
            $this->assertStringContainsString("#define FFI_LIB \"{$r['info']['path']}\"", $out);
        } finally {
            Support::run(['rm', '-rf', $project]);
        }
    }
}

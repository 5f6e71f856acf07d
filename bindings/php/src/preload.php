<?php

// dstoken under PHP-FPM (or any SAPI but the CLI, where ffi.enable=preload, PHP's default,
// allows FFI only in preloaded code). Preloading does two things: it declares the FFI scope
// "DSTOKEN" over libdstoken, and it preloads this package's PHP code, which may then use FFI.
//
// PHP-FPM whose master runs as root (Debian's service): PHP then requires opcache.preload_user
// and, with it set, refuses FFI::load(); so the scope comes from ffi.preload. In
// /etc/php/8.2/fpm/conf.d/20-dstoken.ini:
//
//   ffi.preload=/usr/share/php/Dstoken/dstoken-preload.h      ; Debian's php-dstoken (system library)
//   ; ffi.preload=/etc/php/8.2/fpm/dstoken-ffi.h               ; Composer: vendor/bin/dstoken-ffi-header > that file
//   opcache.enable=1
//   opcache.preload=/usr/share/php/Dstoken/preload.php          ; or vendor/dstoken/dstoken/src/preload.php
//   opcache.preload_user=www-data
//
// PHP running as another user: opcache.preload alone is enough; this script then declares the
// scope itself with FFI::load() (the library found as outside preloading: the copy bundled in
// the package, DSTOKEN_LIBRARY in the master's environment, the system libdstoken.so.0.1).
declare(strict_types=1);

require_once __DIR__ . '/Internal/Native.php';

\Dstoken\Internal\Native::preload();

// The package's code, preloaded (only preloaded code may call FFI under ffi.enable=preload).
require_once __DIR__ . '/autoload.php';
foreach (new RecursiveIteratorIterator(new RecursiveDirectoryIterator(__DIR__, FilesystemIterator::SKIP_DOTS)) as $file) {
    $path = $file->getPathname();
    if (str_ends_with($path, '.php') && !in_array(basename($path), ['preload.php', 'autoload.php', 'functions.php'], true)) {
        $class = 'Dstoken\\' . str_replace('/', '\\', substr($path, strlen(__DIR__) + 1, -4));
        class_exists($class);
    }
}

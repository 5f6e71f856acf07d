<?php

// dstoken under PHP-FPM (or any SAPI with ffi.enable=preload, PHP's default): PHP's FFI API
// is then usable only through opcache.preload. Point opcache.preload at this file, e.g. in
// /etc/php/8.2/fpm/conf.d/20-dstoken.ini:
//
//   opcache.enable=1
//   opcache.preload=/usr/share/php/Dstoken/preload.php      ; Debian's php-dstoken
//   ; opcache.preload=/srv/app/vendor/dstoken/dstoken/src/preload.php   ; a Composer install
//   opcache.preload_user=www-data
//
// It declares the FFI scope "DSTOKEN" over libdstoken (the copy bundled in the package, then
// DSTOKEN_LIBRARY in the FPM master's environment, then the system libdstoken.so.0.1); the
// package then uses that scope in every request. It preloads no PHP code of the package, so
// Composer's autoloader keeps loading the classes as usual.
declare(strict_types=1);

require_once __DIR__ . '/Internal/Native.php';

\Dstoken\Internal\Native::preload();

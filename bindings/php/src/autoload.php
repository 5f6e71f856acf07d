<?php

// For installs without Composer (Debian's php-dstoken: require '/usr/share/php/Dstoken/autoload.php';):
// a PSR-4 autoloader for Dstoken\ over this directory, and the functions.
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'Dstoken\\', 8) === 0) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 8)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

require_once __DIR__ . '/functions.php';

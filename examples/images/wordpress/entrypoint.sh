#!/bin/bash
# First start: puts wp-config.php, fresh keys and salts, and wp-content into the persistent
# /bitnami/wordpress; every start: PHP-FPM in the background, then the command (nginx).
set -euo pipefail
persist=/bitnami/wordpress
mkdir -p "$persist"
if [ ! -e "$persist/wp-config.php" ]; then
  echo "entrypoint: preparing $persist" >&2
  cp /opt/bitnami/wordpress/wp-config.php.dist "$persist/wp-config.php"
  {
    echo "<?php"
    for name in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
      echo "define('$name', '$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')');"
    done
  } > "$persist/wp-salts.php"
fi
if [ ! -d "$persist/wp-content" ]; then
  cp -a /opt/bitnami/wordpress/wp-content.dist "$persist/wp-content"
fi
mkdir -p "$persist/wp-content/uploads"
chown -R www-data:www-data "$persist/wp-content"
mkdir -p /run/php
php-fpm8.2 --daemonize
exec "$@"

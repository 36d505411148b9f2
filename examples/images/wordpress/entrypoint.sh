#!/bin/bash
# First start: puts wp-config.php, fresh keys and salts, and wp-content into the persistent
# /bitnami/wordpress; every start: PHP-FPM in the background, then the command (nginx).
#
# /bitnami may be a volume shared by several replicas starting at once (an EFS access point, as
# in examples/wordpress): one replica prepares it, under a lock directory (mkdir is atomic on a
# shared file system too), and the others wait, so every replica reads the same salts. Through
# an access point with a POSIX user, files belong to that user whoever writes them and chown
# fails (as on EFS), so ownership is not copied and handing wp-content to www-data is best effort.
set -euo pipefail
persist=/bitnami/wordpress
lock="$persist/.prepare.lock"
ready="$persist/.prepared"
prepareWaitSeconds=120
mkdir -p "$persist"

prepare() {
  echo "entrypoint: preparing $persist" >&2
  if [ ! -e "$persist/wp-config.php" ]; then
    cp /opt/bitnami/wordpress/wp-config.php.dist "$persist/wp-config.php.tmp"
    {
      echo "<?php"
      for name in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
        echo "define('$name', '$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')');"
      done
    } > "$persist/wp-salts.php"
    mv "$persist/wp-config.php.tmp" "$persist/wp-config.php"
  fi
  if [ ! -d "$persist/wp-content" ]; then
    rm -rf "$persist/wp-content.tmp"
    cp -R --preserve=mode,timestamps /opt/bitnami/wordpress/wp-content.dist "$persist/wp-content.tmp"
    mv "$persist/wp-content.tmp" "$persist/wp-content"
  fi
  touch "$ready"
}

if [ ! -e "$ready" ] && [ ! -e "$persist/wp-config.php" -o ! -d "$persist/wp-content" -o -d "$lock" ]; then
  if mkdir "$lock" 2>/dev/null; then
    prepare
    rmdir "$lock"
  else
    echo "entrypoint: another replica is preparing $persist; waiting" >&2
    for _ in $(seq "$prepareWaitSeconds"); do
      [ -e "$ready" ] && break
      sleep 1
    done
    if [ ! -e "$ready" ]; then
      echo "entrypoint: cannot start: $persist was not prepared within ${prepareWaitSeconds} s (remove $lock if the replica preparing it died)" >&2
      exit 1
    fi
  fi
fi
mkdir -p "$persist/wp-content/uploads"
chown -R www-data:www-data "$persist/wp-content" 2>/dev/null \
  || echo "entrypoint: $persist/wp-content keeps its owner (the volume's POSIX user)" >&2
mkdir -p /run/php
php-fpm8.2 --daemonize
exec "$@"

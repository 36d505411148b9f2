#!/bin/bash
# Initialises the data directory on the first start from the MYSQL_* variables, as the
# official MySQL image does, then runs the server as the mysql user.
set -euo pipefail

datadir=/var/lib/mysql
socket=/run/mysqld/mysqld.sock

say() { echo "entrypoint: $*" >&2; }

sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g")"; }
sql_name() { printf '`%s`' "$(printf '%s' "$1" | sed 's/`/``/g')"; }

initialise() {
  if [ -z "${MYSQL_ROOT_PASSWORD:-}" ] && [ -z "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] && [ -z "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    say "error: the database is uninitialized and the password option is not specified"
    say "  You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD"
    exit 1
  fi
  if [ -n "${MYSQL_RANDOM_ROOT_PASSWORD:-}" ]; then
    MYSQL_ROOT_PASSWORD="$(head -c 18 /dev/urandom | base64)"
    say "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  say "initialising the data directory"
  mkdir -p "$datadir" /run/mysqld
  chown mysql:mysql "$datadir" /run/mysqld
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db --auth-root-authentication-method=normal >/dev/null
  mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" &
  local pid=$!
  for _ in $(seq 60); do
    mariadb-admin --socket="$socket" ping --silent 2>/dev/null && break
    sleep 0.5
  done
  local root
  root="$(sql_string "${MYSQL_ROOT_PASSWORD:-}")"
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.user WHERE user NOT IN ('mysql.sys', 'mariadb.sys', 'mysql', 'root') OR (user = 'root' AND host NOT IN ('localhost'));"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root;"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $root;"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "${MYSQL_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MYSQL_DATABASE");"
    fi
    if [ -n "${MYSQL_USER:-}" ] && [ -n "${MYSQL_PASSWORD:-}" ]; then
      echo "CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
      if [ -n "${MYSQL_DATABASE:-}" ]; then
        echo "GRANT ALL ON $(sql_name "$MYSQL_DATABASE").* TO $(sql_string "$MYSQL_USER")@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --protocol=socket --socket="$socket" -uroot
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) say "running $file"; . "$file" ;;
      *.sql) say "running $file"; mariadb --socket="$socket" -uroot -p"${MYSQL_ROOT_PASSWORD:-}" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} < "$file" ;;
      *.sql.gz) say "running $file"; gunzip -c "$file" | mariadb --socket="$socket" -uroot -p"${MYSQL_ROOT_PASSWORD:-}" ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} ;;
    esac
  done
  kill "$pid"
  wait "$pid" || true
  say "the data directory is ready"
}

if [ "${1:0:1}" = "-" ]; then
  set -- mariadbd "$@"
fi
if [ "$1" = "mariadbd" ] || [ "$1" = "mysqld" ]; then
  if [ ! -d "$datadir/mysql" ]; then
    initialise
  fi
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  exec "$@" --user=mysql
fi
exec "$@"

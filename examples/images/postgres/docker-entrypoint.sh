#!/bin/bash
# Initialises PGDATA on the first start from the POSTGRES_* variables, as the official postgres
# image does, then runs the server as the postgres user. PGDATA is a subdirectory of the volume:
# initdb refuses a directory that holds anything (an ext4 volume's lost+found).
set -euo pipefail

say() { echo "entrypoint: $*" >&2; }
as_postgres() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }

sql_name() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }

initialise() {
  local user="${POSTGRES_USER:-postgres}" database="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != "trust" ]; then
    say "error: Database is uninitialized and superuser password is not specified."
    say "  You must specify POSTGRES_PASSWORD to a non-empty value for the superuser."
    exit 1
  fi
  say "initialising $PGDATA"
  local pwfile
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  {
    echo "listen_addresses = '*'"
    echo "unix_socket_directories = '/run/postgresql'"
  } >> "$PGDATA/postgresql.conf"
  echo "host all all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
  as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ "$database" != "postgres" ]; then
    echo "CREATE DATABASE $(sql_name "$database");" | as_postgres psql -v ON_ERROR_STOP=1 -h /run/postgresql -U "$user" -d postgres -q
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh) say "running $file"; . "$file" ;;
      *.sql) say "running $file"; as_postgres psql -v ON_ERROR_STOP=1 -h /run/postgresql -U "$user" -d "$database" -q -f "$file" ;;
    esac
  done
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  say "PostgreSQL init process complete; ready for start up."
}

if [ "${1:0:1}" = "-" ]; then
  set -- postgres "$@"
fi
if [ "$1" = "postgres" ]; then
  mkdir -p "$(dirname "$PGDATA")" /run/postgresql
  chown postgres:postgres "$(dirname "$PGDATA")" /run/postgresql
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    initialise
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"

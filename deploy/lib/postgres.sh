# A throwaway PostgreSQL server for the tests: its own data folder, loopback only, stopped on exit.
# PostgreSQL refuses to run as root, so initdb and pg_ctl run as the postgres user.

POSTGRES_PORT="${POSTGRES_PORT:-55432}"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

start_postgres() {
  local data="$1"
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_CTL="$bin/pg_ctl"
  POSTGRES_DATA="$data"
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres "$data"
  as_postgres "'$bin/initdb' -D '$data' -A trust -U postgres --no-sync -E UTF8 >/dev/null"
  as_postgres "'$PG_CTL' -D '$data' -l '$data/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -k '$data' -c fsync=off -c max_connections=200\" start >/dev/null"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$POSTGRES_PORT"
}

stop_postgres() {
  [ -n "${POSTGRES_DATA:-}" ] && as_postgres "'$PG_CTL' -D '$POSTGRES_DATA' -m fast stop >/dev/null" || true
}

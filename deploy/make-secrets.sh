#!/bin/sh
# Makes the secrets docker-compose.yml needs, once, with random values:
#   deploy/secrets/postgres_password       PostgreSQL superuser "postgres"
#   deploy/secrets/caseflow_db_password    role "caseflow" (owner of database caseflow)
#   deploy/secrets/caseflow_database_url   caseflow's DATABASE_URL, with that password
#   deploy/secrets/caseflow_actor_keys     CASEFLOW_ACTOR_KEYS (signs each step's actor)
#   deploy/secrets/caseflow_keyring        CASEFLOW_KEYRING (encrypts Temporal payloads;
#                                          back it up apart from the databases)
#   deploy/secrets/grafana_admin_password  Grafana's "admin" (observability profile)
#   .env                                  from .env.example on first run, with
#                                          TEMPORAL_DB_PASSWORD (role "temporal"): the
#                                          official Temporal images read it only from
#                                          the environment
# Passwords are hex: they go into a URL (caseflow) and into a double-quoted
# YAML string (Temporal's config template, which fails on `"` or `\`).
# An existing file or .env entry is kept, so running it again changes nothing.
#
#   sh deploy/make-secrets.sh            (from the directory of docker-compose.yml)
set -eu

dir="${1:-deploy/secrets}"
env_file="${ENV_FILE:-.env}"
umask 077
mkdir -p "$dir"

hex() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
b64() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

# put FILE VALUE: writes VALUE unless FILE exists. The files are readable by
# the containers' users (postgres, nonroot) through their bind mounts; the
# directory (0700) keeps other users of the host out.
put() {
	if [ -s "$1" ]; then
		echo "make-secrets: keeping $1"
		return
	fi
	printf '%s\n' "$2" >"$1"
	chmod 0644 "$1"
	echo "make-secrets: wrote $1"
}

put "$dir/postgres_password" "$(hex)"
put "$dir/caseflow_db_password" "$(hex)"
put "$dir/caseflow_database_url" \
	"postgres://caseflow:$(cat "$dir/caseflow_db_password")@postgresql:5432/caseflow?sslmode=disable"
put "$dir/caseflow_actor_keys" "k1:$(b64)"
put "$dir/caseflow_keyring" "k$(date -u +%Y%m%d):$(b64)"
put "$dir/grafana_admin_password" "$(hex)"

# .env: a copy of .env.example (every setting, documented) on first run,
# with TEMPORAL_DB_PASSWORD filled in.
if [ ! -f "$env_file" ] && [ -f .env.example ]; then
	cp .env.example "$env_file"
	echo "make-secrets: wrote $env_file from .env.example"
fi
if grep -q '^TEMPORAL_DB_PASSWORD=.' "$env_file" 2>/dev/null; then
	echo "make-secrets: keeping TEMPORAL_DB_PASSWORD in $env_file"
else
	password="$(hex)"
	tmp="$env_file.tmp"
	{ grep -v '^TEMPORAL_DB_PASSWORD=' "$env_file" 2>/dev/null || true; } >"$tmp"
	printf 'TEMPORAL_DB_PASSWORD=%s\n' "$password" >>"$tmp"
	mv "$tmp" "$env_file"
	echo "make-secrets: set TEMPORAL_DB_PASSWORD in $env_file"
fi

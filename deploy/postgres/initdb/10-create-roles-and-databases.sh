#!/usr/bin/env bash
# Runs once, when the official postgres image initialises an empty data
# directory (files in /docker-entrypoint-initdb.d are ignored on later starts).
#
# Creates one login role per consumer, each owning only its own databases:
#   TEMPORAL_DB_USER  owns TEMPORAL_DB and TEMPORAL_VISIBILITY_DB
#   CASEFLOW_DB_USER  owns CASEFLOW_DB
# Neither role is a superuser. On PostgreSQL 15+ only a database's owner may
# create objects in its public schema, so ownership is what lets Temporal's
# schema tool and caseflow's migrations create their tables. (Temporal's
# visibility schema also runs CREATE EXTENSION btree_gin, a trusted extension
# that the database owner may create.)
#
# Passwords are passed to psql as variables and quoted by format(%L), so they
# never appear in a command line and may contain any character.
#
# Works whether the entrypoint executes this file (it is executable) or
# sources it: no `exit`, no `set -u`, everything inside a function.

create_roles_and_databases() {
	local temporal_user="${TEMPORAL_DB_USER:-temporal}"
	local temporal_password="${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"
	local temporal_db="${TEMPORAL_DB:-temporal}"
	local temporal_visibility_db="${TEMPORAL_VISIBILITY_DB:-temporal_visibility}"
	local caseflow_user="${CASEFLOW_DB_USER:-caseflow}"
	# From a secret file (docker-compose.yml) or the environment.
	local caseflow_password="${CASEFLOW_DB_PASSWORD:-}"
	if [ -n "${CASEFLOW_DB_PASSWORD_FILE:-}" ]; then
		caseflow_password="$(cat "$CASEFLOW_DB_PASSWORD_FILE")" || return 1
	fi
	: "${caseflow_password:?CASEFLOW_DB_PASSWORD or CASEFLOW_DB_PASSWORD_FILE must be set}"
	local caseflow_db="${CASEFLOW_DB:-caseflow}"

	psql -v ON_ERROR_STOP=1 --no-psqlrc \
		--username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
		-v temporal_user="$temporal_user" \
		-v temporal_password="$temporal_password" \
		-v temporal_db="$temporal_db" \
		-v temporal_visibility_db="$temporal_visibility_db" \
		-v caseflow_user="$caseflow_user" \
		-v caseflow_password="$caseflow_password" \
		-v caseflow_db="$caseflow_db" \
		<<-'EOSQL'
		-- Roles: created if missing; the password is (re)set either way.
		SELECT format('CREATE ROLE %I LOGIN', :'temporal_user')
		 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'temporal_user') \gexec
		SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'temporal_user', :'temporal_password') \gexec
		SELECT format('CREATE ROLE %I LOGIN', :'caseflow_user')
		 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'caseflow_user') \gexec
		SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'caseflow_user', :'caseflow_password') \gexec

		-- Databases, each owned by its role.
		SELECT format('CREATE DATABASE %I OWNER %I', :'temporal_db', :'temporal_user')
		 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'temporal_db') \gexec
		SELECT format('CREATE DATABASE %I OWNER %I', :'temporal_visibility_db', :'temporal_user')
		 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'temporal_visibility_db') \gexec
		SELECT format('CREATE DATABASE %I OWNER %I', :'caseflow_db', :'caseflow_user')
		 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'caseflow_db') \gexec

		-- Nobody else may connect to them (PUBLIC has CONNECT by default).
		SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', d)
		  FROM unnest(ARRAY[:'temporal_db', :'temporal_visibility_db', :'caseflow_db']) AS d \gexec
		EOSQL
}

create_roles_and_databases

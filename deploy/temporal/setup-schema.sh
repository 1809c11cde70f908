#!/bin/sh
# One-shot job run in the temporalio/admin-tools image (Alpine: POSIX sh).
# Brings Temporal's two PostgreSQL databases to the schema version that this
# admin-tools release ships; run it again after changing the image tag and it
# applies only the new versioned steps (that is how Temporal upgrades go).
#
# The databases and their owner role are created by the postgres init script
# (deploy/postgres/initdb/), not here: the role is not a superuser and needs
# no CREATEDB.
#
# Connection settings come from temporal-sql-tool's own environment variables
# (SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD), so the password is
# never on a command line.
#
# Both steps are idempotent:
#   setup-schema -v 0.0  creates the schema_version tables if missing
#                        (CREATE TABLE IF NOT EXISTS) and leaves an existing
#                        version alone;
#   update-schema -d DIR applies the versioned steps above the current version.
set -eu

: "${SQL_PLUGIN:?}" "${SQL_HOST:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
TEMPORAL_DB="${TEMPORAL_DB:-temporal}"
TEMPORAL_VISIBILITY_DB="${TEMPORAL_VISIBILITY_DB:-temporal_visibility}"
# Where the admin-tools image keeps the schemas (COPY ./build/temporal/schema
# /etc/temporal/schema in its Dockerfile).
SCHEMA_ROOT="${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"

apply() {
	db="$1"
	dir="$2"
	echo "temporal schema: database ${db}: ${dir}"
	temporal-sql-tool --database "$db" setup-schema -v 0.0
	temporal-sql-tool --database "$db" update-schema -d "$dir"
}

apply "$TEMPORAL_DB" "$SCHEMA_ROOT/temporal/versioned"
apply "$TEMPORAL_VISIBILITY_DB" "$SCHEMA_ROOT/visibility/versioned"
echo "temporal schema: done"

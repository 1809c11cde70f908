#!/bin/sh
# Restores a backup that backup.sh made: checks its checksums, creates the
# databases' owner roles that are missing (from the backup's globals.sql,
# password hashes included), and recreates each database with its owner,
# rights and data (pg_restore --create), then refreshes the planner's
# statistics.
#
# Usage: restore.sh [--drop-existing] BACKUP_DIR [DATABASE...]
#   DATABASE         default: every database in the backup. Restore them all
#                    together: Temporal's state and the case store belong to
#                    one point in time.
#   --drop-existing  drop a database that exists (ending its sessions) before
#                    its copy is restored; without it an existing database
#                    is an error and nothing is changed.
#
# Connection: libpq's environment, as for backup.sh, as a superuser. Stop
# every writer first and start them after (compose-restore.sh does that for
# docker-compose.yml). Roles that exist are left as they are (their
# passwords included); to recreate every role of the old cluster, run
# globals.sql with psql by hand.
set -eu

usage() {
	echo "usage: $0 [--drop-existing] BACKUP_DIR [DATABASE...]" >&2
	exit 2
}
log() { echo "restore: $*" >&2; }
die() {
	log "$*"
	exit 1
}
psql_query() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

drop_existing=no
while [ $# -gt 0 ]; do
	case $1 in
	--drop-existing) drop_existing=yes && shift ;;
	--) shift && break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
dir=$1
shift
export PGDATABASE="${PGDATABASE:-postgres}"
manifest="$dir/manifest"

{ [ -f "$manifest" ] && [ -f "$dir/SHA256SUMS" ]; } || die "$dir: no manifest or SHA256SUMS: not a backup of backup.sh"
head -n 1 "$manifest" | grep -qx 'format: caseflow-backup 1' || die "$manifest: unknown format"
log "checking checksums"
(cd "$dir" && sha256sum --check --strict --quiet SHA256SUMS) || die "$dir: checksums do not match: the backup is damaged"

# field DB N prints field N (2 name, 3 owner, 4 file) of DB's manifest line.
field() { awk -v db="$1" -v n="$2" '$1 == "database:" && $2 == db { print $n }' "$manifest"; }
# The manifest's names are plain (backup.sh checks them): split on purpose.
# shellcheck disable=SC2046
[ $# -gt 0 ] || set -- $(awk '$1 == "database:" { print $2 }' "$manifest")
[ $# -gt 0 ] || die "$manifest names no database"
for db in "$@"; do
	[ -n "$(field "$db" 2)" ] || die "database $db is not in this backup"
	grep -q " $(field "$db" 4)\$" "$dir/SHA256SUMS" || die "$(field "$db" 4) has no checksum"
done

# Nothing changes unless every database can be restored.
for db in "$@"; do
	exists=$(psql_query -v db="$db" <<-'EOF'
		SELECT 1 FROM pg_database WHERE datname = :'db';
	EOF
	)
	if [ -n "$exists" ] && [ "$drop_existing" != yes ]; then
		die "database $db exists: drop it first, or pass --drop-existing"
	fi
done

# Owner roles that are missing: their CREATE ROLE and ALTER ROLE lines in
# globals.sql (pg_dumpall writes one statement per line, the name quoted
# when it needs to be).
for db in "$@"; do
	owner=$(field "$db" 3)
	missing=$(psql_query -v role="$owner" <<-'EOF'
		SELECT 1 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role');
	EOF
	)
	[ -n "$missing" ] || continue
	log "creating role $owner"
	statements=$(awk -v plain="$owner" -v quoted="\"$owner\"" '
		$0 == "CREATE ROLE " plain ";" || $0 == "CREATE ROLE " quoted ";" ||
		index($0, "ALTER ROLE " plain " WITH ") == 1 || index($0, "ALTER ROLE " quoted " WITH ") == 1 ||
		index($0, "ALTER ROLE " plain " SET ") == 1 || index($0, "ALTER ROLE " quoted " SET ") == 1
	' "$dir/globals.sql")
	[ -n "$statements" ] || die "role $owner is missing and globals.sql does not create it"
	printf '%s\n' "$statements" | psql_query
done

# All dropped before any is restored: a failure leaves no mix of old and
# restored databases behind.
if [ "$drop_existing" = yes ]; then
	for db in "$@"; do
		log "dropping database $db if it exists"
		psql_query -v db="$db" <<-'EOF'
			SELECT format('DROP DATABASE %I WITH (FORCE)', datname) FROM pg_database WHERE datname = :'db' \gexec
		EOF
	done
fi
for db in "$@"; do
	log "restoring database $db"
	# --create: the database as it was, with its owner, encoding, locale and
	# rights (such as REVOKE CONNECT FROM PUBLIC); PGDATABASE is only where
	# CREATE DATABASE runs.
	pg_restore --create --exit-on-error --dbname="$PGDATABASE" "$dir/$(field "$db" 4)"
	owner=$(psql_query -v db="$db" <<-'EOF'
		SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'db';
	EOF
	)
	[ "$owner" = "$(field "$db" 3)" ] || die "database $db: owner is $owner, the backup says $(field "$db" 3)"
	# pg_restore brings no planner statistics.
	psql_query --dbname="$db" -c ANALYZE
done
log "done: $* restored from $dir"

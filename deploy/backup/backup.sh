#!/bin/sh
# Backs up caseflow's databases at one point in time: a logical dump of each
# (pg_dump --format=custom) and the cluster's roles (pg_dumpall
# --globals-only), with a manifest and SHA-256 checksums, in a new directory
# DEST/caseflow-<UTC time>/. restore.sh puts them back.
#
# Usage: backup.sh [--online] DEST [DATABASE...]
#   DATABASE  default: temporal temporal_visibility caseflow (Temporal's two
#             databases and the case store, as docker-compose.yml names them)
#   --online  dump although other sessions are connected (see below)
#
# Connection: libpq's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD,
# PGSSLMODE, ...); PGDATABASE (default postgres) is where the cluster-wide
# queries run. A superuser also dumps the roles' password hashes. Run it
# with the client tools of the server's major version (pg_dump refuses a
# newer server).
#
# One point in time: the databases are dumped one after another, so whatever
# writes to them (Temporal, caseflow's server and worker) must be stopped
# first; compose-backup.sh does that for docker-compose.yml. This script
# refuses to start while another session is connected to one of them, unless
# --online: then each dump is consistent in itself but not with the others.
#
# Prints the new directory's path as its last line; progress goes to stderr.
set -eu

usage() {
	echo "usage: $0 [--online] DEST [DATABASE...]" >&2
	exit 2
}
log() { echo "backup: $*" >&2; }
die() {
	log "$*"
	exit 1
}
psql_query() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

online=no
while [ $# -gt 0 ]; do
	case $1 in
	--online) online=yes && shift ;;
	--) shift && break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
dest=$1
shift
[ $# -gt 0 ] || set -- temporal temporal_visibility caseflow
export PGDATABASE="${PGDATABASE:-postgres}"
# The dumps hold every case and the roles' password hashes.
umask 077

for db in "$@"; do
	# Plain names only: the manifest is split on spaces.
	case $db in
	'' | *[!A-Za-z0-9_]*) die "database name '$db': use letters, digits and _ only" ;;
	esac
done

# Every database exists, and (unless --online) nothing else is connected.
manifest_databases=""
for db in "$@"; do
	owner=$(psql_query -v db="$db" <<-'EOF'
		SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'db';
	EOF
	)
	[ -n "$owner" ] || die "database $db does not exist"
	case $owner in
	*[!A-Za-z0-9_]*) die "database $db: owner '$owner': use letters, digits and _ only" ;;
	esac
	manifest_databases="${manifest_databases}database: $db $owner $db.dump
"
	sessions=$(psql_query -v db="$db" <<-'EOF'
		SELECT count(*) FROM pg_stat_activity
		 WHERE datname = :'db' AND backend_type = 'client backend' AND pid <> pg_backend_pid();
	EOF
	)
	if [ "$sessions" != 0 ]; then
		[ "$online" = yes ] || die "database $db has $sessions other session(s): stop its writers first (or pass --online)"
		log "warning: database $db has $sessions other session(s); this backup is not one point in time"
	fi
done

created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$dest"
final="$dest/caseflow-$(date -u +%Y%m%dT%H%M%SZ)"
[ ! -e "$final" ] || die "$final exists already"
# Written under another name and renamed at the end, so that a backup that
# failed halfway never looks complete.
work="$final.partial"
mkdir "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

for db in "$@"; do
	log "dumping database $db"
	pg_dump --format=custom --file="$work/$db.dump" --dbname="$db"
done

roles_with_passwords=yes
superuser=$(psql_query -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
if [ "$superuser" = t ]; then
	pg_dumpall --globals-only --database="$PGDATABASE" --file="$work/globals.sql"
else
	# A managed service's admin role may not read password hashes.
	log "warning: $(psql_query -c 'SELECT current_user') is no superuser: roles are dumped without passwords"
	roles_with_passwords=no
	pg_dumpall --globals-only --no-role-passwords --database="$PGDATABASE" --file="$work/globals.sql"
fi

{
	echo "format: caseflow-backup 1"
	echo "created_at: $created_at"
	echo "online: $online"
	echo "server_version: $(psql_query -c 'SHOW server_version')"
	echo "pg_dump: $(pg_dump --version)"
	echo "roles_with_passwords: $roles_with_passwords"
	# "database: NAME OWNER FILE", one line per database, in dump order.
	printf '%s' "$manifest_databases"
} >"$work/manifest"

(cd "$work" && sha256sum -- manifest globals.sql *.dump >SHA256SUMS)
mv "$work" "$final"
trap - EXIT
log "done: $final"
echo "$final"

#!/bin/sh
# Restores a backup of compose-backup.sh (or backup.sh) into the
# docker-compose.yml stack's PostgreSQL: stops caseflow's server and worker
# and the Temporal server, runs restore.sh in the postgresql container, and
# on success starts what it stopped again. On failure they stay stopped:
# they must not run on half-restored databases.
#
# Usage: sh deploy/backup/compose-restore.sh [--drop-existing] BACKUP_DIR
#   --drop-existing  replace the databases that exist (on a new host,
#                    PostgreSQL's init script has created them empty)
#
# On a new host: `docker compose up -d postgresql`, this script with
# --drop-existing, then `docker compose up -d`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
flags=""
if [ "${1:-}" = --drop-existing ]; then
	flags=--drop-existing
	shift
fi
[ $# -eq 1 ] || {
	echo "usage: $0 [--drop-existing] BACKUP_DIR" >&2
	exit 2
}
[ -f "$1/manifest" ] || {
	echo "$0: $1 is not a backup (no manifest)" >&2
	exit 1
}
backup=$(cd "$1" && pwd)
cd "$here/../.."
# shellcheck source=deploy/backup/compose-writers.sh
. "$here/compose-writers.sh"

inside=/var/tmp/caseflow-restore
cleanup() {
	status=$?
	docker compose exec -T postgresql rm -rf "$inside" || true
	if [ "$status" != 0 ] && [ -n "$stopped" ]; then
		echo "$0: restore failed; left stopped:$stopped (rerun, or docker compose start$stopped)" >&2
	fi
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

stop_writers
docker compose exec -T postgresql rm -rf "$inside"
docker compose exec -T postgresql mkdir -p "$inside"
docker compose cp "$here/restore.sh" "postgresql:$inside/restore.sh"
docker compose cp "$backup" "postgresql:$inside/backup"
# Over the container's Unix socket, where the image trusts local users.
# shellcheck disable=SC2086 # no flag or one
docker compose exec -T -e PGUSER=postgres postgresql sh "$inside/restore.sh" $flags "$inside/backup"
if [ -n "$stopped" ]; then
	start_stopped
else
	echo "$0: restored; start the stack with: docker compose up -d" >&2
fi

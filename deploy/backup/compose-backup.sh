#!/bin/sh
# Backs up the docker-compose.yml stack's three databases (temporal,
# temporal_visibility, caseflow) at one point in time: stops caseflow's
# server and worker and the Temporal server, runs backup.sh in the
# postgresql container, starts what it stopped again (also when the backup
# failed), and copies the backup to DEST on this host.
#
# Usage: sh deploy/backup/compose-backup.sh [DEST]   (default: ./backups)
#
# docker compose runs in the repository root, so .env and COMPOSE_* apply
# as for `docker compose up`. The API is down while the writers are
# stopped: seconds to minutes, with the databases' size. Keep each copy off
# this host too (README.md here).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-backups}
umask 077
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cd "$here/../.."
# shellcheck source=deploy/backup/compose-writers.sh
. "$here/compose-writers.sh"

inside=/var/tmp/caseflow-backup
cleanup() {
	start_stopped
	docker compose exec -T postgresql rm -rf "$inside" || true
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

stop_writers
docker compose exec -T postgresql rm -rf "$inside"
docker compose exec -T postgresql mkdir -p "$inside"
docker compose cp "$here/backup.sh" "postgresql:$inside/backup.sh"
# Over the container's Unix socket, where the image trusts local users. Its
# stdout is the backup's path, and nothing else.
made=$(docker compose exec -T -e PGUSER=postgres postgresql sh "$inside/backup.sh" "$inside/out")
start_stopped
case $made in
"$inside"/out/caseflow-*) ;;
*)
	echo "$0: backup.sh answered '$made', not a backup's path" >&2
	exit 1
	;;
esac

name=$(basename "$made")
docker compose cp "postgresql:$made" "$dest/$name"
if command -v sha256sum >/dev/null; then
	(cd "$dest/$name" && sha256sum --check --quiet SHA256SUMS)
fi
echo "$0: backup in $dest/$name" >&2
echo "$dest/$name"

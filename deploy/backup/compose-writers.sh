# Sourced by compose-backup.sh and compose-restore.sh (POSIX sh): stops what
# writes to the databases and starts it again.
#
# The writers are caseflow's server and worker and the Temporal server.
# Recent Compose versions stop a service's dependents with it (temporal-ui,
# caseflow-*), so what to start again is every service that ran before and
# no longer runs, not the list given to stop.

writers="caseflow-server caseflow-worker temporal"
stopped=""

running_services() { docker compose ps --services --status running; }

# stop_writers stops the writers that run and notes in $stopped whatever
# stopped with them. PostgreSQL must keep running.
stop_writers() {
	before=$(running_services)
	printf '%s\n' "$before" | grep -qx postgresql || {
		echo "$0: the postgresql service is not running (docker compose up -d postgresql)" >&2
		return 1
	}
	to_stop=""
	for service in $writers; do
		if printf '%s\n' "$before" | grep -qx "$service"; then
			to_stop="$to_stop $service"
		fi
	done
	[ -n "$to_stop" ] || return 0
	echo "$0: stopping$to_stop" >&2
	# shellcheck disable=SC2086 # a list of service names
	docker compose stop $to_stop
	after=$(running_services)
	for service in $before; do
		if ! printf '%s\n' "$after" | grep -qx "$service"; then
			stopped="$stopped $service"
		fi
	done
	printf '%s\n' "$after" | grep -qx postgresql || {
		echo "$0: postgresql stopped with the writers" >&2
		return 1
	}
}

# start_stopped starts what stop_writers stopped (dependencies first: Compose
# orders them), once.
start_stopped() {
	[ -n "$stopped" ] || return 0
	echo "$0: starting$stopped" >&2
	# shellcheck disable=SC2086
	docker compose start $stopped
	stopped=""
}

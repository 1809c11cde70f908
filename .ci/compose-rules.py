"""Rules docker-compose.yml keeps, checked on the project as Compose v2
resolves it (.ci/composecheck prints it as JSON). Called by .ci/compose-check:

    python3 .ci/compose-rules.py project.json project-with-observability.json
"""
import sys
import json

default, observed = (json.load(open(p))["services"] for p in sys.argv[1:3])
problems = []


def env(svc, name):
    return (svc.get("environment") or {}).get(name)


def ports(services):
    got = {}
    for name, svc in services.items():
        if svc.get("network_mode") == "host":
            got[name] = ["network_mode: host"]
        published = ["%s:%s:%s" % (p.get("host_ip", ""), p.get("published", ""), p["target"])
                     for p in svc.get("ports") or []]
        if published:
            got[name] = sorted(published)
    return got


want = {"caseflow-server": ["127.0.0.1:8080:8080"], "temporal-ui": ["127.0.0.1:8233:8080"]}
if ports(default) != want:
    problems.append("published ports %r, want %r" % (ports(default), want))
want_obs = dict(want, grafana=["127.0.0.1:3000:3000"])
if ports(observed) != want_obs:
    problems.append("with observability: published ports %r, want %r" % (ports(observed), want_obs))

# Mutual TLS with Temporal and a read-only UI.
if env(default["temporal"], "TEMPORAL_TLS_REQUIRE_CLIENT_AUTH") != "true":
    problems.append("temporal: TEMPORAL_TLS_REQUIRE_CLIENT_AUTH is not true")
for name in ("caseflow-migrate", "caseflow-server", "caseflow-worker", "temporal-ui"):
    for var in ("TEMPORAL_TLS_CA", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY"):
        if not env(default[name], var):
            problems.append("%s: %s is not set" % (name, var))
if env(default["temporal-ui"], "TEMPORAL_DISABLE_WRITE_ACTIONS") != "true":
    problems.append("temporal-ui: write actions are not disabled")
# The UI decodes through caseflow's codec server, which allows its origin.
if not (env(default["temporal-ui"], "TEMPORAL_CODEC_ENDPOINT") or "").endswith("/codec"):
    problems.append("temporal-ui: TEMPORAL_CODEC_ENDPOINT is not caseflow's /codec")
if not env(default["caseflow-server"], "CASEFLOW_CODEC_CORS_ORIGIN"):
    problems.append("caseflow-server: CASEFLOW_CODEC_CORS_ORIGIN is not set")

# Secrets come from files, not from defaults in the compose file.
for name in ("caseflow-migrate", "caseflow-server", "caseflow-worker"):
    svc = default[name]
    if env(svc, "DATABASE_URL") or not env(svc, "DATABASE_URL_FILE"):
        problems.append("%s: DATABASE_URL must come from DATABASE_URL_FILE" % name)
    for var in ("CASEFLOW_ACTOR_KEYS", "CASEFLOW_KEYRING"):
        if env(svc, var) or not env(svc, var + "_FILE"):
            problems.append("%s: %s must come from its file" % (name, var))
    if {s.get("source") for s in svc.get("secrets") or []} != {"caseflow_database_url", "caseflow_actor_keys", "caseflow_keyring"}:
        problems.append("%s: secrets %r" % (name, svc.get("secrets")))
if env(default["postgresql"], "POSTGRES_PASSWORD") or not env(default["postgresql"], "POSTGRES_PASSWORD_FILE"):
    problems.append("postgresql: the superuser password must come from POSTGRES_PASSWORD_FILE")

# Long-running services: a healthcheck, a stop grace period longer than
# their own drain, rotated logs and a memory limit.
GRACE = {"caseflow-server": 30, "caseflow-worker": 30, "temporal": 60, "postgresql": 60}


def seconds(duration):
    # compose-go writes durations as Go does: 1m0s, 30s, 1h0m0s
    total, number = 0, ""
    for ch in duration or "0s":
        if ch.isdigit():
            number += ch
        else:
            total += int(number or 0) * {"h": 3600, "m": 60, "s": 1}[ch]
            number = ""
    return total


for name, svc in default.items():
    if name in ("temporal-schema", "caseflow-migrate"):
        continue
    if not (svc.get("healthcheck") or {}).get("test"):
        problems.append("%s: no healthcheck" % name)
    if not ((svc.get("deploy") or {}).get("resources") or {}).get("limits", {}).get("memory"):
        problems.append("%s: no memory limit" % name)
    if seconds(svc.get("stop_grace_period")) < GRACE.get(name, 0):
        problems.append("%s: stop_grace_period %s, want at least %ds" % (name, svc.get("stop_grace_period"), GRACE[name]))
for name, svc in observed.items():
    logging = svc.get("logging") or {}
    if logging.get("driver") != "json-file" or not (logging.get("options") or {}).get("max-size"):
        problems.append("%s: logs are not rotated" % name)
restart = default["caseflow-migrate"].get("restart", "")
if not restart.startswith("on-failure:"):
    problems.append("caseflow-migrate: restart %r is not bounded" % restart)
if default["caseflow-migrate"].get("pull_policy") != "build":
    problems.append("caseflow-migrate: pull_policy is not build")

if problems:
    sys.exit("compose-check: " + "; ".join(problems))

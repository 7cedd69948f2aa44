#!/usr/bin/env bash
# The container path, built and run for real: builds the image, runs docker-compose.yml (with
# test/container/compose.test.yml: local postgres:15, host networking, free ports), publishes
# through the api container, sees a signed delivery from a worker container arrive at a loopback
# receiver that verifies it with `standardwebhooks`, scales workers to 3, restarts PostgreSQL and
# sees delivery resume, measures image size and cold start, and tears everything down.
# Needs a Docker engine with compose v2 (../shared/container/local-images.sh sets one up), node
# 24 and curl. Unattended: no prompts, every wait bounded, everything removed on exit.
#   bash test/container/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -x "$HOME/.node24/bin/node" ]; then export PATH="$HOME/.node24/bin:$PATH"; fi

START=$SECONDS
step() { printf '\n[check %3ds] %s\n' $((SECONDS - START)) "$*"; }
fail() { printf '\n[check %3ds] FAILED: %s\n' $((SECONDS - START)) "$*" >&2; exit 1; }
# wait_until <seconds> <what> <command...>: runs the command every second until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $end ] || fail "timed out after ${limit}s waiting for $what"
    sleep 1
  done
}
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
random_b64() { node -e "console.log(require('crypto').randomBytes($1).toString('base64'))"; }
json_field() { node -e 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

for tool in docker node curl; do command -v $tool >/dev/null || fail "$tool is not installed"; done
docker compose version >/dev/null 2>&1 || fail "docker compose (v2) is not installed"

export COMPOSE_PROJECT_NAME=hookline-check
export CHECK_PG_PORT=${CHECK_PG_PORT:-$(free_port)}
export CHECK_API_PORT=${CHECK_API_PORT:-$(free_port)}
export POSTGRES_PASSWORD HOOKLINE_ADMIN_TOKEN HOOKLINE_ENCRYPTION_KEYS
POSTGRES_PASSWORD=$(random_b64 18 | tr '+/' '-_')
HOOKLINE_ADMIN_TOKEN=$(random_b64 24 | tr '+/' '-_')
HOOKLINE_ENCRYPTION_KEYS="k1:$(random_b64 32)"
compose() { docker compose -f docker-compose.yml -f test/container/compose.test.yml "$@"; }
API="http://127.0.0.1:$CHECK_API_PORT"
WORK=$(mktemp -d)
RECEIVER_PID=

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ $rc -ne 0 ]; then
    echo "--- last log lines of every service ---" >&2
    compose logs --no-color --tail 30 >&2 || true
  fi
  step "tear down (docker compose down -v)"
  [ -z "$RECEIVER_PID" ] || kill "$RECEIVER_PID" 2>/dev/null || true
  compose down -v --remove-orphans --timeout 10 >/dev/null 2>&1 || true
  rm -rf "$WORK"
  if [ $rc -eq 0 ]; then step "PASSED"; else step "FAILED (exit $rc)"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# health <service>: every container of the service reports healthy.
healthy() {
  local ids; ids=$(compose ps -q "$1")
  [ -n "$ids" ] || return 1
  for id in $ids; do [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")" = healthy ] || return 1; done
}
ready() { curl -sf --max-time 2 "$API/ready" >/dev/null; }
# call <method> <path> [curl args...]: the tenant API with the first tenant's key; fails on 4xx/5xx.
call() {
  local method=$1 path=$2; shift 2
  curl -sS --fail-with-body --max-time 10 -X "$method" "$API$path" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' "$@"
}
# publish <marker>: publishes an event carrying the marker; retried (same idempotency key) for 30 s.
publish() {
  local end=$((SECONDS + 30)) out
  until out=$(call POST /api/v1/app/container-check/msg -H "idempotency-key: check-$1" \
      -d "{\"eventType\": \"container.checked\", \"payload\": {\"marker\": \"$1\"}}" 2>&1); do
    [ $SECONDS -lt $end ] || fail "publishing $1: $out"
    echo "  publish $1 refused, retrying: $out"
    sleep 1
  done
}
delivered() { grep -q "\"marker\":\"$1\"" "$WORK/deliveries.jsonl" 2>/dev/null; }

step "leftovers of an interrupted run, if any"
compose down -v --remove-orphans --timeout 10 >/dev/null 2>&1 || true

step "build the image (docker build -t hookline:local .)"
docker build -t hookline:local . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; fail "docker build"; }
size=$(docker image inspect hookline:local --format '{{.Size}}')
echo "  image hookline:local: $((size / 1000000)) MB"

step "start postgres (127.0.0.1:$CHECK_PG_PORT), migrate, api (127.0.0.1:$CHECK_API_PORT) and one worker"
compose up -d --no-build --quiet-pull >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "docker compose up"; }
wait_until 120 "the api container to be healthy" healthy api
wait_until 60 "the worker container to be healthy" healthy worker
echo "  api and worker healthy"

step "read the first tenant's API key from docker compose logs api"
api_key() { compose logs --no-color api 2>/dev/null | grep -o 'API key: *hk_[A-Za-z0-9_-]*' | head -1 | grep -o 'hk_.*'; }
wait_until 30 "the API key in the api's log" api_key >/dev/null
API_KEY=$(api_key)
echo "  ${API_KEY:0:8}..."

step "start the loopback receiver (verifies signatures with standardwebhooks)"
SECRET="whsec_$(random_b64 24)"
WEBHOOK_SECRET=$SECRET node test/container/receiver.ts "$WORK" >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
wait_until 15 "the receiver to listen" test -s "$WORK/port"
RECEIVER="http://127.0.0.1:$(cat "$WORK/port")/hook"
echo "  $RECEIVER"

step "create an application, an event type and an endpoint through the api container"
call POST /api/v1/app -d '{"name": "Container check", "uid": "container-check"}' >/dev/null
call POST /api/v1/event-type -d '{"name": "container.checked", "description": "check.sh"}' >/dev/null
endpoint=$(call POST /api/v1/app/container-check/endpoint -d "{\"url\": \"$RECEIVER\", \"secret\": \"$SECRET\", \"eventTypes\": [\"container.checked\"]}" | json_field id)
echo "  endpoint $endpoint"

step "publish; a worker container delivers it, signed"
publish first
wait_until 60 "the first delivery" delivered first
echo "  delivered and verified"

step "scale workers to 3"
compose up -d --no-build --no-recreate --scale worker=3 >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; fail "scaling workers"; }
[ "$(compose ps -q worker | wc -l)" -eq 3 ] || fail "expected 3 worker containers"
wait_until 90 "3 healthy workers" healthy worker
for i in $(seq 1 20); do publish "scaled-$i"; done
for i in $(seq 1 20); do wait_until 60 "delivery scaled-$i" delivered "scaled-$i"; done
echo "  3 workers healthy; 20 messages delivered"

step "restart postgres; delivery resumes"
compose restart postgres >/dev/null 2>&1
wait_until 60 "postgres to be healthy again" healthy postgres
wait_until 60 "the api to be ready again" ready
publish after-restart
wait_until 90 "the delivery published after the restart" delivered after-restart
echo "  delivered after the restart"

step "every delivery was verified; none rejected"
[ ! -s "$WORK/rejected.jsonl" ] || { cat "$WORK/rejected.jsonl" >&2; fail "the receiver rejected deliveries"; }
echo "  $(wc -l <"$WORK/deliveries.jsonl") verified deliveries, 0 rejected"

step "cold start: api container start -> /ready 200"
compose stop api >/dev/null 2>&1
t0=$(date +%s%N)
compose start api >/dev/null 2>&1
end=$((SECONDS + 60))
until ready; do [ $SECONDS -lt $end ] || fail "the api was not ready within 60 s"; sleep 0.1; done
echo "  cold start: $(( ($(date +%s%N) - t0) / 1000000 )) ms"

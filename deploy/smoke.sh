#!/usr/bin/env bash
# On a machine with Docker: build the image, start deploy/compose.yaml (two web processes, a worker, PostgreSQL,
# MinIO, the proxy) with the demo seeded, and through the proxy: health, sign in as a reader, answer, read it back;
# then stop and remove everything. Exit 0 only if each step worked.
# SMOKE_AGAINST=http://host:port runs the same steps against a portal already running there, without Docker
# (the test suite does this with the published output behind the proxy).
set -euo pipefail
cd "$(dirname "$0")/.."
compose=(docker compose -p readerstudy-smoke -f deploy/compose.yaml -f deploy/compose.smoke.yaml)
portal="${SMOKE_AGAINST:-http://localhost:8080}"
jar="$(mktemp)"
if [ -n "${SMOKE_AGAINST:-}" ]; then
  compose=(true)
fi
trap '"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; rm -f "$jar"' EXIT

step() { echo "== $*"; }
fail() { echo "smoke: $*" >&2; "${compose[@]}" logs --tail 50 >&2 || true; exit 1; }

step "build and start"
"${compose[@]}" up -d --build

step "health through the proxy"
for _ in $(seq 1 120); do
  curl -fsS "$portal/health/ready" >/dev/null 2>&1 && break
  sleep 2
done
curl -fsS "$portal/health/ready" | grep -q Healthy || fail "the portal did not become ready behind the proxy"

step "sign in as reader1"
token=$(curl -fsS -c "$jar" -b "$jar" "$portal/Account/Login" | grep -o 'name="__RequestVerificationToken" value="[^"]*' | head -1 | sed 's/.*value="//')
[ -n "$token" ] || fail "the sign-in page has no form token"
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -X POST "$portal/Account/Login" \
  --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$token" \
  --data-urlencode "Input.Email=reader1@readerstudy.local" --data-urlencode "Input.Password=Demo-pass-2026")
[ "$status" = 302 ] || fail "sign-in answered $status"

step "answer the first case"
api=$(curl -fsS -c "$jar" -b "$jar" "$portal/api/antiforgery")
header=$(echo "$api" | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"])')
value=$(echo "$api" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
study=$(curl -fsS -b "$jar" "$portal/api/studies" | python3 -c 'import json,sys; print(next(s["id"] for s in json.load(sys.stdin) if s["name"]=="Knee T2 phantom demo"))')
session=$(curl -fsS -b "$jar" "$portal/api/reading/studies/$study/session")
trial=$(echo "$session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["trials"][0]["trialId"])')
question=$(echo "$session" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(q["id"] for q in s["questions"] if q["kind"]=="Likert" and not q["perImage"]))')
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -H "$header: $value" -H 'Content-Type: application/json' -X PUT \
  "$portal/api/reading/trials/$trial/answers" -d "{\"questionId\":\"$question\",\"side\":\"\",\"value\":\"4\"}")
[ "$status" = 204 ] || fail "saving the answer answered $status"
curl -fsS -b "$jar" "$portal/api/reading/trials/$trial" | grep -q '"value":"4"' || fail "the answer did not read back"

step "down"
echo "smoke: passed"

#!/usr/bin/env bash
# camwarden's test command: installs what the tests need, starts the real peers, then runs
# gofmt, go vet, staticcheck, the unit tests and the integration tests against the peers.
# usage: ./scripts/test.sh          (root, Debian 12; CI runs it through .ci/run)
# env:   CAMWARDEN_RACE=0  run the unit tests without -race (default on: a cold run with -race
#                          took 8.5 min on a loaded 2-core VM, apt packages already installed)
#        KEEP_PEERS=1      leave the peers running afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "test.sh: go not found (expected /usr/local/go/bin)" >&2; exit 1; }
export PATH="$(go env GOPATH)/bin:$PATH"
START=$SECONDS
# Artefacts of the run (the browser test's screenshots of the HTML report).
export CAMWARDEN_ARTIFACTS="${CAMWARDEN_ARTIFACTS:-$PWD/out/artifacts}"
mkdir -p "$CAMWARDEN_ARTIFACTS"
step() { echo; echo "==> [$((SECONDS - START))s] $*"; }
cleanup() { [[ "${KEEP_PEERS:-0}" == 1 ]] || { step "stopping peers"; ./scripts/peers/stop-all.sh >/dev/null 2>&1 || true; }; }

step "installing apt packages (scripts/peers/install.sh)"
./scripts/peers/install.sh
step "installing staticcheck"
if ! staticcheck -version 2>/dev/null | grep -q '(0\.8\.2)'; then
  go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi

trap cleanup EXIT
step "starting peers (scripts/peers/start-all.sh)"
./scripts/peers/start-all.sh || { echo "test.sh: a peer did not start; see the log above" >&2; exit 1; }
step "checking every peer answers (scripts/peers/verify-all.sh)"
if ! ./scripts/peers/verify-all.sh; then
  echo "test.sh: a peer is missing or misbehaving (FAIL lines above); fix it with scripts/peers/start-all.sh" >&2
  exit 1
fi

# Every check below runs even if an earlier one failed, so one CI run shows every problem.
failed=()
check() {
  local name="$1"; shift
  step "$name"
  "$@" || failed+=("$name")
}
gofmt_clean() {
  local out; out="$(gofmt -l .)"
  [[ -z "$out" ]] && return 0
  echo "gofmt needed on:"; echo "$out"; return 1
}
race=(); [[ "${CAMWARDEN_RACE:-1}" == 1 ]] && race=(-race)
check "gofmt -l ." gofmt_clean
# With the integration tag, vet and staticcheck see every file (no file is built only without it).
check "go vet -tags integration ./..." go vet -tags integration ./...
check "staticcheck -tags integration ./..." staticcheck -tags integration ./...
check "go test${race:+ ${race[*]}} ./... (unit)" go test "${race[@]}" ./...
check "go test -tags integration ./test/integration/... ./internal/store/postgres/... (real peers)" \
  go test -tags integration -count=1 -v ./test/integration/... ./internal/store/postgres/...
echo
echo "artefacts (report screenshots): $CAMWARDEN_ARTIFACTS"
if ((${#failed[@]})); then
  echo "test.sh: FAILED after $((SECONDS - START))s: ${failed[*]}"
  exit 1
fi
echo "test.sh: all checks passed in $((SECONDS - START))s"

#!/bin/sh
# Interleaved A/B of two builds of the service: for each round, each jar in turn (A B, then B A, ...), on a fresh
# dynalite of its own (a store shared by the series grows, and whichever jar runs second pays for it), with the
# launcher's JVM settings (read from bin/community-signup), against ../shared/bench's stubs (20 ms). Each run: 20 s
# of sign-ups at c=64 (?wait=true) to warm up, then 15 s measured: sign-ups/s, errors, CPU ms per sign-up of the
# JVM and of dynalite (user + system time from /proc), and the JVM's RSS at the end. WARMUP sets the warm-up's
# seconds (20: a JVM still compiling then; 60 asks about a warm one); XA and XB add JVM options to A's and B's
# runs, to compare settings with one jar (bench/ab.sh x.jar x.jar with XB="-Xmn28m", say).
#   bench/ab.sh A.jar B.jar [rounds]      (after `node bench/run.js` has installed the rig in target/bench-rig)
set -e
cd "$(dirname "$0")/.."
A=$1 B=$2 ROUNDS=${3:-4}
[ -f "$A" ] && [ -f "$B" ] && [ -d target/bench-rig/node_modules ] || { echo "usage: bench/ab.sh A.jar B.jar [rounds]; needs target/bench-rig (node bench/run.js installs it)" >&2; exit 2; }
OPTS=$(sed -n 's/.*SIGNUP_JAVA_OPTS:-\([^}]*\)}.*/\1/p' bin/community-signup)
LOAD="node target/bench-rig/load.js http://127.0.0.1:18833/signup?wait=true --concurrency 64 --warmup 0 --expect 200"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# dynalite's server.js exits when its stdin ends: give it a pipe that stays open and silent while this script runs
# (/dev/zero would keep it reading zeros, most of a core)
STDIN=target/ab-stdin
rm -f "$STDIN"; mkfifo "$STDIN"; exec 3<> "$STDIN"
STUB_LATENCY_MS=20 node target/bench-rig/stubs.js 18832 > /dev/null 2>&1 &
STUBS=$!
trap 'kill $STUBS $DYN $SVC 2> /dev/null || true' EXIT
r=1
while [ $r -le "$ROUNDS" ]; do
  if [ $((r % 2)) -eq 1 ]; then ORDER="A B"; else ORDER="B A"; fi
  for v in $ORDER; do
    eval "JAR=\$$v" "X=\${X$v:-}"
    node embedded-dynamodb/server.js 18831 > /dev/null 2>&1 <&3 &
    DYN=$!
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=2 SIGNUP_PORT=18833 DYNAMODB_ENDPOINT=http://127.0.0.1:18831 SIGNUP_ROUTES_RELOAD=false \
      SLACK_API_URL=http://127.0.0.1:18832/api SLACK_ADMIN_TOKEN=xoxs-bench-token ACTIVECAMPAIGN_URL=http://127.0.0.1:18832 \
      ACTIVECAMPAIGN_API_KEY=ac-bench-key ACTIVECAMPAIGN_RATE_LIMIT=0 SLACK_RATE_LIMIT=0 SIGNUP_RATE_LIMIT=0 \
      java $OPTS $X -jar "$JAR" > "target/ab-$v.log" 2>&1 &
    SVC=$!
    until curl -sf -o /dev/null http://127.0.0.1:18833/observe/health/ready; do sleep 0.2; done
    $LOAD --duration "${WARMUP:-20}" > /dev/null
    s0=$(cpu $SVC) d0=$(cpu $DYN)
    out=$($LOAD --duration 15 | tail -1)
    s1=$(cpu $SVC) d1=$(cpu $DYN)
    ok=$(echo "$out" | sed 's/.*"ok":\([0-9]*\).*/\1/')
    echo "$v round $r: $(echo "$out" | sed 's/.*"rps":\([0-9.]*\).*/\1/') sign-ups/s," \
      "errors $(echo "$out" | sed 's/.*"errors":\([0-9]*\).*/\1/')," \
      "CPU ms/sign-up $(echo "scale=2; ($s1 - $s0) * 10 / $ok" | bc) + dynalite $(echo "scale=2; ($d1 - $d0) * 10 / $ok" | bc)," \
      "RSS $(awk '/VmRSS/ {print int($2 / 1024)}' /proc/$SVC/status) MiB"
    kill $SVC $DYN; wait $SVC $DYN 2> /dev/null || true
  done
  r=$((r + 1))
done

#!/bin/sh
# How long the service takes from its start to answering /observe/health, started as the README says
# (bin/community-signup), against a DynamoDB endpoint of its own (dynalite's own command, which keeps a new table
# CREATING for 500 ms as DynamoDB keeps it for a while): with tables it must create, then with the same tables
# existing. Needs `mvn package` done.   sh bench/ready.sh [starts, default 3]
cd "$(dirname "$0")/.." || exit 1
starts=${1:-3}
port=${SIGNUP_BENCH_PORT:-18500}
store=$((port + 1))
node embedded-dynamodb/node_modules/dynalite/cli.js --port "$store" --host 127.0.0.1 >/dev/null 2>&1 &
dynalite=$!
trap 'kill $dynalite 2>/dev/null' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$store"; do sleep 0.05; done
ready() { # table suffix, label
    started=$(date +%s%N)
    SIGNUP_PORT=$port DYNAMODB_ENDPOINT=http://127.0.0.1:$store DYNAMODB_TABLE="ready-members-$1" \
        DYNAMODB_EXECUTIONS_TABLE="ready-executions-$1" SIGNUP_ROUTES_RELOAD=false bin/community-signup \
        >"target/ready-$1-$2.log" 2>&1 &
    service=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/observe/health"; do sleep 0.02; done
    echo "$2: ready $(( ($(date +%s%N) - started) / 1000000 )) ms after start"
    kill "$service"
    wait "$service" 2>/dev/null
}
i=0
while [ $i -lt "$starts" ]; do
    suffix=$(date +%s%N)
    ready "$suffix" "tables created"
    ready "$suffix" "tables existing"
    i=$((i + 1))
done

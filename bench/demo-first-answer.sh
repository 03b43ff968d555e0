#!/usr/bin/env bash
# Times `npm run demo` to its page, and to the first answer of a question asked there (through the page's
# own /send and /state, as the page does). From a fresh clone: time npm ci && bash bench/demo-first-answer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
start=$(date +%s%N)
DEMO_PORT=0 node dist/src/bin/demo.js >"$out" 2>&1 &
demo=$!
trap 'kill -INT $demo 2>/dev/null; wait $demo 2>/dev/null; rm -f "$out"' EXIT
until grep -q "Ctrl+C stops everything" "$out"; do
  kill -0 $demo 2>/dev/null || { cat "$out"; exit 1; }
  sleep 0.05
done
served=$(date +%s%N)
url=$(grep -o "http://127.0.0.1:[0-9]*" "$out" | head -n 1)
curl -sf -X POST -H 'content-type: application/json' "$url/send" -d '{"text":"/apigw why 502 orders-api"}' >/dev/null
until curl -sf "$url/state" | grep -q "Likely cause"; do sleep 0.05; done
answered=$(date +%s%N)
echo "page served $(( (served - start) / 1000000 )) ms after the start; first answer $(( (answered - served) / 1000000 )) ms after the question"

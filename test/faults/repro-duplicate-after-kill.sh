#!/bin/bash
# Repro: SIGKILL `ferry watch` while a 6.6 MB file is uploading, restart with --once, count deliveries.
FERRY="$(cd "$(dirname "$0")/../.." && pwd)/bin/ferry.js"
set -u
WORK=$(mktemp -d); cd "$WORK"; mkdir d
node "$FERRY" sandbox --json > sb.json 2>/dev/null & SB=$!
sleep 2; EP=$(jq -r .endpoint sb.json); TOKEN=$(jq -r .token sb.json)
node -e 'let s="id,tag,value\n";for(let i=0;i<330000;i++)s+=`${i},big,${i*7919%100003}\n`;require("fs").writeFileSync("d/big-2024-01-31-v1.csv",s)'
FERRY_TOKEN=$TOKEN node "$FERRY" watch d --endpoint $EP/v1/uploads --profile lexer --state-dir st --json --settle 0.3 > run1.jsonl 2>&1 & W=$!
while ! grep -q '"status":"uploading"' run1.jsonl 2>/dev/null; do sleep 0.02; done
sleep ${DELAY:-0.05}; kill -9 $W; wait $W 2>/dev/null
echo "journal at kill:"; tail -1 st/jobs.journal | jq -c '.put.state'
echo "deliveries after kill: $(curl -s -H "Auth-Api-Token: $TOKEN" $EP/sandbox/deliveries | jq '.deliveries|length')"
FERRY_TOKEN=$TOKEN node "$FERRY" watch d --endpoint $EP/v1/uploads --profile lexer --state-dir st --json --settle 0.3 --once > run2.jsonl 2>&1
echo "deliveries after restart:"; curl -s -H "Auth-Api-Token: $TOKEN" $EP/sandbox/deliveries | jq -c '.deliveries[]|[.key,.size,.sha256[0:12]]'
kill $SB
rm -rf "$WORK"

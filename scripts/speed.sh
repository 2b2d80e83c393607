#!/usr/bin/env bash
# Issue 13 speed figures, all in one run against /healthz (docs/performance.md, "Issue 13 speed").
# Usage: scripts/speed.sh [port]     needs wrk, psql, curl, gzip and a local PostgreSQL.
#   DUR=10s    wrk duration per URL          FLOOD=5m  duration of the distinct-query flood (0 skips it)
#   PG=postgres://postgres@127.0.0.1:5432    SCALE=20000 products    BIN=a built ocop (else built here)
# Creates the database ocop_speed, runs `ocop seed --demo --scale $SCALE`, serves on 127.0.0.1:$PORT
# (OCOP_ENV=prod) and prints, per URL: requests/s, p50, p99, the ratio to /healthz and the server's
# CPU time per request (utime+stime of the ocop process from /proc/<pid>/stat, delta / requests;
# PostgreSQL's own CPU is not counted). Then page and JavaScript sizes, then RSS during and after a
# flood of distinct query strings (scripts/speed-uncached.lua, SPEED_MODE=flood). Drops the database.
set -euo pipefail
PORT=${1:-18300}
DB=ocop_speed
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DUR=${DUR:-10s}
FLOOD=${FLOOD:-5m}
SCALE=${SCALE:-20000}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${BIN:-}" ]; then BIN=$(mktemp -d)/ocop; go build -o "$BIN" ./cmd/ocop; fi
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export OCOP_DATABASE_URL="$PG/$DB?sslmode=disable" OCOP_DATA_DIR=$(mktemp -d) OCOP_ENV=prod OCOP_LOG_LEVEL=warn \
  OCOP_ADDR=127.0.0.1:$PORT OCOP_BASE_URL=http://127.0.0.1:$PORT OCOP_METRICS_ADDR=off OCOP_DB_MAX_CONNS=${CONNS:-8} \
  OCOP_BANK_WEBHOOK_SECRET=speed-test-secret-0123456789
start=$(date +%s.%N)
"$BIN" seed --demo --scale "$SCALE" >/dev/null
printf 'seed --demo --scale %s: %.1f s\n' "$SCALE" "$(echo "$(date +%s.%N) - $start" | bc)"
psql "$PG/$DB" -qc "VACUUM ANALYZE" # not left to autovacuum, which otherwise runs during the first figures
"$BIN" serve & SERVER=$!
trap 'kill $SERVER; wait $SERVER 2>/dev/null; psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB"' EXIT
for i in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
TCK=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' /proc/$SERVER/stat; }
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$SERVER/status; }
HEALTHZ=
# measure NAME PATH [SPEED_MODE]: one wrk run, the figures on one line.
# SPEED_MODE gzip sends Accept-Encoding as browsers do.
measure() {
  local name=$1 path=$2 mode=${3:-} out t0 t1 reqs rps
  t0=$(ticks)
  if [ "$mode" = gzip ]; then
    out=$(wrk -t2 -c32 -d"$DUR" --latency -H "Accept-Encoding: gzip, deflate, br" "http://127.0.0.1:$PORT$path")
  elif [ -n "$mode" ]; then
    out=$(SPEED_MODE=$mode wrk -t2 -c32 -d"$DUR" --latency -s "$HERE/speed-uncached.lua" "http://127.0.0.1:$PORT")
  else
    out=$(wrk -t2 -c32 -d"$DUR" --latency "http://127.0.0.1:$PORT$path")
  fi
  t1=$(ticks)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  [ -z "$HEALTHZ" ] && HEALTHZ=$rps
  echo "$out" | grep -E "Non-2xx|Socket errors" || true
  printf '%-58s %9s req/s  p50 %8s  p99 %8s  x%.2f of /healthz  CPU %.3f ms/req\n' "$name" "$rps" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$rps / $HEALTHZ" | bc -l)" "$(echo "($t1 - $t0) * 1000 / $TCK / $reqs" | bc -l)"
}
curl -sf "http://127.0.0.1:$PORT/products/vit-quay-000001" >/dev/null # warm the templates
# Warm up before the first figure: the first seconds of load after a start run
# slower (the first /healthz came out 10-20 % below the last), which flattered
# every ratio taken against it.
wrk -t2 -c32 -d5s "http://127.0.0.1:$PORT/healthz" >/dev/null
wrk -t2 -c32 -d5s "http://127.0.0.1:$PORT/products/vit-quay-000001" >/dev/null
# The uncached paths warm up too (each pooled connection prepares its
# statements, PostgreSQL plans them a few times before settling): their
# first seconds ran 10-20 % dearer than the rest.
for mode in list search; do SPEED_MODE=$mode wrk -t2 -c32 -d5s -s "$HERE/speed-uncached.lua" "http://127.0.0.1:$PORT" >/dev/null; done
echo "== throughput and CPU per request (wrk -t2 -c32 -d$DUR), RSS at start $(rss)"
measure /healthz /healthz
measure "GET /api/v1/products (cached)" "/api/v1/products"
measure "GET /api/v1/products?q=vit+quay (cached)" "/api/v1/products?q=vit+quay"
measure "GET /products/vit-quay-000001 (cached product page)" "/products/vit-quay-000001"
measure "/healthz, Accept-Encoding: gzip" /healthz gzip
measure "GET /products/vit-quay-000001 (cached, gzip)" "/products/vit-quay-000001" gzip
# Twice each, alternating: on a shared virtual machine one run of the same
# binary differs from the next by up to 20 %.
for round in 1 2; do
  measure "uncached list (distinct query strings), run $round" "" list
  measure "uncached search (distinct query strings), run $round" "" search
done
measure /healthz /healthz
echo "== sizes"
for p in /products/vit-quay-000001 /products/na-chi-lang; do
  printf '%-40s HTML %6d bytes, gzipped on the wire %6d bytes\n' "$p" "$(curl -s "http://127.0.0.1:$PORT$p" | wc -c)" \
    "$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$p" | wc -c)"
done
js=0
for src in $(curl -s "http://127.0.0.1:$PORT/products/na-chi-lang" "http://127.0.0.1:$PORT/" "http://127.0.0.1:$PORT/products" \
    | grep -o 'src="/static/[^"]*\.js"' | sort -u | sed 's/src="//; s/"$//'); do
  n=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$src" | wc -c)
  printf '%-40s %6d bytes gzipped on the wire\n' "$src" "$n"
  js=$((js + n))
done
echo "all storefront JavaScript: $js bytes gzipped"
if [ "$FLOOD" != "0" ]; then
  echo "== RSS under a flood of distinct queries ($FLOOD, scripts/speed-uncached.lua SPEED_MODE=flood), RSS before $(rss)"
  SPEED_MODE=flood wrk -t2 -c32 -d"$FLOOD" -s "$HERE/speed-uncached.lua" "http://127.0.0.1:$PORT" > /tmp/speed-flood.$$ & WRK=$!
  peak=0
  while kill -0 $WRK 2>/dev/null; do
    kb=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status); [ "$kb" -gt "$peak" ] && peak=$kb
    sleep 5
  done
  wait $WRK || true
  grep -E "requests in|Requests/sec|Non-2xx" /tmp/speed-flood.$$; rm -f /tmp/speed-flood.$$
  printf 'RSS peak during the flood: %.0f MiB; at its end: %s\n' "$(echo "$peak / 1024" | bc -l)" "$(rss)"
  sleep 30; echo "RSS 30 s after: $(rss)"
  sleep 30; echo "RSS 60 s after: $(rss)"
fi

#!/usr/bin/env bash
# Load test of the statistics (/api/v1/stats, /thong-ke) on PostgreSQL with
# the national-scale seed, against /healthz in the same run, three ways:
#   count    OCOP_STATS_CACHE=0s OCOP_STATS_SNAPSHOT=0s: every request counts every figure from the rows
#   uncached OCOP_STATS_CACHE=0s: no in-memory cache; every request reads the stored snapshot (stats_snapshots)
#   cached   the defaults: a filter's page or JSON is reused by the instance for 5 s
# MODES="count uncached cached" picks which.
# Usage: scripts/perf-stats.sh [port]   (needs wrk, psql and a local PostgreSQL)
set -euo pipefail
PORT=${1:-18300}
DB=ocop_perf_stats
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DUR=${DUR:-10s}
CONNS=${CONNS:-4}
BIN=$(mktemp -d)/ocop
go build -o "$BIN" ./cmd/ocop
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export OCOP_DATABASE_URL="$PG/$DB?sslmode=disable" OCOP_DATA_DIR=$(mktemp -d) OCOP_ENV=prod OCOP_LOG_LEVEL=warn \
  OCOP_ADDR=127.0.0.1:$PORT OCOP_BASE_URL=http://127.0.0.1:$PORT OCOP_METRICS_ADDR=off OCOP_BANK_WEBHOOK_SECRET=perf-only-0123456789abcdef
"$BIN" seed --demo --scale 20000
psql "$PG/$DB" -qc "VACUUM ANALYZE"
SERVER=
trap 'if [ -n "$SERVER" ]; then kill $SERVER; wait $SERVER 2>/dev/null; fi; psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB"' EXIT
for mode in ${MODES:-count uncached cached}; do
  case $mode in
    count) cache=0s snap=0s ;;
    uncached) cache=0s snap=10m ;;
    cached) cache=5s snap=10m ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  OCOP_STATS_CACHE=$cache OCOP_STATS_SNAPSHOT=$snap "$BIN" serve & SERVER=$!
  for i in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  # The first request of each URL stores its snapshot; time it, then load.
  for path in /api/v1/stats "/api/v1/stats?province=20" /thong-ke "/thong-ke?province=20"; do
    curl -so /dev/null -w "first $path: %{time_total} s\n" "http://127.0.0.1:$PORT$path"
  done
  echo "##### $mode: OCOP_STATS_CACHE=$cache OCOP_STATS_SNAPSHOT=$snap, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  for path in /healthz /api/v1/stats "/api/v1/stats?province=20" /thong-ke "/thong-ke?province=20"; do
    echo "== $path"
    wrk -t1 -c"$CONNS" -d"$DUR" --latency "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|errors"
  done
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
done

#!/usr/bin/env bash
# Load test of the catalog on PostgreSQL with a national-scale catalogue.
# Usage: scripts/perf-catalog.sh [port]   (needs wrk, psql and a local PostgreSQL)
# Creates the database ocop_perf_catalog, seeds 20,000 products, runs the
# server on 127.0.0.1:$PORT, measures with wrk (32 connections, 2 threads,
# 20 s per URL, latency percentiles) and drops the database afterwards.
set -euo pipefail
PORT=${1:-18200}
DB=ocop_perf_catalog
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DUR=${DUR:-20s}
BIN=$(mktemp -d)/ocop
go build -o "$BIN" ./cmd/ocop
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export OCOP_DATABASE_URL="$PG/$DB?sslmode=disable" OCOP_DATA_DIR=$(mktemp -d) OCOP_ENV=prod OCOP_LOG_LEVEL=warn \
  OCOP_ADDR=127.0.0.1:$PORT OCOP_BASE_URL=http://127.0.0.1:$PORT
"$BIN" seed --demo --scale 20000
psql "$PG/$DB" -qc "ANALYZE"
"$BIN" serve & SERVER=$!
trap 'kill $SERVER; wait $SERVER 2>/dev/null; psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB"' EXIT
for i in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
for path in /healthz "/api/v1/products" "/api/v1/products?q=vit+quay" "/api/v1/products?q=mat+ong+huu+co&sort=price_asc" "/products/vit-quay-000001"; do
  echo "== $path"
  wrk -t2 -c32 -d"$DUR" --latency "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|errors"
done
echo "== uncached searches (scripts/perf-catalog-uncached.lua)"
wrk -t2 -c32 -d"$DUR" --latency -s scripts/perf-catalog-uncached.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|errors"
echo "== uncached searches, 4 connections"
wrk -t1 -c4 -d"$DUR" --latency -s scripts/perf-catalog-uncached.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|errors"

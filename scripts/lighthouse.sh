#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile) on the storefront's main pages: home, search,
# product, cart, checkout and verify, and the statistics page /thong-ke. Prints one line per page with the four
# category scores and fails when any is below $MIN (95).
# Usage: scripts/lighthouse.sh [port]    (make lighthouse)
# Needs node/npm (installs the pinned lighthouse into scripts/lighthouse on
# first use) and Debian's Chromium ($CHROME_PATH, default /usr/bin/chromium).
# The server runs on a fresh SQLite database with the demo seed; nothing is
# fetched from the internet (Lighthouse's own lookups are off, see FLAGS).
set -euo pipefail
PORT=${1:-18300}
MIN=${MIN:-95}
HERE=$(cd "$(dirname "$0")" && pwd)
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LH="$HERE/lighthouse/node_modules/.bin/lighthouse"
[ -x "$LH" ] || npm install --prefix "$HERE/lighthouse" --no-audit --no-fund --silent
WORK=$(mktemp -d)
BIN=$WORK/ocop
go build -o "$BIN" ./cmd/ocop
BASE=http://127.0.0.1:$PORT
export OCOP_DATABASE_URL="sqlite:$WORK/ocop.db" OCOP_DATA_DIR=$WORK/data OCOP_ENV=prod OCOP_LOG_LEVEL=warn \
  OCOP_ADDR=127.0.0.1:$PORT OCOP_BASE_URL=$BASE OCOP_METRICS_ADDR=127.0.0.1:$((PORT + 1)) \
  OCOP_BANK_WEBHOOK_SECRET=lighthouse-run-only-not-a-real-secret
"$BIN" seed --demo >/dev/null
"$BIN" serve & SERVER=$!
trap 'kill $SERVER; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for i in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

# A signed-in shopper with one line in the cart, for the cart and checkout pages.
JAR=$WORK/cookies
csrf() { curl -s -b "$JAR" -c "$JAR" "$BASE$1" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "_csrf=$(csrf /login)" \
  --data-urlencode email=shopper@example.com --data-urlencode password=ocop-demo "$BASE/login"
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(eval("(j)=>"+process.argv[1])(JSON.parse(s))))' "$1"; }
PRODUCT=$(curl -s "$BASE/api/v1/products?limit=1" | json 'j.items[0].slug')
VARIANT=$(curl -s "$BASE/api/v1/products/$PRODUCT" | json 'j.variants[0].id')
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "_csrf=$(csrf /cart)" -d variant_id="$VARIANT" -d quantity=1 "$BASE/cart/items"
CERT=$(curl -s "$BASE/api/v1/certificates?limit=1" | json 'j.items[0].code')
COOKIE=$(awk '!/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$JAR")

# --headless etc. as Debian's Chromium needs them here; the flags after it
# keep Chromium and Lighthouse off the network.
CHROME_FLAGS="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run"
FLAGS=(--quiet --output=json --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo
  "--chrome-flags=$CHROME_FLAGS" --max-wait-for-load=30000)
fail=0
printf '%-32s %5s %5s %5s %5s\n' page perf a11y bp seo
for page in "home /" "search /products?q=na" "product /products/$PRODUCT" "cart /cart" "checkout /checkout" "verify /verify/$CERT" "stats /thong-ke"; do
  name=${page%% *}; path=${page#* }
  extra=()
  if [ "$name" = cart ] || [ "$name" = checkout ]; then extra=("--extra-headers={\"Cookie\":\"$COOKIE\"}"); fi
  "$LH" "$BASE$path" "${FLAGS[@]}" "${extra[@]}" --output-path="$WORK/$name.json" 2>"$WORK/$name.log" || { echo "$name: lighthouse failed"; tail -5 "$WORK/$name.log"; fail=1; continue; }
  scores=$(node -e '
    const r = require(process.argv[1]);
    const c = r.categories, s = k => Math.round((c[k].score || 0) * 100);
    console.log([s("performance"), s("accessibility"), s("best-practices"), s("seo")].join(" "));
    const low = Object.values(r.audits).filter(a => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable");
    for (const a of low) console.error("  " + a.id + ": " + a.title + (a.displayValue ? " (" + a.displayValue + ")" : ""));
  ' "$WORK/$name.json" 2>"$WORK/$name.low")
  printf '%-32s %5s %5s %5s %5s\n' "$name $path" $scores
  for s in $scores; do [ "$s" -ge "$MIN" ] || fail=1; done
  [ -s "$WORK/$name.low" ] && cat "$WORK/$name.low"
done
[ $fail = 0 ] || { echo "a score is below $MIN"; exit 1; }

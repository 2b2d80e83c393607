#!/usr/bin/env python3
"""archmetrics: the figures issue 10 asks for, measured the same way before and after.

  python3 scripts/archmetrics.py            # from the repository root

- web top level: lines of Go in internal/web/*.go (not sub-packages), tests and non-tests;
- largest struct: the receiver type with the most methods in internal/ (non-test files);
- cross-area table references: SQL-looking mentions (FROM/JOIN/UPDATE/INTO/TABLE/Table("...")) of a table
  owned by another area, in non-test Go files of internal/<area> (web included: it owns no table);
- longest test function: lines of the longest func Test... in the tree.
The `duplicates` pair count is printed by `duplicates --most 200 | head -1`.
"""
import os, re, sys, collections

OWNER = {
    "account": ["users", "sessions", "api_tokens"],
    "region": ["provinces", "communes", "banks"],
    "producer": ["producers", "producer_members"],
    "catalog": ["product_groups", "products", "variants", "photos"],
    "registry": ["certificates", "registry_decisions", "registry_applications", "registry_documents",
                 "registry_score_sheets", "registry_expiries", "registry_audit", "registry_authorities",
                 "registry_import_scans", "registry_imports", "registry_revocation_proposals", "province_settings",
                 "registry_bulk_imports", "registry_bulk_rows"],
    "order": ["carts", "cart_items", "order_groups", "orders", "order_items", "order_events", "shipping_rates", "shopper_addresses"],
    "review": ["reviews", "review_photos", "review_stats", "review_audit"],
    "payment": ["webhook_events", "payment_issues", "payment_audit", "payouts", "ledger_entries",
                "provider_calls", "platform_settings"],
    "notify": ["notifications", "notification_prefs"],
    "stats": ["stats_snapshots"],
    "webhook": ["webhook_endpoints", "webhook_audit"],
    "jobs": ["job_audit", "river_job", "river_leader", "river_migration", "river_queue", "river_notification",
             "river_client", "river_client_queue"],
}
TABLE_OWNER = {t: a for a, ts in OWNER.items() for t in ts}
SQL_REF = re.compile(r'(?i)\b(?:from|join|update|into|table)\s+"?([a-z_]+)"?|Table\("([a-z_]+)"\)')


def go_files(root, tests):
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith(".go") and (f.endswith("_test.go") == tests):
                yield os.path.join(d, f)


def area_of(path):
    parts = path.split(os.sep)
    if parts[0] != "internal" or len(parts) < 3:
        return None
    a = parts[1]
    if a == "web":
        return "web"
    return a if a in OWNER else None


def main():
    web = [os.path.join("internal/web", f) for f in os.listdir("internal/web") if f.endswith(".go")]
    lines = lambda fs: sum(sum(1 for _ in open(f)) for f in fs)
    print("web top level: %d lines (%d non-test in %d files, %d test)" % (
        lines(web), lines([f for f in web if not f.endswith("_test.go")]),
        len([f for f in web if not f.endswith("_test.go")]), lines([f for f in web if f.endswith("_test.go")])))

    methods = collections.Counter()
    recv = re.compile(r'^func \(\w+ \*?([A-Za-z_]\w*)(?:\[[^\]]*\])?\) ')
    for f in go_files("internal", False):
        for l in open(f):
            m = recv.match(l)
            if m:
                methods[(os.path.dirname(f), m.group(1))] += 1
    (pkg, typ), n = methods.most_common(1)[0]
    print("largest struct: %s.%s with %d methods" % (pkg, typ, n))

    refs = []
    for f in go_files("internal", False):
        a = area_of(f)
        if a is None:
            continue
        for i, l in enumerate(open(f), 1):
            for m in SQL_REF.finditer(l):
                t = m.group(1) or m.group(2)
                o = TABLE_OWNER.get(t)
                if o and o != a:
                    refs.append("%s:%d %s→%s.%s" % (f, i, a, o, t))
    print("cross-area table references: %d" % len(refs))
    if "-v" in sys.argv:
        for r in refs:
            print("  " + r)

    longest, where = 0, ""
    fn = re.compile(r'^func (Test\w+)\(')
    for f in list(go_files("internal", True)) + list(go_files("cmd", True)) + list(go_files("migrations", True)):
        cur, start = None, 0
        for i, l in enumerate(open(f), 1):
            m = fn.match(l)
            if m:
                cur, start = m.group(1), i
            elif cur and l.startswith("}"):
                if i - start + 1 > longest:
                    longest, where = i - start + 1, "%s %s" % (f, cur)
                cur = None
    print("longest test function: %d lines (%s)" % (longest, where))


if __name__ == "__main__":
    main()

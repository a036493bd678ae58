"""Smoke test of bench/dashboard_latency.py (scripts/bench dashboard) on tiny stores: it runs
on SQLite and on a database of its own in the suite's PostgreSQL, writes every key the
issue asks for, and /api/stats shows exactly what the fill stored. No timing is checked.

usage: dashboard_latency_test.py COLLECTOR FILL WORK_DIR
environment: TELEMETRY_TEST_POSTGRES_URL_FILE (the postgres fixture's URL file)"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "..", "..", "bench", "dashboard_latency.py")
DATABASE = "bench_dashboard_smoke"

# What issue 19 names, per backend, and what every measured store must report.
KEYS = ["stats_1m_vs_1k", "stats_p99_ms_1m", "page_p99_ms_1m",
        "healthz_p99_ms_under_dashboard_load", "fill_seconds_1m", "fill_seconds_1k"]
STORE_KEYS = ["installations", "reports", "fill_seconds", "fill_reports_per_second",
              "store_bytes", "stats", "page", "under_load", "check"]


def psql(url, sql):
    subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def main(collector, fill, work):
    with open(os.environ["TELEMETRY_TEST_POSTGRES_URL_FILE"], encoding="utf-8") as file:
        server = file.read().strip()
    # A database of its own: the bench empties the one it is given.
    url = re.sub(r"/[^/]*$", "/" + DATABASE, server)
    psql(server, "DROP DATABASE IF EXISTS %s" % DATABASE)
    psql(server, "CREATE DATABASE %s" % DATABASE)
    target = os.path.join(work, "dashboard.json")
    if os.path.exists(target):
        os.remove(target)
    env = dict(os.environ, TELEMETRY_BENCH_DASHBOARD_SMALL="50",
               TELEMETRY_BENCH_DASHBOARD_LARGE="200", TELEMETRY_BENCH_DASHBOARD_REQUESTS="5",
               TELEMETRY_BENCH_DASHBOARD_CLIENTS="4", TELEMETRY_BENCH_DASHBOARD_LOAD_SECONDS="2")
    try:
        code = subprocess.run([sys.executable, "-B", DRIVER, collector, fill, work, target, url],
                              env=env, check=False).returncode
    finally:
        psql(server, "DROP DATABASE IF EXISTS %s" % DATABASE)
    with open(target, encoding="utf-8") as file:
        summary = json.load(file)
    problems = []
    if code != 0:
        problems.append("the bench exited with %d" % code)
    for key in KEYS + [key + "_postgresql" for key in KEYS]:
        if not isinstance(summary.get(key), (int, float)):
            problems.append("%s is %r, not a number" % (key, summary.get(key)))
    for backend in ("sqlite", "postgresql"):
        for size, installations in (("1k", 50), ("1m", 200)):
            figures = summary["dashboard"][backend][size]
            problems += ["%s %s: no %s" % (backend, size, key) for key in STORE_KEYS
                         if key not in figures]
            if figures.get("installations") != installations:
                problems.append("%s %s: %r installations" % (backend, size,
                                                             figures.get("installations")))
            check = figures.get("check", {})
            if not check.get("matches") or check["shown"]["installations"] != installations:
                problems.append("%s %s: /api/stats shows %s, the fill stored %s" % (
                    backend, size, check.get("shown"), check.get("generated")))
            if figures["stats"]["statuses"] != {"200": 5} or figures["page"]["statuses"] != {
                    "200": 5}:
                problems.append("%s %s: answers %s, %s" % (backend, size,
                                                           figures["stats"]["statuses"],
                                                           figures["page"]["statuses"]))
    if summary.get("stored_equals_generated") is not True:
        problems.append("stored_equals_generated is not true")
    for problem in problems:
        print("dashboard_latency_test: " + problem)
    print("dashboard_latency_test: %s" % ("FAILED" if problems else "passed"))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))

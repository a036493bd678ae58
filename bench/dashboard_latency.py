"""Measures the collector's dashboard (GET /api/stats and GET /) on a small and a large store
(issue 19): each store is filled by bench-dashboard-fill through the store's own bulk path
(ReportStore::submitAll, what the spool's drain calls), then the real telemetry-collector is
started on it (plain HTTP on loopback) and asked sequentially, so every request runs the
query (a request that finds no query running always makes one: dashboard/stats_cache.hpp).
Then CLIENTS processes request / and /api/stats as fast as they are answered while /healthz
is timed every 100 ms.

stats_1m_vs_1k is the p99 of /api/stats on the large store over the p99 on the small one:
constant-time figures make it about 1 (goal <= 2). A phase stops after REQUESTS requests or
once it has run BUDGET seconds, whichever comes first, and says so: on a store whose figures
take seconds per request, 50 requests at a million installations would take hours.

usage: dashboard_latency.py COLLECTOR FILL WORK_DIR SUMMARY_JSON [POSTGRESQL_URL]
  With a PostgreSQL URL (a database this bench may empty), both backends are measured; the
  PostgreSQL figures get the suffix _postgresql.
environment (defaults in brackets):
  TELEMETRY_BENCH_DASHBOARD_LARGE [1000000]   installations in the large store; e.g. 20000
      to try the bench in a minute
  TELEMETRY_BENCH_DASHBOARD_SMALL [1000]      installations in the small store
  TELEMETRY_BENCH_DASHBOARD_LARGE_REPORTS [3], TELEMETRY_BENCH_DASHBOARD_SMALL_REPORTS [10]
      reports per installation (an initial-only installation sends one)
  TELEMETRY_BENCH_DASHBOARD_REQUESTS [50]     sequential requests per phase
  TELEMETRY_BENCH_DASHBOARD_BUDGET [300]      seconds a sequential phase may take
  TELEMETRY_BENCH_DASHBOARD_CLIENTS [30]      parallel dashboard clients during the health probe
  TELEMETRY_BENCH_DASHBOARD_LOAD_SECONDS [20] how long they run
  TELEMETRY_BENCH_DASHBOARD_BACKENDS [sqlite,postgresql]  which to measure (postgresql only
      with a URL); the figures of a backend not measured stay as an earlier run wrote them"""

import http.client
import json
import math
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

import collector_process
import summary_file

RATIO_GOAL = 2.0
HEALTHZ_GOAL_MS = 50.0
REQUEST_TIMEOUT = 1800  # one request on a big store without summaries may take minutes

COLLECTOR_CONF = """listen: 127.0.0.1:0
plain-http: true
store: {store}
secret-file: {dir}/collector.secret
ip-hash: {{ key-file: {dir}/collector.ip-keys }}
spool: {{ directory: {dir}/collector.spool }}
rate-limit: {{ per-minute: 100000000, burst: 100000000 }}
"""


def setting(name, default):
    value = int(os.environ.get("TELEMETRY_BENCH_DASHBOARD_" + name, default))
    if value < 1:
        sys.exit("TELEMETRY_BENCH_DASHBOARD_%s must be at least 1" % name)
    return value


def percentile(values, fraction):
    """Nearest rank: of 50 values the 99th percentile is the largest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else None


def rounded(value, digits=2):
    return round(value, digits) if value is not None else None


def psql(url, sql):
    """Runs `sql` with PostgreSQL's own client (no Python driver needed); its output."""
    return subprocess.run(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
                           "SET client_min_messages = warning; " + sql], check=True,
                          stdout=subprocess.PIPE, text=True).stdout.strip()


def empty_store(store, directory):
    """A fresh store: the SQLite files removed, or every table of the PostgreSQL database."""
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    if store.startswith("postgresql:"):
        psql(store, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def store_bytes(store):
    if store.startswith("postgresql:"):
        return int(psql(store, "SELECT pg_database_size(current_database())"))
    return sum(os.path.getsize(store + suffix) for suffix in ("", "-wal")
               if os.path.exists(store + suffix))


def fill(program, store, installations, reports):
    """Runs bench-dashboard-fill (its progress on our stderr); its summary line as a dict."""
    print("-- fill: %s %s %d %d" % (program, "<store>", installations, reports), file=sys.stderr)
    output = subprocess.run([program, store, str(installations), str(reports)], check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def start_collector(executable, directory, store):
    with open(os.path.join(directory, "collector.yaml"), "w", encoding="utf-8") as file:
        file.write(COLLECTOR_CONF.format(store=store, dir=directory))
    # Opening a large store may migrate it first.
    return collector_process.start(executable, directory, 600)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def get(connection, path):
    """One GET on a keep-alive connection: status, body and milliseconds."""
    started = time.perf_counter()
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read()
    return answer.status, body, (time.perf_counter() - started) * 1000


def sequential(port, path, requests, budget):
    """One GET not counted (the first after a start reads the store from disk into the page
    cache), then up to `requests` GETs one after the other, or as many as `budget` seconds
    allow."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    latencies, statuses, body = [], {}, None
    try:
        _, _, first = get(connection, path)
        started = time.monotonic()
        while len(latencies) < requests and time.monotonic() - started < budget:
            status, body, milliseconds = get(connection, path)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            latencies.append(milliseconds)
    finally:
        connection.close()
    stopped = len(latencies) < requests
    print("   %-11s first %.1f ms, then %d requests in %.1f s: median %.1f ms, p99 %.1f ms%s" % (
        path, first, len(latencies), time.monotonic() - started, statistics.median(latencies),
        percentile(latencies, 0.99), " (stopped: budget of %d s spent)" % budget
        if stopped else ""), file=sys.stderr)
    return {"requests": len(latencies), "stopped_by_budget": stopped, "first_ms": rounded(first),
            "median_ms": rounded(statistics.median(latencies)),
            "p99_ms": rounded(percentile(latencies, 0.99)),
            "max_ms": rounded(max(latencies)), "statuses": statuses}, body


def dashboard_client(port, deadline, results):
    """One parallel client: / and /api/stats in turn until the deadline; its counts."""
    counts = {"requests": 0, "errors": 0}
    paths = ("/", "/api/stats")
    connection = None
    while time.monotonic() < deadline:
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            status, _, _ = get(connection, paths[counts["requests"] % 2])
            counts[str(status)] = counts.get(str(status), 0) + 1
            counts["requests"] += 1
        except (OSError, http.client.HTTPException):
            counts["errors"] += 1
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.01)
    results.put(counts)


def healthz_under_load(port, clients, seconds):
    """/healthz every 100 ms while `clients` processes ask for the dashboard."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    deadline = time.monotonic() + seconds
    workers = [context.Process(target=dashboard_client, args=(port, deadline, results))
               for _ in range(clients)]
    for worker in workers:
        worker.start()
    latencies, statuses = [], {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        time.sleep(min(1.0, seconds / 10))  # the clients connect and start
        while time.monotonic() < deadline:
            status, _, milliseconds = get(connection, "/healthz")
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            latencies.append(milliseconds)
            time.sleep(max(0.0, 0.1 - milliseconds / 1000))
    finally:
        connection.close()
        counts = [results.get(timeout=REQUEST_TIMEOUT) for _ in workers]
        for worker in workers:
            worker.join()
    answered = {}
    for count in counts:
        for key, value in count.items():
            answered[key] = answered.get(key, 0) + value
    figures = {"healthz_p50_ms": rounded(statistics.median(latencies)),
               "healthz_p99_ms": rounded(percentile(latencies, 0.99)),
               "healthz_max_ms": rounded(max(latencies)), "healthz_requests": len(latencies),
               "healthz_statuses": statuses, "clients": clients, "seconds": seconds,
               "dashboard_requests_per_second": rounded(answered.get("requests", 0) / seconds, 1),
               "dashboard_answers": answered}
    print("   /healthz    %3d requests beside %d clients (%.1f dashboard requests/s, answers %s):"
          " median %.1f ms, p99 %.1f ms" % (
              len(latencies), clients, figures["dashboard_requests_per_second"],
              json.dumps(answered, sort_keys=True), figures["healthz_p50_ms"],
              figures["healthz_p99_ms"]), file=sys.stderr)
    return figures


def shown(stats, generated):
    """What /api/stats shows against what the fill generated; all must agree."""
    pairs = {"installations": (stats["installations"]["total"], generated["installations"]),
             "initial_only": (stats["installations"]["initial-only"], generated["initial_only"]),
             "opted_in": (stats["installations"]["opted-in"], generated["opted_in"]),
             "reports": (stats["reports"], generated["reports"])}
    return {"matches": all(a == b for a, b in pairs.values()),
            "shown": {name: a for name, (a, _) in pairs.items()},
            "generated": {name: b for name, (_, b) in pairs.items()}}


def measure(executable, fill_program, work, store, size, settings):
    """Fills one store, then times the collector on it."""
    installations, reports = size
    directory = os.path.join(work, "collector")
    empty_store(store, directory)
    if not store.startswith("postgresql:"):
        store = os.path.join(directory, "collector.db")
    filled = fill(fill_program, store, installations, reports)
    result = {"installations": installations, "reports_per_installation": reports,
              "reports": filled["reports"], "fill_seconds": filled["seconds"],
              "fill_reports_per_second": filled["reports_per_second"],
              "store_bytes": store_bytes(store)}
    collector, port = start_collector(executable, directory, store)
    try:
        result["stats"], body = sequential(port, "/api/stats", settings["requests"],
                                           settings["budget"])
        result["check"] = shown(json.loads(body), filled)
        result["page"], _ = sequential(port, "/", settings["requests"], settings["budget"])
        result["under_load"] = healthz_under_load(port, settings["clients"], settings["seconds"])
    finally:
        stop(collector)
    if not result["check"]["matches"]:
        print("   /api/stats shows %s, the fill generated %s" % (
            result["check"]["shown"], result["check"]["generated"]), file=sys.stderr)
    return result


def main(executable, fill_program, work, target, postgres_url=None):
    settings = {"requests": setting("REQUESTS", 50), "budget": setting("BUDGET", 300),
                "clients": setting("CLIENTS", 30), "seconds": setting("LOAD_SECONDS", 20)}
    sizes = {"1k": (setting("SMALL", 1000), setting("SMALL_REPORTS", 10)),
             "1m": (setting("LARGE", 1000000), setting("LARGE_REPORTS", 3))}
    work = os.path.abspath(work)
    wanted = os.environ.get("TELEMETRY_BENCH_DASHBOARD_BACKENDS", "sqlite,postgresql").split(",")
    backends = {}
    if "sqlite" in wanted:
        backends["sqlite"] = None
    if postgres_url and "postgresql" in wanted:
        backends["postgresql"] = postgres_url
    if not backends:
        sys.exit("dashboard_latency.py: no backend to measure (TELEMETRY_BENCH_DASHBOARD_BACKENDS,"
                 " and postgresql needs a URL)")
    results = {}
    for backend, url in backends.items():
        results[backend] = {}
        for name, size in sizes.items():
            print("== %s, %s store: %d installations, %d reports each" % (
                backend, name, size[0], size[1]), file=sys.stderr)
            results[backend][name] = measure(executable, fill_program, work, url or "", size,
                                             settings)

    summary = summary_file.load(target)
    goals = {}
    consistent = True
    for backend, figures in results.items():
        suffix = "" if backend == "sqlite" else "_" + backend
        small, large = figures["1k"], figures["1m"]
        ratio = large["stats"]["p99_ms"] / small["stats"]["p99_ms"]
        healthz = large["under_load"]["healthz_p99_ms"]
        summary.update({
            "stats_1m_vs_1k" + suffix: round(ratio, 2),
            "stats_p99_ms_1m" + suffix: large["stats"]["p99_ms"],
            "stats_median_ms_1m" + suffix: large["stats"]["median_ms"],
            "page_p99_ms_1m" + suffix: large["page"]["p99_ms"],
            "page_median_ms_1m" + suffix: large["page"]["median_ms"],
            "stats_p99_ms_1k" + suffix: small["stats"]["p99_ms"],
            "page_p99_ms_1k" + suffix: small["page"]["p99_ms"],
            "healthz_p99_ms_under_dashboard_load" + suffix: healthz,
            "fill_seconds_1m" + suffix: large["fill_seconds"],
            "fill_seconds_1k" + suffix: small["fill_seconds"],
        })
        goals["stats_1m_vs_1k" + suffix] = ratio <= RATIO_GOAL
        goals["healthz_p99_ms_under_dashboard_load" + suffix] = healthz < HEALTHZ_GOAL_MS
        consistent = consistent and all(size["check"]["matches"] for size in figures.values())
        print("\n%-40s %10.2f  goal <= %g: %s" % ("stats_1m_vs_1k" + suffix, ratio, RATIO_GOAL,
                                                 "met" if ratio <= RATIO_GOAL else "MISSED"))
        for name in ("1k", "1m"):
            size = figures[name]
            print("%-40s stats p99 %.1f ms (median %.1f, %d requests%s), page p99 %.1f ms,"
                  " filled in %.1f s" % (
                      "%s, %d installations, %d reports" % (backend, size["installations"],
                                                            size["reports"]),
                      size["stats"]["p99_ms"], size["stats"]["median_ms"],
                      size["stats"]["requests"],
                      ", stopped by the budget" if size["stats"]["stopped_by_budget"] else "",
                      size["page"]["p99_ms"], size["fill_seconds"]))
        print("%-40s %10.1f ms  goal < %g: %s" % (
            "healthz_p99_ms_under_dashboard_load" + suffix, healthz, HEALTHZ_GOAL_MS,
            "met" if healthz < HEALTHZ_GOAL_MS else "MISSED"))
    summary.update({
        "dashboard": dict(summary.get("dashboard", {}), **results),
        "stored_equals_generated": consistent,
        "goals_met": dict(summary.get("goals_met", {}), **goals),
        "settings": dict(settings, sizes={name: {"installations": s[0], "reports_each": s[1]}
                                          for name, s in sizes.items()}),
        "machine": {"cpus": os.cpu_count(), "load_avg": [round(x, 2) for x in os.getloadavg()],
                    "date": time.strftime("%Y-%m-%d %H:%M:%S")},
    })
    print("%-40s %10s" % ("/api/stats shows what was stored", "yes" if consistent else "NO"))
    summary_file.save(target, summary)
    return 0 if consistent else 1


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))

"""Measures telemetry-collector receiving reports over TLS keep-alive beside nginx answering
a static 202 over TLS on the same machine, with the same wrk load (bench/collector_post.lua:
the specification's example report, a new installation and Idempotency-Key per request).
Rounds alternate nginx and collector, so a busy machine slows both alike; the medians give
collector_vs_nginx (goal >= 0.5) and the collector's p99 latency, and each server's CPU
time per request (from /proc), which a busy machine changes much less than requests/s.

It also measures what bounds the ratio, so a missed goal says why:
- each round, the collector without its store: the same report with its last value made
  invalid, so it is parsed and validated in full and answered 400, never queued for the
  store (it skips the stored payload's serialisation and digest, a few µs);
- after the rounds, the cost of one durable write on the store's file system (16 KiB
  overwritten in place + fdatasync, as SQLite's WAL does), and how many reports the store's
  group commit carried per fdatasync (its /metrics).

Then it checks durability: the collector is killed with SIGKILL, started again on the same
SQLite store, and every report wrk saw answered 202 must be there.

Last, a retention pass: every stored report is made 400 days old, the collector restarts
with `retention: 30d` and gets the same load while its writer deletes them all; it reports
how long the pass took, how much of it overlapped the load, and the intake of that run
against the median collector run.

With a PostgreSQL URL (a database this bench may empty), a third collector stores into it:
its runs join each round, its visible lag and its durability after SIGKILL are measured the
same way, and its figures get the suffix _postgresql (the retention pass and the drain batch
sizes are measured on SQLite only).

usage: collector_vs_nginx.py COLLECTOR_EXECUTABLE WORK_DIR SUMMARY_JSON [POSTGRESQL_URL]
environment: TELEMETRY_BENCH_THREADS (2), TELEMETRY_BENCH_CONNECTIONS (16),
TELEMETRY_BENCH_DURATION (10s), TELEMETRY_BENCH_ROUNDS (3); TELEMETRY_BENCH_LOG_LEVEL (info; debug
writes the store's time per drain batch into each collector's collector.log)"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import time
import urllib.request

import collector_process
import summary_file

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
LUA = os.path.join(BENCH, "collector_post.lua")
REPORT = os.path.join(ROOT, "collector", "tests", "fixtures", "spec-example-report.json")
RATIO_GOAL = 0.5
FLOOR_GOAL = 0.9  # sustained intake against the floor (issue 21)
LAG_GOAL_MS = 2000  # a report on the dashboard after its 202, at half the intake

# Only what the comparison needs: TLS, keep-alive without a request limit (Poco has none),
# no access log (the collector logs no request either), a fixed answer to POST /pings.
NGINX_CONF = """daemon off;
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/client_body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 100000000;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {certs}/server.pem;
    ssl_certificate_key {certs}/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers HIGH:!aNULL:!MD5:!RC4;
    location = /pings {{
      default_type application/json;
      return 202 '{{}}';
    }}
  }}
}}
"""

# A rate limit that never triggers: every request comes from 127.0.0.1, one bucket.
COLLECTOR_CONF = """listen: 127.0.0.1:0
tls: {{ cert: {certs}/server.pem, key: {certs}/server.key }}
store: {store}
secret-file: {dir}/collector.secret
rate-limit: {{ per-minute: 100000000, burst: 100000000 }}
logging: {{ level: {level} }}
"""


def collector_config(certs, directory, store=None):
    """The bench's collector.yaml for a collector working in `directory`; its store is an
    SQLite file there unless `store` (a PostgreSQL URL) is given."""
    return COLLECTOR_CONF.format(certs=certs, dir=directory,
                                 store=store or os.path.join(directory, "collector.db"),
                                 level=os.environ.get("TELEMETRY_BENCH_LOG_LEVEL", "info"))


def make_certificates(certs):
    """A throw-away CA and a server certificate for 127.0.0.1 signed by it."""
    if os.path.exists(os.path.join(certs, "server.pem")):
        return
    os.makedirs(certs, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=certs, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj",
            "/CN=telemetry bench CA")
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(certs, "san.ext"), "w", encoding="ascii") as file:
        file.write("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "30", "-extfile", "san.ext", "-out", "server.pem")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, name, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("%s exited with %d before listening" % (name, process.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("%s did not listen on port %d within %d s" % (name, port, timeout))


def start_nginx(directory, certs):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    port = free_port()
    config = os.path.join(directory, "nginx.conf")
    with open(config, "w", encoding="utf-8") as file:
        file.write(NGINX_CONF.format(dir=directory, port=port, certs=certs))
    # -e: the startup error log goes here too, not to /var/log/nginx (root only).
    process = subprocess.Popen(["nginx", "-p", directory + "/", "-c", config, "-e",
                                os.path.join(directory, "error.log")])
    wait_for_port(port, process, "nginx")
    return process, port


def start_collector(executable, directory, floor=False):
    """Starts the collector on the store in `directory`; returns the process and its port.
    `floor`: the bench build's floor, whose spool is drained into no store at all."""
    env = dict(os.environ, TELEMETRY_COLLECTOR_BENCH_FLOOR="1" if floor else "0")
    return collector_process.start(executable, directory, 30, env)


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=60)


def run_wrk(name, port, load, report=REPORT):
    """One wrk run against https://127.0.0.1:PORT/pings; wrk's own output goes to stderr."""
    command = ["wrk", "--latency", "-t", load["threads"], "-c", load["connections"], "-d",
               load["duration"], "-s", LUA, "https://127.0.0.1:%d/pings" % port, "--", report]
    print("-- %s: %s" % (name, " ".join(command)), file=sys.stderr)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    summary = None
    for line in output.splitlines():
        if line.startswith("wrk-summary "):
            summary = json.loads(line[len("wrk-summary "):])
        else:
            print(line, file=sys.stderr)
    if summary is None:
        raise RuntimeError("wrk printed no summary line: " + output)
    summary["rps"] = summary["requests"] / summary["seconds"]
    return summary


def write_report_failing_last(path):
    """The example report with its last value (the last webapp) of the wrong type: the
    collector parses and validates all of it, then answers 400 without storing it."""
    with open(REPORT, encoding="utf-8") as file:
        report = json.load(file)
    report["product"]["internals"]["webapps"][-1] = 7
    with open(path, "w", encoding="utf-8") as file:
        json.dump(report, file, indent=2)


def durable_write_cost(directory, size=16384, count=200):
    """Wall and CPU microseconds of one write + fdatasync of `size` bytes in `directory`: the
    floor under every group commit of the store, whatever the store does besides. The file
    is written and synced first, so that the timed writes overwrite allocated blocks (as
    SQLite's WAL does) and no sync also has to record a new file size."""
    path = os.path.join(directory, "fdatasync.probe")
    block = b"x" * size
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for index in range(count):
            os.pwrite(descriptor, block, index * size)
        os.fsync(descriptor)
        wall, cpu = time.perf_counter(), time.process_time()
        for index in range(count):
            os.pwrite(descriptor, block, index * size)
            os.fdatasync(descriptor)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        os.close(descriptor)
        os.unlink(path)
    return {"wall_us": round(wall / count * 1e6, 1), "cpu_us": round(cpu / count * 1e6, 1)}


def process_stat(pid):
    """The command name and the user + system CPU ticks of process `pid`; None once gone."""
    try:
        with open("/proc/%s/stat" % pid, encoding="ascii", errors="replace") as file:
            text = file.read()
    except OSError:
        return None
    # The name is in parentheses and may hold spaces or parentheses itself.
    name, _, rest = text.partition(" (")[2].rpartition(")")
    fields = rest.split()
    return name, int(fields[11]) + int(fields[12])  # utime, stime


def cpu_seconds(pid):
    """User + system CPU time of process `pid` and of its live children (nginx's workers)."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid), encoding="ascii") as file:
            children = [int(child) for child in file.read().split()]
    except OSError:
        children = []
    stats = [process_stat(process) for process in [pid] + children]
    return sum(stat[1] for stat in stats if stat) / os.sysconf("SC_CLK_TCK")


def cpu_seconds_named(command):
    """User + system CPU time of every process whose command name is `command` (PostgreSQL's
    server processes, whose pids the bench does not know)."""
    stats = [process_stat(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    return sum(stat[1] for stat in stats if stat and stat[0] == command) / os.sysconf(
        "SC_CLK_TCK")


def machine_cpu_seconds():
    """Busy and total CPU seconds of the whole machine so far (/proc/stat), every core."""
    with open("/proc/stat", encoding="ascii") as file:
        fields = [int(value) for value in file.readline().split()[1:9]]
    idle = fields[3] + fields[4]  # idle, iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / hz, sum(fields) / hz


def run_wrk_counting_cpu(name, port, load, pid, report=REPORT):
    """run_wrk, plus the server's CPU time per request: on a shared machine it varies much
    less than requests/s, which depend on what else runs."""
    before = cpu_seconds(pid)
    summary = run_wrk(name, port, load, report)
    summary["cpu_us_per_request"] = (cpu_seconds(pid) - before) / max(summary["requests"], 1) * 1e6
    return summary


def run_until_stored(name, port, load, pid, ca, report=REPORT):
    """run_wrk_counting_cpu, then waits until the spool's drain has put every report the run
    answered 202 into the store. sustained_rps: reports stored per second from the first
    request until the last accepted one is in the store; burst_rps: 202s per second while
    the load ran."""
    before = https_get(port, "/metrics", ca)
    served_before = metric(before, "telemetry_collector_reports_stored_total")
    drained_before = metric(before, "telemetry_collector_spool_drained_total")
    started = time.monotonic()
    cpu_before = (cpu_seconds(pid), cpu_seconds_named("postgres"), machine_cpu_seconds())
    summary = run_wrk_counting_cpu(name, port, load, pid, report)
    load_ended = time.monotonic()
    while True:
        text = https_get(port, "/metrics", ca)
        served = metric(text, "telemetry_collector_reports_stored_total") - served_before
        drained = metric(text, "telemetry_collector_spool_drained_total") - drained_before
        if drained >= served:
            break
        if time.monotonic() - load_ended > 900:
            raise RuntimeError("%s: the spool was not drained within 15 minutes" % name)
        time.sleep(0.02)
    ended = time.monotonic()
    # CPU per stored report from the first request until the spool was drained: the
    # collector's, PostgreSQL's (0 without it), and the whole machine's (load generator,
    # kernel and anything else included), with the share of the cores that was busy.
    busy, total = machine_cpu_seconds()
    per_report = 1e6 / max(served, 1)
    summary["collector_cpu_us_per_stored"] = (cpu_seconds(pid) - cpu_before[0]) * per_report
    summary["postgresql_cpu_us_per_stored"] = (cpu_seconds_named("postgres") -
                                               cpu_before[1]) * per_report
    summary["machine_cpu_us_per_stored"] = (busy - cpu_before[2][0]) * per_report
    summary["machine_busy"] = (busy - cpu_before[2][0]) / max(total - cpu_before[2][1], 1e-9)
    summary["burst_rps"] = summary["accepted_202"] / summary["seconds"]
    summary["sustained_rps"] = served / (ended - started)
    summary["drain_seconds_after_load"] = ended - load_ended
    return summary


def marker_report(number):
    """The example report as its own installation, with the key it is sent under."""
    with open(REPORT, encoding="utf-8") as file:
        report = file.read()
    key = "7e57%04x-0000-4000-8000-%012x" % (os.getpid() % 0x10000, number)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", key, report,
                  count=1), key


class SqliteRows:
    """Looks up stored reports by Idempotency-Key in the SQLite store of `directory`."""

    def __init__(self, directory):
        self.database = sqlite3.connect("file:%s?mode=ro" % os.path.join(directory, "collector.db"),
                                        uri=True)

    def has(self, key):
        return self.database.execute("SELECT 1 FROM reports WHERE idempotency_key = ?",
                                     (key,)).fetchone() is not None

    def close(self):
        self.database.close()


class PostgresqlRows:
    """The same in a PostgreSQL store; each lookup sees what is committed at that moment."""

    def __init__(self, url):
        import psycopg2  # only the PostgreSQL run needs it (python3-psycopg2)
        self.database = psycopg2.connect(url)
        self.database.autocommit = True

    def has(self, key):
        with self.database.cursor() as cursor:
            cursor.execute("SELECT 1 FROM reports WHERE idempotency_key = %s", (key,))
            return cursor.fetchone() is not None

    def close(self):
        self.database.close()


def empty_postgresql(url):
    """Every table of the database at `url` dropped: the collector starts on a fresh store."""
    import psycopg2
    connection = psycopg2.connect(url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        connection.close()


def visible_lag(port, ca, rows, load, rate, seconds):
    """While wrk paces the load at `rate` requests/s, a marker report every 100 ms: the time
    from its 202 until `rows` (SqliteRows, PostgresqlRows) finds it in the store (where
    /api/stats, a fresh query for a request that finds none running, reads it).
    Milliseconds, one per marker; and the 202s the run got (wrk's and the markers'), which
    the durability check counts."""
    connections = int(load["connections"])
    paced = dict(load, duration="%ds" % seconds)
    env = dict(os.environ, TELEMETRY_BENCH_PACE_MS=str(max(1, int(connections * 1000 / rate))))
    command = ["wrk", "-t", paced["threads"], "-c", paced["connections"], "-d", paced["duration"],
               "-s", LUA, "https://127.0.0.1:%d/pings" % port, "--", REPORT]
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    context = ssl.create_default_context(cafile=ca)
    lags = []
    try:
        time.sleep(1)  # the paced load settles
        number = 0
        markers = 0
        while wrk.poll() is None:
            number += 1
            body, key = marker_report(number)
            request = urllib.request.Request(
                "https://127.0.0.1:%d/pings" % port, data=body.encode("utf-8"), method="POST",
                headers={"Content-Type": "application/json", "Idempotency-Key": key})
            with urllib.request.urlopen(request, context=context, timeout=60) as answer:
                if answer.status != 202:
                    continue
            markers += 1
            acknowledged = time.monotonic()
            while not rows.has(key):
                if time.monotonic() - acknowledged > 120:
                    raise RuntimeError("a report was not in the store 2 minutes after its 202")
                time.sleep(0.002)
            lags.append((time.monotonic() - acknowledged) * 1000)
            time.sleep(0.1)
    finally:
        rows.close()
        output = wrk.communicate()[0]
    summary = next(json.loads(line[len("wrk-summary "):]) for line in output.splitlines()
                   if line.startswith("wrk-summary "))
    return lags, summary["accepted_202"] + markers


def drain_batches(executable, work, load, ca, batches):
    """One run per drain batch size, each on a fresh store: sustained and burst reports/s."""
    results = {}
    for batch in batches:
        directory = os.path.join(work, "batch-%d" % batch)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        with open(os.path.join(directory, "collector.yaml"), "w", encoding="utf-8") as file:
            file.write(collector_config(os.path.join(work, "certs"), directory) +
                       "spool: { drain-batch: %d }\n" % batch)
        collector, port = start_collector(executable, directory)
        try:
            run = run_until_stored("collector, drain-batch %d" % batch, port, load,
                                   collector.pid, ca)
        finally:
            stop(collector)
        results[str(batch)] = {"sustained_rps": round(run["sustained_rps"], 1),
                               "burst_rps": round(run["burst_rps"], 1),
                               "drain_seconds_after_load":
                                   round(run["drain_seconds_after_load"], 2)}
    return results


def https_get(port, path, ca):
    context = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen("https://127.0.0.1:%d%s" % (port, path), context=context,
                                timeout=60) as answer:
        return answer.read().decode("utf-8")


def metric(text, name):
    """One sample of the collector's /metrics, 0 when absent."""
    match = re.search(r"^%s (\d+)" % re.escape(name), text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def stored_after_kill(executable, directory, ca):
    """Starts the collector again on the store of `directory` after a SIGKILL, waits until its
    spool is drained into the store, and returns the reports /api/stats counts."""
    collector, port = start_collector(executable, directory)
    try:
        deadline = time.monotonic() + 900
        while True:
            text = https_get(port, "/metrics", ca)
            if metric(text, "telemetry_collector_spool_unstored_bytes") == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the spool was not drained within 15 minutes after a restart")
            time.sleep(0.1)
        return json.loads(https_get(port, "/api/stats", ca))["reports"]
    finally:
        stop(collector)


def measure(executable, work, load, rounds, postgres_url=None):
    certs = os.path.join(work, "certs")
    make_certificates(certs)
    ca = os.path.join(certs, "ca.pem")
    store = os.path.join(work, "collector")
    shutil.rmtree(store, ignore_errors=True)
    os.makedirs(store)
    with open(os.path.join(store, "collector.yaml"), "w", encoding="utf-8") as file:
        file.write(collector_config(certs, store))

    invalid = os.path.join(work, "report-failing-last.json")
    write_report_failing_last(invalid)

    floor_store = os.path.join(work, "floor")
    shutil.rmtree(floor_store, ignore_errors=True)
    os.makedirs(floor_store)
    with open(os.path.join(floor_store, "collector.yaml"), "w", encoding="utf-8") as file:
        file.write(collector_config(certs, floor_store))

    # The collector on PostgreSQL: a store of its own in the database, its spool here.
    postgres_store = os.path.join(work, "collector-postgresql")
    postgresql = None
    if postgres_url:
        empty_postgresql(postgres_url)
        shutil.rmtree(postgres_store, ignore_errors=True)
        os.makedirs(postgres_store)
        with open(os.path.join(postgres_store, "collector.yaml"), "w", encoding="utf-8") as file:
            file.write(collector_config(certs, postgres_store, postgres_url))

    nginx, nginx_port = start_nginx(os.path.join(work, "nginx"), certs)
    collector, collector_port = start_collector(executable, store)
    floor_collector, floor_port = start_collector(executable, floor_store, floor=True)
    postgres_collector, postgres_port = (start_collector(executable, postgres_store)
                                         if postgres_url else (None, None))
    runs = {"nginx": [], "floor": [], "collector": [], "collector_without_store": []}
    if postgres_url:
        runs["collector_postgresql"] = []
    try:
        for _ in range(rounds):
            runs["nginx"].append(run_wrk_counting_cpu("nginx", nginx_port, load, nginx.pid))
            runs["floor"].append(run_until_stored(
                "floor: the collector's spool drained into no store", floor_port, load,
                floor_collector.pid, ca))
            runs["collector"].append(
                run_until_stored("collector", collector_port, load, collector.pid, ca))
            runs["collector_without_store"].append(
                run_wrk_counting_cpu("collector, report answered 400 before the store",
                                     collector_port, load, collector.pid, invalid))
            if postgres_url:
                runs["collector_postgresql"].append(run_until_stored(
                    "collector on PostgreSQL", postgres_port, load, postgres_collector.pid, ca))
        stop(floor_collector)
        # Half of the collector's sustained intake, paced, with marker reports timed.
        half = statistics.median(run["sustained_rps"] for run in runs["collector"]) / 2
        lags, paced_accepted = visible_lag(collector_port, ca, SqliteRows(store), load, half,
                                           int(load["duration"].rstrip("s")))
        if postgres_url:
            half = statistics.median(run["sustained_rps"]
                                     for run in runs["collector_postgresql"]) / 2
            postgres_lags, postgres_paced = visible_lag(
                postgres_port, ca, PostgresqlRows(postgres_url), load, half,
                int(load["duration"].rstrip("s")))
        # Requests in flight when wrk stopped are answered (and stored) after it left.
        time.sleep(1)
        metrics = https_get(collector_port, "/metrics", ca)
        served = metric(metrics, 'telemetry_collector_requests_total{status="202"}')
        commits = metric(metrics, "telemetry_collector_store_commits_total")
        if postgres_url:
            postgres_served = metric(https_get(postgres_port, "/metrics", ca),
                                     'telemetry_collector_requests_total{status="202"}')
    finally:
        stop(nginx, signal.SIGQUIT)  # nginx's graceful stop
        stop(collector, signal.SIGKILL)
        if floor_collector.poll() is None:
            stop(floor_collector)
        if postgres_collector is not None:
            stop(postgres_collector, signal.SIGKILL)
    # A 202 promises the report is durable: it must survive a kill without any shutdown. The
    # spool holds what the store did not yet: wait until the restarted collector stored it.
    stored = stored_after_kill(executable, store, ca)
    if postgres_url:
        postgresql = {"runs": runs.pop("collector_postgresql"), "served": postgres_served,
                      "stored": stored_after_kill(executable, postgres_store, ca),
                      "lags": sorted(postgres_lags), "paced_accepted": postgres_paced}
    floor = durable_write_cost(store)
    floor["reports_per_commit"] = round(served / commits, 1) if commits else None
    floor["retention"] = retention_pass(executable, store, load)
    floor["visible_lag_ms"] = lags
    floor["paced_accepted"] = paced_accepted
    floor["drain_batches"] = drain_batches(executable, work, load, ca, (256, 1024, 4096, 16384))
    return runs, served, stored, floor, postgresql


def log_time(line):
    """The time of a collector log line ("[2026-11-30 06:10:29.888] ..."), in seconds."""
    stamp = line[1:line.index("]")]
    return time.mktime(time.strptime(stamp[:19], "%Y-%m-%d %H:%M:%S")) + float(stamp[19:])


def retention_pass(executable, store, load):
    """Ages every report past a 30-day retention, restarts the collector with it under the
    same load: the first pass's reports and seconds, and wrk's summary beside it."""
    connection = sqlite3.connect(os.path.join(store, "collector.db"))
    try:
        with connection:  # commits
            connection.execute("UPDATE reports SET received_at = received_at - 400 * 86400")
    finally:
        connection.close()
    config = os.path.join(store, "collector.yaml")
    with open(config, encoding="utf-8") as file:
        plain = file.read()
    with open(config, "w", encoding="utf-8") as file:
        file.write(plain + "retention: 30d\n")
    log_path = os.path.join(store, "collector.log")

    def log_lines():
        with open(log_path, encoding="utf-8", errors="replace") as log:
            return log.read().splitlines()

    collector = None
    try:
        collector, port = start_collector(executable, store)
        summary = run_wrk("collector during a retention pass", port, load)
        deadline = time.monotonic() + 300  # a pass longer than the load: wait for its end
        while not any("retention: deleted" in line for line in log_lines()):
            if time.monotonic() > deadline:
                raise RuntimeError("the retention pass did not end within 5 minutes; see " +
                                   log_path)
            time.sleep(0.2)
    finally:
        if collector is not None:
            stop(collector)
        with open(config, "w", encoding="utf-8") as file:
            file.write(plain)
    lines = log_lines()
    # The pass begins as the store opens, before the server listens and wrk starts: its
    # seconds are counted from the first log line, and the overlap with the load from
    # "listening on".
    done = next(line for line in lines if "retention: deleted" in line)
    listening = next(line for line in lines if "listening on" in line)
    deleted = int(re.search(r"deleted (\d+) report", done).group(1))
    return {"reports": deleted, "seconds": round(log_time(done) - log_time(lines[0]), 2),
            "overlap_seconds": round(max(0.0, log_time(done) - log_time(listening)), 2),
            "rps": round(summary["rps"], 1), "p99_ms": round(summary["p99_ms"], 2)}


def postgresql_figures(postgresql, nginx_rps, floor_sustained, in_flight):
    """The PostgreSQL collector's keys for collector.json (suffix _postgresql), its goals, and
    the lines to print."""
    runs, lags = postgresql["runs"], postgresql["lags"]

    def median(key):
        return statistics.median(run[key] for run in runs)

    sustained, burst = median("sustained_rps"), median("burst_rps")
    lag_p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))] if lags else None
    accepted = sum(run["accepted_202"] for run in runs) + postgresql["paced_accepted"]
    served, stored = postgresql["served"], postgresql["stored"]
    durable = served <= stored and accepted <= stored <= accepted + in_flight
    keys = {
        "collector_vs_floor_postgresql": round(sustained / floor_sustained, 3),
        "collector_burst_vs_floor_postgresql": round(burst / floor_sustained, 3),
        "collector_sustained_rps_postgresql": round(sustained, 1),
        "collector_burst_rps_postgresql": round(burst, 1),
        "collector_vs_nginx_postgresql": round(median("rps") / nginx_rps, 3),
        "collector_rps_postgresql": round(median("rps"), 1),
        "collector_p99_ms_postgresql": round(median("p99_ms"), 2),
        "collector_p50_ms_postgresql": round(median("p50_ms"), 2),
        "collector_cpu_us_per_request_postgresql": round(median("cpu_us_per_request"), 1),
        "collector_cpu_us_per_stored_postgresql": round(median("collector_cpu_us_per_stored"), 1),
        "postgresql_cpu_us_per_stored": round(median("postgresql_cpu_us_per_stored"), 1),
        "machine_cpu_us_per_stored_postgresql": round(median("machine_cpu_us_per_stored"), 1),
        "machine_busy_postgresql": round(median("machine_busy"), 3),
        "visible_lag_p99_ms_postgresql": round(lag_p99, 1) if lag_p99 is not None else None,
        "visible_lag_p50_ms_postgresql": round(lags[len(lags) // 2], 1) if lags else None,
        "visible_lag_markers_postgresql": len(lags),
        "accepted_by_wrk_postgresql": accepted,
        "answered_202_by_collector_postgresql": served,
        "stored_after_kill_postgresql": stored,
        "stored_equals_accepted_postgresql": durable,
    }
    goals = {"collector_vs_floor_postgresql": sustained / floor_sustained >= FLOOR_GOAL,
             "durable_postgresql": durable,
             "visible_lag_p99_ms_postgresql": lag_p99 is not None and lag_p99 < LAG_GOAL_MS}
    lines = [
        "%-28s %10.3f  goal >= %g: %s (sustained %.1f/s, %.1f 202s/s while the load ran)" % (
            "collector_vs_floor on PostgreSQL", sustained / floor_sustained, FLOOR_GOAL,
            "met" if goals["collector_vs_floor_postgresql"] else "MISSED", sustained, burst),
        "%-28s %10.2f ms, %.1f us CPU per request (the collector's; PostgreSQL's not counted)" % (
            "p99 on PostgreSQL", keys["collector_p99_ms_postgresql"],
            keys["collector_cpu_us_per_request_postgresql"]),
        "%-28s %10.1f us of the machine's CPU per stored report (%.0f%% of the cores busy):"
        " %.1f the collector's, %.1f PostgreSQL's" % (
            "CPU on PostgreSQL", keys["machine_cpu_us_per_stored_postgresql"],
            100 * keys["machine_busy_postgresql"], keys["collector_cpu_us_per_stored_postgresql"],
            keys["postgresql_cpu_us_per_stored"]),
        "%-28s %10s ms at half its sustained intake (%d markers)" % (
            "visible lag p99, PostgreSQL", "%.1f" % lag_p99 if lag_p99 is not None else "-",
            len(lags)),
        "%-28s %10d  every accepted report (%d, %d by its own count) stored: %s" % (
            "PostgreSQL: after SIGKILL", stored, accepted, served, "yes" if durable else "NO"),
    ]
    return keys, goals, lines, durable


def main(executable, work, target, postgres_url=None):
    load = {
        "threads": os.environ.get("TELEMETRY_BENCH_THREADS", "2"),
        "connections": os.environ.get("TELEMETRY_BENCH_CONNECTIONS", "16"),
        "duration": os.environ.get("TELEMETRY_BENCH_DURATION", "10s"),
    }
    rounds = int(os.environ.get("TELEMETRY_BENCH_ROUNDS", "3"))
    runs, served, stored, floor, postgresql = measure(executable, os.path.abspath(work), load,
                                                      rounds, postgres_url)
    retention = floor.pop("retention")
    lags = sorted(floor.pop("visible_lag_ms"))
    batches = floor.pop("drain_batches")
    paced_accepted = floor.pop("paced_accepted")

    if any(run["accepted_202"] or run["duplicates_200"]
           for run in runs["collector_without_store"]):
        raise RuntimeError("the collector accepted a report meant to fail validation; the run "
                           "without the store measured the wrong path")

    def median(name, key):
        return statistics.median(run[key] for run in runs[name])

    nginx_rps = median("nginx", "rps")
    floor_sustained = median("floor", "sustained_rps")
    sustained = median("collector", "sustained_rps")
    burst = median("collector", "burst_rps")
    lag_p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))] if lags else None
    collector_rps = median("collector", "rps")
    ratio = collector_rps / nginx_rps
    without_store_ratio = median("collector_without_store", "rps") / nginx_rps
    p99 = median("collector", "p99_ms")
    collector_cpu = median("collector", "cpu_us_per_request")
    nginx_cpu = median("nginx", "cpu_us_per_request")
    without_store_cpu = median("collector_without_store", "cpu_us_per_request")
    # The collector's runs, and the paced run of the lag measurement on the same store.
    accepted = sum(run["accepted_202"] for run in runs["collector"]) + paced_accepted
    rejected = sum(run["other_status"] + run["duplicates_200"] for run in runs["collector"])
    # wrk drops the answers still in flight when its time is up; the server may have stored
    # those too, so the store may hold up to one report per connection and round more.
    in_flight = int(load["connections"]) * (rounds + 1)
    durable = served <= stored and accepted <= stored <= accepted + in_flight

    summary = summary_file.load(target)
    rounds_run = dict(runs)
    postgres_lines = []
    # A run without PostgreSQL leaves no figures of an earlier one behind.
    for key in [key for key in summary if key.endswith("_postgresql")]:
        del summary[key]
    goals_postgresql = {}
    if postgresql:
        rounds_run["collector_postgresql"] = postgresql["runs"]
        keys, goals_postgresql, postgres_lines, durable_postgresql = postgresql_figures(
            postgresql, nginx_rps, floor_sustained, in_flight)
        summary.update(keys)
    summary.update({
        "collector_vs_floor": round(sustained / floor_sustained, 3),
        "collector_burst_vs_floor": round(burst / floor_sustained, 3),
        "collector_sustained_rps": round(sustained, 1),
        "collector_burst_rps": round(burst, 1),
        "floor_sustained_rps": round(floor_sustained, 1),
        # What bounds collector_vs_floor when the cores are busy: the CPU each stored report
        # costs the machine, with and without a store.
        "floor_machine_cpu_us_per_stored": round(median("floor", "machine_cpu_us_per_stored"), 1),
        "floor_machine_busy": round(median("floor", "machine_busy"), 3),
        "machine_cpu_us_per_stored": round(median("collector", "machine_cpu_us_per_stored"), 1),
        "machine_busy": round(median("collector", "machine_busy"), 3),
        "collector_cpu_us_per_stored": round(median("collector", "collector_cpu_us_per_stored"), 1),
        "floor_collector_cpu_us_per_stored": round(median("floor", "collector_cpu_us_per_stored"),
                                                   1),
        "visible_lag_p99_ms": round(lag_p99, 1) if lag_p99 is not None else None,
        "visible_lag_p50_ms": round(lags[len(lags) // 2], 1) if lags else None,
        "visible_lag_markers": len(lags),
        "drain_batch": batches,
        "collector_vs_nginx": round(ratio, 3),
        "collector_rps": round(collector_rps, 1),
        "nginx_rps": round(nginx_rps, 1),
        "collector_p99_ms": round(p99, 2),
        "collector_cpu_us_per_request": round(collector_cpu, 1),
        "nginx_cpu_us_per_request": round(nginx_cpu, 1),
        "collector_p50_ms": round(median("collector", "p50_ms"), 2),
        "nginx_p99_ms": round(median("nginx", "p99_ms"), 2),
        "collector_without_store_vs_nginx": round(without_store_ratio, 3),
        "collector_without_store_cpu_us_per_request": round(without_store_cpu, 1),
        "durable_write": floor,
        "retention_pass": dict(retention, vs_collector=round(retention["rps"] / collector_rps, 3)),
        "accepted_by_wrk": accepted,
        "answered_202_by_collector": served,
        "stored_after_kill": stored,
        "not_accepted": rejected,
        "stored_equals_accepted": durable,
        "rounds": {name: [{key: round(value, 2) if isinstance(value, float) else value
                           for key, value in run.items()} for run in results]
                   for name, results in rounds_run.items()},
        "load": dict(load, rounds=rounds),
        "goals_met": {"collector_vs_nginx": ratio >= RATIO_GOAL, "durable": durable,
                      "collector_vs_floor": sustained / floor_sustained >= FLOOR_GOAL,
                      "collector_without_store_vs_nginx": without_store_ratio >= RATIO_GOAL,
                      "visible_lag_p99_ms": lag_p99 is not None and lag_p99 < LAG_GOAL_MS,
                      **goals_postgresql},
        "machine": {"cpus": os.cpu_count(), "load_avg": [round(x, 2) for x in os.getloadavg()],
                    "date": time.strftime("%Y-%m-%d %H:%M:%S")},
    })

    print("\n%-28s %10.1f" % ("nginx requests/s", nginx_rps))
    print("%-28s %10.1f" % ("collector requests/s", collector_rps))
    print("%-28s %10.3f  goal >= %g: %s" % ("collector_vs_nginx", ratio, RATIO_GOAL,
                                           "met" if ratio >= RATIO_GOAL else "MISSED"))
    print("%-28s %10.3f  goal >= %g: %s (sustained %.1f/s, floor %.1f/s)" % (
        "collector_vs_floor", sustained / floor_sustained, FLOOR_GOAL,
        "met" if sustained / floor_sustained >= FLOOR_GOAL else "MISSED", sustained,
        floor_sustained))
    print("%-28s %10.3f  (%.1f 202s/s while the load ran)" % ("collector_burst_vs_floor",
                                                              burst / floor_sustained, burst))
    print("%-28s %10.1f us of the machine's CPU per stored report (%.0f%% of the cores busy), the"
          " floor %.1f (%.0f%% busy); the collector's own %.1f, the floor's %.1f" % (
              "CPU per stored report", summary["machine_cpu_us_per_stored"],
              100 * summary["machine_busy"], summary["floor_machine_cpu_us_per_stored"],
              100 * summary["floor_machine_busy"], summary["collector_cpu_us_per_stored"],
              summary["floor_collector_cpu_us_per_stored"]))
    print("%-28s %10s ms at half the sustained intake (%d markers)" % (
        "visible lag p99", "%.1f" % lag_p99 if lag_p99 is not None else "-", len(lags)))
    for batch, figures in batches.items():
        print("%-28s %10.1f sustained/s, %.1f burst/s, drained %.2f s after the load" % (
            "drain-batch %s" % batch, figures["sustained_rps"], figures["burst_rps"],
            figures["drain_seconds_after_load"]))
    print("%-28s %10.2f ms" % ("collector p99 latency", p99))
    print("%-28s %10.1f us, nginx %.1f us" % ("collector CPU per request", collector_cpu,
                                              nginx_cpu))
    print("%-28s %10.3f  (%.1f us CPU per request: the report parsed, validated, answered 400)"
          % ("without the store: vs nginx", without_store_ratio, without_store_cpu))
    print("%-28s %10.1f us CPU, %.1f us wall per 16 KiB write + fdatasync; %s reports per commit"
          % ("durable write here", floor["cpu_us"], floor["wall_us"],
             floor["reports_per_commit"]))
    print("%-28s %10.3f  of the collector's requests/s over a run whose first %.2f s overlapped"
          " a pass deleting %d reports in %.2f s"
          % ("with a retention pass", retention["rps"] / collector_rps,
             retention["overlap_seconds"], retention["reports"], retention["seconds"]))
    print("%-28s %10d answered 202 to wrk, %d by its own count, %d other answers" %
          ("collector", accepted, served, rejected))
    print("%-28s %10d  every accepted report stored: %s" %
          ("stored after SIGKILL", stored, "yes" if durable else "NO"))
    for line in postgres_lines:
        print(line)
    summary_file.save(target, summary)
    return 0 if durable and (not postgresql or durable_postgresql) else 1


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))

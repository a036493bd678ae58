"""Measures `telemetry run` doing nothing: no REST API, a 24 h period, telemetry disabled and
an endpoint on loopback (a small receiver here answering 202, so the one-time initial report
is delivered as it would be in a real installation, and nothing real is contacted). After
the daemon says it runs, waits SECONDS (default 60) and reads its resident memory
(/proc/PID/status) and the CPU time it used meanwhile (/proc/PID/stat); does that twice:
as configured by default (the daemon hibernates in telemetry-idle) and with `hibernate: 0`
(it stays resident). Prints the figures and merges them into a JSON file (keys already
there, such as the usage ratios, are kept).

usage: idle_daemon.py TELEMETRY_EXECUTABLE SUMMARY_JSON [SECONDS]"""

import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import summary_file

CONFIG = """telemetry:
  reporter-activate: true
  initialize: false
  endpoint: http://127.0.0.1:%d/pings
  reporting-period: 24h
  hibernate: %s
api:
  listen: ""
"""
RSS_GOAL_MB = 10.0
# "About 0": a hundredth of a second is one clock tick, the resolution of /proc/PID/stat.
CPU_GOAL_SECONDS_PER_MINUTE = 0.05


class Accept202(http.server.BaseHTTPRequestHandler):
    """The endpoint: reads the report, answers 202."""

    def do_POST(self):  # pylint: disable=invalid-name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


def cpu_seconds(pid):
    """utime + stime of the process, in seconds."""
    with open("/proc/%d/stat" % pid, encoding="ascii") as file:
        # The command name may hold spaces; the fields after it are fixed.
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kb(pid):
    """VmRSS and its anonymous and file-backed parts, in kB."""
    values = {}
    with open("/proc/%d/status" % pid, encoding="ascii") as file:
        for line in file:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                values[key] = int(rest.split()[0])
    return values


def wait_until_running(log_path, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("telemetry run exited with %d" % process.returncode)
        with open(log_path, encoding="utf-8", errors="replace") as log:
            if "telemetry daemon running" in log.read():
                return
        time.sleep(0.1)
    raise RuntimeError("telemetry run did not start within %d s" % timeout)


def measure(executable, seconds, hibernate, port):
    with tempfile.TemporaryDirectory(prefix="telemetry-idle-") as directory:
        config = os.path.join(directory, "telemetry.yaml")
        with open(config, "w", encoding="utf-8") as file:
            file.write(CONFIG % (port, hibernate))
        log_path = os.path.join(directory, "daemon.log")
        with open(log_path, "w", encoding="utf-8") as log:
            process = subprocess.Popen([executable, "--config", config, "run"], cwd=directory,
                                       stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_running(log_path, process)
            started = time.monotonic()
            startup_cpu = cpu_seconds(process.pid)
            time.sleep(seconds)
            idle_cpu = cpu_seconds(process.pid) - startup_cpu
            elapsed = time.monotonic() - started
            memory = memory_kb(process.pid)
            image = os.path.basename(os.readlink("/proc/%d/exe" % process.pid))
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=60)
        if code != 0:
            raise RuntimeError("telemetry run exited with %d after SIGTERM" % code)
    return {
        "idle_image": image,
        "idle_rss_mb": round(memory["VmRSS"] / 1024, 2),
        "idle_rss_anon_mb": round(memory["RssAnon"] / 1024, 2),
        "idle_rss_file_mb": round(memory["RssFile"] / 1024, 2),
        "idle_cpu_seconds_per_minute": round(idle_cpu * 60 / elapsed, 3),
        "idle_startup_cpu_seconds": round(startup_cpu, 3),
        "idle_seconds": round(elapsed, 1),
    }


def main(executable, target, seconds):
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Accept202)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    port = receiver.server_address[1]
    figures = measure(executable, seconds, "10m", port)
    resident = measure(executable, seconds, "0", port)
    figures["idle_resident_rss_mb"] = resident["idle_rss_mb"]
    figures["idle_resident_cpu_seconds_per_minute"] = resident["idle_cpu_seconds_per_minute"]
    receiver.shutdown()
    goals = {
        "idle_rss_mb": figures["idle_rss_mb"] <= RSS_GOAL_MB,
        "idle_cpu_seconds_per_minute":
            figures["idle_cpu_seconds_per_minute"] <= CPU_GOAL_SECONDS_PER_MINUTE,
    }
    print("\ntelemetry run, idle for %.0f s, waiting in %s" % (figures["idle_seconds"],
                                                            figures["idle_image"]))
    print("%-32s %8.2f MB  goal <= %g: %s" % ("idle_rss_mb", figures["idle_rss_mb"],
                                              RSS_GOAL_MB,
                                              "met" if goals["idle_rss_mb"] else "MISSED"))
    print("%-32s %8.2f MB" % ("  anonymous (heap, stacks)", figures["idle_rss_anon_mb"]))
    print("%-32s %8.2f MB" % ("  file-backed (code, libraries)", figures["idle_rss_file_mb"]))
    print("%-32s %8.3f s   goal <= %g: %s" % (
        "idle_cpu_seconds_per_minute", figures["idle_cpu_seconds_per_minute"],
        CPU_GOAL_SECONDS_PER_MINUTE, "met" if goals["idle_cpu_seconds_per_minute"] else "MISSED"))
    print("%-32s %8.3f s" % ("idle_startup_cpu_seconds", figures["idle_startup_cpu_seconds"]))
    print("%-32s %8.2f MB" % ("idle_resident_rss_mb (hibernate: 0)",
                              figures["idle_resident_rss_mb"]))

    summary = summary_file.load(target)
    summary.update(figures)
    summary.setdefault("goals_met", {}).update(goals)
    summary_file.save(target, summary)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    # Absolute: the daemon runs in a temporary directory.
    main(os.path.abspath(sys.argv[1]), sys.argv[2],
         float(sys.argv[3]) if len(sys.argv) == 4 else 60.0)

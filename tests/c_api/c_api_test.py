#!/usr/bin/env python3
"""The C API (telemetry/c_api.h) driven from Python ctypes, as a product in another language
binds it: counting from several threads, the report, the opt-in switch, errors, and the
final report that stop() sends to a local plain-http receiver.

The library is $TELEMETRY_C_LIBRARY (ctest sets it to libtelemetry-c.so). Standard library
only."""

import ctypes
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

OK, ERROR, CONFIG_ERROR, INVALID_ARGUMENT = 0, 1, 2, 3

# A product that embeds telemetry may run with DO_NOT_TRACK set; these tests need the
# reporter to run.
os.environ.pop("DO_NOT_TRACK", None)


def load_library():
    lib = ctypes.CDLL(os.environ["TELEMETRY_C_LIBRARY"])
    host_p = ctypes.c_void_p
    signatures = {
        "telemetry_api_version": (ctypes.c_int, []),
        "telemetry_last_error": (ctypes.c_char_p, []),
        "telemetry_host_create": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(host_p)]),
        "telemetry_host_start": (ctypes.c_int, [host_p]),
        "telemetry_host_stop": (ctypes.c_int, [host_p]),
        "telemetry_host_destroy": (None, [host_p]),
        "telemetry_toggle": (ctypes.c_int, [host_p, ctypes.c_int]),
        "telemetry_is_enabled": (ctypes.c_int, [host_p, ctypes.POINTER(ctypes.c_int)]),
        "telemetry_opt_in": (ctypes.c_int, [host_p, ctypes.POINTER(ctypes.c_int)]),
        "telemetry_count_command": (ctypes.c_int, [host_p, ctypes.c_char_p, ctypes.c_uint64]),
        "telemetry_count_metric": (ctypes.c_int, [host_p, ctypes.c_char_p, ctypes.c_uint64]),
        "telemetry_worker_seen": (ctypes.c_int, [host_p, ctypes.c_char_p]),
        # A void pointer, not c_char_p: the string must go back to telemetry_free_string.
        "telemetry_report_json": (ctypes.c_int, [host_p, ctypes.POINTER(ctypes.c_void_p)]),
        "telemetry_free_string": (None, [ctypes.c_void_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


LIB = load_library()


def last_error():
    return LIB.telemetry_last_error().decode()


class Receiver:
    """A plain-http endpoint on loopback that records the reports POSTed to it and answers 202."""

    def __init__(self):
        self.bodies = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.bodies.append(json.loads(body))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/pings" % self.server.server_address[1]

    def reports(self):
        with self.lock:
            return list(self.bodies)

    def wait_for(self, predicate, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.reports()):
                return True
            time.sleep(0.05)
        return False

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def internals(report):
    return report["product"]["internals"]


def command_count(report, name):
    return internals(report).get("commands", {}).get(name, {}).get("count", 0)


def metric_count(report, name):
    return internals(report)["metrics"][name]["count"]


class CApiTest(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.temp.name)
        self.receiver = Receiver()
        self.hosts = []

    def tearDown(self):
        for host in self.hosts:
            LIB.telemetry_host_destroy(host)
        self.receiver.close()
        self.temp.cleanup()

    def write_config(self, text=None):
        path = self.dir / "telemetry.yaml"
        if text is None:
            text = (
                "telemetry:\n"
                "  initialize: true\n"
                "  endpoint: %s\n"
                "  reporting-period: 1h\n"
                "  request-timeout: 5s\n"
                "  request-retries: 0\n"
                "plugins: { paths: [no-plugins] }\n"
                "state:\n"
                "  path: %s\n"
                "  audit-log: %s\n"
                % (self.receiver.url, self.dir / "state.db", self.dir / "telemetry-sent.jsonl")
            )
        path.write_text(text)
        return path

    def create(self, path):
        host = ctypes.c_void_p()
        status = LIB.telemetry_host_create(str(path).encode(), ctypes.byref(host))
        self.assertEqual(status, OK, last_error())
        self.assertTrue(host.value)
        self.hosts.append(host)
        return host

    def destroy(self, host):
        self.hosts.remove(host)
        LIB.telemetry_host_destroy(host)

    def report(self, host):
        text = ctypes.c_void_p()
        self.assertEqual(LIB.telemetry_report_json(host, ctypes.byref(text)), OK, last_error())
        try:
            return json.loads(ctypes.string_at(text.value).decode())
        finally:
            LIB.telemetry_free_string(text)

    def is_enabled(self, host):
        enabled = ctypes.c_int(-1)
        self.assertEqual(LIB.telemetry_is_enabled(host, ctypes.byref(enabled)), OK, last_error())
        return enabled.value

    def opt_in(self, host):
        decision = ctypes.c_int(7)
        self.assertEqual(LIB.telemetry_opt_in(host, ctypes.byref(decision)), OK, last_error())
        return decision.value

    def test_version_and_null_handles(self):
        self.assertEqual(LIB.telemetry_api_version(), 2)
        LIB.telemetry_host_destroy(None)  # safe
        LIB.telemetry_free_string(None)
        self.assertEqual(LIB.telemetry_host_start(None), INVALID_ARGUMENT)
        self.assertIn("host", last_error())
        self.assertEqual(LIB.telemetry_count_command(None, b"Cmd", 1), INVALID_ARGUMENT)
        self.assertEqual(LIB.telemetry_host_create(b"x", None), INVALID_ARGUMENT)

    def test_counts_from_threads_reach_the_report_and_the_final_report(self):
        host = self.create(self.write_config())
        self.assertEqual(LIB.telemetry_host_start(host), OK, last_error())
        self.assertEqual(self.is_enabled(host), 1)

        threads_count, rounds = 8, 500
        errors = []

        def count(index):
            for i in range(rounds):
                statuses = (
                    LIB.telemetry_count_command(host, b"PyStartProcessCmd", 1),
                    LIB.telemetry_count_command(host, b"PyThreadCmd-%d" % index, 2),
                    LIB.telemetry_count_metric(host, b"activity-instance-start", 3),
                    LIB.telemetry_worker_seen(host, b"worker-%d" % (i % 5)),
                )
                if any(status != OK for status in statuses):
                    errors.append((statuses, last_error()))

        threads = [threading.Thread(target=count, args=(t,)) for t in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])

        report = self.report(host)
        self.assertEqual(command_count(report, "PyStartProcessCmd"), threads_count * rounds)
        for t in range(threads_count):
            self.assertEqual(command_count(report, "PyThreadCmd-%d" % t), 2 * rounds)
        self.assertEqual(metric_count(report, "activity-instance-start"), 3 * threads_count * rounds)
        self.assertEqual(metric_count(report, "unique-task-workers"), 5)

        LIB.telemetry_count_command(host, b"PyAfterReportCmd", 7)
        self.assertEqual(LIB.telemetry_host_stop(host), OK, last_error())
        self.assertEqual(LIB.telemetry_host_stop(host), OK, "stop twice is safe")

        def final_report_arrived(reports):
            return any(command_count(r, "PyAfterReportCmd") == 7 for r in reports)

        self.assertTrue(self.receiver.wait_for(final_report_arrived), self.receiver.reports())
        full = [r for r in self.receiver.reports() if "commands" in internals(r)]
        self.assertEqual(sum(command_count(r, "PyStartProcessCmd") for r in full),
                         threads_count * rounds, "each count is sent exactly once")
        self.destroy(host)

    def test_toggle_off_persists_and_drops_counts(self):
        config = self.write_config()
        host = self.create(config)
        self.assertEqual(LIB.telemetry_toggle(host, 0), OK, last_error())
        self.assertEqual(self.is_enabled(host), 0)
        self.assertEqual(LIB.telemetry_count_command(host, b"WhileDisabledCmd", 5), OK)
        self.assertEqual(command_count(self.report(host), "WhileDisabledCmd"), 0)
        self.destroy(host)

        again = self.create(config)
        self.assertEqual(self.is_enabled(again), 0, "the switch is kept in the state store")
        self.assertEqual(LIB.telemetry_toggle(again, 1), OK, last_error())
        self.assertEqual(self.is_enabled(again), 1)
        self.destroy(again)

    def test_opt_in_is_unset_until_someone_decides(self):
        config = self.write_config(self.write_config().read_text().replace("  initialize: true\n", ""))
        host = self.create(config)
        self.assertEqual(self.opt_in(host), -1, "no initialize and no toggle: not decided")
        self.assertEqual(self.is_enabled(host), 0, "undecided sends no more than disabled")
        self.assertEqual(LIB.telemetry_toggle(host, 0), OK, last_error())
        self.assertEqual(self.opt_in(host), 0, "an explicit disable is a decision")
        self.destroy(host)

        again = self.create(config)
        self.assertEqual(self.opt_in(again), 0, "the decision is kept in the state store")
        self.assertEqual(LIB.telemetry_toggle(again, 1), OK, last_error())
        self.assertEqual(self.opt_in(again), 1)
        self.assertEqual(LIB.telemetry_opt_in(again, None), INVALID_ARGUMENT)
        self.destroy(again)

    def test_unknown_metric_and_bad_worker_are_invalid_arguments(self):
        host = self.create(self.write_config())
        self.assertEqual(LIB.telemetry_count_metric(host, b"no-such-metric", 1), INVALID_ARGUMENT)
        self.assertIn("no-such-metric", last_error())
        self.assertEqual(LIB.telemetry_worker_seen(host, b""), INVALID_ARGUMENT)
        self.assertIn("worker", last_error())
        self.assertEqual(LIB.telemetry_count_metric(host, b"root-process-instance-start", 1), OK)

    def test_last_error_is_per_thread(self):
        host = self.create(self.write_config())
        LIB.telemetry_count_metric(host, b"no-such-metric", 1)
        seen = []
        thread = threading.Thread(target=lambda: seen.append(last_error()))
        thread.start()
        thread.join()
        self.assertEqual(seen, [""])
        self.assertIn("no-such-metric", last_error())

    def test_missing_config_file_is_a_config_error_naming_it(self):
        missing = self.dir / "missing.yaml"
        host = ctypes.c_void_p(1234)
        status = LIB.telemetry_host_create(str(missing).encode(), ctypes.byref(host))
        self.assertEqual(status, CONFIG_ERROR)
        self.assertIsNone(host.value)
        self.assertIn(str(missing), last_error())

    def test_invalid_config_is_a_config_error_naming_the_file(self):
        path = self.write_config("telemetry:\n  reporting-period: 0s\n  no-such-key: 1\n")
        host = ctypes.c_void_p()
        self.assertEqual(LIB.telemetry_host_create(str(path).encode(), ctypes.byref(host)),
                         CONFIG_ERROR)
        self.assertIsNone(host.value)
        self.assertIn(str(path), last_error())

    def test_plain_http_to_another_host_is_a_config_error(self):
        path = self.write_config("telemetry:\n  endpoint: http://example.com/pings\n")
        host = ctypes.c_void_p()
        self.assertEqual(LIB.telemetry_host_create(str(path).encode(), ctypes.byref(host)),
                         CONFIG_ERROR)
        self.assertIn("loopback", last_error())


# Runs in a fresh interpreter: loads the library at argv[1], prints the report for argv[2].
REPORT_IN_A_PRODUCT = r"""
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.telemetry_host_create.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.telemetry_report_json.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
lib.telemetry_host_destroy.argtypes = [ctypes.c_void_p]
lib.telemetry_last_error.restype = ctypes.c_char_p
host, text = ctypes.c_void_p(), ctypes.c_void_p()
if lib.telemetry_host_create(sys.argv[2].encode(), ctypes.byref(host)) != 0:
    sys.exit(lib.telemetry_last_error().decode())
if lib.telemetry_report_json(host, ctypes.byref(text)) != 0:
    sys.exit(lib.telemetry_last_error().decode())
print(ctypes.string_at(text.value).decode())
lib.telemetry_host_destroy(host)
"""


class ProbeHelperTest(unittest.TestCase):
    """A product in another language runs the probes in telemetry-probe children too: the
    helper is found beside the library (not beside python3), or named by plugins.probe-helper."""

    def setUp(self):
        self.temp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.temp.name)

    def tearDown(self):
        self.temp.cleanup()

    def report(self, library, extra_plugins_yaml=""):
        config = self.dir / "telemetry.yaml"
        config.write_text(
            "plugins:\n"
            "  paths: [%s]\n"
            "  enabled: [mock-good]\n"
            "%s"
            "state: { path: %s }\n"
            % (os.environ["TELEMETRY_MOCK_PLUGIN_DIR"], extra_plugins_yaml, self.dir / "state.db"))
        env = dict(os.environ)
        env.pop("TELEMETRY_PROBE_HELPER", None)  # what a product's environment holds
        run = subprocess.run([sys.executable, "-c", REPORT_IN_A_PRODUCT, str(library), str(config)],
                             env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        return internals(json.loads(run.stdout)), run.stderr

    def test_the_helper_beside_the_library_runs_the_probes(self):
        sections, log = self.report(os.environ["TELEMETRY_C_LIBRARY"])
        self.assertEqual(sections.get("database", {}).get("vendor"), "mock", log)

    def test_plugins_probe_helper_names_it_for_a_library_moved_elsewhere(self):
        moved = self.dir / "lib" / "libtelemetry-c.so"
        moved.parent.mkdir()
        shutil.copy(os.environ["TELEMETRY_C_LIBRARY"], moved)
        sections, log = self.report(moved)
        self.assertNotIn("database", sections, "no helper beside the moved library")
        self.assertIn("cannot start", log)
        sections, log = self.report(
            moved, "  probe-helper: %s\n" % os.environ["TELEMETRY_TEST_PROBE_HELPER"])
        self.assertEqual(sections.get("database", {}).get("vendor"), "mock", log)


if __name__ == "__main__":
    unittest.main()

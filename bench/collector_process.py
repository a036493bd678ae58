"""Starting a telemetry-collector for a benchmark: shared by the collector and dashboard benches."""
import os
import re
import subprocess
import time


def start(executable, directory, seconds, env=None):
    """Starts the collector on DIRECTORY/collector.yaml, its stderr in DIRECTORY/collector.log,
    and waits up to SECONDS for its "listening on" line; returns the process and its port.
    Raises RuntimeError when it exits first or does not listen in time (then it is killed)."""
    log_path = os.path.join(directory, "collector.log")
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen([executable, "--config",
                                    os.path.join(directory, "collector.yaml")], stderr=log,
                                   env=env)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            match = re.search(r"listening on [^ ]*:(\d+)", log.read())
        if match:
            return process, int(match.group(1))
        if process.poll() is not None:
            raise RuntimeError("telemetry-collector exited with %d; see %s" %
                               (process.returncode, log_path))
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("telemetry-collector did not listen within %d s; see %s" %
                       (seconds, log_path))

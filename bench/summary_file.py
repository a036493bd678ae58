"""The summary JSON a suite writes (build/bench/SUITE.json): several suites may share one
file, so each reads what is there and replaces only its own keys."""

import json
import os
import sys


def load(path):
    """The summary in `path`; empty when there is none yet."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def save(path, summary):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        json.dump(summary, file, indent=2, sort_keys=True)
        file.write("\n")
    print("\nwritten to %s" % path)


def run(main, usage):
    """Calls main(BENCHMARK_JSON, SUMMARY_JSON) with the command line's two arguments."""
    if len(sys.argv) != 3:
        sys.exit(usage)
    main(sys.argv[1], sys.argv[2])

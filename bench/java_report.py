"""Turns the Java binding's HandleBench output into the ratios of docs/performance.md, prints
them and writes them to a JSON file (build/bench/java.json).

usage: java_report.py HANDLEBENCH_JSON SUMMARY_JSON"""

import json
import os

import summary_file

THREADS = (1, 4)
# (key, numerator, denominator, threads, goal as (comparison, bound) or None)
RATIOS = [
    ("java_handle_vs_longadder_1t", "handle", "longadder", 1, ("<=", 2.0)),
    ("java_handle_vs_longadder_4t", "handle", "longadder", 4, None),
    ("jna_per_call_vs_handle_1t", "jna_per_call", "handle", 1, None),
    ("jna_per_call_vs_handle_4t", "jna_per_call", "handle", 4, None),
]


def main(source, target):
    with open(source, encoding="utf-8") as file:
        measured = json.load(file)
    times = measured["ns_per_op"]
    summary = summary_file.load(target)

    print("\nns per operation, wall clock over all threads (1 / throughput; median of %d)"
          % measured["repetitions"])
    print("%-16s" % "threads" + "".join("%10d" % t for t in THREADS))
    for name in ("longadder", "handle", "jna_per_call"):
        print("%-16s" % name + "".join("%10.2f" % times["%s_%dt" % (name, t)] for t in THREADS))
    summary["ns_per_op"] = {key: round(value, 3) for key, value in times.items()}

    print("\nratios")
    goals = {}
    for key, numerator, denominator, threads, goal in RATIOS:
        value = times["%s_%dt" % (numerator, threads)] / times["%s_%dt" % (denominator, threads)]
        summary[key] = round(value, 3)
        verdict = ""
        if goal:
            comparison, bound = goal
            goals[key] = value <= bound if comparison == "<=" else value >= bound
            verdict = "  goal %s %g: %s" % (comparison, bound, "met" if goals[key] else "MISSED")
        print("%-28s %8.2f%s" % (key, value, verdict))
    summary["goals_met"] = goals
    summary["java"] = measured["java"]
    summary["machine"] = {"cpus": os.cpu_count(), "load_avg": round(os.getloadavg()[0], 2)}
    summary_file.save(target, summary)


if __name__ == "__main__":
    summary_file.run(main, __doc__)

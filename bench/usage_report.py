"""Turns the bench-usage results into the ratios of docs/performance.md, prints them and
writes them to a JSON file (keys already in the file, such as idle_rss_mb, are kept).

usage: usage_report.py BENCHMARK_JSON SUMMARY_JSON"""

import summary_file
from benchmark_results import BenchmarkResults

THREADS = (1, 2, 4, 8)
TIMED = ("raw_atomic", "counter_increment", "command", "metric", "mutex_map")
# (key, numerator, denominator, threads, goal as (comparison, bound) or None)
RATIOS = [
    ("increment_vs_atomic_1t", "counter_increment", "raw_atomic", 1, ("<=", 2.0)),
    ("command_vs_atomic_1t", "command", "raw_atomic", 1, None),
    ("metric_vs_atomic_1t", "metric", "raw_atomic", 1, None),
    ("mutex_map_vs_increment_1t", "mutex_map", "counter_increment", 1, None),
    ("mutex_map_vs_increment_2t", "mutex_map", "counter_increment", 2, None),
    ("mutex_map_vs_increment_4t", "mutex_map", "counter_increment", 4, (">=", 10.0)),
    ("mutex_map_vs_increment_8t", "mutex_map", "counter_increment", 8, (">=", 10.0)),
    ("mutex_map_vs_command_4t", "mutex_map", "command", 4, (">=", 10.0)),
    ("mutex_map_vs_command_8t", "mutex_map", "command", 8, (">=", 10.0)),
]
MEMORY = [
    ("command_names_1000", "usage/memory/command_names/registry"),
    ("command_names_1000_mutex_map", "usage/memory/command_names/mutex_map"),
    ("workers_1000000", "usage/memory/workers/registry"),
    ("workers_1000000_unordered_set", "usage/memory/workers/unordered_set"),
]


def met(value, goal):
    comparison, bound = goal
    return value <= bound if comparison == "<=" else value >= bound


def main(source, target):
    results = BenchmarkResults(source)
    summary = summary_file.load(target)

    print("\nns per operation, wall clock over all threads (1 / throughput; median)")
    print("%-20s" % "threads" + "".join("%10d" % t for t in THREADS))
    times = {}
    for name in TIMED:
        row = []
        for threads in THREADS:
            if results.has("usage/" + name, threads):
                times[(name, threads)] = results.nanoseconds("usage/" + name, threads)
                row.append("%10.2f" % times[(name, threads)])
            else:
                row.append("%10s" % "-")
        print("%-20s" % name + "".join(row))
    summary["ns_per_op"] = {"%s_%dt" % key: round(value, 3) for key, value in times.items()}

    print("\nratios")
    goals = {}
    for key, numerator, denominator, threads, goal in RATIOS:
        if (numerator, threads) not in times or (denominator, threads) not in times:
            continue
        value = times[(numerator, threads)] / times[(denominator, threads)]
        summary[key] = round(value, 3)
        verdict = ""
        if goal:
            goals[key] = met(value, goal)
            verdict = "  goal %s %g: %s" % (goal[0], goal[1], "met" if goals[key] else "MISSED")
        print("%-28s %8.2f%s" % (key, value, verdict))
    summary.setdefault("goals_met", {}).update(goals)  # the idle suite keeps its goals here

    print("\nmemory")
    for key, name in MEMORY:
        if not results.has(name):
            continue
        entry = results.entry(name)
        summary[key + "_bytes"] = int(entry["bytes"])
        line = "%-32s %12d bytes  %8.1f per item" % (key, entry["bytes"], entry["bytes_per_item"])
        if "delta_bytes" in entry:
            summary[key + "_drained_bytes"] = int(entry["delta_bytes"])
            line += "  (%d bytes once drained)" % entry["delta_bytes"]
        print(line)

    summary["machine"] = results.machine()
    summary_file.save(target, summary)


if __name__ == "__main__":
    summary_file.run(main, __doc__)

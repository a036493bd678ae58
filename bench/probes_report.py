"""Turns the bench-probes results into the figures of docs/performance.md, prints them and
writes them to a JSON file.

usage: probes_report.py BENCHMARK_JSON SUMMARY_JSON"""

import sys

import summary_file
from benchmark_results import BenchmarkResults

_MILLISECONDS = 1e6


def main(source, target):
    results = BenchmarkResults(source)
    summary = summary_file.load(target)
    ms = {name: results.nanoseconds("probes/" + name) / _MILLISECONDS
          for name in ("process/sleep_200ms/1", "process/sleep_200ms/8", "process/noop",
                       "in_process/noop")}
    print("\nms per collection (median)")
    for name, value in ms.items():
        print("%-28s %8.2f" % (name, value))

    summary["ms_per_collection"] = {name.replace("/", "_"): round(v, 3) for name, v in ms.items()}
    parallel = ms["process/sleep_200ms/8"] / ms["process/sleep_200ms/1"]
    overhead = ms["process/noop"] - ms["in_process/noop"]
    summary["parallel_8x200ms_vs_one"] = round(parallel, 3)
    summary["process_overhead_ms"] = round(overhead, 3)
    summary["goals_met"] = {"parallel_8x200ms_vs_one": parallel < 2.0,
                            "process_overhead_ms": overhead < 5.0}
    print("\n%-28s %8.2f  goal < 2: %s" % ("parallel_8x200ms_vs_one", parallel,
                                            "met" if parallel < 2.0 else "MISSED"))
    print("%-28s %8.2f  goal < 5: %s" % ("process_overhead_ms", overhead,
                                          "met" if overhead < 5.0 else "MISSED"))
    context = results.context
    summary["machine"] = {"cpus": context.get("num_cpus"), "load_avg": context.get("load_avg"),
                          "date": context.get("date")}
    summary_file.save(target, summary)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

"""Turns the bench-probes results into the figures of docs/performance.md, prints them and
writes them to a JSON file.

usage: probes_report.py BENCHMARK_JSON SUMMARY_JSON"""

import summary_file
from benchmark_results import BenchmarkResults

_MILLISECONDS = 1e6
_NANOSECONDS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def main(source, target):
    results = BenchmarkResults(source)
    summary = summary_file.load(target)
    ms = {name: results.nanoseconds("probes/" + name) / _MILLISECONDS
          for name in ("process/sleep_200ms/1", "process/sleep_200ms/8", "process/noop",
                       "process/noop_unconfined", "in_process/noop", "catalog/cold",
                       "catalog/warm")}
    print("\nms per collection (median)")
    for name, value in ms.items():
        print("%-28s %8.2f" % (name, value))

    summary["ms_per_collection"] = {name.replace("/", "_"): round(v, 3) for name, v in ms.items()}
    parallel = ms["process/sleep_200ms/8"] / ms["process/sleep_200ms/1"]
    overhead = ms["process/noop"] - ms["in_process/noop"]
    # What the sandbox (Landlock, seccomp, subreaper) adds to one child.
    confinement = ms["process/noop"] - ms["process/noop_unconfined"]
    # CPU of host and child per probe: about what the wall clock shows on an idle machine.
    noop = results.entry("probes/process/noop")
    host_cpu = noop["cpu_time"] * _NANOSECONDS_PER_UNIT[noop["time_unit"]] / _MILLISECONDS
    cpu = host_cpu + results.counter("probes/process/noop", "child_cpu_ms")
    summary["process_cpu_ms"] = round(cpu, 3)
    summary["parallel_8x200ms_vs_one"] = round(parallel, 3)
    summary["process_overhead_ms"] = round(overhead, 3)
    # `telemetry plugins` with ten plugins: every descriptor read by a child, or all cached.
    summary["catalog_cold_ms"] = round(ms["catalog/cold"], 3)
    summary["catalog_warm_ms"] = round(ms["catalog/warm"], 3)
    summary["confinement_ms"] = round(confinement, 3)
    # The same in the child's CPU time, which a busy machine's wall clock blurs.
    confinement_cpu = (results.counter("probes/process/noop", "child_cpu_ms") -
                       results.counter("probes/process/noop_unconfined", "child_cpu_ms"))
    summary["confinement_cpu_ms"] = round(confinement_cpu, 3)
    summary["goals_met"] = {"parallel_8x200ms_vs_one": parallel < 2.0,
                            "process_overhead_ms": overhead < 5.0}
    print("\n%-28s %8.2f  goal < 2: %s" % ("parallel_8x200ms_vs_one", parallel,
                                            "met" if parallel < 2.0 else "MISSED"))
    print("%-28s %8.2f  goal < 5: %s" % ("process_overhead_ms", overhead,
                                          "met" if overhead < 5.0 else "MISSED"))
    print("%-28s %8.2f  (the sandbox's share of process_overhead_ms)" % ("confinement_ms",
                                                                         confinement))
    print("%-28s %8.2f  (host + child CPU per no-op probe)" % ("process_cpu_ms", cpu))
    print("%-28s %8.2f  (telemetry plugins, ten plugins, no cache)" % ("catalog_cold_ms",
                                                                      ms["catalog/cold"]))
    print("%-28s %8.2f  (the same, every descriptor cached)" % ("catalog_warm_ms",
                                                               ms["catalog/warm"]))
    print("%-28s %8.2f  (the sandbox's share of the child's CPU)" % ("confinement_cpu_ms",
                                                                     confinement_cpu))
    summary["machine"] = results.machine()
    summary_file.save(target, summary)


if __name__ == "__main__":
    summary_file.run(main, __doc__)

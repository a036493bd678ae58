"""Turns the bench-timing results into the ratios of docs/performance.md, prints them and
writes them to a JSON file.

usage: timing_report.py BENCHMARK_JSON SUMMARY_JSON"""

import summary_file
from benchmark_results import BenchmarkResults

_MILLISECONDS = 1e6
# (key, candidate, baseline, lowest, highest): the goal is lowest <= ratio <= highest.
RATIOS = [
    ("login_unknown_vs_known_name", "login/unknown_name", "login/known_name_wrong_password",
     0.8, 1.25),
    ("statsd_stop_vs_poll_interval", "statsd/stop", "statsd/poll_interval", 0.0, 2.0),
    ("probe_hang_given_up_vs_answer_at_deadline", "probe/hangs", "probe/answers_at_the_deadline",
     0.0, 2.0),
]


def main(source, target):
    results = BenchmarkResults(source)
    summary = summary_file.load(target)
    ms = {}
    print("\nms per operation (median)")
    for _, *names, _, _ in RATIOS:
        for name in names:
            ms[name] = results.nanoseconds("timing/" + name) / _MILLISECONDS
            print("%-36s %8.2f" % (name, ms[name]))
    summary["ms"] = {name.replace("/", "_"): round(value, 3) for name, value in ms.items()}

    print("\nratios")
    goals = {}
    for key, candidate, baseline, lowest, highest in RATIOS:
        value = ms[candidate] / ms[baseline]
        summary[key] = round(value, 3)
        goals[key] = lowest <= value <= highest
        print("%-44s %6.2f  goal %g..%g: %s" % (key, value, lowest, highest,
                                                 "met" if goals[key] else "MISSED"))
    summary["goals_met"] = goals
    summary["machine"] = results.machine()
    summary_file.save(target, summary)


if __name__ == "__main__":
    summary_file.run(main, __doc__)

"""Turns the bench-collector-report results into the figures of docs/performance.md: the
collector's CPU per report with RapidJSON (parse, validate, payload and digest) against
parsing the same report into Poco's JSON DOM, measured in the same run. Prints them and
writes them to a JSON file.

usage: collector_report.py BENCHMARK_JSON SUMMARY_JSON"""

import summary_file
from benchmark_results import BenchmarkResults

# (summary key, benchmark)
TIMES = [
    ("ns_per_report_poco_parse", "collector_report/poco_parse"),
    ("ns_per_report_rapidjson_parse", "collector_report/rapidjson_parse"),
    ("ns_per_report_rapidjson_pipeline", "collector_report/rapidjson_pipeline"),
]
# (key, numerator, denominator)
RATIOS = [
    ("rapidjson_pipeline_vs_poco_parse", "ns_per_report_rapidjson_pipeline",
     "ns_per_report_poco_parse"),
    ("rapidjson_parse_vs_poco_parse", "ns_per_report_rapidjson_parse",
     "ns_per_report_poco_parse"),
]


def main(source, target):
    results = BenchmarkResults(source)
    summary = summary_file.load(target)

    print("\nns per report (spec example, 1.6 KB; median)")
    for key, name in TIMES:
        if results.has(name):
            summary[key] = round(results.nanoseconds(name), 1)
            print("%-36s %10.1f" % (key, summary[key]))

    print("\nratios (new / old)")
    for key, numerator, denominator in RATIOS:
        if numerator in summary and denominator in summary:
            summary[key] = round(summary[numerator] / summary[denominator], 3)
            print("%-36s %10.3f" % (key, summary[key]))

    summary["machine"] = results.machine()
    summary_file.save(target, summary)


if __name__ == "__main__":
    summary_file.run(main, __doc__)

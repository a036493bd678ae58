"""Reads a Google Benchmark JSON file (--benchmark_out) into one result per benchmark run:
the median of its repetitions when there were several, else the single run."""

import json

_NANOSECONDS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class BenchmarkResults:
    def __init__(self, path):
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        self.context = document.get("context", {})
        self._runs = {}
        for entry in document.get("benchmarks", []):
            name = entry["run_name"].split("/real_time")[0].split("/manual_time")[0]
            key = (name.split("/iterations:")[0],
                   entry.get("threads", 1))
            if entry.get("run_type") == "aggregate":
                if entry.get("aggregate_name") == "median":
                    self._runs[key] = entry
            elif entry.get("repetitions", 1) <= 1:
                self._runs.setdefault(key, entry)

    def entry(self, name, threads=1):
        """The result of `name` on `threads` threads; KeyError when it did not run."""
        return self._runs[(name, threads)]

    def nanoseconds(self, name, threads=1):
        """Real time per operation and thread, in nanoseconds."""
        entry = self.entry(name, threads)
        return entry["real_time"] * _NANOSECONDS[entry["time_unit"]]

    def counter(self, name, counter, threads=1):
        return self.entry(name, threads)[counter]

    def has(self, name, threads=1):
        return (name, threads) in self._runs

    def machine(self):
        """What the summaries record of the machine the benchmark ran on."""
        context = self.context
        return {"cpus": context.get("num_cpus"), "mhz_per_cpu": context.get("mhz_per_cpu"),
                "load_avg": context.get("load_avg"), "date": context.get("date")}

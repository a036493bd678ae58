"""Summarises one ctest pass from its JUnit file (ctest --output-junit), for scripts/test.

Usage: ctest_summary.py PASS JUNIT_FILE [line|skipped]
  line     prints '== summary: PASS: N tests, F failed, S skipped' (the default)
  skipped  prints each skipped test and why, one per line
ctest counts a skip as passed; this counts it apart, so a green pass that skipped tests
cannot be read as a full one. A test not run because its fixture failed counts as failed,
as ctest counts it. A missing or unreadable file means the pass ran no tests.
"""

import re
import sys
import xml.etree.ElementTree as ElementTree

# What ctest writes into <skipped message=...> for a test that skipped itself.
SKIP_MESSAGES = ("SKIP_RETURN_CODE=", "SKIP_REGULAR_EXPRESSION_MATCHED")


def skip_reason(case, message):
    """The test's own words if it printed any (GoogleTest: the line after 'Skipped')."""
    output = (case.findtext("system-out") or "").splitlines()
    for i, line in enumerate(output):
        if line.rstrip().endswith(": Skipped") and i + 1 < len(output):
            return output[i + 1].strip()
        said = re.search(r"\b(?:skipped|SKIPPED): (.+)", line)  # shell and node tests
        if said:
            return said.group(1).strip()
    return message


def outcomes(path):
    """(name, outcome, reason) per test: outcome is 'passed', 'failed' or 'skipped'."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return []
    cases = []
    for case in root.iter("testcase"):
        name = case.get("name", "?")
        status = case.get("status", "run")
        skipped = case.find("skipped")
        message = skipped.get("message", "") if skipped is not None else ""
        if status == "fail" or case.find("failure") is not None:
            cases.append((name, "failed", ""))
        elif status == "disabled" or message.startswith(SKIP_MESSAGES):
            cases.append((name, "skipped", skip_reason(case, message)))
        elif status == "notrun":
            cases.append((name, "failed", message))  # e.g. "Fixture dependency failed"
        else:
            cases.append((name, "passed", ""))
    return cases


def main():
    name, path = sys.argv[1], sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else "line"
    cases = outcomes(path)
    if mode == "skipped":
        for test, outcome, reason in cases:
            if outcome == "skipped":
                print(f"   {name}: {test}" + (f": {reason}" if reason else ""))
        return
    failed = sum(1 for case in cases if case[1] == "failed")
    skipped = sum(1 for case in cases if case[1] == "skipped")
    print(f"== summary: {name}: {len(cases)} tests, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Checks JSON lines on stdin strictly, independently of the host's own code: each line is
UTF-8 (no lone surrogates either), one JSON value, and no key or string holds NUL. Prints
"N valid", or the first bad line and why (exit 1)."""
import json
import sys


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)


count = 0
for number, raw in enumerate(sys.stdin.buffer.read().split(b"\n"), 1):
    if not raw:
        continue
    try:
        value = json.loads(raw.decode("utf-8", errors="strict"))
        for text in strings(value):
            text.encode("utf-8", errors="strict")  # a lone surrogate (\ud800) fails here
            if "\0" in text:
                raise ValueError(f"NUL in {text!r}")
    except (UnicodeError, ValueError) as e:
        print(f"line {number}: {e}: {raw[:200]!r}")
        sys.exit(1)
    count += 1
print(f"{count} valid")

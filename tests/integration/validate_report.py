#!/usr/bin/python3
"""Validates a report (stdin) against config/report.schema.json; prints the first error."""
import json
import sys

import jsonschema

schema_file = sys.argv[1]
with open(schema_file) as f:
    schema = json.load(f)
try:
    report = json.load(sys.stdin)
except json.JSONDecodeError as e:
    print(f"not JSON: {e}")
    sys.exit(1)
kind = sys.argv[2] if len(sys.argv) > 2 else None
if kind:
    schema = dict(schema, **{"oneOf": [{"$ref": f"#/definitions/{kind}Report"}]})
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(report), key=lambda e: e.path)
if errors:
    for e in errors:
        print(f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
    sys.exit(1)
print("valid")

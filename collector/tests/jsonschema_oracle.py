#!/usr/bin/python3
"""An independent JSON Schema (draft-07) verdict for the collector's validator tests.

Reads JSON lines from stdin, each {"schema": SCHEMA-TEXT or null, "document": JSON-TEXT};
a null schema is the report schema named by argv[1]. Prints one line per input: "valid",
"invalid" or "error: ..." (the schema or document could not be checked, e.g. a $ref cycle).
Documents are given as text so that numbers keep their spelling (9223372036854775808, 1e2).
"""
import json
import sys

import jsonschema

with open(sys.argv[1], encoding="utf-8") as f:
    report_schema = json.load(f)
report_validator = jsonschema.Draft7Validator(report_schema)

for line in sys.stdin:
    case = json.loads(line)
    try:
        validator = (report_validator if case["schema"] is None
                     else jsonschema.Draft7Validator(json.loads(case["schema"])))
        document = json.loads(case["document"])
        print("valid" if validator.is_valid(document) else "invalid")
    except (RecursionError, ValueError, jsonschema.exceptions.SchemaError) as e:
        print("error: " + type(e).__name__)

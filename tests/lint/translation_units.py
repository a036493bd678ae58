"""Which compiler runs of BUILD_DIR/compile_commands.json cover the given source files.

Reads source paths (absolute, one a line) on stdin; prints each run's file once: the source
itself, or the unity file (CMake unity build) that includes it. Sources the build does not
compile are left out; exits 1 when that leaves nothing, so that a change of build layout cannot
make the naming check pass on nothing.
Usage: translation_units.py COMPILE_COMMANDS.json < sources
"""
import json
import re
import sys

INCLUDE = re.compile(r'^#include\s+"([^"]+)"', re.MULTILINE)


def main() -> int:
    wanted = [line.strip() for line in sys.stdin if line.strip()]
    runs = {}  # a compiled source -> the file the compiler is given for it
    with open(sys.argv[1], encoding="utf-8") as commands:
        for entry in json.load(commands):
            compiled = entry["file"]
            if "/Unity/unity_" in compiled:
                with open(compiled, encoding="utf-8") as unity:
                    for source in INCLUDE.findall(unity.read()):
                        runs[source] = compiled
            else:
                runs[compiled] = compiled
    chosen = dict.fromkeys(runs[source] for source in wanted if source in runs)
    if not chosen:
        print(f"none of {len(wanted)} sources is compiled by {sys.argv[1]}", file=sys.stderr)
        return 1
    print("\n".join(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())

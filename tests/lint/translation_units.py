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
    runs_of = {}  # a compiled source -> the files the compiler is given for it
    sources_of = {}  # such a file -> the sources it compiles
    with open(sys.argv[1], encoding="utf-8") as commands:
        for entry in json.load(commands):
            compiled = entry["file"]
            if "/Unity/unity_" in compiled:
                with open(compiled, encoding="utf-8") as unity:
                    sources = INCLUDE.findall(unity.read())
            else:
                sources = [compiled]
            sources_of[compiled] = sources
            for source in sources:
                runs_of.setdefault(source, []).append(compiled)
    # A source compiled in several targets (a plugin's, and its test's) is checked through
    # the run with the fewest sources outside the wanted ones: a test batch would drag in
    # test code that the production scope leaves out.
    in_scope = set(wanted)
    chosen = dict.fromkeys(
        min(runs_of[source],
            key=lambda run: sum(other not in in_scope for other in sources_of[run]))
        for source in wanted if source in runs_of)
    if not chosen:
        print(f"none of {len(wanted)} sources is compiled by {sys.argv[1]}", file=sys.stderr)
        return 1
    print("\n".join(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())

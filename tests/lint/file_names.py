"""Checks the layout of the tracked files: snake_case source file names, small folders.

Usage: file_names.py [ROOT]   (ROOT: the git checkout, default the current directory)
Prints one line per problem ('path: what is wrong') and exits 1 if there is any.
- Every source file (the extensions in SOURCE_EXTENSIONS) under the code folders is named in
  snake_case: lowercase letters, digits and '_', then its extensions (version.hpp.in).
- No production folder holds more than MAX_FILES_PER_FOLDER files directly (files in its
  subfolders don't count). Test code and test data are exempt (EXEMPT_FOLDER_PARTS):
  a test folder mirrors what it tests, and a seed corpus or fixture set grows with cases.
"""

import collections
import re
import subprocess
import sys

CODE_FOLDERS = ("host", "collector", "plugins", "plugin-api", "storage", "http", "settings",
                "tests", "bench", "fuzz", "examples", "bindings")
# A template's name ends in ".in" after its own extension (version.hpp.in). Java sources are
# not here: javac wants each file named after its public class (bindings/java).
SOURCE_EXTENSIONS = {"cpp", "hpp", "h", "c", "cc", "py", "sh", "js", "mjs", "lua", "cmake"}
SNAKE_CASE = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")

# Source files allowed another name, and why. Keep this the only list.
NAME_EXCEPTIONS = {
    # None today. Example: "tests/browser/playwright.config.js": "the name playwright looks for",
}

MAX_FILES_PER_FOLDER = 20
# A folder with one of these path components is test code or test data.
EXEMPT_FOLDER_PARTS = {"tests", "fixtures", "corpus"}


def tracked_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "--", *CODE_FOLDERS],
                         check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def is_source(path):
    name = path.rsplit("/", 1)[-1].removesuffix(".in")
    return "." in name and name.rsplit(".", 1)[1] in SOURCE_EXTENSIONS


def name_problems(paths):
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if is_source(path) and path not in NAME_EXCEPTIONS and not SNAKE_CASE.fullmatch(name):
            yield f"{path}: file name is not snake_case (lowercase, digits, '_')"


def folder_problems(paths):
    counts = collections.Counter(path.rsplit("/", 1)[0] for path in paths if "/" in path)
    for folder, count in sorted(counts.items()):
        if count > MAX_FILES_PER_FOLDER and not EXEMPT_FOLDER_PARTS & set(folder.split("/")):
            yield (f"{folder}/: holds {count} files, more than {MAX_FILES_PER_FOLDER}; "
                   "split it by area")


def main(argv):
    root = argv[1] if len(argv) > 1 else "."
    paths = tracked_files(root)
    problems = list(name_problems(paths)) + list(folder_problems(paths))
    for problem in problems:
        print(problem)
    if problems:
        print(f"lint.file_names: {len(problems)} problems (tests/lint/file_names.py says the rules)")
        return 1
    print(f"lint.file_names: {len(paths)} files, names and folder sizes fine")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

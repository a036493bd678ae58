"""The rules of file_names.py on made-up paths: each one catches what it guards."""

import unittest

import file_names


class FileNamesTest(unittest.TestCase):
    def test_camel_case_and_hyphenated_sources_are_caught(self):
        paths = ["collector/src/HttpServer.cpp", "host/src/report-builder.hpp",
                 "tests/unit/Foo_test.py", "host/include/telemetry/Version.hpp.in"]
        self.assertEqual(len(list(file_names.name_problems(paths))), 4)

    def test_snake_case_sources_templates_and_non_sources_pass(self):
        paths = ["host/src/api/admin_assets.cpp.in", "http/src/server_tls.cpp",
                 "plugins/jdk/CMakeLists.txt", "collector/tests/fixtures/spec-report.json",
                 "plugins/jdk/README.md", "tests/c_api/c_api_smoke.c",
                 "bindings/java/src/org/telemetry/NativeHost.java",
                 "bindings/java/src/org/telemetry/Installation.java.in"]
        self.assertEqual(list(file_names.name_problems(paths)), [])

    def test_a_production_folder_over_the_limit_is_caught(self):
        paths = [f"host/src/file_{i}.cpp" for i in range(file_names.MAX_FILES_PER_FOLDER + 1)]
        problems = list(file_names.folder_problems(paths))
        self.assertEqual(len(problems), 1)
        self.assertIn("host/src/", problems[0])

    def test_files_in_subfolders_do_not_count_and_the_limit_itself_passes(self):
        paths = [f"host/src/file_{i}.cpp" for i in range(file_names.MAX_FILES_PER_FOLDER)]
        paths += [f"host/src/api/file_{i}.cpp" for i in range(5)]
        self.assertEqual(list(file_names.folder_problems(paths)), [])

    def test_test_and_data_folders_are_exempt(self):
        for folder in ("collector/tests", "tests/unit/host", "fuzz/corpus/statsd_line",
                       "collector/tests/fixtures"):
            paths = [f"{folder}/case_{i}" for i in range(50)]
            self.assertEqual(list(file_names.folder_problems(paths)), [], folder)


if __name__ == "__main__":
    unittest.main()

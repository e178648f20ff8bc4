// SPDX-License-Identifier: MIT
// The result schema: what a kconform binary writes with --format=jsonl and
// what every host tool reads. One JSON object per line:
//   {"type":"run", "kconform", "arch", "sysname", "release", "version",
//    "machine", "isolation", "euid", "pid", "registered", "selected",
//    "timeout_ms", "timeout_scale", "profile", "filters", "scratch",
//    "env": {the environment probe: "euid", "egid", "initial_userns", "caps",
//            "other_uids", "other_gids", "setgroups", "rlimits": {"nofile": [cur,
//            max], ...; -1 unlimited}, "nice", "policy", "cpus", "tracer_pid",
//            "seccomp_filter", "std_fds"}, ...}   (objects are read flattened: "env.euid")
//   {"type":"start", "id"}                                  (with -v only)
//   {"type":"test", "id", "group", "category", "profile", "outcome",
//    "duration_us", "message", "file" (optional: the test's source file)}
//   {"type":"summary", "passed", "failed", "skipped", "timeouts", "crashes"}
//   {"type":"verdict", "profile", "conforms", "missing" (interfaces),
//    "failing" (count), "failing_tests" (the first few)}: after the summary
//    of a run of a PSE profile, one per profile up to it
// Runners may add {"type":"target", ...} lines with what the binary cannot
// know (target name, emulator version, wall time, exit status, and
// "truncated": true when the run died before its summary).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kcr {

enum class Outcome { Pass, Fail, Skip, Timeout, Crash };
std::optional<Outcome> parse_outcome(std::string_view s);
std::string_view outcome_name(Outcome o);

struct TestResult {
    std::string id;
    std::string group;
    std::string category;
    std::string profile;
    Outcome outcome = Outcome::Fail;
    long long duration_us = 0;
    std::string message;
    std::string file;  // e.g. tests/pipe/pipe2.cpp; empty when the line does not say
};

// A run's verdict for one profile (a run of --profile=PSE5x).
struct ProfileVerdict {
    std::string profile;
    bool conforms = false;
    std::vector<std::string> missing;  // required interfaces not implemented
    long long failing = 0;             // failing tests of the profile or below
    std::vector<std::string> failing_tests;
};

struct RunFile {
    std::map<std::string, std::string> run;     // the run line's scalar fields
    std::map<std::string, std::string> target;  // the runner's target line, if any
    std::vector<TestResult> tests;              // in file order
    bool has_summary = false;
    long long passed = 0, failed = 0, skipped = 0, timeouts = 0, crashes = 0;
    std::vector<ProfileVerdict> verdicts;  // in profile order; none for a LINUX run
};

// A malformed input: says which line and what is wrong.
struct ParseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A flat JSON object: scalar members as text (strings unescaped, numbers and
// literals as written); array members joined with '\n'. Nested objects are
// rejected. Throws ParseError.
std::map<std::string, std::string> parse_json_object(std::string_view line);

// Parses a whole JSONL result stream. Lines that are not JSON objects (kernel
// console noise around a run as init) are skipped when `lenient` is set, and
// are errors otherwise. Throws ParseError.
RunFile parse_run(std::string_view text, bool lenient = false);

}  // namespace kcr

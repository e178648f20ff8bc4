// SPDX-License-Identifier: MIT
// Options: selection, formats, usage errors, and the environment variable.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "process.hpp"
#include "results.hpp"

namespace {

std::vector<std::string> listed(const ProcessResult& p) {
    std::vector<std::string> ids;
    std::istringstream in(p.out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') ids.push_back(line.substr(0, line.find(' ')));
    return ids;
}

TEST(Cli, ListCountsRegisteredTests) {
    auto p = run_process({KC_SELFTEST, "--list"});
    EXPECT_EQ(p.exit_code, 0);
    EXPECT_EQ(listed(p).size(), 25u);
    EXPECT_NE(p.out.find("# 25 of 25 registered tests selected\n"), std::string::npos);
    EXPECT_NE(p.out.find("selftest.rows/v=2"), std::string::npos);
}

TEST(Cli, FilterGlobsAndExclusions) {
    auto rows = listed(run_process({KC_SELFTEST, "--list", "--filter=selftest.rows*"}));
    EXPECT_EQ(rows, (std::vector<std::string>{"selftest.rows/v=1", "selftest.rows/v=2",
                                              "selftest.rows/v=3"}));
    // A table test's base ID selects all its rows.
    EXPECT_EQ(listed(run_process({KC_SELFTEST, "--list", "--filter=selftest.rows"})).size(), 3u);
    auto some = listed(run_process(
        {KC_SELFTEST, "--list", "--filter=selftest.*", "--filter=-*hang*", "--filter=-*rows*"}));
    EXPECT_EQ(some.size(), 20u);
    for (auto& id : some) EXPECT_EQ(id.find("hang"), std::string::npos);
    auto two = listed(run_process(
        {KC_SELFTEST, "--list", "--filter=selftest.pass", "--filter=selftest.crash_s?gv"}));
    EXPECT_EQ(two, (std::vector<std::string>{"selftest.pass", "selftest.crash_segv"}));
    EXPECT_TRUE(listed(run_process({KC_SELFTEST, "--list", "--filter=nothing*"})).empty());
}

TEST(Cli, ProfileSelectsNestedProfiles) {
    auto pse51 = listed(run_process({KC_SELFTEST, "--list", "--profile=PSE51"}));
    EXPECT_EQ(pse51.size(), 22u);  // child_failure, exec_helper and leak_process are PSE53
    EXPECT_EQ(listed(run_process({KC_SELFTEST, "--list", "--profile=PSE53"})).size(), 25u);
}

// A run of a PSE profile ends with one verdict per profile up to it: a
// failing test of a profile fails it and every profile above; a missing
// interface (selftest.unimplemented: mq_open) fails the profiles requiring it.
TEST(Cli, ProfileRunEndsWithAVerdictPerProfile) {
    auto ok = run_process({KC_SELFTEST, "--profile=PSE53", "--filter=selftest.pass"});
    EXPECT_EQ(ok.exit_code, 0);
    EXPECT_NE(ok.out.find("SUMMARY: 1 passed, 0 failed, 0 skipped\n"
                          "PSE51: conforms\nPSE52: conforms\nPSE53: conforms\n"),
              std::string::npos)
        << ok.out;
    EXPECT_EQ(ok.out.find("PSE54"), std::string::npos);
    auto all = run_process({KC_SELFTEST, "--profile=PSE52", "--filter=selftest.pass",
                            "--filter=selftest.unimplemented", "--filter=selftest.fail_expect"});
    EXPECT_EQ(all.exit_code, 1);
    EXPECT_NE(all.out.find("mq_open: required by PSE52, not implemented (pretending mq_open "
                           "returned ENOSYS)"),
              std::string::npos)
        << all.out;
    EXPECT_NE(all.out.find("PSE51: does not conform: 0 required interfaces missing, 1 failing "
                           "(selftest.fail_expect)\n"
                           "PSE52: does not conform: 1 required interface missing (mq_open), 1 "
                           "failing (selftest.fail_expect)\n"),
              std::string::npos)
        << all.out;
    // PSE51 does not require message passing: the missing call skips.
    auto pse51 = run_process({KC_SELFTEST, "--profile=PSE51", "--filter=selftest.unimplemented"});
    EXPECT_EQ(pse51.exit_code, 0);
    EXPECT_NE(pse51.out.find("[SKIP]    selftest.unimplemented: pretending"), std::string::npos);
    EXPECT_NE(pse51.out.find("PSE51: conforms\n"), std::string::npos);
    // Without a PSE profile there is no verdict.
    auto plain = run_process({KC_SELFTEST, "--filter=selftest.pass"});
    EXPECT_EQ(plain.out.find("PSE51:"), std::string::npos);
    // JSONL: a record per profile.
    auto j = run_process(
        {KC_SELFTEST, "--profile=PSE52", "--format=jsonl", "--filter=selftest.unimplemented"});
    auto run = kcr::parse_run(j.out);
    ASSERT_EQ(run.verdicts.size(), 2u);
    EXPECT_EQ(run.verdicts[0].profile, "PSE51");
    EXPECT_TRUE(run.verdicts[0].conforms);
    EXPECT_EQ(run.verdicts[1].profile, "PSE52");
    EXPECT_FALSE(run.verdicts[1].conforms);
    EXPECT_EQ(run.verdicts[1].missing, std::vector<std::string>{"mq_open"});
    EXPECT_EQ(run.verdicts[1].failing, 0);
}

// Every test's profile agrees with the interface table (the build checks
// each one; this checks the table's own listing says so too).
TEST(Cli, NoTestDisagreesWithTheInterfaceTable) {
    auto p = run_process({KC_SUITE, "--interfaces"});
    EXPECT_EQ(p.exit_code, 0);
    EXPECT_NE(p.out.find(" interfaces; 0 tests disagree with the table\n"), std::string::npos)
        << p.out.substr(p.out.size() > 2000 ? p.out.size() - 2000 : 0);
    EXPECT_NE(p.out.find("mq_open"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwoWithAMessage) {
    struct Case {
        const char* arg;
        const char* says;
    } cases[] = {
        {"--bogus", "unknown option '--bogus'"},
        {"--timeout=0", "--timeout wants milliseconds"},
        {"--timeout=abc", "--timeout wants milliseconds"},
        {"--timeout=", "--timeout wants milliseconds"},
        {"--timeout-scale=0", "--timeout-scale wants a whole factor from 1 to 100"},
        {"--timeout-scale=101", "--timeout-scale wants a whole factor from 1 to 100"},
        {"--timeout-scale=1.5", "--timeout-scale wants a whole factor from 1 to 100"},
        {"--timeout-scale=", "--timeout-scale wants a whole factor from 1 to 100"},
        {"--timeout-scale=-2", "--timeout-scale wants a whole factor from 1 to 100"},
        {"--format=xml", "unknown format 'xml'"},
        {"--profile=PSE55", "unknown profile 'PSE55'"},
        {"--isolate=thread", "unknown isolation 'thread'"},
        {"--filter=", "--filter needs a pattern"},
        {"stray", "unknown option 'stray'"},
        {"--jobs=0", "--jobs wants a number from 1 to 64 or 'auto'"},
        {"--jobs=-1", "--jobs wants a number from 1 to 64 or 'auto'"},
        {"--jobs=65", "--jobs wants a number from 1 to 64 or 'auto'"},
        {"--jobs=two", "--jobs wants a number from 1 to 64 or 'auto'"},
        {"--jobs=", "--jobs wants a number from 1 to 64 or 'auto'"},
        {"--output=", "--output needs a path"},
        {"--output=/nonexistent/dir/file", "--output: cannot open '/nonexistent/dir/file'"},
    };
    for (auto& c : cases) {
        auto p = run_process({KC_SELFTEST, c.arg});
        EXPECT_EQ(p.exit_code, 2) << c.arg;
        EXPECT_NE(p.err.find(c.says), std::string::npos) << c.arg << ": " << p.err;
        EXPECT_TRUE(p.out.empty()) << c.arg;
    }
}

TEST(Cli, VersionNamesVersionAndArch) {
    auto p = run_process({KC_SELFTEST, "--version"});
    EXPECT_EQ(p.exit_code, 0);
    EXPECT_EQ(p.out.rfind("kconform ", 0), 0u) << p.out;
    EXPECT_NE(p.out.find(" (x86_64)\n"), std::string::npos) << p.out;
}

// --list --format=jsonl: one object per test with its metadata, for tools.
TEST(Cli, ListAsJsonLines) {
    auto p = run_process({KC_SELFTEST, "--list", "--format=jsonl", "--filter=selftest.hang_loop",
                          "--filter=selftest.exec_helper"});
    EXPECT_EQ(p.exit_code, 0);
    std::istringstream in(p.out);
    std::vector<std::map<std::string, std::string>> objs;
    for (std::string line; std::getline(in, line);) objs.push_back(kcr::parse_json_object(line));
    ASSERT_EQ(objs.size(), 3u);
    EXPECT_EQ(objs[0]["type"], "list");
    EXPECT_EQ(objs[0]["id"], "selftest.hang_loop");
    EXPECT_EQ(objs[0]["timeout_ms"], "300");
    EXPECT_EQ(objs[1]["flags"], "NEEDS_FORK");
    EXPECT_EQ(objs[1]["profile"], "PSE53");
    EXPECT_EQ(objs[2]["type"], "list_end");
    EXPECT_EQ(objs[2]["selected"], "2");
    EXPECT_EQ(objs[2]["registered"], "25");
}

TEST(Cli, HelpExitsZero) {
    auto p = run_process({KC_SELFTEST, "--help"});
    EXPECT_EQ(p.exit_code, 0);
    EXPECT_NE(p.out.find("usage: kconform"), std::string::npos);
}

TEST(Cli, EnvironmentVariableGivesOptions) {
    auto p = run_process({KC_SELFTEST}, {"KCONFORM_OPTS= --list  --filter=selftest.pass "});
    EXPECT_EQ(p.exit_code, 0);
    EXPECT_EQ(listed(p), std::vector<std::string>{"selftest.pass"});
    auto bad = run_process({KC_SELFTEST}, {"KCONFORM_OPTS=--nope"});
    EXPECT_EQ(bad.exit_code, 2);
}

TEST(Cli, JsonlMetadataDescribesTheRun) {
    auto p = run_process({KC_SELFTEST, "--format=jsonl", "--filter=selftest.pass"});
    EXPECT_EQ(p.exit_code, 0);
    auto run = kcr::parse_run(p.out);
    for (const char* key :
         {"kconform", "arch", "sysname", "release", "version", "machine", "isolation", "euid",
          "registered", "selected", "timeout_ms", "timeout_scale"})
        EXPECT_TRUE(run.run.count(key)) << key;
    EXPECT_EQ(run.run["registered"], "25");
    EXPECT_TRUE(run.run.count("env.seccomp_filter"));
    EXPECT_EQ(run.run["selected"], "1");
    EXPECT_EQ(run.run["filters"], "selftest.pass");
    ASSERT_EQ(run.tests.size(), 1u);
    EXPECT_EQ(run.tests[0].category, "POSITIVE");
    EXPECT_EQ(run.tests[0].profile, "PSE51");
    EXPECT_EQ(run.tests[0].group, "selftest");
}

TEST(Cli, TimeoutOptionAppliesToTestsWithoutTheirOwn) {
    // hang tests declare 300 ms themselves; a run-wide --timeout does not
    // override a test's own deadline.
    auto p = run_process({KC_SELFTEST, "--timeout=50", "--filter=selftest.hang_loop"});
    EXPECT_NE(p.out.find("no result after 300 ms"), std::string::npos) << p.out;
}

TEST(Cli, TimeoutScaleMultipliesEveryDeadline) {
    // A test's own deadline (300 ms here) is scaled, unlike with --timeout;
    // the run-wide one goes through the same multiplication in the runner.
    auto own = run_process({KC_SELFTEST, "--timeout-scale=2", "--filter=selftest.hang_loop"});
    EXPECT_EQ(own.exit_code, 1);
    EXPECT_NE(own.out.find("no result after 600 ms"), std::string::npos) << own.out;
    // From the environment too, and in-process.
    auto run = run_process({KC_SELFTEST, "--filter=selftest.hang_loop"},
                           {"KCONFORM_OPTS=--timeout-scale=3 --isolate=none"});
    EXPECT_NE(run.out.find("no result after 900 ms (in-process watchdog)"), std::string::npos)
        << run.out;
    // Without the option a deadline is as declared.
    auto one = run_process({KC_SELFTEST, "--timeout-scale=1", "--filter=selftest.hang_loop"});
    EXPECT_NE(one.out.find("no result after 300 ms"), std::string::npos) << one.out;
}

// Results come in registration order whatever --jobs is: only durations and
// the header's job count differ.
TEST(Cli, OutputDoesNotDependOnJobs) {
    auto strip = [](const std::string& out) {
        std::string kept;
        std::istringstream in(out);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("kconform ", 0) == 0) continue;  // header: "N jobs"
            kept += line + "\n";
        }
        return kept;
    };
    auto one = run_process({KC_SELFTEST, "--jobs=1"});
    for (const char* jobs : {"--jobs=2", "--jobs=7", "--jobs=auto"}) {
        auto many = run_process({KC_SELFTEST, jobs});
        EXPECT_EQ(many.exit_code, one.exit_code) << jobs;
        EXPECT_EQ(strip(many.out), strip(one.out)) << jobs;
        EXPECT_LT(many.seconds, 10.0) << jobs;
    }
    auto jsonl = kcr::parse_run(run_process({KC_SELFTEST, "--jobs=3", "--format=jsonl"}).out);
    EXPECT_EQ(jsonl.run["jobs"], "3");
}

// --output writes the results to a file, so a run without fds 0-2 (as /init
// without a console) still reports.
TEST(Cli, OutputOptionWritesTheResultsThere) {
    std::string path = testing::TempDir() + "/kc-output-test.txt";
    auto p = run_process(
        {"/bin/sh", "-c",
         std::string("exec \"$0\" --filter=selftest.pass --output=") + path + " <&- >&- 2>&-",
         KC_SELFTEST});
    EXPECT_EQ(p.exit_code, 0);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("fds 0-2 open: none"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("SUMMARY: 1 passed, 0 failed, 0 skipped"), std::string::npos);
    std::remove(path.c_str());
}

// A closed pipe or a full disk ends the run with a message and status 3, not
// silently (SIGPIPE) or with status 0.
TEST(Cli, LostOutputEndsTheRunWithStatusThree) {
    auto full = run_process(
        {"/bin/sh", "-c", "exec \"$0\" --filter=selftest.pass >/dev/full", KC_SELFTEST});
    EXPECT_EQ(full.exit_code, 3);
    EXPECT_NE(full.err.find("cannot write the results: -ENOSPC"), std::string::npos) << full.err;
    // The reader of a pipe goes away after 10 bytes.
    auto pipe = run_process(
        {"/bin/bash", "-c", "\"$0\" | head -c 10 >/dev/null; echo ${PIPESTATUS[0]}", KC_SELFTEST});
    EXPECT_EQ(pipe.out, "3\n");
    EXPECT_NE(pipe.err.find("cannot write the results: -EPIPE"), std::string::npos) << pipe.err;
    auto closed = run_process({"/bin/sh", "-c", "exec \"$0\" >&-", KC_SELFTEST});
    EXPECT_EQ(closed.exit_code, 3);
    EXPECT_NE(closed.err.find("cannot write the results: -EBADF"), std::string::npos) << closed.err;
}

}  // namespace

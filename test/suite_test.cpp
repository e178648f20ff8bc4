// SPDX-License-Identifier: MIT
// The shipped suite on this machine's Linux (the oracle): every registered
// test reports exactly once and passes (or skips with a reason), in both
// isolation modes, as root and as an unprivileged user, in a pid namespace of
// its own, and on a kernel without process creation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <sstream>

#include "process.hpp"
#include "results.hpp"

namespace {

struct Checked {
    kcr::RunFile run;
    ProcessResult proc;
};

// Runs the suite with JSONL output and checks the invariants every run keeps.
Checked run_suite(std::vector<std::string> argv, const std::vector<std::string>& env = {}) {
    argv.push_back("--format=jsonl");
    Checked c;
    c.proc = run_process(argv, env, 240);
    EXPECT_FALSE(c.proc.timed_out);
    EXPECT_EQ(c.proc.signal, 0);
    try {
        c.run = kcr::parse_run(c.proc.out);
    } catch (const kcr::ParseError& e) {
        ADD_FAILURE() << "unparsable output: " << e.what() << "\nstderr: " << c.proc.err;
        return c;
    }
    EXPECT_TRUE(c.run.has_summary) << "no summary line";
    // Every selected test reports exactly once.
    std::set<std::string> ids;
    for (auto& t : c.run.tests) EXPECT_TRUE(ids.insert(t.id).second) << "reported twice: " << t.id;
    EXPECT_EQ(std::to_string(c.run.tests.size()), c.run.run["selected"]);
    EXPECT_EQ(c.run.passed + c.run.failed + c.run.skipped, (long long)c.run.tests.size());
    return c;
}

std::string failures(const kcr::RunFile& r) {
    std::string s;
    for (auto& t : r.tests) {
        if (t.outcome != kcr::Outcome::Pass && t.outcome != kcr::Outcome::Skip)
            s += "  " + t.id + " " + std::string(kcr::outcome_name(t.outcome)) + ": " + t.message +
                 "\n";
    }
    return s;
}

void expect_all_pass(const Checked& c, const std::string& isolation) {
    EXPECT_EQ(c.run.run.at("isolation"), isolation);
    EXPECT_EQ(c.run.run.at("selected"), c.run.run.at("registered"));
    EXPECT_EQ(c.run.failed, 0) << failures(c.run);
    EXPECT_EQ(c.proc.exit_code, 0);
    for (auto& t : c.run.tests) {
        if (t.outcome == kcr::Outcome::Skip) {
            EXPECT_FALSE(t.message.empty()) << t.id;
        }
    }
}

TEST(Suite, ForkModeAllPass) { expect_all_pass(run_suite({KC_SUITE, "--isolate=fork"}), "fork"); }

TEST(Suite, InProcessModeAllPass) {
    expect_all_pass(run_suite({KC_SUITE, "--isolate=none"}), "none");
}

TEST(Suite, UnprivilegedBothModes) {
    if (geteuid() != 0) GTEST_SKIP() << "already unprivileged: the other tests cover it";
    if (!have_program("setpriv")) GTEST_SKIP() << "setpriv (util-linux) is not installed";
    PublicCopy copy(KC_SUITE);
    for (const char* mode : {"fork", "none"}) {
        SCOPED_TRACE(mode);
        auto c = run_suite({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            copy.path(), std::string("--isolate=") + mode});
        expect_all_pass(c, mode);
        EXPECT_EQ(c.run.run.at("euid"), "65534");
    }
}

// Run as a real user's shell or CI would: with inherited descriptors leaving
// holes in the fd table. Tests must not assume contiguous fd numbers.
TEST(Suite, InheritedFdsWithHoles) {
    auto c = run_suite({"/bin/sh", "-c", "exec \"$0\" \"$@\" 5</dev/null 9</dev/null", KC_SUITE});
    expect_all_pass(c, "fork");
}

// Run as a container would: in a pid namespace of its own. There the
// suite's session and group leaders are invisible (getsid/getpgid say 0),
// getppid() is 0, and as PID 1 the suite is the namespace's reaper.
TEST(Suite, OwnPidNamespace) {
    if (geteuid() != 0) GTEST_SKIP() << "unshare --pid needs root";
    if (!have_program("unshare")) GTEST_SKIP() << "unshare (util-linux) is not installed";
    if (run_process({"/usr/bin/unshare", "--pid", "--fork", "/bin/true"}).exit_code != 0)
        GTEST_SKIP() << "this machine refuses new pid namespaces";
    for (const char* mode : {"fork", "none"}) {
        SCOPED_TRACE(std::string("suite as PID 1, ") + mode);
        expect_all_pass(run_suite({"/usr/bin/unshare", "--pid", "--fork", KC_SUITE,
                                   std::string("--isolate=") + mode}),
                        mode);
    }
    SCOPED_TRACE("shell as PID 1");
    expect_all_pass(run_suite({"/usr/bin/unshare", "--pid", "--fork", "/bin/sh", "-c",
                               "\"$0\" \"$@\"; exit $?", KC_SUITE}),
                    "fork");
}

// A kernel without clone/fork/vfork: the suite must notice, run in-process,
// and still report every test; tests that need processes SKIP.
TEST(Suite, ForklessKernelReportsEveryTest) {
    auto c = run_suite({KC_NOFORK, KC_SUITE});
    EXPECT_EQ(c.run.run.at("isolation"), "none");
    EXPECT_EQ(c.run.run.at("selected"), c.run.run.at("registered"));
    for (auto& t : c.run.tests) {
        EXPECT_NE(t.outcome, kcr::Outcome::Crash) << t.id << ": " << t.message;
        EXPECT_NE(t.outcome, kcr::Outcome::Timeout) << t.id << ": " << t.message;
    }
    EXPECT_EQ(c.run.failed, 0) << failures(c.run);
}

// A PSE51 system has no processes: on a fork-less kernel every PSE51 test
// runs (tests that need fork are PSE53 by the interface table), and the
// profile conforms.
TEST(Suite, ForklessKernelRunsEveryPse51Test) {
    auto c = run_suite({KC_NOFORK, KC_SUITE, "--profile=PSE51", "--isolate=none"});
    EXPECT_GT(c.run.tests.size(), 100u);
    for (auto& t : c.run.tests) {
        EXPECT_EQ(t.profile, "PSE51") << t.id;
        EXPECT_NE(t.outcome, kcr::Outcome::Skip) << t.id << ": " << t.message;
    }
    EXPECT_EQ(c.run.failed, 0) << failures(c.run);
    ASSERT_EQ(c.run.verdicts.size(), 1u);
    EXPECT_TRUE(c.run.verdicts[0].conforms);
}

// IDs follow the house style: group.name in snake_case, rows after a slash.
TEST(Suite, TestIdsAreWellFormed) {
    auto p = run_process({KC_SUITE, "--list"});
    ASSERT_EQ(p.exit_code, 0);
    std::regex id(
        R"(^[a-z0-9_]+\.[a-z0-9_]+(/[^ ]+)? +(POSITIVE|NEGATIVE|BOUNDARY) (PSE51|PSE52|PSE53|PSE54|LINUX)$)");
    size_t lines = 0;
    std::set<std::string> seen;
    std::istringstream in(p.out);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("# ", 0) == 0) continue;
        ++lines;
        EXPECT_TRUE(std::regex_match(line, id)) << line;
        EXPECT_TRUE(seen.insert(line.substr(0, line.find(' '))).second) << "duplicate: " << line;
    }
    EXPECT_GT(lines, 0u);
}

}  // namespace

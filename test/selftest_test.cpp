// SPDX-License-Identifier: MIT
// The harness against tests that misbehave on purpose (test/selftest/): each
// must get exactly its outcome, in both isolation modes, and the run must end
// within a bound even though tests hang.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "process.hpp"
#include "results.hpp"

namespace {

using kcr::Outcome;

struct Expect {
    Outcome outcome;
    const char* message_part;  // must appear in the message ("" for none)
};

const std::map<std::string, Expect> kExpected = {
    {"selftest.pass", {Outcome::Pass, ""}},
    {"selftest.fail_expect", {Outcome::Fail, "sys::close(-1) == 0: expected 0, got -9 (-EBADF)"}},
    {"selftest.fail_assert_stops", {Outcome::Fail, "1 == 2: expected 2, got 1"}},
    {"selftest.skip_reason", {Outcome::Skip, "skipped on purpose"}},
    {"selftest.unimplemented", {Outcome::Skip, "pretending mq_open returned ENOSYS"}},
    {"selftest.hang_syscall", {Outcome::Timeout, "no result after 300 ms"}},
    {"selftest.hang_loop", {Outcome::Timeout, "no result after 300 ms"}},
    {"selftest.crash_segv", {Outcome::Crash, "SIGSEGV"}},
    {"selftest.crash_abort", {Outcome::Crash, "SIGABRT"}},
    {"selftest.leak_fd", {Outcome::Fail, "fd leak: fd"}},
    {"selftest.exit_early", {Outcome::Crash, "exited with status 3 before the test finished"}},
    {"selftest.child_failure", {Outcome::Fail, "7 == 8: expected 8, got 7"}},
    {"selftest.leak_process", {Outcome::Fail, "process leak: 2 process(es) created by the test"}},
    {"selftest.cleanup_after_assert",
     {Outcome::Fail,
      "1 == 2: expected 2, got 1\ncleanup: last registered, run first\n"
      "cleanup: first registered, run last"}},
    {"selftest.pass_after_trouble", {Outcome::Pass, ""}},
    {"selftest.rows/v=1", {Outcome::Pass, ""}},
    {"selftest.rows/v=2", {Outcome::Fail, "row.value != 2: expected != 2, got 2"}},
    {"selftest.rows/v=3", {Outcome::Pass, ""}},
    {"selftest.exec_helper", {Outcome::Pass, ""}},
    {"selftest.leaves_timer_and_signal", {Outcome::Pass, ""}},
    {"selftest.survives_leftovers", {Outcome::Pass, ""}},
    {"selftest.no_check", {Outcome::Fail, "the test ran no check: it cannot fail"}},
    {"selftest.no_check_declared", {Outcome::Pass, ""}},
    {"selftest.refused_by_filter", {Outcome::Fail, "fake::unshare(0): expected 0, got -EPERM"}},
    {"selftest.not_refused_by_filter", {Outcome::Fail, "fake::getpid(0): expected 0, got -EPERM"}},
};

// How many processes run the program at `path` (by /proc/PID/exe).
int processes_running(const std::string& path) {
    std::error_code ec;
    std::string want = std::filesystem::canonical(path, ec).string();
    int n = 0;
    for (auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        auto exe = std::filesystem::read_symlink(e.path() / "exe", ec);
        if (!ec && exe == want) ++n;
    }
    return n;
}

void check_outcomes(const std::vector<std::string>& argv, const std::set<std::string>& absent,
                    const std::set<std::string>& skipped, const std::string& isolation) {
    // A private copy of the self-test, so that counting the processes that
    // run it afterwards cannot see another test's (CTest runs them side by
    // side).
    PublicCopy copy(KC_SELFTEST);
    auto args = argv;
    for (auto& a : args)
        if (a == KC_SELFTEST) a = copy.path();
    args.push_back("--format=jsonl");
    auto p = run_process(args, {}, 60);
    ASSERT_FALSE(p.timed_out);
    EXPECT_EQ(p.exit_code, 1) << "a failing run exits 1";
    EXPECT_LT(p.seconds, 10.0) << "two 300 ms hangs must not stretch the run";
    kcr::RunFile run = kcr::parse_run(p.out);
    EXPECT_EQ(run.run.at("isolation"), isolation);
    std::map<std::string, const kcr::TestResult*> got;
    for (auto& t : run.tests) got[t.id] = &t;
    long long fails = 0, passes = 0, skips = 0;
    for (auto& [id, want] : kExpected) {
        if (absent.count(id)) {
            EXPECT_FALSE(got.count(id)) << id;
            continue;
        }
        ASSERT_TRUE(got.count(id)) << "not reported: " << id;
        const auto& t = *got[id];
        Outcome o = skipped.count(id) ? Outcome::Skip : want.outcome;
        EXPECT_EQ(kcr::outcome_name(t.outcome), kcr::outcome_name(o)) << id << ": " << t.message;
        if (!skipped.count(id)) {
            EXPECT_NE(t.message.find(want.message_part), std::string::npos)
                << id << ": message was: " << t.message;
        }
        (o == Outcome::Pass ? passes : o == Outcome::Skip ? skips : fails) += 1;
    }
    EXPECT_EQ(run.tests.size(), kExpected.size() - absent.size());
    EXPECT_EQ(processes_running(copy.path()), 0) << "no process may outlive the run";
    EXPECT_EQ(run.passed, passes);
    EXPECT_EQ(run.failed, fails);
    EXPECT_EQ(run.skipped, skips);
}

// A harness killed from outside takes its running tests with it (they sit in
// process groups of their own, where a kill of the harness's group does not
// reach): the hang tests are running when the kill comes.
TEST(SelfTest, KilledHarnessLeavesNoTestProcess) {
    PublicCopy copy(KC_SELFTEST);  // counted by its own path, see check_outcomes
    const char* bin = copy.path().c_str();
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execl(bin, bin, "--filter=selftest.hang_*", "--jobs=2", (char*)nullptr);
        _exit(127);
    }
    usleep(150 * 1000);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    usleep(300 * 1000);
    EXPECT_EQ(processes_running(copy.path()), 0);
}

TEST(SelfTest, ExactOutcomesForkMode) {
    check_outcomes({KC_SELFTEST, "--isolate=fork"}, {}, {}, "fork");
}

// In-process, a test that calls exit_group ends the whole run: that is the
// documented limit of this mode, so that test is excluded here.
TEST(SelfTest, ExactOutcomesInProcessMode) {
    check_outcomes({KC_SELFTEST, "--isolate=none", "--filter=-selftest.exit_early"},
                   {"selftest.exit_early"}, {}, "none");
}

TEST(SelfTest, ExactOutcomesWithoutProcesses) {
    check_outcomes({KC_NOFORK, KC_SELFTEST, "--filter=-selftest.exit_early"},
                   {"selftest.exit_early"},
                   {"selftest.child_failure", "selftest.exec_helper", "selftest.leak_process",
                    "selftest.refused_by_filter"},  // kconform-nofork's seccomp filter
                   "none");
}

// The human report: group header, aligned lines, trouble line, summary last.
TEST(SelfTest, HumanReportShape) {
    auto p = run_process({KC_SELFTEST}, {}, 60);
    EXPECT_EQ(p.exit_code, 1);
    const std::string& o = p.out;
    EXPECT_NE(o.find("=== selftest ===\n"), std::string::npos);
    EXPECT_NE(o.find("  [PASS]    selftest.pass\n"), std::string::npos);
    EXPECT_NE(o.find("  [FAIL]    selftest.fail_expect\n            test/selftest/selftest.cpp:"),
              std::string::npos);
    EXPECT_NE(o.find("  [SKIP]    selftest.skip_reason: skipped on purpose\n"), std::string::npos);
    EXPECT_NE(o.find("TIMEOUTS AND CRASHES: selftest.hang_syscall (TIMEOUT), selftest.hang_loop "
                     "(TIMEOUT), selftest.crash_segv (CRASH: SIGSEGV), selftest.crash_abort "
                     "(CRASH: SIGABRT), selftest.exit_early (CRASH)\n"),
              std::string::npos);
    std::string last = "SUMMARY: 8 passed, 15 failed, 2 skipped\n";
    ASSERT_GE(o.size(), last.size());
    EXPECT_EQ(o.substr(o.size() - last.size()), last);
}

// -v names each test before it runs, so a kernel panic shows the culprit.
TEST(SelfTest, VerboseNamesTestBeforeItRuns) {
    auto p = run_process({KC_SELFTEST, "-v", "--filter=selftest.crash_segv"}, {}, 60);
    size_t run = p.out.find("[RUN]     selftest.crash_segv");
    size_t result = p.out.find("[CRASH]   selftest.crash_segv");
    ASSERT_NE(run, std::string::npos);
    ASSERT_NE(result, std::string::npos);
    EXPECT_LT(run, result);
}

TEST(SelfTest, TapShape) {
    auto p = run_process({KC_SELFTEST, "--format=tap"}, {}, 60);
    std::istringstream in(p.out);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "TAP version 13");
    std::getline(in, line);
    EXPECT_EQ(line, "1.." + std::to_string(kExpected.size()));
    int n = 0, skips = 0, notok = 0;
    while (std::getline(in, line)) {
        if (line.rfind("ok ", 0) == 0 || line.rfind("not ok ", 0) == 0) {
            ++n;
            std::string num = std::to_string(n) + " - selftest.";
            EXPECT_NE(line.find(num), std::string::npos) << line;
            if (line.find(" # SKIP ") != std::string::npos) ++skips;
            if (line.rfind("not ok", 0) == 0) ++notok;
        }
    }
    EXPECT_EQ(n, int(kExpected.size()));
    EXPECT_EQ(skips, 2);
    EXPECT_EQ(notok, 15);
    EXPECT_NE(p.out.find("  ---\n  outcome: CRASH\n"), std::string::npos);
}

}  // namespace

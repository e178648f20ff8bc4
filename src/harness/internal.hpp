// SPDX-License-Identifier: MIT
// Harness state shared by the runner, the checks and the reporters.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"

namespace kc {

enum Outcome : u8 { PASS, FAIL, SKIP, TIMEOUT, CRASH };
enum Isolation : u8 { ISOLATE_AUTO, ISOLATE_FORK, ISOLATE_NONE };
enum Format : u8 { HUMAN, TAP, JSONL };
// Test processes that may run at once (--jobs).
inline constexpr int kMaxJobs = 64;

// What a test reports back. It lives in a MAP_SHARED page so that a forked
// test process (and any process the test creates) writes straight into the
// runner's copy; the runner owns everything else.
struct Result {
    u32 finished;  // set by the test process after the body and its checks
    Outcome outcome;
    u8 used_scratch;
    u8 children_left;  // the test process still had children when its body ended
    u8 exiting;        // fork mode: the test process is done and only exits now
    u16 failures;
    u32 checks;    // checks made (a test that makes none fails, unless it says why)
    int signal;    // CRASH: the signal
    int missing;   // a required interface found not implemented: its row in
                   // kInterfaces (kc::skip_unimplemented); -1 none
    int test_pid;  // the process and thread running the body
    int test_tid;
    const char* test_file;  // for checks that name no file
    const char* test_id;    // "group.name"
    u32 msg_len;
    char msg[3000];  // failure lines separated by '\n', or the SKIP reason
};
extern Result* g_result;

// Appends one line to g_result->msg (cut when full).
void append_message(const char* text, usize n);

struct Options {
    const char* filters[32] = {};
    int nfilters = 0;
    Profile profile = LINUX;
    Format format = HUMAN;
    Isolation isolate = ISOLATE_AUTO;
    u32 timeout_ms = 10000;
    u32 timeout_scale = 1;         // multiplies every deadline (slow targets: emulators, valgrind)
    int jobs = 0;                  // --jobs: 0 auto
    const char* output = nullptr;  // --output=PATH; standard output when null
    bool poweroff = false;
    bool verbose = false;
    bool list = false;
    bool interfaces = false;  // --interfaces: the table, and tests that disagree
    bool help = false;
    bool version = false;
};
// Parses KCONFORM_OPTS then argv into opts. On a usage error writes the
// message to fmt and returns false.
bool parse_options(int argc, char** argv, Options& opts, rt::Fmt& err);
extern const char kUsage[];

// The registered tests in run order: grouped by group (stable, so in source
// order within a group). order_tests() must run first; false when there are
// more records than it can order.
bool order_tests();
u32 test_count();
const TestCase& test_at(u32 i);
const char* row_label(const TestCase& t, u32 row);
const void* row_data(const TestCase& t, u32 row);
// The source file of a test (from its translation unit's file record).
const char* test_file(const TestCase& t);
// True when `id` (group.name, plus /label for a row) is selected.
bool selected(const Options& o, const TestCase& t, const char* label);
// group.name or group.name/label into f.
void format_id(rt::Fmt& f, const TestCase& t, const char* label);
// Length of the group part of t.id.
usize group_len(const TestCase& t);
const char* category_name(Category c);
const char* profile_name(Profile p);
const char* outcome_name(Outcome o);
const char* signal_name(int sig);

// Output: one buffer on fd 1 (or --output's fd), flushed at least once per
// test. open_output() opens --output; false (with a message) when it cannot.
bool open_output(const char* path, rt::Fmt& err);
rt::Fmt& out();
void flush();
// The results cannot be written (EPIPE, ENOSPC, EBADF...): says so on stderr,
// removes the scratch directory and exits with status 3 (runner.cpp).
[[noreturn]] void output_lost(long err);

struct RunInfo {
    const Options* opts;
    const char* isolation;
    int jobs;
    u32 registered;
    u32 selected;
    const char* options_text;
};
struct Totals {
    u32 passed, failed, skipped, timeouts, crashes;
};
// The options the reporters follow; set before anything is reported.
void report_options(const Options& opts);
void report_begin(const RunInfo& info);
void report_start(const TestCase& t, const char* label);  // -v only
void report_result(const TestCase& t, const char* label, u32 index, const Result& r,
                   u64 duration_us);
void report_end(const Totals& totals, const char* trouble);
// --list: one line per selected test (human: ID, category, profile; jsonl:
// an object with its flags and deadline), then the count.
void report_listed(const TestCase& t, const char* label, u32 timeout_ms);
void report_list_end(u32 listed, u32 registered);
void report_version();

// Conformance per profile (profile.cpp). verdict_count() takes each result;
// report_verdict() prints, after the summary of a run of a PSE profile, one
// line (a record in jsonl) per profile up to it. required_by() is the
// profile that makes interface row i required in this run, or LINUX when
// the selected profile does not require it. list_interfaces(): --interfaces.
void verdict_begin(Profile selected);
void verdict_count(const TestCase& t, const char* label, const Result& r);
void report_verdict(const Options& o);
Profile required_by(int i);
void list_interfaces(const Options& o);

// The time process `pid`'s main thread has waited, runnable, for a CPU
// (/proc/PID/schedstat; 0 where it cannot be read), in nanoseconds.
i64 run_delay_ns(int pid);

// The environment probe (probe.cpp): runs once before the first test.
void probe_environment();
// One line (human) or the run record's "env" member (json).
void describe_environment(rt::Fmt& o, bool json);

// Scratch directories, one per job slot, created by the runner before the
// first test: scratch_create(n) creates those of slots up to n (false when
// one cannot be made). scratch_use() selects the running test's (in its
// process).
bool scratch_create(int slots);
void scratch_use(int slot);
void scratch_empty(int slot);
void scratch_remove();
bool scratch_ready();
const char* scratch_problem();

}  // namespace kc

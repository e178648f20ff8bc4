// SPDX-License-Identifier: MIT
// Reporters. Every line is written as soon as its test ends, so that a run
// that takes the kernel down still shows how far it got.
//   human: group headers and one aligned line per test
//   tap:   TAP version 13 with YAML diagnostics for failures
//   jsonl: a metadata object, one object per test, a summary object
#include "harness/internal.hpp"

#ifndef KC_VERSION
#define KC_VERSION "0.0.0"
#endif

namespace kc {

namespace {
char g_out_buf[8192];
constinit rt::Fmt g_out(g_out_buf, sizeof g_out_buf);
const Options* g_o;
int g_out_fd = 1;
const TestCase* g_last;  // test of the last human line, for group headers

// Each message line, prefixed by `indent`, newline-terminated.
void message_lines(rt::Fmt& o, const char* msg, const char* indent) {
    while (*msg) {
        o.s(indent);
        while (*msg && *msg != '\n') o.c(*msg++);
        o.c('\n');
        if (*msg) ++msg;
    }
}

void json_id(rt::Fmt& o, const TestCase& t, const char* label) {
    o.s("\"id\":\"").json(t.id);
    if (label) o.c('/').json(label);
    o.c('"');
}

// ", N jobs" and the end of the header line; in-process, a note that
// --jobs does not apply.
void jobs_note(rt::Fmt& o, const RunInfo& run) {
    o.s(", ").d(run.jobs).s(run.jobs == 1 ? " job" : " jobs");
    if (g_o->jobs > 1 && rt::streq(run.isolation, "none"))
        o.s(" (--jobs ignored: in-process tests run one at a time)");
    o.c('\n');
}

}  // namespace

rt::Fmt& out() { return g_out; }

bool open_output(const char* path, rt::Fmt& err) {
    long fd = sys::openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    // Above fds 0-2 even when they are closed, so tests still find them free.
    long high = fd < 0 ? fd : sys::fcntl(int(fd), F_DUPFD_CLOEXEC, 3);
    if (high < 0) {
        err.s("kconform: --output: cannot open '").s(path).s("': ").ret(high);
        return false;
    }
    if (high != fd) sys::close(int(fd));
    g_out_fd = int(high);
    return true;
}

// Writes the buffer out. SIGPIPE is ignored for the write (a reader that went
// away must not kill the harness silently, leaving its scratch directory);
// any write error ends the run through output_lost().
void flush() {
    arch::KSigaction ignore = arch::make_sigaction(SIG_IGN, 0, 0), old{};
    sys::rt_sigaction(SIGPIPE, &ignore, &old);
    const char* p = g_out.buf;
    usize n = g_out.len;
    long r = 0;
    while (n) {
        r = sys::write(g_out_fd, p, n);
        if (r == -EINTR) continue;
        if (r <= 0) break;
        p += r;
        n -= usize(r);
    }
    sys::rt_sigaction(SIGPIPE, &old, nullptr);
    g_out.len = 0;
    if (n) output_lost(r == 0 ? -EIO : r);
}

void report_begin(const RunInfo& run) {
    g_o = run.opts;
    utsname u{};
    sys::uname(&u);
    rt::Fmt& o = g_out;
    if (g_o->format == JSONL) {
        o.s("{\"type\":\"run\",\"kconform\":\"" KC_VERSION "\",\"arch\":\"" KC_ARCH_NAME "\"");
        o.s(",\"sysname\":\"").json(u.sysname).s("\",\"release\":\"").json(u.release);
        o.s("\",\"version\":\"").json(u.version).s("\",\"machine\":\"").json(u.machine);
        o.s("\",\"isolation\":\"").s(run.isolation).s("\",\"jobs\":").d(run.jobs);
        o.s(",\"euid\":").d(sys::geteuid());
        o.s(",\"pid\":").d(sys::getpid()).s(",\"registered\":").u(run.registered);
        o.s(",\"selected\":").u(run.selected).s(",\"timeout_ms\":").u(g_o->timeout_ms);
        o.s(",\"timeout_scale\":").u(g_o->timeout_scale);
        o.s(",\"profile\":\"").s(profile_name(g_o->profile)).s("\",\"filters\":[");
        for (int i = 0; i < g_o->nfilters; ++i) o.s(i ? ",\"" : "\"").json(g_o->filters[i]).c('"');
        o.s("],\"scratch\":");
        if (scratch_ready())
            o.s("true");
        else
            o.s("false,\"scratch_problem\":\"").json(scratch_problem()).c('"');
        describe_environment(o.c(','), true);
        o.s("}\n");
    } else if (g_o->format == TAP) {
        o.s("TAP version 13\n1..").u(run.selected).c('\n');
        o.s("# kconform " KC_VERSION " " KC_ARCH_NAME " on ").s(u.sysname).c(' ').s(u.release);
        o.s(", isolation ").s(run.isolation);
        jobs_note(o, run);
        describe_environment(o.s("# environment: "), false);
        o.c('\n');
    } else {
        o.s("kconform " KC_VERSION " (" KC_ARCH_NAME ") on ").s(u.sysname).c(' ').s(u.release);
        o.s(" ").s(u.machine).s(": ").u(run.selected).s(" of ").u(run.registered);
        o.s(" tests, isolation ").s(run.isolation);
        jobs_note(o, run);
        describe_environment(o.s("environment: "), false);
        o.c('\n');
        if (!scratch_ready()) o.s("note: ").s(scratch_problem()).s("; file tests skip\n");
    }
    flush();
}

void report_start(const TestCase& t, const char* label) {
    rt::Fmt& o = g_out;
    if (g_o->format == JSONL) {
        o.s("{\"type\":\"start\",");
        json_id(o, t, label);
        o.s("}\n");
    } else {
        o.s(g_o->format == TAP ? "# RUN " : "  [RUN]     ");
        format_id(o, t, label);
        o.c('\n');
    }
    flush();
}

void report_result(const TestCase& t, const char* label, u32 index, const Result& r,
                   u64 duration_us) {
    rt::Fmt& o = g_out;
    const char* msg = r.msg;
    if (g_o->format == JSONL) {
        o.s("{\"type\":\"test\",");
        json_id(o, t, label);
        o.s(",\"group\":\"").s(t.id, group_len(t)).s("\",\"category\":\"");
        o.s(category_name(t.category));
        o.s("\",\"profile\":\"").s(profile_name(t.profile)).s("\",\"outcome\":\"");
        o.s(outcome_name(r.outcome)).s("\",\"duration_us\":").u(duration_us);
        o.s(",\"message\":\"").json(msg).s("\"}\n");
    } else if (g_o->format == TAP) {
        o.s(r.outcome == PASS || r.outcome == SKIP ? "ok " : "not ok ").u(index).s(" - ");
        format_id(o, t, label);
        if (r.outcome == SKIP) o.s(" # SKIP ").s(msg);
        o.c('\n');
        if (r.outcome != PASS && r.outcome != SKIP) {
            o.s("  ---\n  outcome: ").s(outcome_name(r.outcome)).c('\n');
            o.s("  file: ").s(test_file(t)).c('\n');
            if (*msg) {
                o.s("  message: |\n");
                message_lines(o, msg, "    ");
            }
            o.s("  ...\n");
        }
    } else {
        usize n = group_len(t);
        bool same = g_last && group_len(*g_last) == n;
        for (usize i = 0; same && i < n; ++i) same = g_last->id[i] == t.id[i];
        if (!same) o.s("=== ").s(t.id, n).s(" ===\n");
        g_last = &t;
        usize start = o.len;
        o.s("  [").s(outcome_name(r.outcome)).c(']').pad(start + 12);
        format_id(o, t, label);
        if (r.outcome == SKIP) o.s(": ").s(msg);
        if (g_o->verbose) o.s(" (").u(duration_us).s(" us)");
        o.c('\n');
        if (r.outcome != PASS && r.outcome != SKIP) message_lines(o, msg, "            ");
    }
    flush();
}

void report_options(const Options& opts) { g_o = &opts; }

void report_listed(const TestCase& t, const char* label, u32 timeout_ms) {
    rt::Fmt& o = g_out;
    if (g_o->format == JSONL) {
        o.s("{\"type\":\"list\",");
        json_id(o, t, label);
        o.s(",\"group\":\"").s(t.id, group_len(t)).s("\",\"category\":\"");
        o.s(category_name(t.category)).s("\",\"profile\":\"").s(profile_name(t.profile));
        o.s("\",\"flags\":[");
        static const char* const kFlagNames[] = {"",          "NEEDS_FORK", "NEEDS_SCRATCH",
                                                 "EXCLUSIVE", "SLOW",       "VERY_SLOW"};
        for (int bit = 1, n = 0; bit < 6; ++bit)
            if (t.flags >> bit & 1) o.s(n++ ? ",\"" : "\"").s(kFlagNames[bit]).c('"');
        o.s("],\"timeout_ms\":").u(timeout_ms).s("}\n");
    } else {
        usize start = o.len;
        format_id(o, t, label);
        o.pad(start + 48).c(' ').s(category_name(t.category)).c(' ');
        o.s(profile_name(t.profile)).c('\n');
    }
    if (o.len > o.cap - 512) flush();
}

void report_list_end(u32 listed, u32 registered) {
    rt::Fmt& o = g_out;
    if (g_o->format == JSONL) {
        o.s("{\"type\":\"list_end\",\"selected\":").u(listed).s(",\"registered\":");
        o.u(registered).s("}\n");
    } else {
        o.s("# ").u(listed).s(" of ").u(registered).s(" registered tests selected\n");
    }
    flush();
}

void report_version() {
    g_out.s("kconform " KC_VERSION " (" KC_ARCH_NAME ")\n");
    flush();
}

void report_end(const Totals& n, const char* trouble) {
    rt::Fmt& o = g_out;
    if (g_o->format == JSONL) {
        o.s("{\"type\":\"summary\",\"passed\":").u(n.passed).s(",\"failed\":").u(n.failed);
        o.s(",\"skipped\":").u(n.skipped).s(",\"timeouts\":").u(n.timeouts);
        o.s(",\"crashes\":").u(n.crashes).s("}\n");
    } else {
        const char* prefix = g_o->format == TAP ? "# " : "";
        o.s(prefix).s("TIMEOUTS AND CRASHES: ").s(*trouble ? trouble : "none").c('\n');
        o.s(prefix).s("SUMMARY: ").u(n.passed).s(" passed, ").u(n.failed).s(" failed, ");
        o.u(n.skipped).s(" skipped\n");
    }
    flush();
}

}  // namespace kc

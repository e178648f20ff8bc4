// The assertions: format a failure line and record it in the running test's
// result. A failure in a child process or thread of the test also lands in
// the shared result; a fatal one ends only that child or thread.
#include "harness/internal.hpp"

namespace kc {

arch::JmpBuf g_test_jmp;

namespace {

bool in_test_thread() { return sys::gettid() == g_result->test_tid; }

// Ends the test body: back to the runner in the test's own thread; anywhere
// else the process (or thread) ends with status 1.
[[noreturn]] void end_body() {
    if (in_test_thread()) kc_longjmp(&g_test_jmp, 1);
    if (sys::getpid() == g_result->test_pid) {
        for (;;) sys::syscall1(nr::exit, 1);  // a thread of the test
    }
    sys::exit_group(1);
}

// Writes "file:LINE expression: " and returns the formatter.
rt::Fmt& head(rt::Fmt& f, const char* file, const char* site) {
    return f.s(file ? file : g_result->test_file).c(':').s(site).s(": ");
}

bool finish(rt::Fmt& f, bool fatal) {
    append_message(f.buf, f.len);
    if (g_result->failures < 0xffff) ++g_result->failures;
    if (fatal) end_body();
    return false;
}

bool is_err(long v) { return v < 0 && v >= -4095; }

}  // namespace

void append_message(const char* text, usize n) {
    Result& r = *g_result;
    usize room = sizeof r.msg - 1 - r.msg_len;
    if (r.msg_len && room) r.msg[r.msg_len++] = '\n', --room;
    if (n > room) n = room;
    for (usize i = 0; i < n; ++i) r.msg[r.msg_len + i] = text[i];
    r.msg_len += u32(n);
    r.msg[r.msg_len] = 0;
}

void skip(const char* reason) {
    if (!in_test_thread()) {
        fail("harness", "0 kc::skip", "called outside the test's own thread");
        end_body();
    }
    g_result->outcome = SKIP;
    g_result->msg_len = 0;
    append_message(reason, rt::strlen(reason));
    kc_longjmp(&g_test_jmp, 1);
}

void fail(const char* file, const char* site, const char* msg) {
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site).s(msg);
    finish(f, false);
}

bool check_ok(const char* file, const char* site, long got, bool fatal) {
    if (!is_err(got)) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site).s("expected success, got ").ret(got);
    return finish(f, fatal);
}

bool check_ret(const char* file, const char* site, long got, long want, bool fatal) {
    if (got == want) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site).s("expected ").ret(want).s(", got ").ret(got);
    return finish(f, fatal);
}

bool check_err(const char* file, const char* site, long got, int err, bool fatal) {
    if (got == -err) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site).s("expected ").ret(-err).s(", got ").ret(got);
    return finish(f, fatal);
}

bool check_err2(const char* file, const char* site, long got, int e1, int e2, bool fatal) {
    if (got == -e1 || got == -e2) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site).s("expected ").ret(-e1).s(" or ").ret(-e2).s(", got ").ret(got);
    return finish(f, fatal);
}

bool check_cmp(const char* file, const char* site, long a, long b, Cmp op, bool fatal) {
    bool ok = false;
    switch (op) {
        case EQ: case TRUE: ok = a == b; break;
        case NE: ok = a != b; break;
        case LT: ok = a < b; break;
        case LE: ok = a <= b; break;
        case GT: ok = a > b; break;
        case GE: ok = a >= b; break;
    }
    if (ok) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site);
    if (op == TRUE) {
        f.s("is false");
    } else {
        // Plain integers: decimal, with the errno name only as a hint.
        static const char kRel[][4] = {"", "!= ", "< ", "<= ", "> ", ">= "};
        f.s("expected ").s(kRel[op]).d(b);
        f.s(", got ").d(a);
        if (a < 0 && rt::errno_name(-a)) f.s(" (-").s(rt::errno_name(-a)).c(')');
    }
    return finish(f, fatal);
}

bool check_mem(const char* file, const char* site, const void* a, const void* b, usize n,
               bool fatal) {
    auto* x = static_cast<const u8*>(a);
    auto* y = static_cast<const u8*>(b);
    usize i = 0;
    while (i < n && x[i] == y[i]) ++i;
    if (i == n) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site).s("first difference at byte ").u(i).s(" of ").u(n).s(": ");
    f.x(x[i]).s(" vs ").x(y[i]);
    return finish(f, fatal);
}

bool child_ok(const char* file, const char* site, long pid) {
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, file, site);
    if (pid <= 0) {
        f.s("no child: ").ret(pid);
        return finish(f, false);
    }
    int st = wait_status(pid);
    if (st >= 0 && wifexited(st) && wexitstatus(st) == 0) return true;
    if (st < 0) {
        f.s("wait4: ").ret(st);
    } else if (wifsignaled(st)) {
        f.s("child killed by ").s(signal_name(wtermsig(st)));
    } else {
        f.s("child exited with status ").d(wexitstatus(st));
    }
    return finish(f, false);
}

}  // namespace kc

// SPDX-License-Identifier: MIT
// The assertions: format a failure line and record it in the running test's
// result. A failure in a child process or thread of the test also lands in
// the shared result; a fatal one ends only that child or thread.
#include "harness/internal.hpp"
#include "rt/sys_thread.hpp"

namespace kc {

arch::JmpBuf g_test_jmp;

namespace {

bool in_test_thread() { return sys::gettid() == g_result->test_tid; }

// Ends the test body: back to the runner in the test's own thread; anywhere
// else the process (or thread) ends with status 1.
[[noreturn]] void end_body() {
    if (in_test_thread()) kc_longjmp(&g_test_jmp, 1);
    if (sys::getpid() == g_result->test_pid) {
        sys::exit_thread(1);  // a thread of the test
    }
    sys::exit_group(1);
}

// Writes "file:LINE expression: " for a site "K[FILE:]LINE expression".
rt::Fmt& head(rt::Fmt& f, const char* site) {
    ++site;
    if (*site >= '0' && *site <= '9') f.s(g_result->test_file).c(':');
    return f.s(site).s(": ");
}

bool fatal(const char* site) { return site[0] >= 'A' && site[0] <= 'Z'; }

// The system calls that container runtimes' default seccomp profiles
// (Docker's, Podman's) refuse with EPERM to a process without extra
// capabilities, and those they answer with ENOSYS (clone3, which they make
// libcs fall back from, and calls newer than such profiles).
// test/seccomp_filter.py reads both lists to build the Docker-like filter of
// the project's own check: keep each one `const char NAME[] =` literals.
const char kFilteredEperm[] =
    " acct add_key bpf clock_adjtime clock_settime clone delete_module finit_module"
    " fanotify_init fsconfig fsmount fsopen fspick get_mempolicy init_module io_uring_enter"
    " io_uring_register io_uring_setup ioperm iopl kcmp kexec_file_load kexec_load keyctl"
    " lookup_dcookie mbind migrate_pages modify_ldt mount mount_setattr move_mount move_pages"
    " name_to_handle_at open_by_handle_at open_tree perf_event_open pivot_root"
    " process_vm_readv process_vm_writev quotactl reboot request_key set_mempolicy"
    " set_mempolicy_home_node setdomainname sethostname setns settimeofday swapoff swapon"
    " syslog sysfs umount2 unshare uselib userfaultfd ustat vhangup ";
const char kFilteredEnosys[] =
    " clone3 cachestat futex_wait futex_wake futex_requeue listmount statmount"
    " lsm_get_self_attr lsm_list_modules lsm_set_self_attr map_shadow_stack memfd_secret mseal ";

bool ident(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// `list` has " name " for the n bytes at s.
bool listed(const char* list, const char* s, usize n) {
    for (const char* p = list; *p; ++p) {
        if (*p != ' ') continue;
        usize i = 0;
        while (i < n && p[1 + i] == s[i]) ++i;  // stops at the list's end: s has no NUL
        if (i == n && p[1 + n] == ' ') return true;
    }
    return false;
}

// The test's group, or a call in the check's text ("sys::unshare(..."), is
// in `list`.
bool names_listed_call(const char* list, const char* text) {
    const char* id = g_result->test_id;
    usize n = 0;
    while (id && id[n] && id[n] != '.') ++n;
    if (n && listed(list, id, n)) return true;
    for (const char* p = text; *p; ++p) {
        if (!ident(*p) || (p > text && ident(p[-1]))) continue;
        usize k = 0;
        while (ident(p[k])) ++k;
        if (p[k] == '(' && listed(list, p, k)) return true;
        p += k - 1;
    }
    return false;
}

// Under a seccomp filter (the run's environment, not the kernel) such a call
// may be refused before the kernel sees it. The first failure of a test that
// has not failed otherwise, with EPERM or ENOSYS from a call those profiles
// refuse so, makes it a SKIP that quotes the check, in a child or thread of
// the test too, and whatever fails after it is moot. Any other failure stays
// one: a filter is no reason to doubt what it does not refuse.
void skip_if_filtered(const rt::Fmt& f, const char* site, long got) {
    if (!environment().seccomp_filter || g_result->failures != 0) return;
    const char* list = got == -EPERM ? kFilteredEperm : got == -ENOSYS ? kFilteredEnosys : nullptr;
    if (!list || !names_listed_call(list, site)) return;
    char buf[460];
    rt::Fmt r(buf, sizeof buf);
    r.s("the run's seccomp filter may have refused the call: ").s(f.buf, f.len);
    if (in_test_thread()) skip(r.cstr());
    g_result->outcome = SKIP;
    g_result->msg_len = 0;
    append_message(r.buf, r.len);
    end_body();
}

bool finish(rt::Fmt& f, const char* site, long got) {
    if (g_result->outcome == SKIP) end_body();
    skip_if_filtered(f, site, got);
    append_message(f.buf, f.len);
    if (g_result->failures < 0xffff) ++g_result->failures;
    if (fatal(site)) end_body();
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
        fail("fharness:0 kc::skip", "called outside the test's own thread");
        end_body();
    }
    g_result->outcome = SKIP;
    g_result->msg_len = 0;
    append_message(reason, rt::strlen(reason));
    kc_longjmp(&g_test_jmp, 1);
}

void skip_unimplemented(const char* call, const char* reason) {
    int i = interface_index(call);
    Profile p = i < 0 ? LINUX : required_by(i);
    if (p == LINUX) skip(reason);
    char buf[300];
    rt::Fmt f(buf, sizeof buf);
    f.s(call).s(": required by ").s(profile_name(p)).s(", not implemented (").s(reason).c(')');
    g_result->missing = i;
    g_result->outcome = FAIL;
    ++g_result->failures;
    ++g_result->checks;
    append_message(f.buf, f.len);
    end_body();
}

void no_check(const char*) { ++g_result->checks; }

void fail(const char* site, const char* msg) {
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, site).s(msg);
    finish(f, site, 0);
}

bool check1(const char* site, long got) {
    ++g_result->checks;
    bool ok = (site[0] | 0x20) == C_OK ? !is_err(got) : got != 0;
    if (ok) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, site);
    if ((site[0] | 0x20) == C_OK) {
        f.s("expected success, got ").ret(got);
    } else {
        f.s("is false");
    }
    return finish(f, site, got);
}

bool check(const char* site, long got, long want) {
    ++g_result->checks;
    char k = char(site[0] | 0x20);
    bool ok = false;
    switch (k) {
        case C_ERR:
            want = -want;
            [[fallthrough]];
        case C_RET:
        case C_EQ:
            ok = got == want;
            break;
        case C_NE:
            ok = got != want;
            break;
        case C_LT:
            ok = got < want;
            break;
        case C_LE:
            ok = got <= want;
            break;
        case C_GT:
            ok = got > want;
            break;
        case C_GE:
            ok = got >= want;
            break;
        default:
            break;
    }
    if (ok) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, site);
    if (k == C_RET || k == C_ERR) {
        f.s("expected ").ret(want).s(", got ").ret(got);
    } else {
        // Plain integers: decimal, with the errno name only as a hint.
        const char* rel = k == C_NE   ? "!= "
                          : k == C_LT ? "< "
                          : k == C_LE ? "<= "
                          : k == C_GT ? "> "
                          : k == C_GE ? ">= "
                                      : "";
        f.s("expected ").s(rel).d(want);
        f.s(", got ").d(got);
        if (got < 0 && rt::errno_name(-got)) f.s(" (-").s(rt::errno_name(-got)).c(')');
    }
    return finish(f, site, got);
}

bool check_err2(const char* site, long got, int e1, int e2) {
    ++g_result->checks;
    if (got == -e1 || got == -e2) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, site).s("expected ").ret(-e1).s(" or ").ret(-e2).s(", got ").ret(got);
    return finish(f, site, got);
}

bool check_mem(const char* site, const void* a, const void* b, usize n) {
    ++g_result->checks;
    auto* x = static_cast<const u8*>(a);
    auto* y = static_cast<const u8*>(b);
    usize i = 0;
    while (i < n && x[i] == y[i]) ++i;
    if (i == n) return true;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, site).s("first difference at byte ").u(i).s(" of ").u(n).s(": ");
    f.x(x[i]).s(" vs ").x(y[i]);
    return finish(f, site, 0);
}

bool child_ok(const char* site, long pid) {
    ++g_result->checks;
    char buf[400];
    rt::Fmt f(buf, sizeof buf);
    head(f, site);
    if (pid <= 0) {
        f.s("no child: ").ret(pid);
        return finish(f, site, pid);
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
    return finish(f, site, 0);
}

}  // namespace kc

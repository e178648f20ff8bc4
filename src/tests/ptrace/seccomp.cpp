// SPDX-License-Identifier: MIT
// seccomp(2): what sandboxes rely on. Covers strict mode (only
// read/write/exit/rt_sigreturn survive), the NO_NEW_PRIVS rule for filters
// (EACCES unprivileged, allowed with CAP_SYS_ADMIN), every filter action on
// one system call (ERRNO with its data clamped, TRAP's SIGSYS siginfo,
// KILL_PROCESS/KILL_THREAD, ALLOW, LOG, TRACE and USER_NOTIF without a
// tracer or listener, TRACE with a tracer), the classic-BPF checks (length
// 0 and > BPF_MAXINSNS, bad jumps, missing return, bad loads), the 32768
// instruction budget, unknown operations and flags, GET_ACTION_AVAIL and
// GET_NOTIF_SIZES. Which filters apply where (stacking, fork, threads) and
// the prctl(2) forms are in seccomp_scope.cpp.
//
// Every filter and strict mode is set up in a child process (never in the
// harness or the test process); children that die of SIGSYS are made
// non-dumpable first, so that no core file is written. Left out: the user notification protocol
// (SECCOMP_IOCTL_NOTIF_*), SECCOMP_FILTER_FLAG_LOG and SPEC_ALLOW effects,
// PTRACE_SECCOMP_GET_FILTER, and eBPF.
#include "rt/sys_thread.hpp"
#include "tests/ptrace/seccomp_util.hpp"

using namespace seccomp_filter;

enum StrictCall { S_WRITE, S_READ, S_GETPID, S_EXIT_GROUP, S_PR_GET_SECCOMP };
struct Strict {
    const char* label;
    StrictCall call;
    bool via_prctl;
    int sig;  // 0: the child exits 0 through exit(2)
};
constexpr Strict kStricts[] = {
    {"write", S_WRITE, false, 0},
    {"read", S_READ, false, 0},
    {"getpid", S_GETPID, false, SIGKILL},
    {"exit_group", S_EXIT_GROUP, false, SIGKILL},
    {"prctl_get_seccomp", S_PR_GET_SECCOMP, false, SIGKILL},
    {"prctl_set_then_getpid", S_GETPID, true, SIGKILL},
};
// seccomp(2) SECCOMP_SET_MODE_STRICT (and prctl PR_SET_SECCOMP 1): "the only
// system calls that the calling thread is permitted to make are read(2),
// write(2), _exit(2) (but not exit_group(2)), and sigreturn(2)"; any other
// call is killed with SIGKILL, PR_GET_SECCOMP included (prctl(2)).
TEST_P(seccomp, strict_mode_allows_only_read_write_exit, POSITIVE, LINUX, kStricts,
       .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const Strict& r = *static_cast<const Strict*>(a);
            long set = r.via_prctl ? sys::prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)
                                   : sys::seccomp(SECCOMP_SET_MODE_STRICT, 0, nullptr);
            if (set != 0) sys::exit_thread(10);
            char c = 0;
            switch (r.call) {
                case S_WRITE:
                    sys::exit_thread(sys::write(-1, &c, 1) == -EBADF ? 0 : 11);
                case S_READ:
                    sys::exit_thread(sys::read(-1, &c, 1) == -EBADF ? 0 : 12);
                case S_GETPID:
                    sys::getpid();
                    break;
                case S_EXIT_GROUP:
                    sys::exit_group(0);
                case S_PR_GET_SECCOMP:
                    sys::prctl(PR_GET_SECCOMP);
                    break;
            }
            sys::exit_thread(13);
        },
        &row);
    if (row.sig)
        EXPECT_TRUE(killed_by(st, row.sig));
    else
        EXPECT_TRUE(exited_with(st, 0));
}

struct StrictArgs {
    const char* label;
    unsigned flags;
    bool args;
};
constexpr StrictArgs kStrictArgs[] = {{"flags=1", 1, false}, {"args=non_null", 0, true}};
// seccomp(2): SECCOMP_SET_MODE_STRICT requires flags 0 and args NULL (EINVAL).
TEST_P(seccomp, strict_bad_arguments_einval, NEGATIVE, LINUX, kStrictArgs,
       .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const StrictArgs& r = *static_cast<const StrictArgs*>(a);
            EXPECT_ERR(sys::seccomp(SECCOMP_SET_MODE_STRICT, r.flags, r.args ? &r : nullptr),
                       EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_DISABLED);
        },
        &row);
    EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2) EACCES: without no_new_privs, installing a filter needs
// CAP_SYS_ADMIN in the caller's user namespace; an unprivileged caller (here:
// a child that dropped every capability, which is all the check looks at)
// gets EACCES.
TEST(seccomp, filter_without_no_new_privs_unprivileged_eacces, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK) {
    if (sys::prctl(PR_GET_NO_NEW_PRIVS) != 0) kc::skip("no_new_privs is already set");
    int st = in_child(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            sock_filter allow = ret(SECCOMP_RET_ALLOW);
            sock_fprog p{1, &allow};
            EXPECT_ERR(sys::seccomp(SECCOMP_SET_MODE_FILTER, 0, &p), EACCES);
            EXPECT_ERR(sys::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, long(&p)), EACCES);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_DISABLED);
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2): with CAP_SYS_ADMIN (in the caller's user namespace: root in
// a user namespace has it) a filter may be installed without no_new_privs;
// PR_GET_SECCOMP then reports mode 2.
TEST(seccomp, filter_without_no_new_privs_root_allowed, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    int st = in_child(
        [](void*) {
            sock_filter allow = ret(SECCOMP_RET_ALLOW);
            sock_fprog p{1, &allow};
            EXPECT_RET(sys::seccomp(SECCOMP_SET_MODE_FILTER, 0, &p), 0);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_FILTER);
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

struct Action {
    const char* label;
    u32 action;
    long ret;  // 1: getppid works as before
    int sig;   // the child dies of it instead
};
constexpr Action kActions[] = {
    {"errno_eperm", SECCOMP_RET_ERRNO | EPERM, -EPERM, 0},
    {"errno_data=0", SECCOMP_RET_ERRNO, 0, 0},
    {"errno_data=4095", SECCOMP_RET_ERRNO | 4095, -4095, 0},
    {"errno_data=0xffff", SECCOMP_RET_ERRNO | 0xffff, -4095, 0},
    {"allow", SECCOMP_RET_ALLOW, 1, 0},
    {"log", SECCOMP_RET_LOG, 1, 0},
    {"trace_without_tracer", SECCOMP_RET_TRACE, -ENOSYS, 0},
    {"user_notif_without_listener", SECCOMP_RET_USER_NOTIF, -ENOSYS, 0},
    {"kill_process", SECCOMP_RET_KILL_PROCESS, 0, SIGSYS},
    {"kill_thread", SECCOMP_RET_KILL_THREAD, 0, SIGSYS},
    {"unknown_action", 0x12340000, 0, SIGSYS},
};
// seccomp(2) filter return values, applied to getppid only: ERRNO returns
// -data (Linux clamps data to MAX_ERRNO 4095; data 0 makes the call "succeed"
// with 0); ALLOW and LOG run the call; TRACE with no tracer and USER_NOTIF
// with no listener fail with ENOSYS; KILL_PROCESS, KILL_THREAD (of the only
// thread) and unknown actions kill with SIGSYS. Other calls keep working.
TEST_P(seccomp, filter_action_on_getppid, POSITIVE, LINUX, kActions, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const Action& r = *static_cast<const Action*>(a);
            long ppid = sys::getppid(), pid = sys::getpid();
            ASSERT_RET(install_match(r.action), 0);
            EXPECT_RET(sys::getppid(), r.ret == 1 ? ppid : r.ret);
            EXPECT_RET(sys::getpid(), pid);
        },
        &row);
    if (row.sig)
        EXPECT_TRUE(killed_by(st, row.sig));
    else
        EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2) SECCOMP_RET_TRAP: the call is not run and SIGSYS is delivered
// with si_code SYS_SECCOMP, si_errno = the action's data, si_syscall, si_arch
// (this architecture's AUDIT_ARCH) and si_call_addr set.
TEST(seccomp, trap_delivers_sigsys_siginfo, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void*) {
            auto h = [](int, siginfo* si, void*) { g_info = *si; };
            arch::KSigaction sa = arch::make_sigaction(reinterpret_cast<void*>(+h), SA_SIGINFO, 0);
            ASSERT_RET(sys::rt_sigaction(SIGSYS, &sa, nullptr), 0);
            ASSERT_RET(install_match(SECCOMP_RET_TRAP | 0x1234), 0);
            sys::getppid();
            EXPECT_EQ(g_info.si_signo, SIGSYS);
            EXPECT_EQ(g_info.si_code, SYS_SECCOMP);
            EXPECT_EQ(g_info.si_errno, 0x1234);
            EXPECT_EQ(g_info.sigsys.syscall, nr::getppid);
            EXPECT_EQ(g_info.sigsys.arch, arch::AUDIT_ARCH);
            EXPECT_NE(long(g_info.sigsys.call_addr), 0);
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2) SECCOMP_RET_TRACE with a tracer that set PTRACE_O_TRACESECCOMP:
// the tracee stops with PTRACE_EVENT_SECCOMP; PTRACE_GETEVENTMSG and
// PTRACE_GET_SYSCALL_INFO (op SECCOMP) give the action's data; continuing
// runs the call.
TEST(seccomp, trace_action_stops_tracer, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    auto child = [](long) {
        long ppid = sys::getppid();
        if (install_match(SECCOMP_RET_TRACE | 0x77) != 0) return 1;
        return sys::getppid() == ppid ? 0 : 2;
    };
    require_no_seccomp();
    if (!start_traced(k, child)) return;
    EXPECT_RET(sys::ptrace(PTRACE_SETOPTIONS, k.pid, 0, PTRACE_O_TRACESECCOMP), 0);
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), 0);
    int st = k.wait();
    if (!EXPECT_TRUE(wifstopped(st))) return;
    EXPECT_EQ(st >> 8, SIGTRAP | PTRACE_EVENT_SECCOMP << 8);
    unsigned long msg = 0;
    EXPECT_RET(sys::ptrace(PTRACE_GETEVENTMSG, k.pid, 0, long(&msg)), 0);
    EXPECT_EQ(msg, 0x77u);
    ptrace_syscall_info in{};
    EXPECT_RET(sys::ptrace(PTRACE_GET_SYSCALL_INFO, k.pid, sizeof in, long(&in)), kInfoSeccompSize);
    EXPECT_EQ(in.op, PTRACE_SYSCALL_INFO_SECCOMP);
    EXPECT_EQ(long(in.seccomp.nr), nr::getppid);
    EXPECT_EQ(in.seccomp.ret_data, 0x77u);
    EXPECT_TRUE(exited_with(k.run_to_end(), 0));
}

struct BadProg {
    const char* label;
    u16 len;
    sock_filter insn[2];
    int err;
};
constexpr BadProg kBadProgs[] = {
    {"len=0", 0, {ret(SECCOMP_RET_ALLOW)}, EINVAL},
    {"len=4097", 4097, {ret(SECCOMP_RET_ALLOW)}, EINVAL},
    {"jump_out_of_range", 2, {jeq(0, 5, 0), ret(SECCOMP_RET_ALLOW)}, EINVAL},
    {"no_return_at_end", 1, {ld(0)}, EINVAL},
    {"unknown_opcode", 2, {{0xffff, 0, 0, 0}, ret(SECCOMP_RET_ALLOW)}, EINVAL},
    {"load_misaligned", 2, {ld(1), ret(SECCOMP_RET_ALLOW)}, EINVAL},
    {"load_past_seccomp_data", 2, {ld(64), ret(SECCOMP_RET_ALLOW)}, EINVAL},
    {"filter=bad_pointer", 1, {}, EFAULT},
};
// seccomp(2) EINVAL: a filter of length 0 or more than BPF_MAXINSNS (4096)
// instructions, or one the classic-BPF checker rejects (a jump past the end,
// no return at the end, an unknown opcode, a load outside seccomp_data or
// not 4-byte aligned); EFAULT for an unreadable program. No filter is left.
TEST_P(seccomp, bad_filter_rejected, NEGATIVE, LINUX, kBadProgs, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const BadProg& r = *static_cast<const BadProg*>(a);
            const sock_filter* f = r.err == EFAULT ? reinterpret_cast<sock_filter*>(8) : r.insn;
            EXPECT_ERR(install(f, r.len), r.err);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_DISABLED);
        },
        &row);
    EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2): a filter of exactly BPF_MAXINSNS (4096) instructions is
// accepted. All filters of a thread share MAX_INSNS_PER_PATH (32768)
// instructions, each earlier one costing 4 more; past that, ENOMEM. Linux
// counts the program after its translation to eBPF (about two instructions
// per classic RET), not the classic length the man page implies: three such
// filters fit, not seven. Both readings are accepted; a 1-instruction filter
// still fits after the refusal.
TEST(seccomp, instruction_budget_enomem, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void*) {
            long m = sys::mmap(nullptr, 4096 * 8, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            ASSERT_OK(m);
            auto* f = reinterpret_cast<sock_filter*>(m);
            for (int i = 0; i < 4096; i++) f[i] = ret(SECCOMP_RET_ALLOW);
            int n = 0;
            long r;
            while ((r = install(f, 4096)) == 0 && n < 16) n++;
            EXPECT_ERR(r, ENOMEM);
            EXPECT_GE(n, 3);
            EXPECT_LE(n, 7);
            EXPECT_RET(install(f, 1), 0);
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

struct BadOp {
    const char* label;
    unsigned op, flags;
    int args;  // 0: NULL, 1: an allow-all program, 2: a u32 action
};
constexpr BadOp kBadOps[] = {
    {"op=4", 4, 0, 1},
    {"op=UINT_MAX", 0xffffffff, 0, 1},
    {"filter_flags=bit31", SECCOMP_SET_MODE_FILTER, 0x80000000, 1},
    {"filter_flags=bit7", SECCOMP_SET_MODE_FILTER, 0x80, 1},
    {"tsync_with_new_listener", SECCOMP_SET_MODE_FILTER,
     SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER, 1},
    {"action_avail_flags=1", SECCOMP_GET_ACTION_AVAIL, 1, 2},
    {"notif_sizes_flags=1", SECCOMP_GET_NOTIF_SIZES, 1, 0},
};
// seccomp(2) EINVAL: "operation is unknown or is not supported", or "flags
// are invalid for the given operation"; TSYNC and NEW_LISTENER together need
// TSYNC_ESRCH. Run in a child in case a kernel accepts the filter anyway.
TEST_P(seccomp, unknown_operation_or_flags_einval, NEGATIVE, LINUX, kBadOps,
       .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const BadOp& r = *static_cast<const BadOp*>(a);
            sock_filter allow = ret(SECCOMP_RET_ALLOW);
            sock_fprog p{1, &allow};
            u32 action = SECCOMP_RET_ALLOW;
            const void* args = r.args == 1   ? static_cast<const void*>(&p)
                               : r.args == 2 ? static_cast<const void*>(&action)
                                             : nullptr;
            sys::prctl(PR_SET_NO_NEW_PRIVS, 1);
            EXPECT_ERR(sys::seccomp(r.op, r.flags, args), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_DISABLED);
        },
        &row);
    EXPECT_TRUE(exited_with(st, 0));
}

struct Avail {
    const char* label;
    u32 action;
    int err;
};
constexpr Avail kAvails[] = {
    {"kill_process", SECCOMP_RET_KILL_PROCESS, 0},
    {"kill_thread", SECCOMP_RET_KILL_THREAD, 0},
    {"trap", SECCOMP_RET_TRAP, 0},
    {"errno", SECCOMP_RET_ERRNO, 0},
    {"user_notif", SECCOMP_RET_USER_NOTIF, 0},
    {"trace", SECCOMP_RET_TRACE, 0},
    {"log", SECCOMP_RET_LOG, 0},
    {"allow", SECCOMP_RET_ALLOW, 0},
    {"unknown", 0x12340000, EOPNOTSUPP},
    {"errno_with_data", SECCOMP_RET_ERRNO | 1, EOPNOTSUPP},
};
// seccomp(2) SECCOMP_GET_ACTION_AVAIL (Linux 4.14): 0 for an action the
// kernel knows, EOPNOTSUPP otherwise (the value must be an action alone,
// without data). It installs nothing, so it runs in the test process.
TEST_P(seccomp, get_action_avail, BOUNDARY, LINUX, kAvails) {
    u32 a = row.action;
    long r = sys::seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &a);
    if (row.err)
        EXPECT_ERR(r, row.err);
    else
        EXPECT_RET(r, 0);
}

// seccomp(2) SECCOMP_GET_ACTION_AVAIL with an unreadable action: EFAULT.
TEST(seccomp, get_action_avail_bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::seccomp(SECCOMP_GET_ACTION_AVAIL, 0, reinterpret_cast<void*>(8)), EFAULT);
}

// seccomp(2) SECCOMP_GET_NOTIF_SIZES (Linux 5.0): the kernel's sizes of
// seccomp_notif, seccomp_notif_resp and seccomp_data (64, as filters see).
TEST(seccomp, get_notif_sizes, POSITIVE, LINUX) {
    seccomp_notif_sizes s{};
    EXPECT_RET(sys::seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &s), 0);
    EXPECT_EQ(s.seccomp_data, sizeof(seccomp_data));
    EXPECT_GE(s.seccomp_notif, 16 + sizeof(seccomp_data));
    EXPECT_GE(s.seccomp_notif_resp, 24);
}

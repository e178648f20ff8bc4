// SPDX-License-Identifier: MIT
// sigaltstack(2): handlers with SA_ONSTACK run on the alternate stack,
// SS_ONSTACK is reported while on it, SS_DISABLE, SS_AUTODISARM, the minimum
// size, flag validation, EPERM for changes made on the stack, and what fork
// and new threads get. sigaltstack is an XSI extension outside the PSE51-53
// profiles, so every test is tagged LINUX.
// Every test restores the caller's alternate stack (in --isolate=none the
// harness's own) before it ends.
// Not covered here: overflowing the alternate stack, execve clearing it.
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

// sigaltstack(2): a handler installed with SA_ONSTACK runs on the alternate
// stack (its locals lie inside it) and a query from the handler reports
// SS_ONSTACK; back outside, the stack is reported as installed, flags 0.
TEST(sigaltstack, handler_runs_on_alt_stack, POSITIVE, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set());
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1, SA_ONSTACK));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_TRUE(alt.contains(g_log.local));
    EXPECT_EQ(g_log.ss_flags, SS_ONSTACK);
    stack_t ss = altstack_query();
    EXPECT_EQ(ss.ss_flags, 0);
    EXPECT_EQ(long(ss.ss_sp), long(alt.base));
    EXPECT_EQ(long(ss.ss_size), long(kAltStackSize));
}

// sigaltstack(2): a handler without SA_ONSTACK runs on the normal stack even
// when an alternate stack is installed; a query there reports flags 0.
TEST(sigaltstack, no_sa_onstack_uses_normal_stack, POSITIVE, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set());
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_TRUE(!alt.contains(g_log.local));
    EXPECT_EQ(g_log.ss_flags, 0);
}

// sigaltstack(2): a nested SA_ONSTACK signal raised by a handler that runs
// on the alternate stack also runs there, below the first frame.
TEST(sigaltstack, nested_handler_stays_on_alt_stack, POSITIVE, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set());
    log_reset();
    g_log.reraise = 1;
    ASSERT_OK(catch_sig(SIGUSR2, SA_ONSTACK | SA_NODEFER));
    EXPECT_OK(raise(SIGUSR2));
    EXPECT_EQ(g_log.count[SIGUSR2], 2);
    EXPECT_EQ(g_log.max_depth, 2);
    EXPECT_TRUE(alt.contains(g_log.local));  // the inner handler's local
}

// sigaltstack(2): the old stack is returned through old_ss when a new one is
// installed; with ss NULL the call only reports.
TEST(sigaltstack, old_stack_returned, POSITIVE, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set(0, kAltStackSize / 2));
    stack_t ss{alt.base + kAltStackSize / 2, 0, kAltStackSize / 2}, old{};
    EXPECT_OK(sys::sigaltstack(&ss, &old));
    EXPECT_EQ(long(old.ss_sp), long(alt.base));
    EXPECT_EQ(long(old.ss_size), long(kAltStackSize / 2));
    EXPECT_EQ(old.ss_flags, 0);
    stack_t now = altstack_query();
    EXPECT_EQ(long(now.ss_sp), long(alt.base + kAltStackSize / 2));
}

struct SizeRow {
    const char* label;
    usize size;
};
constexpr SizeRow kSmall[] = {
    {"size=0", 0}, {"size=1", 1}, {"size=MINSIGSTKSZ-1", arch::MINSIGSTKSZ - 1}};
// sigaltstack(2) ERRORS: ENOMEM when ss_size is below MINSIGSTKSZ; the
// installed stack does not change.
TEST_P(sigaltstack, below_minsigstksz_enomem, NEGATIVE, LINUX, kSmall) {
    AltStack alt;
    ASSERT_OK(alt.set());
    stack_t ss{alt.base, 0, row.size};
    EXPECT_ERR(sys::sigaltstack(&ss, nullptr), ENOMEM);
    EXPECT_EQ(long(altstack_query().ss_size), long(kAltStackSize));
}

// sigaltstack(2): exactly MINSIGSTKSZ bytes are accepted.
TEST(sigaltstack, minsigstksz_accepted, BOUNDARY, LINUX) {
    AltStack alt;
    EXPECT_OK(alt.set(0, arch::MINSIGSTKSZ));
    EXPECT_EQ(long(altstack_query().ss_size), long(arch::MINSIGSTKSZ));
}

struct FlagRow {
    const char* label;
    int flags;
};
constexpr FlagRow kBadFlags[] = {{"ONSTACK|DISABLE", SS_ONSTACK | SS_DISABLE},
                                 {"flags=4", 4},
                                 {"flags=0x7fffffff", 0x7fffffff},
                                 {"flags=-1", -1}};
// sigaltstack(2) ERRORS: EINVAL for ss_flags other than 0, SS_DISABLE (or
// SS_ONSTACK), optionally with SS_AUTODISARM.
TEST_P(sigaltstack, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    AltStack alt;
    ASSERT_OK(alt.set());
    EXPECT_ERR(alt.set(row.flags), EINVAL);
    EXPECT_EQ(altstack_query().ss_flags, 0);
}

// sigaltstack(2): Linux accepts SS_ONSTACK in ss_flags and treats it as 0
// (old programs pass it); the stack is installed and not "on stack".
TEST(sigaltstack, ss_onstack_flag_treated_as_zero, BOUNDARY, LINUX) {
    AltStack alt;
    EXPECT_OK(alt.set(SS_ONSTACK));
    stack_t ss = altstack_query();
    EXPECT_EQ(ss.ss_flags, 0);
    EXPECT_EQ(long(ss.ss_sp), long(alt.base));
}

// sigaltstack(2) SS_DISABLE: the stack is disabled (the other fields are
// ignored, size 0 included); queries report SS_DISABLE and SA_ONSTACK
// handlers run on the normal stack.
TEST(sigaltstack, ss_disable_disables, POSITIVE, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set());
    stack_t off{reinterpret_cast<void*>(8), SS_DISABLE, 0};
    EXPECT_OK(sys::sigaltstack(&off, nullptr));
    EXPECT_EQ(altstack_query().ss_flags, SS_DISABLE);
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1, SA_ONSTACK));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_TRUE(!alt.contains(g_log.local));
    EXPECT_EQ(g_log.ss_flags, SS_DISABLE);
}

struct ChangeRow {
    const char* label;
    bool disable;
};
constexpr ChangeRow kChanges[] = {{"new_stack", false}, {"SS_DISABLE", true}};
// sigaltstack(2) ERRORS: EPERM for an attempt to change (or disable) the
// alternate stack while running on it; the stack stays as it was.
TEST_P(sigaltstack, change_while_on_stack_eperm, NEGATIVE, LINUX, kChanges) {
    AltStack alt;
    ASSERT_OK(alt.set(0, kAltStackSize / 2));
    log_reset();
    g_log.change = row.disable ? stack_t{nullptr, SS_DISABLE, 0}
                               : stack_t{alt.base + kAltStackSize / 2, 0, kAltStackSize / 2};
    g_log.change_ss = 1;
    ASSERT_OK(catch_sig(SIGUSR1, SA_ONSTACK));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.ss_flags, SS_ONSTACK);
    EXPECT_ERR(g_log.ss_change, EPERM);
    stack_t ss = altstack_query();
    EXPECT_EQ(long(ss.ss_sp), long(alt.base));
    EXPECT_EQ(ss.ss_flags, 0);
}

// sigaltstack(2) SS_AUTODISARM (Linux 4.7): the stack is disarmed while a
// handler runs on it (queries there say SS_DISABLE) and re-armed when the
// handler returns; queries outside report SS_AUTODISARM.
TEST(sigaltstack, autodisarm, POSITIVE, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set(SS_AUTODISARM));
    EXPECT_EQ(altstack_query().ss_flags, SS_AUTODISARM);
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1, SA_ONSTACK));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_TRUE(alt.contains(g_log.local));
    EXPECT_EQ(g_log.ss_flags, SS_DISABLE);
    stack_t ss = altstack_query();
    EXPECT_EQ(ss.ss_flags, SS_AUTODISARM);
    EXPECT_EQ(long(ss.ss_sp), long(alt.base));
    EXPECT_EQ(long(ss.ss_size), long(kAltStackSize));
}

struct PtrRow {
    const char* label;
    bool bad_ss;
};
constexpr PtrRow kBadPtr[] = {{"ss", true}, {"old_ss", false}};
// sigaltstack(2) ERRORS: EFAULT when ss or old_ss points outside the
// address space.
TEST_P(sigaltstack, bad_pointer_efault, NEGATIVE, LINUX, kBadPtr) {
    auto* bad = reinterpret_cast<stack_t*>(8);
    EXPECT_ERR(sys::sigaltstack(row.bad_ss ? bad : nullptr, row.bad_ss ? nullptr : bad), EFAULT);
}

namespace {
uptr g_alt_base;
}

// sigaltstack(2): "A child created via fork(2) inherits a copy of its
// parent's alternate signal stack settings", and its handlers use it.
TEST(sigaltstack, inherited_by_fork_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    AltStack alt;
    ASSERT_OK(alt.set());
    g_alt_base = uptr(alt.base);
    ASSERT_OK(catch_sig(SIGUSR1, SA_ONSTACK));
    long pid = kc::spawn(
        [](void*) {
            stack_t ss = altstack_query();
            EXPECT_EQ(long(ss.ss_sp), long(g_alt_base));
            EXPECT_EQ(long(ss.ss_size), long(kAltStackSize));
            log_reset();
            EXPECT_OK(raise(SIGUSR1));
            EXPECT_TRUE(g_log.local >= g_alt_base && g_log.local < g_alt_base + kAltStackSize);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

namespace {
struct ThreadView {
    stack_t before, after;
    long set;
};
void thread_altstack(void* p) {
    auto* v = static_cast<ThreadView*>(p);
    v->before = altstack_query();
    // A thread may install its own; it is gone with the thread.
    stack_t ss{reinterpret_cast<char*>(g_alt_base) + kAltStackSize / 2, 0, kAltStackSize / 2};
    v->set = sys::sigaltstack(&ss, nullptr);
    v->after = altstack_query();
}
}  // namespace

// sigaltstack(2) / clone(2): a thread (CLONE_VM without CLONE_VFORK) starts
// with no alternate stack, whatever its creator has, and its own setting
// does not change the creator's.
TEST(sigaltstack, new_thread_starts_disabled, BOUNDARY, LINUX) {
    AltStack alt;
    ASSERT_OK(alt.set(0, kAltStackSize / 2));
    g_alt_base = uptr(alt.base);
    ThreadView v{};
    Thread t;
    ASSERT_OK(thread_start(t, thread_altstack, &v));
    thread_join(t);
    EXPECT_EQ(v.before.ss_flags, SS_DISABLE);
    EXPECT_EQ(long(v.before.ss_size), 0);
    EXPECT_OK(v.set);
    EXPECT_EQ(long(v.after.ss_sp), long(alt.base + kAltStackSize / 2));
    stack_t mine = altstack_query();
    EXPECT_EQ(long(mine.ss_sp), long(alt.base));
    EXPECT_EQ(long(mine.ss_size), long(kAltStackSize / 2));
}

// SPDX-License-Identifier: MIT
// futex(2): FUTEX_WAIT/FUTEX_WAKE between threads (private and shared, and
// across processes on a shared mapping), exact wake counts, value
// mismatch, relative and absolute timeouts, REQUEUE, CMP_REQUEUE, WAKE_OP,
// WAIT_BITSET/WAKE_BITSET, interruption by signals, and argument
// validation.
// To know that N threads are asleep on a futex without racing them, the
// tests requeue the futex's waiters onto the same futex with
// FUTEX_CMP_REQUEUE (nr_wake 0): that wakes nobody and returns how many
// are waiting. (Moving them to another word instead would count a waiter
// twice after a spurious wake-up: Linux then re-waits on the original word.)
// Not covered here: the PI operations (LOCK_PI, UNLOCK_PI, TRYLOCK_PI,
// *_REQUEUE_PI), robust lists, futex_waitv and the futex2 calls.
#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "tests/common/common_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

constexpr int P = FUTEX_PRIVATE_FLAG;
constexpr int kSentinel = -9999;

// A waiter: futex(addr, op, val, 5 s timeout [absolute for WAIT_BITSET],
// nullptr, bitset), result in `result`.
struct Waiter {
    u32* addr;
    int op;
    u32 val;
    u32 bitset;
    long result;
};

void waiter_thread(void* p) {
    auto* w = static_cast<Waiter*>(p);
    timespec ts{5, 0};
    if ((w->op & 127) == FUTEX_WAIT_BITSET) {
        sys::clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += 5;
    }
    long r = sys::futex(w->addr, w->op, w->val, &ts, nullptr, w->bitset);
    __atomic_store_n(&w->result, r, __ATOMIC_RELEASE);
}

// Starts waiters w[0..n) on `word` and returns once all n are asleep there
// (or 5 s have passed): the number asleep at the end.
int park(Thread* t, Waiter* w, int n, u32* word) {
    for (int i = 0; i < n; ++i) {
        w[i].addr = word;
        w[i].result = kSentinel;
        thread_start(t[i], waiter_thread, &w[i]);
    }
    long asleep = 0;
    i64 end = kc::now_ns() + 5000000000;
    while (asleep != n && kc::now_ns() < end) {
        // Requeueing a futex's waiters onto the same futex wakes nobody and
        // returns how many there are.
        asleep = sys::futex_n(word, FUTEX_CMP_REQUEUE | P, 0, INT_MAX, word, *word);
        if (asleep != n) common::sleep_ms(1);
    }
    return int(asleep);
}

// Wakes everything left on the words and joins the threads.
void unpark(Thread* t, int n, u32* a, u32* b) {
    for (int i = 0; i < n; ++i) {
        sys::futex(a, FUTEX_WAKE | P, INT_MAX);
        if (b) sys::futex(b, FUTEX_WAKE | P, INT_MAX);
        thread_join(t[i]);
    }
}

struct FlagRow {
    const char* label;
    int flag;
};
constexpr FlagRow kFlavors[] = {{"shared", 0}, {"private", FUTEX_PRIVATE_FLAG}};

}  // namespace

// futex(2) FUTEX_WAIT/FUTEX_WAKE: a thread asleep on a word is woken by
// FUTEX_WAKE from another thread (which returns 1, the number woken) and its
// FUTEX_WAIT returns 0; with and without FUTEX_PRIVATE_FLAG.
TEST_P(futex, wait_wake_between_threads, POSITIVE, LINUX, kFlavors) {
    u32 word = 0;
    Waiter w{&word, FUTEX_WAIT | row.flag, 0, 0, kSentinel};
    Thread t;
    ASSERT_GT(thread_start(t, waiter_thread, &w), 0);
    long woken = 0;
    i64 end = kc::now_ns() + 5000000000;
    while (woken == 0 && kc::now_ns() < end) {
        woken = sys::futex(&word, FUTEX_WAKE | row.flag, 1);
        if (woken == 0) common::sleep_ms(1);
    }
    thread_join(t);
    EXPECT_EQ(woken, 1);
    EXPECT_EQ(w.result, 0);
}

// futex(2) FUTEX_WAKE: "wakes at most val of the waiters" and returns how
// many it woke: 4 asleep, wake 2 -> 2, wake INT_MAX -> 2, then 0.
TEST(futex, wake_count_exact, POSITIVE, LINUX) {
    u32 word = 0;
    Thread t[4];
    Waiter w[4];
    for (auto& x : w) x = {nullptr, FUTEX_WAIT | P, 0, 0, 0};
    EXPECT_EQ(park(t, w, 4, &word), 4);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE | P, 2), 2);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE | P, INT_MAX), 2);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE | P, INT_MAX), 0);
    unpark(t, 4, &word, nullptr);
    for (auto& x : w) EXPECT_EQ(x.result, 0);
}

// futex(2) FUTEX_WAKE: with no waiter the call wakes nobody and returns 0.
TEST_P(futex, wake_without_waiters_zero, BOUNDARY, LINUX, kFlavors) {
    u32 word = 0;
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE | row.flag, INT_MAX), 0);
}

// futex(2) FUTEX_WAKE: Linux treats a count of 0 like 1 (it checks the count
// after waking a waiter); the man page only says "at most val".
TEST(futex, wake_zero_wakes_one, BOUNDARY, LINUX) {
    u32 word = 0;
    Thread t[2];
    Waiter w[2];
    for (auto& x : w) x = {nullptr, FUTEX_WAIT | P, 0, 0, 0};
    EXPECT_EQ(park(t, w, 2, &word), 2);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE | P, 0), 1);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE | P, INT_MAX), 1);
    unpark(t, 2, &word, nullptr);
}

// futex(2) ERRORS: EAGAIN when the word does not hold val at the time of
// the call; nothing sleeps.
TEST_P(futex, value_mismatch_eagain, NEGATIVE, LINUX, kFlavors) {
    u32 word = 1;
    const timespec ts{1, 0};
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | row.flag, 0, &ts), EAGAIN);
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT_BITSET | row.flag, 0, nullptr, nullptr,
                          FUTEX_BITSET_MATCH_ANY),
               EAGAIN);
}

// futex(2) FUTEX_WAIT: the comparison is on all 32 bits: 0xffffffff matches
// only 0xffffffff (it then sleeps until the zero timeout: ETIMEDOUT).
TEST(futex, wait_compares_all_32_bits, BOUNDARY, LINUX) {
    u32 word = 0xffffffff;
    const timespec zero{0, 0};
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | P, 0x7fffffff, &zero), EAGAIN);
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | P, 0xfffffffe, &zero), EAGAIN);
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | P, 0xffffffff, &zero), ETIMEDOUT);
}

// futex(2) FUTEX_WAIT: the timeout is relative: with nobody waking it the
// call fails with ETIMEDOUT after 10 ms, not before.
TEST_P(futex, relative_timeout_etimedout, POSITIVE, LINUX, kFlavors, .flags = kc::SLOW) {
    u32 word = 0;
    const timespec ts{0, 10000000};
    i64 t0 = kc::now_ns();
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | row.flag, 0, &ts), ETIMEDOUT);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, 10000000);
    EXPECT_LT(dt, 2000000000);
}

// futex(2) FUTEX_WAIT: a zero timeout times out at once.
TEST(futex, zero_timeout_etimedout, BOUNDARY, LINUX) {
    u32 word = 0;
    const timespec zero{0, 0};
    i64 took = kc::quickest_ns(
        1000000000, [&] { EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | P, 0, &zero), ETIMEDOUT); });
    EXPECT_LT(took, 1000000000);
}

struct TsRow {
    const char* label;
    timespec ts;
};
constexpr TsRow kBadTs[] = {
    {"nsec=-1", {0, -1}}, {"nsec=1000000000", {0, 1000000000}}, {"sec=-1", {-1, 0}}};
// futex(2) ERRORS: EINVAL for a timeout whose tv_nsec is outside
// [0, 999999999] or whose tv_sec is negative.
TEST_P(futex, bad_timeout_einval, NEGATIVE, LINUX, kBadTs) {
    u32 word = 0;
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | P, 0, &row.ts), EINVAL);
}

struct OpRow {
    const char* label;
    int op;
};
constexpr OpRow kBadOps[] = {
    {"FUTEX_FD", FUTEX_FD}, {"op=14", 14}, {"op=15", 15}, {"op=127", 127}, {"op=0x1000", 0x1000}};
// futex(2) ERRORS: ENOSYS for an invalid operation (FUTEX_FD was removed in
// Linux 2.6.26).
TEST_P(futex, invalid_op_enosys, NEGATIVE, LINUX, kBadOps) {
    u32 word = 0;
    EXPECT_ERR(sys::futex(&word, row.op, 0), ENOSYS);
}

constexpr OpRow kNoRealtime[] = {{"FUTEX_WAKE", FUTEX_WAKE},
                                 {"FUTEX_REQUEUE", FUTEX_REQUEUE},
                                 {"FUTEX_WAKE_BITSET", FUTEX_WAKE_BITSET}};
// futex(2) ERRORS: ENOSYS when FUTEX_CLOCK_REALTIME is given with an
// operation that takes no timeout.
TEST_P(futex, clock_realtime_flag_enosys, NEGATIVE, LINUX, kNoRealtime) {
    u32 word = 0;
    EXPECT_ERR(
        sys::futex(&word, row.op | FUTEX_CLOCK_REALTIME, 1, nullptr, &word, FUTEX_BITSET_MATCH_ANY),
        ENOSYS);
}

// futex(2) FUTEX_CLOCK_REALTIME with FUTEX_WAIT: the man page says it is
// accepted since Linux 4.5; Linux 6.18 rejects it with ENOSYS like the
// other operations without an absolute timeout, and Linux wins here.
TEST(futex, wait_clock_realtime_enosys, NEGATIVE, LINUX) {
    u32 word = 0;
    const timespec ts{0, 1000000};
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT | P | FUTEX_CLOCK_REALTIME, 0, &ts), ENOSYS);
}

constexpr OpRow kUnaligned[] = {{"WAIT", FUTEX_WAIT},
                                {"WAKE", FUTEX_WAKE},
                                {"WAIT_private", FUTEX_WAIT | P},
                                {"WAKE_private", FUTEX_WAKE | P}};
// futex(2) ERRORS: EINVAL when uaddr is not aligned to 4 bytes.
TEST_P(futex, unaligned_address_einval, NEGATIVE, LINUX, kUnaligned) {
    u32 words[2] = {0, 0};
    auto* odd = reinterpret_cast<u32*>(reinterpret_cast<char*>(words) + 1);
    const timespec zero{0, 0};
    EXPECT_ERR(sys::futex(odd, row.op, 0, &zero), EINVAL);
}

constexpr OpRow kFaultOps[] = {{"WAIT", FUTEX_WAIT}, {"WAIT_private", FUTEX_WAIT | P}};
// futex(2) ERRORS: EFAULT when the word to compare (or the timeout) is not
// readable.
TEST_P(futex, unreadable_word_efault, NEGATIVE, LINUX, kFaultOps) {
    u32 word = 0;
    const timespec zero{0, 0};
    EXPECT_ERR(sys::futex(reinterpret_cast<u32*>(8), row.op, 0, &zero), EFAULT);
    EXPECT_ERR(sys::futex(&word, row.op, 0, reinterpret_cast<timespec*>(8)), EFAULT);
}

// futex(2) FUTEX_REQUEUE: wakes val waiters of uaddr and moves up to val2 of
// the rest to uaddr2: 3 asleep on A, wake 1 and move the others: A is
// empty, B has 2. The man page says the result is the number woken (1);
// Linux returns woken plus requeued (3), as for FUTEX_CMP_REQUEUE.
TEST(futex, requeue_moves_waiters, POSITIVE, LINUX) {
    u32 a = 0, b = 0;
    Thread t[3];
    Waiter w[3];
    for (auto& x : w) x = {nullptr, FUTEX_WAIT | P, 0, 0, 0};
    EXPECT_EQ(park(t, w, 3, &a), 3);
    EXPECT_RET(sys::futex_n(&a, FUTEX_REQUEUE | P, 1, INT_MAX, &b, 0), 3);
    EXPECT_RET(sys::futex(&a, FUTEX_WAKE | P, INT_MAX), 0);
    EXPECT_RET(sys::futex(&b, FUTEX_WAKE | P, INT_MAX), 2);
    unpark(t, 3, &a, &b);
    for (auto& x : w) EXPECT_EQ(x.result, 0);
}

// futex(2) FUTEX_CMP_REQUEUE: returns woken plus requeued: 3 asleep on A,
// wake 1, move 1: returns 2; one is left on A, one is on B.
TEST(futex, cmp_requeue_counts_woken_and_moved, POSITIVE, LINUX) {
    u32 a = 0, b = 0;
    Thread t[3];
    Waiter w[3];
    for (auto& x : w) x = {nullptr, FUTEX_WAIT | P, 0, 0, 0};
    EXPECT_EQ(park(t, w, 3, &a), 3);
    EXPECT_RET(sys::futex_n(&a, FUTEX_CMP_REQUEUE | P, 1, 1, &b, 0), 2);
    EXPECT_RET(sys::futex(&b, FUTEX_WAKE | P, INT_MAX), 1);
    EXPECT_RET(sys::futex(&a, FUTEX_WAKE | P, INT_MAX), 1);
    unpark(t, 3, &a, &b);
}

// futex(2) FUTEX_CMP_REQUEUE ERRORS: EAGAIN when *uaddr is not val3; nothing
// is woken or moved.
TEST(futex, cmp_requeue_mismatch_eagain, NEGATIVE, LINUX) {
    u32 a = 5, b = 0;
    EXPECT_ERR(sys::futex_n(&a, FUTEX_CMP_REQUEUE | P, 1, 1, &b, 4), EAGAIN);
    EXPECT_RET(sys::futex_n(&a, FUTEX_CMP_REQUEUE | P, 1, 1, &b, 5), 0);
}

struct CountRow {
    const char* label;
    int op, nr_wake;
    long nr_requeue;
};
constexpr CountRow kBadCounts[] = {{"CMP_REQUEUE_nr_wake=-1", FUTEX_CMP_REQUEUE, -1, 1},
                                   {"CMP_REQUEUE_nr_requeue=-1", FUTEX_CMP_REQUEUE, 1, -1},
                                   {"REQUEUE_nr_requeue=-1", FUTEX_REQUEUE, 1, -1}};
// futex(2) ERRORS: EINVAL for a negative wake or requeue count (Linux checks
// the int values).
TEST_P(futex, requeue_negative_count_einval, NEGATIVE, LINUX, kBadCounts) {
    u32 a = 0, b = 0;
    EXPECT_ERR(sys::futex_n(&a, row.op | P, row.nr_wake, row.nr_requeue, &b, 0), EINVAL);
}

struct WakeOpRow {
    const char* label;
    int op, oparg;
    u32 want;
};
constexpr WakeOpRow kWakeOps[] = {{"SET", FUTEX_OP_SET, 5, 5},
                                  {"ADD", FUTEX_OP_ADD, 3, 13},
                                  {"OR", FUTEX_OP_OR, 0x30, 0x3a},
                                  {"ANDN", FUTEX_OP_ANDN, 0x3, 0x8},
                                  {"XOR", FUTEX_OP_XOR, 0xff, 0xf5},
                                  {"SET_OPARG_SHIFT", FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 4, 16},
                                  {"ADD_negative_oparg", FUTEX_OP_ADD, 0xfff, 9}};  // 12-bit -1
// futex(2) FUTEX_WAKE_OP: *uaddr2 = *uaddr2 OP oparg, atomically (the old
// value is 10); with no waiters the call returns 0. oparg is a signed
// 12-bit field; OPARG_SHIFT uses 1 << oparg.
TEST_P(futex, wake_op_arithmetic, POSITIVE, LINUX, kWakeOps) {
    u32 a = 0, b = 10;
    EXPECT_RET(sys::futex_n(&a, FUTEX_WAKE_OP | P, 1, 1, &b,
                            futex_op(row.op, row.oparg, FUTEX_OP_CMP_EQ, 0)),
               0);
    EXPECT_EQ(b, row.want);
    EXPECT_EQ(a, 0);
}

struct CmpRow {
    const char* label;
    int cmp, cmparg;
    long woken;
};
constexpr CmpRow kWakeOpCmp[] = {
    {"EQ_true", FUTEX_OP_CMP_EQ, 0, 1}, {"EQ_false", FUTEX_OP_CMP_EQ, 5, 0},
    {"NE_true", FUTEX_OP_CMP_NE, 5, 1}, {"LT_false", FUTEX_OP_CMP_LT, 0, 0},
    {"GE_true", FUTEX_OP_CMP_GE, 0, 1}, {"GT_false", FUTEX_OP_CMP_GT, 0, 0}};
// futex(2) FUTEX_WAKE_OP: val waiters of uaddr are woken; val2 waiters of
// uaddr2 are woken only if (old *uaddr2) CMP cmparg holds (old value 0); the
// result is the total woken.
TEST_P(futex, wake_op_condition, POSITIVE, LINUX, kWakeOpCmp) {
    u32 a = 0, b = 0;
    Thread t[1];
    Waiter w[1] = {{nullptr, FUTEX_WAIT | P, 0, 0, 0}};
    EXPECT_EQ(park(t, w, 1, &b), 1);
    EXPECT_RET(sys::futex_n(&a, FUTEX_WAKE_OP | P, 1, 1, &b,
                            futex_op(FUTEX_OP_SET, 1, row.cmp, row.cmparg)),
               row.woken);
    EXPECT_EQ(b, 1);
    EXPECT_RET(sys::futex(&b, FUTEX_WAKE | P, INT_MAX), 1 - row.woken);
    unpark(t, 1, &b, nullptr);
    EXPECT_EQ(w[0].result, 0);
}

struct EncRow {
    const char* label;
    u32 encoded;
};
constexpr EncRow kBadEncodings[] = {{"op=5", futex_op(5, 1, FUTEX_OP_CMP_EQ, 0)},
                                    {"op=7", futex_op(7, 1, FUTEX_OP_CMP_EQ, 0)},
                                    {"cmp=6", futex_op(FUTEX_OP_SET, 1, 6, 0)},
                                    {"cmp=15", futex_op(FUTEX_OP_SET, 1, 15, 0)}};
// futex(2) FUTEX_WAKE_OP ERRORS: ENOSYS for an unknown operation or
// comparison in val3 (Linux applies a valid operation before it rejects
// the comparison, so *uaddr2 is not checked here).
TEST_P(futex, wake_op_bad_encoding_enosys, NEGATIVE, LINUX, kBadEncodings) {
    u32 a = 0, b = 0;
    EXPECT_ERR(sys::futex_n(&a, FUTEX_WAKE_OP | P, 1, 1, &b, row.encoded), ENOSYS);
}

struct ClockRow {
    const char* label;
    int clock_flag, clock;
};
constexpr ClockRow kClocks[] = {{"CLOCK_MONOTONIC", 0, CLOCK_MONOTONIC},
                                {"CLOCK_REALTIME", FUTEX_CLOCK_REALTIME, CLOCK_REALTIME}};
// futex(2) FUTEX_WAIT_BITSET: the timeout is an absolute time on
// CLOCK_MONOTONIC, or on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME: ETIMEDOUT
// once that clock has passed the deadline (10 ms ahead), not before.
TEST_P(futex, wait_bitset_absolute_timeout, POSITIVE, LINUX, kClocks, .flags = kc::SLOW) {
    u32 word = 0;
    timespec dl{};
    ASSERT_OK(sys::clock_gettime(row.clock, &dl));
    dl.tv_nsec += 10000000;
    if (dl.tv_nsec >= 1000000000) dl.tv_sec += 1, dl.tv_nsec -= 1000000000;
    EXPECT_ERR(sys::futex(&word, FUTEX_WAIT_BITSET | P | row.clock_flag, 0, &dl, nullptr,
                          FUTEX_BITSET_MATCH_ANY),
               ETIMEDOUT);
    timespec now{};
    sys::clock_gettime(row.clock, &now);
    EXPECT_TRUE(now.tv_sec > dl.tv_sec || (now.tv_sec == dl.tv_sec && now.tv_nsec >= dl.tv_nsec));
}

// futex(2) FUTEX_WAIT_BITSET: an absolute deadline already in the past
// (time 0) times out at once.
TEST(futex, wait_bitset_past_deadline, BOUNDARY, LINUX) {
    u32 word = 0;
    const timespec zero{0, 0};
    i64 took = kc::quickest_ns(1000000000, [&] {
        EXPECT_ERR(
            sys::futex(&word, FUTEX_WAIT_BITSET | P, 0, &zero, nullptr, FUTEX_BITSET_MATCH_ANY),
            ETIMEDOUT);
    });
    EXPECT_LT(took, 1000000000);
}

constexpr OpRow kBitsetOps[] = {{"WAIT_BITSET", FUTEX_WAIT_BITSET},
                                {"WAKE_BITSET", FUTEX_WAKE_BITSET}};
// futex(2) ERRORS: EINVAL for a bitset of 0 in FUTEX_WAIT_BITSET or
// FUTEX_WAKE_BITSET.
TEST_P(futex, zero_bitset_einval, NEGATIVE, LINUX, kBitsetOps) {
    u32 word = 0;
    const timespec zero{0, 0};
    EXPECT_ERR(sys::futex(&word, row.op | P, 0, &zero, nullptr, 0), EINVAL);
}

// futex(2) FUTEX_WAKE_BITSET: only waiters whose bitset shares a bit with
// the wake's are woken: waiters with 0b01 and 0b10, wake 0b10 wakes the
// second only (the first is still asleep after the second has exited).
TEST(futex, wake_bitset_selects_waiters, POSITIVE, LINUX) {
    u32 word = 0;
    Thread t[2];
    Waiter w[2] = {{nullptr, FUTEX_WAIT_BITSET | P, 0, 0x1, 0},
                   {nullptr, FUTEX_WAIT_BITSET | P, 0, 0x2, 0}};
    EXPECT_EQ(park(t, w, 2, &word), 2);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE_BITSET | P, INT_MAX, nullptr, nullptr, 0x6), 1);
    thread_join(t[1]);
    EXPECT_EQ(w[1].result, 0);
    EXPECT_EQ(__atomic_load_n(&w[0].result, __ATOMIC_ACQUIRE), kSentinel);
    EXPECT_RET(sys::futex(&word, FUTEX_WAKE_BITSET | P, INT_MAX, nullptr, nullptr, 0x1), 1);
    unpark(t, 2, &word, nullptr);
    EXPECT_EQ(w[0].result, 0);
}

namespace {
u32 g_word;
volatile int g_waiting, g_seen_waiting;
void set_word_handler(int) {
    g_seen_waiting = g_waiting;
    __atomic_store_n(&g_word, 1, __ATOMIC_RELEASE);
}
}  // namespace

struct IntrRow {
    const char* label;
    u64 flags;
    bool timeout;
    long want;
};
constexpr IntrRow kIntr[] = {{"no_timeout_SA_RESTART", SA_RESTART, false, -EAGAIN},
                             {"no_timeout_no_SA_RESTART", 0, false, -EINTR},
                             {"timeout_SA_RESTART", SA_RESTART, true, -EINTR},
                             {"timeout_no_SA_RESTART", 0, true, -EINTR}};
// futex(2) FUTEX_WAIT interrupted by a handler (which stores 1 in the word):
// without a timeout it is restarted with SA_RESTART (signal(7)), and the
// restarted wait sees the new value (EAGAIN); without SA_RESTART it fails
// with EINTR. With a timeout Linux fails with EINTR even under SA_RESTART
// (the restart goes through restart_syscall, which a handler cancels);
// signal(7) lists FUTEX_WAIT as restartable without that caveat. A signal
// that arrives before the wait started is retried.
TEST_P(futex, wait_interrupted_by_handler, POSITIVE, LINUX, kIntr) {
    ASSERT_OK(set_action(SIGUSR1, reinterpret_cast<void*>(set_word_handler), row.flags));
    SignalTarget tg{int(sys::getpid()), int(sys::gettid()), SIGUSR1};
    long r = 0;
    for (int attempt = 0; attempt < 10; ++attempt) {
        __atomic_store_n(&g_word, 0, __ATOMIC_RELEASE);
        g_seen_waiting = 0;
        Thread t;
        if (thread_start(t, send_later, &tg) <= 0) break;
        const timespec ts{1, 0};
        g_waiting = 1;
        r = sys::futex(&g_word, FUTEX_WAIT | P, 0, row.timeout ? &ts : nullptr);
        g_waiting = 0;
        thread_join(t);
        // A signal that lands between g_waiting = 1 and the kernel's check
        // of the word leaves EAGAIN (the word already changed) however the
        // kernel handles an interrupted wait: where EINTR is due, that is a
        // retry (valgrind delivers signals at block boundaries, right there),
        // so a kernel that restarts the wait fails every attempt.
        if (g_seen_waiting && !(r == -EAGAIN && row.want == -EINTR)) break;
    }
    EXPECT_TRUE(g_seen_waiting);
    EXPECT_EQ(r, row.want);
    EXPECT_EQ(g_word, 1);
}

// futex(2) without FUTEX_PRIVATE_FLAG on a MAP_SHARED mapping works between
// processes: a child asleep on the word is woken by the parent.
TEST(futex, shared_mapping_across_processes, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long m = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(m);
    auto* word = reinterpret_cast<u32*>(m);
    *word = 0;
    long pid = sys::fork();
    if (pid == 0) {
        const timespec ts{5, 0};
        long r = sys::futex(word, FUTEX_WAIT, 0, &ts);
        sys::exit_group(r == 0 ? 0 : 1);
    }
    long woken = 0;
    if (pid > 0) {
        i64 end = kc::now_ns() + 5000000000;
        while (woken == 0 && kc::now_ns() < end) {
            woken = sys::futex(word, FUTEX_WAKE, 1);
            if (woken == 0) common::sleep_ms(1);
        }
    }
    EXPECT_EQ(woken, 1);
    EXPECT_CHILD_OK(pid);
    sys::munmap(word, 4096);
}

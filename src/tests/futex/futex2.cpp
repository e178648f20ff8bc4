// SPDX-License-Identifier: MIT
// futex_wake(2), futex_wait(2) and futex_requeue(2), the futex2 calls of
// Linux 6.7. No man page in man-pages 6.03: the contract is
// kernel/futex/syscalls.c and Documentation/userspace-api/futex2.rst
// (quoted below as "futex2"); futex_wake is FUTEX_WAKE_BITSET, futex_wait is
// FUTEX_WAIT_BITSET with an absolute timeout on a chosen clock, and
// futex_requeue is FUTEX_CMP_REQUEUE, each with FUTEX2_* flags.
// Covered: exact wake counts (nr 0 wakes nobody), the bitmask, private and
// shared (cross-process) futexes, waking a futex(2) waiter, value mismatch,
// absolute CLOCK_MONOTONIC/CLOCK_REALTIME timeouts, requeueing between two
// words, and the validation of flags, sizes, masks, values, clocks,
// alignment and pointers.
// To know that waiters are asleep without racing them, the tests count them
// with futex(2) FUTEX_CMP_REQUEUE onto the same word (nr_wake 0), as
// futex.cpp does: that wakes nobody and returns how many wait there.
// Left out: FUTEX2_NUMA and FUTEX2_MPOL (Linux 6.16; the word then has a
// node id next to it), sizes other than 32 bits (EINVAL on Linux 6.18, tested
// as such), and futex_requeue with different flags in its two entries
// (EINVAL only since a 2026 fix; older 6.7+ kernels accept it).
#include "harness/test.hpp"
#include "rt/sys_futex2.hpp"
#include "rt/sys_mm.hpp"
#include "tests/common/common_util.hpp"
#include "tests/thread/thread_util.hpp"

namespace {

constexpr u32 kPriv = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
constexpr u64 kAll = 0xffffffffu;
constexpr long kSentinel = -9999;

void need_wake() {
    u32 w = 0;
    if (sys::futex_wake(&w, kAll, 0, kPriv) == -ENOSYS)
        kc::skip_unimplemented("futex_wake", "futex_wake: not implemented (ENOSYS; Linux 6.7+)");
}
void need_wait() {
    u32 w = 1;
    if (sys::futex_wait(&w, 0, kAll, kPriv, nullptr, 0) == -ENOSYS)
        kc::skip_unimplemented("futex_wait", "futex_wait: not implemented (ENOSYS; Linux 6.7+)");
}
void need_requeue() {
    if (sys::futex_requeue(nullptr, 0, 0, 0) == -ENOSYS)
        kc::skip_unimplemented("futex_requeue",
                               "futex_requeue: not implemented (ENOSYS; Linux 6.7+)");
}

// A thread in futex_wait(addr, 0, mask, flags, now + 5 s); or, with
// legacy, in futex(2) FUTEX_WAIT_BITSET with the same arguments.
struct Waiter {
    u32* addr;
    u64 mask;
    u32 flags;
    bool legacy;
    long result;
};
void waiter_thread(void* p) {
    auto* w = static_cast<Waiter*>(p);
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 5000);
    long r = w->legacy ? sys::futex(w->addr, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &ts,
                                    nullptr, u32(w->mask))
                       : sys::futex_wait(w->addr, 0, w->mask, w->flags, &ts, CLOCK_MONOTONIC);
    __atomic_store_n(&w->result, r, __ATOMIC_RELEASE);
}
long result(const Waiter& w) { return __atomic_load_n(&w.result, __ATOMIC_ACQUIRE); }

// How many wait on word (private futexes): requeueing them onto the same
// word wakes nobody and returns the count.
long asleep(u32* word, int priv = FUTEX_PRIVATE_FLAG) {
    return sys::futex_n(word, FUTEX_CMP_REQUEUE | priv, 0, INT_MAX, word, *word);
}
// Waits (up to 5 s) until n wait on word; returns the last count.
long wait_asleep(u32* word, long n, int priv = FUTEX_PRIVATE_FLAG) {
    long c = 0;
    for (i64 end = kc::now_ns() + 5000000000; (c = asleep(word, priv)) != n && kc::now_ns() < end;)
        common::sleep_ms(1);
    return c;
}

// Starts n private futex2 waiters on word with masks[i] (kAll when null).
void park(thread::Thread* t, Waiter* w, int n, u32* word, const u64* masks = nullptr) {
    for (int i = 0; i < n; ++i) {
        w[i] = {word, masks ? masks[i] : kAll, kPriv, false, kSentinel};
        ASSERT_GT(thread::thread_start(t[i], waiter_thread, &w[i]), 0);
    }
}
// Wakes whatever still waits on a and b and joins the threads.
void unpark(thread::Thread* t, int n, u32* a, u32* b = nullptr) {
    sys::futex(a, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX);
    if (b) sys::futex(b, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX);
    for (int i = 0; i < n; ++i) {
        sys::futex(a, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX);
        if (b) sys::futex(b, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX);
        thread::thread_join(t[i]);
    }
}

struct FlagRow {
    const char* label;
    u32 flags;
};
// Flags every futex2 call rejects: a size other than 32 bits, or a bit
// outside FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_MPOL | FUTEX2_PRIVATE.
constexpr FlagRow kBadFlags[] = {{"size=U8", FUTEX2_SIZE_U8 | FUTEX2_PRIVATE},
                                 {"size=U16", FUTEX2_SIZE_U16 | FUTEX2_PRIVATE},
                                 {"size=U64", FUTEX2_SIZE_U64 | FUTEX2_PRIVATE},
                                 {"unknown_0x100", kPriv | 0x100},
                                 {"unknown_bit31", kPriv | 0x80000000u}};

}  // namespace

// futex2: futex_wake "wakes at most nr" of the waiters and returns how many
// it woke: 4 asleep, wake 2 -> 2, wake INT_MAX -> the other 2, then 0; each
// woken futex_wait returns 0.
TEST(futex_wake, wakes_exactly_nr, POSITIVE, LINUX) {
    need_wake();
    alignas(8) u32 word = 0;
    thread::Thread t[4];
    Waiter w[4];
    park(t, w, 4, &word);
    EXPECT_EQ(wait_asleep(&word, 4), 4);
    EXPECT_RET(sys::futex_wake(&word, kAll, 2, kPriv), 2);
    EXPECT_EQ(asleep(&word), 2);
    EXPECT_RET(sys::futex_wake(&word, kAll, INT_MAX, kPriv), 2);
    EXPECT_RET(sys::futex_wake(&word, kAll, INT_MAX, kPriv), 0);
    unpark(t, 4, &word);
    for (auto& x : w) EXPECT_EQ(result(x), 0);
}

// kernel/futex/syscalls.c: futex_wake passes FLAGS_STRICT, so nr = 0 wakes
// nobody (futex(2) FUTEX_WAKE with 0 wakes one); the waiter stays asleep.
TEST(futex_wake, nr_zero_wakes_nobody, BOUNDARY, LINUX) {
    need_wake();
    alignas(8) u32 word = 0;
    thread::Thread t[1];
    Waiter w[1];
    park(t, w, 1, &word);
    EXPECT_EQ(wait_asleep(&word, 1), 1);
    EXPECT_RET(sys::futex_wake(&word, kAll, 0, kPriv), 0);
    EXPECT_EQ(asleep(&word), 1);
    EXPECT_EQ(result(w[0]), kSentinel);
    EXPECT_RET(sys::futex_wake(&word, kAll, 1, kPriv), 1);
    unpark(t, 1, &word);
    EXPECT_EQ(result(w[0]), 0);
}

// futex2: futex_wake is FUTEX_WAKE_BITSET: it wakes only waiters whose mask
// shares a bit with its own. Waiters with masks 1 and 2; waking mask 2 wakes
// the second only.
TEST(futex_wake, mask_selects_waiters, POSITIVE, LINUX) {
    need_wake();
    alignas(8) u32 word = 0;
    thread::Thread t[2];
    Waiter w[2];
    constexpr u64 masks[] = {1, 2};
    park(t, w, 2, &word, masks);
    EXPECT_EQ(wait_asleep(&word, 2), 2);
    EXPECT_RET(sys::futex_wake(&word, 2, INT_MAX, kPriv), 1);
    EXPECT_EQ(asleep(&word), 1);
    EXPECT_RET(sys::futex_wake(&word, 4, INT_MAX, kPriv), 0);
    EXPECT_RET(sys::futex_wake(&word, 1, INT_MAX, kPriv), 1);
    unpark(t, 2, &word);
    EXPECT_EQ(result(w[0]), 0);
    EXPECT_EQ(result(w[1]), 0);
}

// futex2: futex2 and futex(2) share one futex space: futex_wake with
// FUTEX2_PRIVATE wakes a FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG waiter.
TEST(futex_wake, wakes_futex_waiter, POSITIVE, LINUX) {
    need_wake();
    alignas(8) u32 word = 0;
    thread::Thread t;
    Waiter w{&word, kAll, 0, true, kSentinel};
    ASSERT_GT(thread::thread_start(t, waiter_thread, &w), 0);
    EXPECT_EQ(wait_asleep(&word, 1), 1);
    EXPECT_RET(sys::futex_wake(&word, kAll, 1, kPriv), 1);
    unpark(&t, 1, &word);
    EXPECT_EQ(result(w), 0);
}

// futex2: without FUTEX2_PRIVATE the futex is shared between processes: a
// child waits (futex_wait) on a word of a MAP_SHARED mapping and the parent's
// futex_wake wakes it.
TEST(futex_wake, shared_wakes_other_process, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_wake();
    long m = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(m);
    kc::Mapping guard(reinterpret_cast<void*>(m), 4096);
    u32* word = reinterpret_cast<u32*>(m);
    long pid = kc::spawn(
        [](void* p) {
            timespec ts = common::in_ms(CLOCK_MONOTONIC, 5000);
            EXPECT_RET(sys::futex_wait(p, 0, kAll, FUTEX2_SIZE_U32, &ts, CLOCK_MONOTONIC), 0);
        },
        word);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(wait_asleep(word, 1, 0), 1);
    EXPECT_RET(sys::futex_wake(word, kAll, 1, FUTEX2_SIZE_U32), 1);
    EXPECT_CHILD_OK(pid);
}

// futex2: with nobody waiting, futex_wake returns 0 (private and shared).
TEST(futex_wake, no_waiters_zero, BOUNDARY, LINUX) {
    need_wake();
    alignas(8) u32 word = 0;
    EXPECT_RET(sys::futex_wake(&word, kAll, INT_MAX, kPriv), 0);
    EXPECT_RET(sys::futex_wake(&word, kAll, 1, FUTEX2_SIZE_U32), 0);
}

// futex2: the flags must name the 32-bit size (the only one Linux 6.18
// implements) and no unknown bit: EINVAL.
TEST_P(futex_wake, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    need_wake();
    alignas(8) u32 word = 0;
    EXPECT_ERR(sys::futex_wake(&word, kAll, 1, row.flags), EINVAL);
}

struct MaskRow {
    const char* label;
    u64 mask;
};
constexpr MaskRow kBadMasks[] = {{"mask=0", 0}, {"mask=bit32", 1ull << 32}, {"mask=~0", ~0ull}};
// futex2: the mask must fit the futex size (32 bits) and, as for
// FUTEX_WAKE_BITSET, not be 0: EINVAL.
TEST_P(futex_wake, bad_mask_einval, NEGATIVE, LINUX, kBadMasks) {
    need_wake();
    alignas(8) u32 word = 0;
    EXPECT_ERR(sys::futex_wake(&word, row.mask, 1, kPriv), EINVAL);
}

// futex2: the address must be aligned to the futex size (4 bytes); a shared
// futex at an unmapped address is EFAULT (the key needs the page).
TEST(futex_wake, bad_address, NEGATIVE, LINUX) {
    need_wake();
    alignas(8) u32 word[2] = {0, 0};
    EXPECT_ERR(sys::futex_wake(reinterpret_cast<char*>(word) + 2, kAll, 1, kPriv), EINVAL);
    EXPECT_ERR(sys::futex_wake(common::kBadPtr, kAll, 1, FUTEX2_SIZE_U32), EFAULT);
}

// futex2: futex_wait sleeps while the word holds val; futex_wake from another
// thread ends the wait with 0.
TEST(futex_wait, woken_by_futex_wake, POSITIVE, LINUX) {
    need_wait();
    alignas(8) u32 word = 0;
    thread::Thread t[1];
    Waiter w[1];
    park(t, w, 1, &word);
    EXPECT_EQ(wait_asleep(&word, 1), 1);
    EXPECT_EQ(result(w[0]), kSentinel);
    EXPECT_RET(sys::futex_wake(&word, kAll, 1, kPriv), 1);
    unpark(t, 1, &word);
    EXPECT_EQ(result(w[0]), 0);
}

// futex2: if the word does not hold val the call fails with EAGAIN at once
// (timeout or not).
TEST(futex_wait, value_mismatch_eagain, NEGATIVE, LINUX) {
    need_wait();
    alignas(8) u32 word = 7;
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 5000);
    EXPECT_ERR(sys::futex_wait(&word, 6, kAll, kPriv, &ts, CLOCK_MONOTONIC), EAGAIN);
    EXPECT_ERR(sys::futex_wait(&word, 0, kAll, FUTEX2_SIZE_U32, nullptr, 0), EAGAIN);
}

// futex2: a waiter is woken only by a wake whose mask shares a bit with its
// own: a wake with mask 2 leaves a mask-1 waiter asleep.
TEST(futex_wait, mask_mismatch_stays_asleep, BOUNDARY, LINUX) {
    need_wait();
    alignas(8) u32 word = 0;
    thread::Thread t[1];
    Waiter w[1];
    constexpr u64 masks[] = {1};
    park(t, w, 1, &word, masks);
    EXPECT_EQ(wait_asleep(&word, 1), 1);
    EXPECT_RET(sys::futex_wake(&word, 2, INT_MAX, kPriv), 0);
    EXPECT_EQ(asleep(&word), 1);
    EXPECT_EQ(result(w[0]), kSentinel);
    unpark(t, 1, &word);
    EXPECT_EQ(result(w[0]), 0);
}

// futex2: the timeout is an absolute time on the given clock; when it
// passes the call fails with ETIMEDOUT, not before.
TEST(futex_wait, monotonic_timeout_etimedout, POSITIVE, LINUX, .flags = kc::SLOW) {
    need_wait();
    alignas(8) u32 word = 0;
    i64 t0 = kc::now_ns();
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 20);
    EXPECT_ERR(sys::futex_wait(&word, 0, kAll, kPriv, &ts, CLOCK_MONOTONIC), ETIMEDOUT);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, 20000000);
    EXPECT_LT(dt, 2000000000);
}

struct ClockRow {
    const char* label;
    int clk;
};
constexpr ClockRow kGoodClocks[] = {{"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
                                    {"CLOCK_REALTIME", CLOCK_REALTIME}};
// futex2: an absolute time already past on either accepted clock times out
// at once.
TEST_P(futex_wait, past_deadline_etimedout, BOUNDARY, LINUX, kGoodClocks) {
    need_wait();
    alignas(8) u32 word = 0;
    timespec ts{};
    sys::clock_gettime(row.clk, &ts);
    ts.tv_sec -= 1;
    EXPECT_ERR(sys::futex_wait(&word, 0, kAll, kPriv, &ts, row.clk), ETIMEDOUT);
}

constexpr ClockRow kBadClocks[] = {
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME}, {"CLOCK_TAI", CLOCK_TAI}, {"clock=-1", -1}};
// futex2: with a timeout the clock must be CLOCK_MONOTONIC or
// CLOCK_REALTIME: EINVAL otherwise.
TEST_P(futex_wait, bad_clockid_einval, NEGATIVE, LINUX, kBadClocks) {
    need_wait();
    alignas(8) u32 word = 0;
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 1000);
    EXPECT_ERR(sys::futex_wait(&word, 0, kAll, kPriv, &ts, row.clk), EINVAL);
}

// futex2: the same flag rules as futex_wake: EINVAL, before the word is read
// (it does not hold val, so a kernel that skipped the check says EAGAIN).
TEST_P(futex_wait, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    need_wait();
    alignas(8) u32 word = 5;
    EXPECT_ERR(sys::futex_wait(&word, 0, kAll, row.flags, nullptr, 0), EINVAL);
}

struct ValRow {
    const char* label;
    u64 val, mask;
};
constexpr ValRow kBadVals[] = {
    {"val=bit32", 1ull << 32, kAll}, {"mask=0", 0, 0}, {"mask=bit32", 0, 1ull << 32}};
// kernel/futex/syscalls.c: val and mask must fit the futex size (32 bits),
// and the mask must not be 0: EINVAL.
TEST_P(futex_wait, bad_value_or_mask_einval, NEGATIVE, LINUX, kBadVals) {
    need_wait();
    alignas(8) u32 word = 0;
    EXPECT_ERR(sys::futex_wait(&word, row.val, row.mask, kPriv, nullptr, 0), EINVAL);
}

// futex2: an address not aligned to 4 bytes is EINVAL; an unmapped one, or
// an unreadable timeout, is EFAULT; a timeout with tv_nsec >= 1e9 is EINVAL.
TEST(futex_wait, bad_arguments, NEGATIVE, LINUX) {
    need_wait();
    alignas(8) u32 word[2] = {0, 0};
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 1000);
    EXPECT_ERR(
        sys::futex_wait(reinterpret_cast<char*>(word) + 2, 0, kAll, kPriv, &ts, CLOCK_MONOTONIC),
        EINVAL);
    EXPECT_ERR(sys::futex_wait(common::kBadPtr, 0, kAll, kPriv, &ts, CLOCK_MONOTONIC), EFAULT);
    auto* bad_ts = static_cast<const timespec*>(common::kBadPtr);
    EXPECT_ERR(sys::futex_wait(word, 0, kAll, kPriv, bad_ts, CLOCK_MONOTONIC), EFAULT);
    timespec big{ts.tv_sec, 1000000000};
    EXPECT_ERR(sys::futex_wait(word, 0, kAll, kPriv, &big, CLOCK_MONOTONIC), EINVAL);
}

namespace {
void entry(futex_waitv& e, u32* word, u64 val, u32 flags = kPriv) {
    e.val = val;
    e.uaddr = u64(sys::L(word));
    e.flags = flags;
    e.__reserved = 0;
}
}  // namespace

// futex2: futex_requeue is FUTEX_CMP_REQUEUE: if waiters[0]'s word still
// holds waiters[0].val, it wakes nr_wake waiters of that word and moves up to
// nr_requeue others to waiters[1]'s word, returning the sum. Three asleep on
// a: wake 1, move 2 -> 3; then none waits on a, two on b, and waking b wakes
// them (their futex_wait returns 0).
TEST(futex_requeue, moves_waiters, POSITIVE, LINUX) {
    need_requeue();
    alignas(8) u32 words[2] = {0, 0};
    thread::Thread t[3];
    Waiter w[3];
    park(t, w, 3, &words[0]);
    EXPECT_EQ(wait_asleep(&words[0], 3), 3);
    futex_waitv v[2];
    entry(v[0], &words[0], 0);
    entry(v[1], &words[1], 0);
    EXPECT_RET(sys::futex_requeue(v, 0, 1, 2), 3);
    EXPECT_EQ(asleep(&words[0]), 0);
    EXPECT_EQ(wait_asleep(&words[1], 2), 2);
    EXPECT_RET(sys::futex_wake(&words[1], kAll, INT_MAX, kPriv), 2);
    unpark(t, 3, &words[0], &words[1]);
    for (auto& x : w) EXPECT_EQ(result(x), 0);
}

// futex2 (FUTEX_CMP_REQUEUE): nr_requeue bounds the moved waiters; with
// nr_wake 0 nobody is woken: 3 asleep, move 1 -> 1, two stay on a.
TEST(futex_requeue, counts_bound_the_move, BOUNDARY, LINUX) {
    need_requeue();
    alignas(8) u32 words[2] = {0, 0};
    thread::Thread t[3];
    Waiter w[3];
    park(t, w, 3, &words[0]);
    EXPECT_EQ(wait_asleep(&words[0], 3), 3);
    futex_waitv v[2];
    entry(v[0], &words[0], 0);
    entry(v[1], &words[1], 0);
    EXPECT_RET(sys::futex_requeue(v, 0, 0, 1), 1);
    EXPECT_EQ(asleep(&words[0]), 2);
    EXPECT_EQ(asleep(&words[1]), 1);
    EXPECT_RET(sys::futex_requeue(v, 0, 0, 0), 0);
    EXPECT_EQ(asleep(&words[0]), 2);
    unpark(t, 3, &words[0], &words[1]);
    for (auto& x : w) EXPECT_EQ(result(x), 0);
}

// futex2 (FUTEX_CMP_REQUEUE): if waiters[0]'s word no longer holds
// waiters[0].val the call fails with EAGAIN and moves nobody.
TEST(futex_requeue, value_mismatch_eagain, NEGATIVE, LINUX) {
    need_requeue();
    alignas(8) u32 words[2] = {0, 0};
    thread::Thread t[1];
    Waiter w[1];
    park(t, w, 1, &words[0]);
    EXPECT_EQ(wait_asleep(&words[0], 1), 1);
    futex_waitv v[2];
    entry(v[0], &words[0], 3);
    entry(v[1], &words[1], 0);
    EXPECT_ERR(sys::futex_requeue(v, 0, 1, 1), EAGAIN);
    EXPECT_EQ(asleep(&words[0]), 1);
    unpark(t, 1, &words[0]);
    EXPECT_EQ(result(w[0]), 0);
}

// futex2: with nobody waiting, futex_requeue returns 0.
TEST(futex_requeue, no_waiters_zero, BOUNDARY, LINUX) {
    need_requeue();
    alignas(8) u32 words[2] = {0, 0};
    futex_waitv v[2];
    entry(v[0], &words[0], 0);
    entry(v[1], &words[1], 0);
    EXPECT_RET(sys::futex_requeue(v, 0, INT_MAX, INT_MAX), 0);
}

struct RequeueRow {
    const char* label;
    u32 flags;            // the call's flags (unused, must be 0)
    int nr_wake, nr_req;  // negative counts are EINVAL (FUTEX_CMP_REQUEUE)
    int entry;            // which entry gets `eflags`, `reserved`, `val`
    u32 eflags, reserved;
    u64 val;
};
constexpr RequeueRow kBadRequeue[] = {
    {"flags=1", 1, 1, 1, 0, kPriv, 0, 0},
    {"nr_wake=-1", 0, -1, 1, 0, kPriv, 0, 0},
    {"nr_requeue=-1", 0, 1, -1, 0, kPriv, 0, 0},
    {"entry0_size=U8", 0, 1, 1, 0, FUTEX2_SIZE_U8 | FUTEX2_PRIVATE, 0, 0},
    {"entry1_size=U64", 0, 1, 1, 1, FUTEX2_SIZE_U64 | FUTEX2_PRIVATE, 0, 0},
    {"entry1_unknown_flag", 0, 1, 1, 1, kPriv | 0x1000, 0, 0},
    {"entry1_reserved=1", 0, 1, 1, 1, kPriv, 1, 0},
    {"entry0_val=bit32", 0, 1, 1, 0, kPriv, 0, 1ull << 32},
};
// futex2: the flags argument must be 0, the counts not negative, and each of
// the two entries valid as for futex_waitv (32-bit size, no unknown flag,
// __reserved 0, a value that fits): EINVAL.
TEST_P(futex_requeue, bad_arguments_einval, NEGATIVE, LINUX, kBadRequeue) {
    need_requeue();
    alignas(8) u32 words[2] = {0, 0};
    futex_waitv v[2];
    entry(v[0], &words[0], 0);
    entry(v[1], &words[1], 0);
    v[row.entry].flags = row.eflags;
    v[row.entry].__reserved = row.reserved;
    v[row.entry].val = row.val;
    EXPECT_ERR(sys::futex_requeue(v, row.flags, row.nr_wake, row.nr_req), EINVAL);
}

// futex2: a null waiters array is EINVAL, an unreadable one EFAULT; an
// entry's address not aligned to 4 bytes is EINVAL.
TEST(futex_requeue, bad_pointers, NEGATIVE, LINUX) {
    need_requeue();
    EXPECT_ERR(sys::futex_requeue(nullptr, 0, 1, 1), EINVAL);
    EXPECT_ERR(sys::futex_requeue(static_cast<futex_waitv*>(common::kBadPtr), 0, 1, 1), EFAULT);
    alignas(8) u32 words[2] = {0, 0};
    futex_waitv v[2];
    entry(v[0], &words[0], 0);
    entry(v[1], &words[1], 0);
    v[1].uaddr += 2;
    EXPECT_ERR(sys::futex_requeue(v, 0, 1, 1), EINVAL);
}

// SPDX-License-Identifier: MIT
// futex_waitv(2) (Linux 5.16; no man page in man-pages 6.03: the contract
// is the kernel's Documentation/userspace-api/futex2.rst and
// kernel/futex/syscalls.c, quoted below as "futex2"): waiting on several 32-bit futexes at once,
// woken by FUTEX_WAKE on any one of them (the return value is its index),
// private and shared futexes, value mismatch, the nr_futexes bounds (1..128),
// flags, per-entry flags/reserved/value validation, alignment, absolute
// CLOCK_MONOTONIC/CLOCK_REALTIME timeouts and bad clocks.
// Left out: futex_wake(2)/futex_wait(2)/futex_requeue(2) (the futex2 calls of
// Linux 6.7), FUTEX2_NUMA and sizes other than 32 bits (not supported by
// Linux 6.18: EINVAL, tested as such).
#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "tests/common/common_util.hpp"
#include "tests/thread/thread_util.hpp"

namespace {

constexpr u32 kPriv = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;

void set(futex_waitv& w, u32* word, u64 val, u32 flags = kPriv) {
    w.val = val;
    w.uaddr = u64(sys::L(word));
    w.flags = flags;
    w.__reserved = 0;
}

struct Waiter {
    futex_waitv w[3];
    long result;
};

void waiter(void* p) {
    auto* s = static_cast<Waiter*>(p);
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 5000);
    long r = sys::futex_waitv(s->w, 3, 0, &ts, CLOCK_MONOTONIC);
    __atomic_store_n(&s->result, r, __ATOMIC_RELEASE);
}

// Three words for the table tests: all 0.
struct Words {
    alignas(8) u32 w[4] = {0, 0, 0, 0};
};

}  // namespace

struct WakeRow {
    const char* label;
    int index;
    bool shared;
};
constexpr WakeRow kWakes[] = {
    {"first/private", 0, false}, {"middle/shared", 1, true}, {"last/private", 2, false}};
// futex2: "Wait on an array of futexes, wake on any"; the return value is
// the array index of the futex that was woken. A thread waits on three words;
// FUTEX_WAKE on one of them ends the wait with that index.
TEST_P(futex_waitv, wakes_on_any, POSITIVE, LINUX, kWakes) {
    Words words;
    Waiter s{};
    s.result = -9999;
    u32 fl = row.shared ? FUTEX2_SIZE_U32 : kPriv;
    for (int i = 0; i < 3; ++i) set(s.w[i], &words.w[i], 0, fl);
    thread::Thread t;
    ASSERT_OK(thread::thread_start(t, waiter, &s));
    int op = FUTEX_WAKE | (row.shared ? 0 : FUTEX_PRIVATE_FLAG);
    long woken = 0;
    i64 end = kc::now_ns() + 4000000000;
    // Until the waiter is asleep FUTEX_WAKE finds nobody; retry.
    while (woken == 0 && __atomic_load_n(&s.result, __ATOMIC_ACQUIRE) == -9999 &&
           kc::now_ns() < end) {
        woken = sys::futex(&words.w[row.index], op, 1);
        if (woken == 0) common::sleep_ms(1);
    }
    thread::thread_join(t);
    EXPECT_RET(woken, 1);
    EXPECT_RET(s.result, row.index);
}

struct MismatchRow {
    const char* label;
    int index;
};
constexpr MismatchRow kMismatch[] = {{"first", 0}, {"last", 2}};
// futex2: if the value at one of the futexes differs from its expected val,
// the call fails with EAGAIN (as FUTEX_WAIT) — checked for every entry before sleeping.
TEST_P(futex_waitv, value_mismatch_eagain, NEGATIVE, LINUX, kMismatch) {
    Words words;
    words.w[row.index] = 5;
    futex_waitv w[3];
    for (int i = 0; i < 3; ++i) set(w[i], &words.w[i], 0);
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 1000);
    EXPECT_ERR(sys::futex_waitv(w, 3, 0, &ts, CLOCK_MONOTONIC), EAGAIN);
}

struct NrRow {
    const char* label;
    unsigned nr;
};
constexpr NrRow kBadNr[] = {{"nr=0", 0}, {"nr=129", 129}, {"nr=UINT_MAX", 0xffffffffu}};
// futex2: nr_futexes must be 1..FUTEX_WAITV_MAX (128); EINVAL otherwise.
TEST_P(futex_waitv, bad_nr_einval, NEGATIVE, LINUX, kBadNr) {
    Words words;
    futex_waitv w[1];
    set(w[0], &words.w[0], 1);
    EXPECT_ERR(sys::futex_waitv(w, row.nr, 0, nullptr, 0), EINVAL);
}

// futex_waitv(2): nr_futexes = 128 is allowed: 128 entries are all read (a
// mismatch in the last one gives EAGAIN).
TEST(futex_waitv, nr_128_allowed, BOUNDARY, LINUX) {
    static futex_waitv w[FUTEX_WAITV_MAX];
    Words words;
    for (int i = 0; i < FUTEX_WAITV_MAX; ++i) set(w[i], &words.w[0], 0);
    set(w[FUTEX_WAITV_MAX - 1], &words.w[1], 7);
    EXPECT_ERR(sys::futex_waitv(w, FUTEX_WAITV_MAX, 0, nullptr, 0), EAGAIN);
}

constexpr NrRow kBadFlags[] = {{"flags=1", 1}, {"flags=bit31", 0x80000000u}};
// futex2: the flags argument is unused and must be 0; EINVAL otherwise.
TEST_P(futex_waitv, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    Words words;
    futex_waitv w[1];
    set(w[0], &words.w[0], 1);
    EXPECT_ERR(sys::futex_waitv(w, 1, row.nr, nullptr, 0), EINVAL);
}

struct EntryRow {
    const char* label;
    u32 flags, reserved;
    u64 val;
};
constexpr EntryRow kBadEntries[] = {{"flags=0_no_size", 0, 0, 0},
                                    {"size=U8", 0 | FUTEX2_PRIVATE, 0, 0},
                                    {"size=U64", 3 | FUTEX2_PRIVATE, 0, 0},
                                    {"unknown_flag", kPriv | 0x1000, 0, 0},
                                    {"reserved=1", kPriv, 1, 0},
                                    {"val>32bit", kPriv, 0, 1ull << 32}};
// futex_waitv(2): each entry needs FUTEX2_SIZE_U32 (the only size Linux
// supports), no unknown flag, __reserved 0 and a value that fits 32 bits
// (since Linux 6.7; older kernels truncate it): EINVAL otherwise. Linux checks
// every entry before it reads any futex word; the first entry's value does not
// match its word, so a kernel that skips a check answers EAGAIN at once
// instead of waiting forever. A kernel older than 6.8 may still truncate the
// value, as 6.1 does: EAGAIN, from the first entry.
TEST_P(futex_waitv, bad_entry_einval, NEGATIVE, LINUX, kBadEntries) {
    Words words;
    futex_waitv w[2];
    set(w[0], &words.w[0], 1);
    set(w[1], &words.w[1], row.val, row.flags);
    w[1].__reserved = row.reserved;
    long r = sys::futex_waitv(w, 2, 0, nullptr, 0);
    if (row.val > 0xffffffffu && kc::linux_before(6, 8))
        EXPECT_ERR_ANY(r, EINVAL, EAGAIN);
    else
        EXPECT_ERR(r, EINVAL);
}

// futex2: uaddr must be aligned to the futex size (4 bytes); EINVAL otherwise.
TEST(futex_waitv, unaligned_address_einval, NEGATIVE, LINUX) {
    Words words;
    futex_waitv w[1];
    set(w[0], &words.w[0], 0);
    w[0].uaddr += 2;
    EXPECT_ERR(sys::futex_waitv(w, 1, 0, nullptr, 0), EINVAL);
}

// futex2: waiters or a uaddr outside the address space is EFAULT; a null
// waiters pointer is EINVAL in Linux (checked with nr_futexes).
TEST(futex_waitv, bad_pointers, NEGATIVE, LINUX) {
    Words words;
    futex_waitv w[1];
    set(w[0], reinterpret_cast<u32*>(8), 0);
    EXPECT_ERR(sys::futex_waitv(w, 1, 0, nullptr, 0), EFAULT);
    EXPECT_ERR(sys::futex_waitv(reinterpret_cast<futex_waitv*>(8), 1, 0, nullptr, 0), EFAULT);
    EXPECT_ERR(sys::futex_waitv(nullptr, 1, 0, nullptr, 0), EINVAL);
}

// futex2: the timeout is absolute, on the clock named by clockid; when it
// passes the call fails with ETIMEDOUT. With CLOCK_MONOTONIC: the call returns once the time has
// passed, not before.
TEST(futex_waitv, monotonic_timeout_etimedout, POSITIVE, LINUX, .flags = kc::SLOW) {
    Words words;
    futex_waitv w[2];
    set(w[0], &words.w[0], 0);
    set(w[1], &words.w[1], 0);
    i64 t0 = kc::now_ns();
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 20);
    EXPECT_ERR(sys::futex_waitv(w, 2, 0, &ts, CLOCK_MONOTONIC), ETIMEDOUT);
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
// futex_waitv(2): an absolute time already in the past on either accepted
// clock times out at once.
TEST_P(futex_waitv, past_deadline_etimedout, BOUNDARY, LINUX, kGoodClocks) {
    Words words;
    futex_waitv w[1];
    set(w[0], &words.w[0], 0);
    timespec ts{};
    sys::clock_gettime(row.clk, &ts);
    ts.tv_sec -= 1;
    EXPECT_ERR(sys::futex_waitv(w, 1, 0, &ts, row.clk), ETIMEDOUT);
    timespec zero{0, 0};
    EXPECT_ERR(sys::futex_waitv(w, 1, 0, &zero, row.clk), ETIMEDOUT);
}

constexpr ClockRow kBadClocks[] = {{"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
                                   {"CLOCK_PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID},
                                   {"CLOCK_TAI", CLOCK_TAI},
                                   {"clock=-1", -1}};
// futex2: clockid is CLOCK_MONOTONIC or CLOCK_REALTIME; any other clock with
// a timeout is EINVAL.
TEST_P(futex_waitv, bad_clockid_einval, NEGATIVE, LINUX, kBadClocks) {
    Words words;
    futex_waitv w[1];
    set(w[0], &words.w[0], 0);
    timespec ts = common::in_ms(CLOCK_MONOTONIC, 1000);
    EXPECT_ERR(sys::futex_waitv(w, 1, 0, &ts, row.clk), EINVAL);
}

struct TsRow {
    const char* label;
    i64 sec, nsec;
};
constexpr TsRow kBadTs[] = {{"nsec=1e9", 0, 1000000000}, {"nsec=-1", 0, -1}, {"sec=-1", -1, 0}};
// futex_waitv(2): a timeout that is not a valid timespec is EINVAL.
TEST_P(futex_waitv, invalid_timespec_einval, NEGATIVE, LINUX, kBadTs) {
    Words words;
    futex_waitv w[1];
    set(w[0], &words.w[0], 0);
    timespec ts{row.sec, row.nsec};
    EXPECT_ERR(sys::futex_waitv(w, 1, 0, &ts, CLOCK_MONOTONIC), EINVAL);
}

// SPDX-License-Identifier: MIT
// The test declaration and the assertions: everything a test file needs.
//
//   // pipe2(2): flags outside O_CLOEXEC|O_NONBLOCK|O_DIRECT are rejected.
//   TEST(pipe2, unknown_flags_einval, NEGATIVE, LINUX) {
//       int fds[2];
//       EXPECT_ERR(sys::pipe2(fds, 0xdead), EINVAL);
//   }
//
// Tests are constant records in the `kc_tests` linker section: no constructors,
// no heap. Optional metadata follows the profile as designated initializers,
// in this order: .flags = kc::NEEDS_FORK | kc::SLOW, .timeout_ms = 2000.
//
// Table-driven tests run one body per row; a row type's first member is
// `const char* label`, and each row is reported as `group.name/label`:
//
//   struct BadFd { const char* label; int fd; };
//   constexpr BadFd kBadFds[] = {{"fd=-1", -1}, {"fd=INT_MAX", INT_MAX}};
//   TEST_P(dup, bad_fd_ebadf, NEGATIVE, PSE52, kBadFds) {
//       EXPECT_ERR(sys::dup(row.fd), EBADF);
//   }
#pragma once

#include "rt/errno.hpp"
#include "rt/sys.hpp"
#include "rt/types.hpp"

namespace kc {

enum Category : u8 { POSITIVE, NEGATIVE, BOUNDARY };
// Nested: a system claiming PSE52 must pass PSE51 and PSE52 tests. A test's
// profile follows from the interfaces it exercises (harness/profile.hpp).
enum Profile : u8 { PSE51, PSE52, PSE53, PSE54, LINUX };
// (There is no NEEDS_ROOT: a test states the capability, id or limit it
// needs with the calls below, against what the probe found.)
enum Flags : u8 {
    NEEDS_FORK = 2,     // skipped with a reason when processes cannot be created
    NEEDS_SCRATCH = 4,  // skipped with a reason when no scratch directory exists
    // Parallel runs (--jobs): an EXCLUSIVE test runs while no other test
    // does (timing-sensitive tests; tests that use per-user or system-wide
    // limits or names); SLOW (10 ms or more on Linux) and VERY_SLOW (100 ms
    // or more) tests start before the others, so that the run does not end
    // waiting for one of them.
    EXCLUSIVE = 8,
    SLOW = 16,
    VERY_SLOW = 32,
};

struct TestCase {
    const char* id;               // "group.name"; the group is the part before the '.'
    void (*fn)(const void* row);  // nullptr: a file record (below)
    const void* rows;             // nullptr for a plain test
    u16 nrows;                    // 1 for a plain test
    u16 row_size;
    Category category : 4;
    Profile profile : 4;
    u8 flags = 0;
    u16 timeout_ms = 0;  // 0: the run's --timeout; at most 65535
};
static_assert(sizeof(TestCase) == 3 * sizeof(void*) + 8, "test records stay small");

// Ends the running test as SKIP with the reason (a string literal).
[[noreturn]] void skip(const char* reason);

// The interface `call` (a row of harness/interfaces.def: "mq_open") is not
// implemented (it returned ENOSYS). Ends the test as SKIP with the reason
// when the selected --profile does not require the interface, and as FAIL
// ("mq_open: required by PSE52, not implemented") when it does: a missing
// required interface is a conformance failure, not an absent option.
[[noreturn]] void skip_unimplemented(const char* call, const char* reason);

// A test that ends having made no check at all is a FAIL ("ran no check"):
// it could not have found a bug. One that has nothing to assert on some path
// (the behaviour is observed by the harness itself: it returns, it does not
// crash) says so with this, and the reason (a string literal) is the comment.
void no_check(const char* reason);

// Check entry points behind the macros below. `site` is a string literal
// "K[FILE:]LINE expression": K is the kind of check (enum Check; upper case
// for a fatal one), FILE is there when the check is not in the source file of
// the running test. Everything constant about a check sits in that one
// string, so that each of its thousands of sites costs little code.
// They return true when the check passed; a fatal failure ends the test.
enum Check : char {
    C_OK = 'o',    // check1: got is not an error
    C_TRUE = 't',  // check1: got != 0
    C_RET = 'r',   // check: got == want
    C_ERR = 'e',   // check: got == -want
    C_EQ = 'q',    // check: integer comparisons of got with want
    C_NE = 'n',
    C_LT = 'l',
    C_LE = 'm',
    C_GT = 'g',
    C_GE = 'h',
    C_ERR2 = 'u',   // check_err2
    C_MEM = 'y',    // check_mem
    C_CHILD = 'c',  // child_ok
    C_FAIL = 'f',   // fail
};
bool check1(const char* site, long got);
bool check(const char* site, long got, long want);
bool check_err2(const char* site, long got, int e1, int e2);
bool check_mem(const char* site, const void* a, const void* b, usize n);
// Records a failure with a free-form message and goes on.
void fail(const char* site, const char* msg);

// The scratch directory of this run (private, mode 0700, emptied after each
// test that used it). Skips the test when none could be created.
int scratch_fd();
// "<scratch>/<name>"; the results of the last four calls stay valid. Skips
// like scratch_fd().
const char* scratch_path(const char* name);

// Processes: true when this run may create processes (fork mode, or none
// mode on a kernel that has clone). Tests needing it use flag NEEDS_FORK.
bool can_fork();
// Runs fn(arg) in a child process that exits 0, or 1 when a check failed in
// it. Returns the child's pid or -errno. Checks in the child report into the
// running test's result.
long spawn(void (*fn)(void*), void* arg);
// Waits for pid (a child of this test) and returns its raw wait status, or
// -errno. Waits at most the test's own deadline (the harness enforces it).
int wait_status(long pid);
// Returns true if pid exited with status 0; otherwise records a failure that
// names how it ended.
bool child_ok(const char* site, long pid);

// The environment of this run, probed once before the first test by asking
// the kernel (harness/probe.cpp) and printed in the run header. A test
// declares what it needs with the calls below, at the top of its body (or of
// the row that needs it); an unmet need ends the test as SKIP with a reason
// that names it. Never decide privilege from geteuid() == 0: in a user
// namespace or a container with fewer capabilities, uid 0 cannot do what
// real root can, and a test that assumes it fails falsely.
inline constexpr int kNumRlimits = 5;  // nofile, nproc, memlock, as, stack
struct Environment {
    u64 caps;             // effective capabilities at start (capget)
    bool initial_userns;  // /proc/self/uid_map is the identity map (assumed without /proc)
    bool userns_known;    // /proc/self/uid_map could be read
    u8 std_fds;           // bit n: fd n (0, 1, 2) was open at start
    u8 nother_uids, nother_gids;
    u32 other_uids[2], other_gids[2];                         // ids the process could switch to
    int uid_switch_error, gid_switch_error, setgroups_error;  // -errno of the refusals
    u64 rlimits[kNumRlimits][2];  // {rlim_cur, rlim_max} of NOFILE, NPROC, MEMLOCK, AS, STACK
    int nice, policy, cpus;       // at start; cpus: the affinity mask's count
    int tracer_pid;               // 0 none, -1 unknown (no /proc)
    // The run started under a seccomp filter (a container's, a sandbox's;
    // not one of a run with a tracer, which is the tracer's):
    // a check that fails with the EPERM or ENOSYS container profiles give
    // for a call they refuse (unshare, keyctl, mount, ...) ends its test as
    // SKIP instead (harness/check.cpp).
    bool seccomp_filter;
    u16 release[2];  // uname's release, "6.1.0-13-amd64": {6, 1}; {0, 0} unreadable
};
const Environment& environment();
const char* cap_name(int cap);  // "CAP_SYS_NICE"
// A capability the kernel checks against the initial user namespace
// (capable(): most of them, e.g. CAP_SYS_NICE for real-time policies,
// CAP_SYSLOG, CAP_IPC_LOCK for mlock beyond the limit, CAP_SYS_RESOURCE):
// in the effective set, and this run in the initial user namespace.
bool cap_usable(int cap);
void require_cap(int cap);
// A capability the kernel checks against the namespace that owns the object
// (ns_capable(): CAP_SETUID over mapped ids, CAP_CHOWN, CAP_FOWNER,
// CAP_DAC_OVERRIDE on files with mapped owners, CAP_KILL, CAP_SYS_ADMIN over
// a namespace this process created): in the effective set.
bool ns_cap_usable(int cap);
void require_ns_cap(int cap);
// A capability checked with ns_capable() against the user namespace that
// owns this process's namespace `ns` ("ipc", "pid", "net", "uts": the kernel
// checks CAP_IPC_OWNER against the IPC namespace's owner, so `unshare -r`
// alone, which keeps the initial IPC namespace, does not get it): in the
// effective set, and that namespace owned by the initial user namespace
// (this run is in it) or by this process's own. owns_namespace() asks the
// kernel (NS_GET_USERNS); false without /proc.
bool owns_namespace(const char* ns);
bool cap_over_namespace(int cap, const char* ns);
// Every id in [first, first + count) is mapped in this process's user
// namespace (/proc/self/uid_map, gid_map; read at each call). Calls that take
// an unmapped id fail with EINVAL (kernel/sys.c validates ids first). Without
// /proc the identity map of the initial namespace is assumed, as the probe
// does. own_ids_mapped(): the effective uid and gid are (not so after
// `unshare -U`, where the process runs as the overflow id 65534).
bool ids_mapped(bool gid, u32 first, u32 count = 1);
bool own_ids_mapped();
// A uid (gid) other than the process's own that it can switch to (which: 0
// or 1, for tests that need two). Skips when there is none: in a user
// namespace that maps one id, or without CAP_SETUID (CAP_SETGID).
u32 other_uid(int which = 0);
u32 other_gid(int which = 0);
// setgroups(2) is allowed (CAP_SETGID, and not denied in this user namespace).
void require_setgroups();
// Becoming another user: require_other_user() in the test's own thread
// (it skips when other_uid(), other_gid() or setgroups is unavailable), then
// become_other_user() where the switch should happen (the test process in
// fork mode, or a child): no supplementary groups, gid other_gid(), uid
// other_uid(), and so no capabilities. Returns false when a step failed.
// A process that switches ids in none mode switches the harness: do it in a
// child (kc::spawn).
void require_other_user();
bool become_other_user();
// Whether become_other_user() can succeed here (what require_other_user()
// asks, as a question): for a test that runs as another user where there is
// one, and as this user without capabilities otherwise.
bool other_user_available();
// Clears the effective, permitted and inheritable capability sets (capset),
// keeping the ids: unprivileged, yet still the owner of what it owns.
bool drop_capabilities();
// At least n descriptors (fds 0 to n-1) may be open: raises RLIMIT_NOFILE's
// soft limit up to its hard limit, or skips.
void require_fds(int n);
// No tracer is attached to this run (strace, a debugger): ptrace tests need
// to be the only tracer.
void require_no_tracer();
// The run started as SCHED_OTHER at nice 0 (not under nice or chrt -i).
void require_default_scheduling();
// The kernel says (uname's release) it is older than Linux major.minor. For
// behaviour Linux changed in that version: a test expects what the kernel
// claims to be, the old behaviour from an older release and the new one from
// the rest, so that the reference run passes on every Linux and a target is
// judged by the version it reports (gVisor says 4.4.0). A release that does
// not start with a version number counts as new.
bool linux_before(int major, int minor);

// Cleanup that survives a failed ASSERT. ASSERT_* and kc::skip leave the
// test body by longjmp, so destructors of its locals do not run. What a test
// registers with defer() runs when the test ends, newest first, unless it was
// taken back with undefer(); the guards below use it, so that they are safe
// in every test: their destructor undoes their work on the normal way out,
// the list on every other. (In fork mode the test process exits anyway; the
// list matters in-process, and for guards that restore state.)
int defer(void (*fn)(long, long), long a, long b = 0);  // a handle; -1: full (fn ran)
void undefer(int handle, bool run);                     // takes it back, running it when `run`
void run_cleanups();                                    // the runner's: runs what is left

// An owned descriptor, closed by the guard or the cleanup list.
class Fd {
   public:
    explicit Fd(long fd = -1) { reset(fd); }
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    operator int() const { return fd_; }
    bool ok() const { return fd_ >= 0; }
    void reset(long fd = -1);  // closes the old one; a negative fd (-errno, kept for
                               // the check that reports it) owns nothing
    int release();             // gives it up without closing

   private:
    static void close_fd(long fd, long);
    int fd_ = -1;
    int handle_ = -1;
};

// Both ends of a pipe (pipe2 with `flags`); r is pipe2's result.
struct Pipe {
    explicit Pipe(int flags = O_CLOEXEC) {
        int fds[2] = {-1, -1};
        r = sys::pipe2(fds, flags);
        if (r == 0) rd.reset(fds[0]), wr.reset(fds[1]);
    }
    long r;
    Fd rd, wr;
};

// An owned mapping (the result of a successful mmap), unmapped by the guard
// or the cleanup list.
class Mapping {
   public:
    Mapping(void* addr, usize len);
    ~Mapping();
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

   private:
    static void unmap(long addr, long len);
    int handle_ = -1;
};

// True when the test runs in a process of its own that ends with it (fork
// mode): what the process holds (an AIO context, a mapping) is released by
// its exit, after the test's result is in. In-process (--isolate=none) the
// test must release it itself (the cleanup list).
bool process_per_test();

// A monotonic timestamp in nanoseconds (clock_gettime(CLOCK_MONOTONIC)).
i64 now_ns();

// Upper bounds on elapsed time that hold on a busy machine. A test that
// checks a call returned at once, or soon after a deadline, measures with
// own_ns(): now_ns() less the time this thread has waited, runnable, for a
// CPU (the kernel's run delay, /proc/thread-self/schedstat, where it can be
// read), which is the machine's doing, not the call's. quickest_ns() times
// `call` so; when that is `bound` or more it times it again, three calls at
// most, and returns the shortest. A call that blocks where it should not
// misses every time; a test preempted once (by a CPU the kernel gives it
// late, on a machine without the run delay) does not fail for it. `call`
// must be repeatable: set up what it consumes inside it.
i64 own_ns();
template <class F>
i64 quickest_ns(i64 bound, F call) {
    i64 best = -1;
    for (int i = 0; i < 3 && (best < 0 || best >= bound); ++i) {
        i64 t0 = own_ns();
        call();
        i64 took = own_ns() - t0;
        if (best < 0 || took < best) best = took;
    }
    return best;
}

// The path this binary was started from (auxv AT_EXECFN, else argv[0]), for
// tests that re-execute the suite: `<self_path()> --exec-helper=NAME args...`
// runs the EXEC_HELPER named NAME instead of the suite.
const char* self_path();
struct ExecHelper {
    const char* name;
    int (*fn)(int argc, char** argv, char** envp);  // argv: the words after NAME
};

}  // namespace kc

#include "harness/profile.hpp"

// Declares an exec helper; its return value is the process's exit status.
#define EXEC_HELPER(n_)                                                                        \
    static int kc_helper_##n_(int argc, char** argv, char** envp);                             \
    [[gnu::used, gnu::retain, gnu::section("kc_helpers"),                                      \
      gnu::aligned(8)]] static constexpr kc::ExecHelper kc_helper_rec_##n_ = {#n_,             \
                                                                              kc_helper_##n_}; \
    static int kc_helper_##n_([[maybe_unused]] int argc, [[maybe_unused]] char** argv,         \
                              [[maybe_unused]] char** envp)

#define KC_STR2(x) #x
#define KC_STR(x) KC_STR2(x)
#define KC_CAT2(a, b) a##b
#define KC_CAT(a, b) KC_CAT2(a, b)
// KC_FILE is non-null when a check must name its file: when it sits in a
// shared header rather than in the translation unit that registers the
// running test (which the runner knows). A shared .cpp of helpers called from
// other files' tests defines KC_FILE as __FILE__ before including this header.
// The choice is folded at compile time: each site is one string literal.
#ifndef KC_FILE
#define KC_FILE (__builtin_strcmp(__FILE__, __BASE_FILE__) ? __FILE__ : nullptr)
#endif
#define KC_WHERE(kind) (KC_FILE ? kind __FILE__ ":" KC_STR(__LINE__) : kind KC_STR(__LINE__))
#define KC_SITE(kind, text) \
    (KC_FILE ? kind __FILE__ ":" KC_STR(__LINE__) " " text : kind KC_STR(__LINE__) " " text)

// Each translation unit's records follow one file record (fn == nullptr)
// that names its source file, in the order the compiler emits them
// (-fno-toplevel-reorder), so that test records need no file of their own.
[[gnu::used, gnu::retain, gnu::section("kc_tests"),
  gnu::aligned(8)]] static constexpr kc::TestCase kc_file_record = {.id = __BASE_FILE__,
                                                                    .fn = nullptr,
                                                                    .rows = nullptr,
                                                                    .nrows = 0,
                                                                    .row_size = 0,
                                                                    .category = kc::POSITIVE,
                                                                    .profile = kc::PSE51};

// A test's stated profile must agree with the table (harness/profile.hpp);
// the harness's self-test, whose profiles exercise selection, opts out.
#ifdef KC_PROFILES_UNCHECKED
#define KC_PROFILE_CHECK(g_, n_)
#else
#define KC_PROFILE_CHECK(g_, n_)                            \
    static_assert(kc::profile_agrees(kc_test_##g_##__##n_), \
                  "the profile of " #g_ "." #n_ " disagrees with harness/interfaces.def");
#endif

#define KC_REGISTER(g_, n_, cat, prof, rows_, nrows_, rowsize_, ...)           \
    static void kc_body_##g_##__##n_(const void*);                             \
    [[gnu::used, gnu::retain, gnu::section("kc_tests"),                        \
      gnu::aligned(8)]] static constexpr kc::TestCase kc_test_##g_##__##n_ = { \
        .id = #g_ "." #n_,                                                     \
        .fn = kc_body_##g_##__##n_,                                            \
        .rows = rows_,                                                         \
        .nrows = nrows_,                                                       \
        .row_size = rowsize_,                                                  \
        .category = kc::cat,                                                   \
        .profile = kc::prof __VA_OPT__(, ) __VA_ARGS__};                       \
    KC_PROFILE_CHECK(g_, n_)

#define TEST(g_, n_, cat, prof, ...)                           \
    KC_REGISTER(g_, n_, cat, prof, nullptr, 1, 0, __VA_ARGS__) \
    static void kc_body_##g_##__##n_(const void*)

// `row` is the current row of `table` (a constexpr array of structs).
#define TEST_P(g_, n_, cat, prof, table, ...)                                                 \
    static_assert(__builtin_offsetof(__typeof__(table[0]), label) == 0, "row label first");   \
    static void kc_rowbody_##g_##__##n_(const __typeof__(table[0])& row);                     \
    KC_REGISTER(g_, n_, cat, prof, table, sizeof(table) / sizeof(table[0]), sizeof(table[0]), \
                __VA_ARGS__)                                                                  \
    static void kc_body_##g_##__##n_(const void* r) {                                         \
        kc_rowbody_##g_##__##n_(*static_cast<const __typeof__(table[0])*>(r));                \
    }                                                                                         \
    static void kc_rowbody_##g_##__##n_(const __typeof__(table[0])& row)

// Skips the test when the architecture has no such system call.
#define REQUIRE_NR(name)                                                         \
    do {                                                                         \
        if (nr::name < 0) kc::skip("no " #name " system call on " KC_ARCH_NAME); \
    } while (0)

// Sites are built from kc::Check letters: lower case (EXPECT_*) goes on after
// a failure, upper case (ASSERT_*) ends the test.
#define KC_CHECK1(k, text, got) kc::check1(KC_SITE(k, text), (long)(got))
#define KC_CHECK(k, text, got, want) kc::check(KC_SITE(k, text), (long)(got), (long)(want))
#define KC_CMP(k, a, b, sym) KC_CHECK(k, #a " " sym " " #b, a, b)

// A system call succeeded: its result is not in [-4095, -1].
#define EXPECT_OK(expr) KC_CHECK1("o", #expr, expr)
#define ASSERT_OK(expr) KC_CHECK1("O", #expr, expr)
// The result is exactly v.
#define EXPECT_RET(expr, v) KC_CHECK("r", #expr, expr, v)
#define ASSERT_RET(expr, v) KC_CHECK("R", #expr, expr, v)
// The call failed with exactly -e.
#define EXPECT_ERR(expr, e) KC_CHECK("e", #expr, expr, e)
#define ASSERT_ERR(expr, e) KC_CHECK("E", #expr, expr, e)
// The call failed with -e1 or -e2. Say in a comment why both conform.
#define EXPECT_ERR_ANY(expr, e1, e2) kc::check_err2(KC_SITE("u", #expr), (long)(expr), e1, e2)
#define ASSERT_ERR_ANY(expr, e1, e2) kc::check_err2(KC_SITE("U", #expr), (long)(expr), e1, e2)
// Integer comparisons: the first operand is the value under test.
#define EXPECT_EQ(a, b) KC_CMP("q", a, b, "==")
#define EXPECT_NE(a, b) KC_CMP("n", a, b, "!=")
#define EXPECT_LT(a, b) KC_CMP("l", a, b, "<")
#define EXPECT_LE(a, b) KC_CMP("m", a, b, "<=")
#define EXPECT_GT(a, b) KC_CMP("g", a, b, ">")
#define EXPECT_GE(a, b) KC_CMP("h", a, b, ">=")
#define ASSERT_EQ(a, b) KC_CMP("Q", a, b, "==")
#define ASSERT_NE(a, b) KC_CMP("N", a, b, "!=")
#define ASSERT_LT(a, b) KC_CMP("L", a, b, "<")
#define ASSERT_LE(a, b) KC_CMP("M", a, b, "<=")
#define ASSERT_GT(a, b) KC_CMP("G", a, b, ">")
#define ASSERT_GE(a, b) KC_CMP("H", a, b, ">=")
#define EXPECT_TRUE(c) KC_CHECK1("t", #c, !!(c))
#define ASSERT_TRUE(c) KC_CHECK1("T", #c, !!(c))
// n bytes at a equal n bytes at b; a failure names the first differing byte.
#define EXPECT_MEM_EQ(a, b, n) kc::check_mem(KC_SITE("y", #a " vs " #b), a, b, n)
#define ASSERT_MEM_EQ(a, b, n) kc::check_mem(KC_SITE("Y", #a " vs " #b), a, b, n)
// A child process (from kc::spawn or sys::fork) exited with status 0.
#define EXPECT_CHILD_OK(pid) kc::child_ok(KC_SITE("c", #pid), pid)
// Records a failure with a free-form message (a string) and goes on.
#define ADD_FAILURE(msg) kc::fail(KC_WHERE("f"), msg)

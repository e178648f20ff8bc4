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
// in this order: .flags = kc::NEEDS_ROOT, .timeout_ms = 2000.
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
// Nested: a system claiming PSE52 must pass PSE51 and PSE52 tests.
enum Profile : u8 { PSE51, PSE52, PSE53, LINUX };
enum Flags : u8 {
    NEEDS_ROOT = 1,     // skipped with a reason when euid != 0
    NEEDS_FORK = 2,     // skipped with a reason when processes cannot be created
    NEEDS_SCRATCH = 4,  // skipped with a reason when no scratch directory exists
};

struct TestCase {
    const char* id;  // "group.name"; the group is the part before the '.'
    const char* file;
    void (*fn)(const void* row);
    const void* rows;  // nullptr for a plain test
    u16 nrows;         // 1 for a plain test
    u16 row_size;
    Category category;
    Profile profile;
    u8 flags = 0;
    u32 timeout_ms = 0;  // 0: the run's --timeout
};

// Ends the running test as SKIP with the reason (a string literal).
[[noreturn]] void skip(const char* reason);
// Records a failure with a free-form message and goes on.
void fail(const char* file, const char* site, const char* msg);

// Check entry points behind the macros below. `site` is "LINE expression";
// `file` is nullptr for the running test's own source file.
// They return true when the check passed; with fatal set, a failure ends the
// test instead of returning.
bool check_ok(const char* file, const char* site, long got, bool fatal);
bool check_ret(const char* file, const char* site, long got, long want, bool fatal);
bool check_err(const char* file, const char* site, long got, int err, bool fatal);
bool check_err2(const char* file, const char* site, long got, int e1, int e2, bool fatal);
enum Cmp : u8 { EQ, NE, LT, LE, GT, GE, TRUE };
bool check_cmp(const char* file, const char* site, long a, long b, Cmp op, bool fatal);
bool check_mem(const char* file, const char* site, const void* a, const void* b, usize n,
               bool fatal);

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
bool child_ok(const char* file, const char* site, long pid);

// A monotonic timestamp in nanoseconds (clock_gettime(CLOCK_MONOTONIC)).
i64 now_ns();

// The path this binary was started from (auxv AT_EXECFN, else argv[0]), for
// tests that re-execute the suite: `<self_path()> --exec-helper=NAME args...`
// runs the EXEC_HELPER named NAME instead of the suite.
const char* self_path();
struct ExecHelper {
    const char* name;
    int (*fn)(int argc, char** argv, char** envp);  // argv: the words after NAME
};

}  // namespace kc

// Declares an exec helper; its return value is the process's exit status.
#define EXEC_HELPER(n_)                                                                        \
    static int kc_helper_##n_(int argc, char** argv, char** envp);                             \
    [[gnu::used, gnu::retain, gnu::section("kc_helpers"),                                      \
      gnu::aligned(8)]] static constexpr kc::ExecHelper kc_helper_rec_##n_ = {#n_,             \
                                                                             kc_helper_##n_};  \
    static int kc_helper_##n_([[maybe_unused]] int argc, [[maybe_unused]] char** argv,         \
                              [[maybe_unused]] char** envp)

namespace kc {

}  // namespace kc

#define KC_STR2(x) #x
#define KC_STR(x) KC_STR2(x)
#define KC_CAT2(a, b) a##b
#define KC_CAT(a, b) KC_CAT2(a, b)
#define KC_SITE(text) KC_STR(__LINE__) " " text
// The file of a check: nullptr (folded at compile time) when the check sits in
// the translation unit that registers the running test, which the runner
// knows; the header's name when it sits in a shared header. Saves a pointer
// load per assertion. A shared .cpp of helpers called from other files' tests
// defines KC_FILE as __FILE__ before including this header.
#ifndef KC_FILE
#define KC_FILE (__builtin_strcmp(__FILE__, __BASE_FILE__) ? __FILE__ : nullptr)
#endif

#define KC_REGISTER(g_, n_, cat, prof, rows_, nrows_, rowsize_, ...)                      \
    static void kc_body_##g_##__##n_(const void*);                                        \
    [[gnu::used, gnu::retain, gnu::section("kc_tests"),                                        \
      gnu::aligned(8)]] static constexpr kc::TestCase kc_test_##g_##__##n_ = {            \
        .id = #g_ "." #n_, .file = __FILE__, .fn = kc_body_##g_##__##n_,     \
        .rows = rows_, .nrows = nrows_, .row_size = rowsize_, .category = kc::cat,             \
        .profile = kc::prof __VA_OPT__(, ) __VA_ARGS__};

#define TEST(g_, n_, cat, prof, ...)                                                      \
    KC_REGISTER(g_, n_, cat, prof, nullptr, 1, 0, __VA_ARGS__)                            \
    static void kc_body_##g_##__##n_(const void*)

// `row` is the current row of `table` (a constexpr array of structs).
#define TEST_P(g_, n_, cat, prof, table, ...)                                             \
    static_assert(__builtin_offsetof(__typeof__(table[0]), label) == 0,                        \
                  "row label first");                                                          \
    static void kc_rowbody_##g_##__##n_(const __typeof__(table[0])& row);                 \
    KC_REGISTER(g_, n_, cat, prof, table, sizeof(table) / sizeof(table[0]),               \
                sizeof(table[0]), __VA_ARGS__)                                                 \
    static void kc_body_##g_##__##n_(const void* r) {                                     \
        kc_rowbody_##g_##__##n_(*static_cast<const __typeof__(table[0])*>(r));            \
    }                                                                                          \
    static void kc_rowbody_##g_##__##n_(const __typeof__(table[0])& row)

// Skips the test when the architecture has no such system call.
#define REQUIRE_NR(name)                                                                       \
    do {                                                                                       \
        if (nr::name < 0) kc::skip("no " #name " system call on " KC_ARCH_NAME);               \
    } while (0)

#define KC_CHECK_OK(expr, f) kc::check_ok(KC_FILE, KC_SITE(#expr), (long)(expr), f)
#define KC_CHECK_RET(expr, v, f) kc::check_ret(KC_FILE, KC_SITE(#expr), (long)(expr), (long)(v), f)
#define KC_CHECK_ERR(expr, e, f) kc::check_err(KC_FILE, KC_SITE(#expr), (long)(expr), e, f)
#define KC_CHECK_ERR2(expr, e1, e2, f)                                                         \
    kc::check_err2(KC_FILE, KC_SITE(#expr), (long)(expr), e1, e2, f)
#define KC_CHECK_CMP(a, b, op, sym, f)                                                         \
    kc::check_cmp(KC_FILE, KC_SITE(#a " " sym " " #b), (long)(a), (long)(b), kc::op, f)
#define KC_CHECK_MEM(a, b, n, f) kc::check_mem(KC_FILE, KC_SITE(#a " vs " #b), a, b, n, f)

// A system call succeeded: its result is not in [-4095, -1].
#define EXPECT_OK(expr) KC_CHECK_OK(expr, false)
#define ASSERT_OK(expr) KC_CHECK_OK(expr, true)
// The result is exactly v.
#define EXPECT_RET(expr, v) KC_CHECK_RET(expr, v, false)
#define ASSERT_RET(expr, v) KC_CHECK_RET(expr, v, true)
// The call failed with exactly -e.
#define EXPECT_ERR(expr, e) KC_CHECK_ERR(expr, e, false)
#define ASSERT_ERR(expr, e) KC_CHECK_ERR(expr, e, true)
// The call failed with -e1 or -e2. Say in a comment why both conform.
#define EXPECT_ERR_ANY(expr, e1, e2) KC_CHECK_ERR2(expr, e1, e2, false)
#define ASSERT_ERR_ANY(expr, e1, e2) KC_CHECK_ERR2(expr, e1, e2, true)
// Integer comparisons: the first operand is the value under test.
#define EXPECT_EQ(a, b) KC_CHECK_CMP(a, b, EQ, "==", false)
#define EXPECT_NE(a, b) KC_CHECK_CMP(a, b, NE, "!=", false)
#define EXPECT_LT(a, b) KC_CHECK_CMP(a, b, LT, "<", false)
#define EXPECT_LE(a, b) KC_CHECK_CMP(a, b, LE, "<=", false)
#define EXPECT_GT(a, b) KC_CHECK_CMP(a, b, GT, ">", false)
#define EXPECT_GE(a, b) KC_CHECK_CMP(a, b, GE, ">=", false)
#define ASSERT_EQ(a, b) KC_CHECK_CMP(a, b, EQ, "==", true)
#define ASSERT_NE(a, b) KC_CHECK_CMP(a, b, NE, "!=", true)
#define ASSERT_LT(a, b) KC_CHECK_CMP(a, b, LT, "<", true)
#define ASSERT_LE(a, b) KC_CHECK_CMP(a, b, LE, "<=", true)
#define ASSERT_GT(a, b) KC_CHECK_CMP(a, b, GT, ">", true)
#define ASSERT_GE(a, b) KC_CHECK_CMP(a, b, GE, ">=", true)
#define EXPECT_TRUE(c) kc::check_cmp(KC_FILE, KC_SITE(#c), !!(c), 1, kc::TRUE, false)
#define ASSERT_TRUE(c) kc::check_cmp(KC_FILE, KC_SITE(#c), !!(c), 1, kc::TRUE, true)
// n bytes at a equal n bytes at b; a failure names the first differing byte.
#define EXPECT_MEM_EQ(a, b, n) KC_CHECK_MEM(a, b, n, false)
#define ASSERT_MEM_EQ(a, b, n) KC_CHECK_MEM(a, b, n, true)
// A child process (from kc::spawn or sys::fork) exited with status 0.
#define EXPECT_CHILD_OK(pid) kc::child_ok(KC_FILE, KC_SITE(#pid), pid)
// Records a failure with a free-form message (a string) and goes on.
#define ADD_FAILURE(msg) kc::fail(KC_FILE, KC_STR(__LINE__), msg)

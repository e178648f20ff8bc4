// SPDX-License-Identifier: MIT
// execve(2) and execveat(2): the new image gets argv and envp intact, keeps
// the pid, the parent, open fds without FD_CLOEXEC, the signal mask and
// pending signals, resets caught signals and closes FD_CLOEXEC fds; scripts
// run their interpreter; and the exact errnos for missing, non-executable,
// non-binary, busy and badly named files and bad pointers.
// The new image is this binary re-executed as an exec helper (EXEC_HELPER):
// it checks what it inherited and reports through its exit status.
// Every exec runs in a child, so that a wrong success cannot replace the
// test process. Not covered: E2BIG (the limit depends on RLIMIT_STACK),
// set-user-ID images, ETXTBSY's reverse (writing a running image).
#include "rt/sys_fs.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_signal.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

bool same(const char* a, const char* b) { return rt::streq(a, b); }

long num(const char* s) {
    long v = -1;
    return s && rt::parse_long(s, &v) ? v : -1;
}

constexpr const char* kArgs[] = {"alpha", "", "two words", "\xc3\xa9t\xc3\xa9", "--", "-x"};
constexpr const char* kEnv[] = {"KC_A=1", "KC_EMPTY=", "KC_EQ=a=b", "NOEQUALS", ""};
constexpr int kNArgs = sizeof kArgs / sizeof kArgs[0];
constexpr int kNEnv = sizeof kEnv / sizeof kEnv[0];

}  // namespace

// argv after the helper name must be kArgs exactly, envp kEnv exactly.
EXEC_HELPER(proc_args) {
    if (argc != kNArgs || argv[argc] != nullptr) return 30;
    for (int i = 0; i < kNArgs; ++i) {
        if (!same(argv[i], kArgs[i])) return 10 + i;
    }
    int n = 0;
    while (envp[n]) ++n;
    if (n != kNEnv) return 31;
    for (int i = 0; i < kNEnv; ++i) {
        if (!same(envp[i], kEnv[i])) return 20 + i;
    }
    return 0;
}

// argv: FD open|closed. For an open fd, also writes "ok" into it.
EXEC_HELPER(proc_fd_state) {
    if (argc != 2) return 30;
    int fd = int(num(argv[0]));
    long flags = sys::fcntl(fd, F_GETFD);
    if (same(argv[1], "closed")) return flags == -EBADF ? 0 : 1;
    if (flags != 0) return 2;  // open, and FD_CLOEXEC clear
    return sys::write(fd, "ok", 2) == 2 ? 0 : 3;
}

// argv: FD. Reads FD until end of file, then exits 0.
EXEC_HELPER(proc_wait_fd) {
    if (argc != 1) return 30;
    char c;
    long r;
    do r = sys::read(int(num(argv[0])), &c, 1);
    while (r > 0 || r == -EINTR);
    return r == 0 ? 0 : 1;
}

// argv: PID PPID expected for the new image.
EXEC_HELPER(proc_ids) {
    if (argc != 2) return 30;
    if (sys::getpid() != num(argv[0])) return 1;
    if (sys::getppid() != num(argv[1])) return 2;
    return 0;
}

// Expects SIGUSR1 (caught before exec) at SIG_DFL, SIGUSR2 still ignored,
// SIGHUP and SIGWINCH still blocked, SIGWINCH still pending.
EXEC_HELPER(proc_sigs) {
    arch::KSigaction a{};
    sys::rt_sigaction(SIGUSR1, nullptr, &a);
    if (a.handler != SIG_DFL) return 1;
    sys::rt_sigaction(SIGUSR2, nullptr, &a);
    if (a.handler != SIG_IGN) return 2;
    u64 mask = 0;
    sys::rt_sigprocmask(SIG_BLOCK, nullptr, &mask);
    if (mask != (sigbit(SIGHUP) | sigbit(SIGWINCH))) return 3;
    u64 pending = 0;
    sys::rt_sigpending(&pending);
    if (pending != sigbit(SIGWINCH)) return 4;
    return 0;
}

// argv: CODE. Exits with CODE.
EXEC_HELPER(proc_exit_arg) { return argc == 1 ? int(num(argv[0])) : 30; }

// Run through a "#!<self> --exec-helper=proc_script" line: the kernel passes
// the script's path and then the original argv[1..].
EXEC_HELPER(proc_script) {
    if (argc != 3) return 30;
    usize n = rt::strlen(argv[0]);
    if (n < 6 || !same(argv[0] + n - 6, "script")) return 1;
    return same(argv[1], "one") && same(argv[2], "two") ? 0 : 2;
}

namespace {

struct Exec {
    const char* path;
    const char* const* argv;
    const char* const* envp;
    int dirfd = AT_FDCWD;
    int flags = 0;
    bool at = false;              // execveat instead of execve
    void (*prepare)() = nullptr;  // runs in the child before the exec
};
struct Outcome {
    long err;  // the exec's -errno, or 0 when the image was replaced
    int status;
};

// Runs the exec in a child; reports the exec's error (through an O_CLOEXEC
// pipe that a successful exec closes) and how the child ended.
Outcome run_exec(const Exec& e) {
    Outcome o{-EPIPE, -1};
    int p[2];
    if (sys::pipe2(p, O_CLOEXEC) < 0) return o;
    long pid = sys::fork();
    if (pid == 0) {
        if (e.prepare) e.prepare();
        long r = e.at ? sys::execveat(e.dirfd, e.path, e.argv, e.envp, e.flags)
                      : sys::execve(e.path, e.argv, e.envp);
        sys::write(p[1], &r, sizeof r);
        sys::exit_group(127);
    }
    sys::close(p[1]);
    if (pid > 0) {
        long r = 0;
        o.err = sys::read(p[0], &r, sizeof r) == sizeof r ? r : 0;
        o.status = kc::wait_status(pid);
    } else {
        o.err = pid;  // the fork failed: reported as the error
    }
    sys::close(p[0]);
    return o;
}

// argv for a harmless image: if an exec that should fail runs this binary
// instead, it exits 0 at once rather than running the suite.
const char* const kEnvNone[] = {nullptr};
const char* const* exit_argv(const char* path) {
    static const char* argv[4];
    argv[0] = path;
    argv[1] = "--exec-helper=proc_exit_arg";
    argv[2] = "0";
    argv[3] = nullptr;
    return argv;
}

// Creates <scratch>/name with `mode` and `len` bytes of `data`.
void make_file(const char* name, const char* data, usize len, int mode) {
    long fd = sys::openat(kc::scratch_fd(), name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    if (len) EXPECT_RET(sys::write(int(fd), data, len), long(len));
    sys::close(int(fd));
    ASSERT_OK(sys::fchmodat(kc::scratch_fd(), name, mode));
}

// Skips when the scratch directory's file system forbids exec (noexec).
void need_exec_scratch() {
    statfs st{};
    if (sys::fstatfs(kc::scratch_fd(), &st) == 0 && (st.f_flags & ST_NOEXEC)) {
        kc::skip("the scratch directory is on a noexec file system");
    }
}

// The absolute path of this binary: /proc/self/exe, or without /proc (a
// kernel booted with only an initramfs) the path it was started from when
// that is absolute (/init); else skips.
const char* exe_path(char* buf, usize n) {
    long r = sys::readlinkat(AT_FDCWD, "/proc/self/exe", buf, n - 1);
    if (r > 0 && buf[0] == '/') {
        buf[r] = 0;
        return buf;
    }
    const char* self = kc::self_path();
    if (!self || self[0] != '/') kc::skip("no /proc/self/exe, and not started by an absolute path");
    usize i = 0;
    for (; self[i] && i + 1 < n; ++i) buf[i] = self[i];
    if (self[i]) kc::skip("the path of this binary is too long");
    buf[i] = 0;
    return buf;
}

// The error of an exec (in a child) of <scratch>/name with harmless argv.
long exec_scratch_err(const char* name) {
    const char* path = kc::scratch_path(name);
    return run_exec({path, exit_argv(path), kEnvNone}).err;
}

}  // namespace

// execve(2)/POSIX exec: the new image receives argv and envp exactly as
// given: empty strings, spaces, UTF-8, '=' inside values, entries without '='.
TEST(execve, argv_and_envp_intact, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    const char* argv[3 + kNArgs] = {kc::self_path(), "--exec-helper=proc_args"};
    for (int i = 0; i < kNArgs; ++i) argv[2 + i] = kArgs[i];
    argv[2 + kNArgs] = nullptr;
    const char* envp[kNEnv + 1];
    for (int i = 0; i < kNEnv; ++i) envp[i] = kEnv[i];
    envp[kNEnv] = nullptr;
    Outcome o = run_exec({argv[0], argv, envp});
    EXPECT_RET(o.err, 0);
    EXPECT_EQ(o.status, 0);
}

// POSIX exec: the process keeps its pid and its parent.
TEST(execve, pid_and_parent_kept, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    Outcome o = run_exec({kc::self_path(), nullptr, kEnvNone, AT_FDCWD, 0, false, [] {
                              static char pid[24], ppid[24];
                              static const char* argv[5];
                              argv[0] = kc::self_path();
                              argv[1] = "--exec-helper=proc_ids";
                              argv[2] = proc::dec(pid, sizeof pid, sys::getpid());
                              argv[3] = proc::dec(ppid, sizeof ppid, sys::getppid());
                              sys::execve(argv[0], argv, kEnvNone);
                              sys::exit_group(126);
                          }});
    EXPECT_EQ(o.status, 0);
}

// POSIX exec: the new image's exit status reaches the parent unchanged.
TEST(execve, new_image_exit_status, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    const char* argv[] = {kc::self_path(), "--exec-helper=proc_exit_arg", "77", nullptr};
    Outcome o = run_exec({argv[0], argv, kEnvNone});
    EXPECT_RET(o.err, 0);
    EXPECT_EQ(o.status, 77 << 8);
}

namespace {
// Execs proc_fd_state on `fd` (expecting `state`) and returns the status.
int fd_state_after_exec(int fd, const char* state) {
    char num[24];
    const char* argv[] = {kc::self_path(), "--exec-helper=proc_fd_state",
                          proc::dec(num, sizeof num, fd), state, nullptr};
    return run_exec({argv[0], argv, kEnvNone}).status;
}
}  // namespace

// POSIX exec: a descriptor without FD_CLOEXEC stays open, still FD_CLOEXEC
// clear, and refers to the same pipe (the new image writes into it).
TEST(execve, fd_without_cloexec_survives, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_EQ(fd_state_after_exec(p[1], "open"), 0);
    sys::close(p[1]);
    char buf[4] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 2);
    EXPECT_MEM_EQ(buf, "ok", 2);
    sys::close(p[0]);
}

// POSIX exec: a descriptor opened with O_CLOEXEC is closed in the new image.
TEST(execve, o_cloexec_fd_closed, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    EXPECT_EQ(fd_state_after_exec(p[1], "closed"), 0);
    sys::close(p[0]);
    sys::close(p[1]);
}

// POSIX exec: FD_CLOEXEC set later with fcntl(F_SETFD) closes it too.
TEST(execve, fd_cloexec_set_by_fcntl_closed, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    ASSERT_OK(sys::fcntl(p[1], F_SETFD, FD_CLOEXEC));
    EXPECT_EQ(fd_state_after_exec(p[1], "closed"), 0);
    sys::close(p[0]);
    sys::close(p[1]);
}

// POSIX exec: once the only other write end of a pipe (O_CLOEXEC, in the
// child) is closed by the exec, the reader sees end of file while the new
// image is still running.
TEST(execve, cloexec_close_seen_as_eof, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int sync[2], hold[2];
    ASSERT_OK(sys::pipe2(sync, O_CLOEXEC));
    ASSERT_OK(sys::pipe2(hold, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        char num[24];
        // A copy without FD_CLOEXEC, for the helper to wait on (the lowest
        // free number from 3, so that it fits any RLIMIT_NOFILE).
        long fd = sys::fcntl(hold[0], F_DUPFD, 3);
        const char* argv[] = {kc::self_path(), "--exec-helper=proc_wait_fd",
                              proc::dec(num, sizeof num, fd), nullptr};
        sys::execve(argv[0], argv, kEnvNone);
        sys::exit_group(127);
    }
    sys::close(sync[1]);
    char c;
    EXPECT_RET(sys::read(sync[0], &c, 1), 0);  // EOF: exec'd, helper blocked
    EXPECT_RET(sys::wait4(int(pid), nullptr, WNOHANG, nullptr), 0);
    sys::close(hold[1]);
    EXPECT_EQ(kc::wait_status(pid), 0);
    sys::close(sync[0]);
    sys::close(hold[0]);
}

// POSIX exec: caught signals are reset to SIG_DFL, ignored ones stay
// ignored, and the signal mask and pending signals are kept.
TEST(execve, signal_state_across_exec, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    Outcome o = run_exec(
        {kc::self_path(), nullptr, kEnvNone, AT_FDCWD, 0, false, [] {
             proc::set_handler(SIGUSR1, reinterpret_cast<void*>(+[](int) {}));
             proc::set_handler(SIGUSR2, SIG_IGN);
             u64 set = sigbit(SIGHUP) | sigbit(SIGWINCH);
             sys::rt_sigprocmask(SIG_SETMASK, &set, nullptr);
             sys::kill(int(sys::getpid()), SIGWINCH);
             static const char* argv[] = {kc::self_path(), "--exec-helper=proc_sigs", nullptr};
             sys::execve(argv[0], argv, kEnvNone);
             sys::exit_group(126);
         }});
    EXPECT_EQ(o.status, 0);
}

// POSIX exec: ENOENT for a path that does not exist.
TEST(execve, missing_file_enoent, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    EXPECT_ERR(exec_scratch_err("no-such-file"), ENOENT);
}

// POSIX exec: ENOENT for an empty path.
TEST(execve, empty_path_enoent, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    EXPECT_ERR(run_exec({"", exit_argv(""), kEnvNone}).err, ENOENT);
}

// POSIX exec: EACCES for a regular file without execute permission (for
// root too: exec needs at least one execute bit).
TEST(execve, non_executable_file_eacces, NEGATIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    make_file("plain", "data\n", 5, 0644);
    EXPECT_ERR(exec_scratch_err("plain"), EACCES);
}

// POSIX exec: EACCES for a directory.
TEST(execve, directory_eacces, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    ASSERT_OK(sys::mkdirat(kc::scratch_fd(), "dir", 0755));
    EXPECT_ERR(exec_scratch_err("dir"), EACCES);
}

// POSIX exec: ENOTDIR when a path prefix component is a regular file.
TEST(execve, prefix_not_directory_enotdir, NEGATIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    make_file("file", "x", 1, 0755);
    EXPECT_ERR(exec_scratch_err("file/child"), ENOTDIR);
}

// POSIX exec: ENAMETOOLONG for a path longer than PATH_MAX (4096).
TEST(execve, path_too_long_enametoolong, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    static char path[4200];
    for (usize i = 0; i < sizeof path - 1; ++i) path[i] = (i % 100 == 0) ? '/' : 'a';
    path[sizeof path - 1] = 0;
    EXPECT_ERR(run_exec({path, exit_argv(path), kEnvNone}).err, ENAMETOOLONG);
}

struct Garbage {
    const char* label;
    const char* data;
    usize len;
};
// Executable files that no binary format recognizes: no magic, an empty
// file, an ELF magic with nothing valid after it, "#" without "!".
constexpr Garbage kGarbage[] = {
    {"text", "this is not a program\n", 22},
    {"empty", "", 0},
    {"elf_magic_only",
     "\x7f"
     "ELF",
     4},
    {"hash_no_bang", "# comment\n", 10},
};

// POSIX exec: ENOEXEC for an executable file in no recognized format.
TEST_P(execve, unrecognized_format_enoexec, NEGATIVE, PSE53, kGarbage,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    need_exec_scratch();
    make_file("garbage", row.data, row.len, 0755);
    EXPECT_ERR(exec_scratch_err("garbage"), ENOEXEC);
}

// POSIX exec: ETXTBSY when the file is open for writing.
TEST(execve, open_for_writing_etxtbsy, NEGATIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    need_exec_scratch();
    make_file("busy", "#!/bin/sh\n", 10, 0755);
    long fd = sys::openat(kc::scratch_fd(), "busy", O_WRONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    EXPECT_ERR(exec_scratch_err("busy"), ETXTBSY);
    sys::close(int(fd));
}

// execve(2): EFAULT for a path, argv or argv element outside the address space.
// Where argv is the bad part, the environment selects no test, so that a
// wrong success runs an empty suite rather than the whole one.
TEST(execve, bad_pointers_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    const char* bad = reinterpret_cast<const char*>(8);
    EXPECT_ERR(run_exec({bad, exit_argv("x"), kEnvNone}).err, EFAULT);
    const char* self = kc::self_path();
    const char* const no_tests[] = {"KCONFORM_OPTS=--filter=kc-exec-guard-none", nullptr};
    auto badv = reinterpret_cast<const char* const*>(8);
    EXPECT_ERR(run_exec({self, badv, no_tests}).err, EFAULT);
    EXPECT_ERR(run_exec({self, exit_argv(self), badv}).err, EFAULT);
    const char* argv[] = {self, bad, nullptr};
    EXPECT_ERR(run_exec({self, argv, no_tests}).err, EFAULT);
}

namespace {
// Writes <scratch>/script: "#!<interp>[ arg]\n" with mode 0755.
void make_script(const char* interp, const char* arg) {
    char buf[300];
    rt::Fmt f(buf, sizeof buf);
    f.s("#!").s(interp);
    if (arg) f.c(' ').s(arg);
    f.c('\n');
    if (f.len >= 250) kc::skip("this binary's path is too long for a #! line");
    make_file("script", buf, f.len, 0755);
}
}  // namespace

// execve(2): a "#!" script runs its interpreter with the optional argument,
// the script's path, then argv[1..] of the call.
TEST(execve, script_runs_interpreter, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    need_exec_scratch();
    char exe[512];
    make_script(exe_path(exe, sizeof exe), "--exec-helper=proc_script");
    const char* path = kc::scratch_path("script");
    const char* argv[] = {"ignored", "one", "two", nullptr};
    Outcome o = run_exec({path, argv, kEnvNone});
    EXPECT_RET(o.err, 0);
    EXPECT_EQ(o.status, 0);
}

// execve(2): ENOENT when a script's interpreter does not exist.
TEST(execve, script_missing_interpreter_enoent, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    need_exec_scratch();
    make_script("/nonexistent-kconform/interp", nullptr);
    EXPECT_ERR(exec_scratch_err("script"), ENOENT);
}

// execveat(2) AT_EMPTY_PATH: executes the file that dirfd refers to.
TEST(execveat, empty_path_executes_fd, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long fd = sys::openat(AT_FDCWD, kc::self_path(), O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    const char* argv[] = {"anything", "--exec-helper=proc_exit_arg", "5", nullptr};
    Outcome o = run_exec({"", argv, kEnvNone, int(fd), AT_EMPTY_PATH, true});
    EXPECT_RET(o.err, 0);
    EXPECT_EQ(o.status, 5 << 8);
    sys::close(int(fd));
}

// execveat(2) AT_EMPTY_PATH: an O_PATH descriptor is enough.
TEST(execveat, empty_path_on_o_path_fd, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long fd = sys::openat(AT_FDCWD, kc::self_path(), O_PATH | O_CLOEXEC);
    ASSERT_OK(fd);
    const char* argv[] = {"x", "--exec-helper=proc_exit_arg", "6", nullptr};
    Outcome o = run_exec({"", argv, kEnvNone, int(fd), AT_EMPTY_PATH, true});
    EXPECT_RET(o.err, 0);
    EXPECT_EQ(o.status, 6 << 8);
    sys::close(int(fd));
}

// execveat(2): a relative path is resolved against dirfd.
TEST(execveat, relative_to_dirfd, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    char exe[512];
    ASSERT_OK(sys::symlinkat(exe_path(exe, sizeof exe), kc::scratch_fd(), "self"));
    const char* argv[] = {"self", "--exec-helper=proc_exit_arg", "7", nullptr};
    Outcome o = run_exec({"self", argv, kEnvNone, kc::scratch_fd(), 0, true});
    EXPECT_RET(o.err, 0);
    EXPECT_EQ(o.status, 7 << 8);
}

// execveat(2): an empty path without AT_EMPTY_PATH is ENOENT.
TEST(execveat, empty_path_without_flag_enoent, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long fd = sys::openat(AT_FDCWD, kc::self_path(), O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    EXPECT_ERR(run_exec({"", exit_argv("x"), kEnvNone, int(fd), 0, true}).err, ENOENT);
    sys::close(int(fd));
}

// execveat(2): AT_SYMLINK_NOFOLLOW on a symbolic link is ELOOP.
TEST(execveat, symlink_nofollow_eloop, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    char exe[512];
    ASSERT_OK(sys::symlinkat(exe_path(exe, sizeof exe), kc::scratch_fd(), "self"));
    Outcome o = run_exec(
        {"self", exit_argv("self"), kEnvNone, kc::scratch_fd(), AT_SYMLINK_NOFOLLOW, true});
    EXPECT_ERR(o.err, ELOOP);
}

struct Flag {
    const char* label;
    int flags;
};
// execveat(2): flags other than AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW are
// EINVAL.
constexpr Flag kBadExecFlags[] = {
    {"0x1", 0x1},
    {"AT_REMOVEDIR", AT_REMOVEDIR},
    {"AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW},
    {"0x80000000", int(0x80000000u)},
};
TEST_P(execveat, unknown_flags_einval, NEGATIVE, LINUX, kBadExecFlags, .flags = kc::NEEDS_FORK) {
    const char* self = kc::self_path();
    EXPECT_ERR(run_exec({self, exit_argv(self), kEnvNone, AT_FDCWD, row.flags, true}).err, EINVAL);
}

// execveat(2): EBADF for a relative path with an invalid dirfd; ENOTDIR
// when dirfd is not a directory.
TEST(execveat, bad_dirfd, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    EXPECT_ERR(run_exec({"x", exit_argv("x"), kEnvNone, -1, 0, true}).err, EBADF);
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    EXPECT_ERR(run_exec({"x", exit_argv("x"), kEnvNone, p[0], 0, true}).err, ENOTDIR);
    sys::close(p[0]);
    sys::close(p[1]);
}

// execveat(2): a script opened O_CLOEXEC cannot be run by descriptor, since
// its interpreter could not open /dev/fd/N: ENOENT.
TEST(execveat, cloexec_script_fd_enoent, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    need_exec_scratch();
    char exe[512];
    make_script(exe_path(exe, sizeof exe), "--exec-helper=proc_script");
    long fd = sys::openat(kc::scratch_fd(), "script", O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    Outcome o = run_exec({"", exit_argv("x"), kEnvNone, int(fd), AT_EMPTY_PATH, true});
    EXPECT_ERR(o.err, ENOENT);
    sys::close(int(fd));
}

// SPDX-License-Identifier: MIT
#include "tracer.hpp"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

// glibc's <sys/ptrace.h> clashes with <linux/ptrace.h>; declare the call.
extern "C" long ptrace(int request, pid_t pid, void* addr, void* data);

namespace kfi {

namespace {

volatile sig_atomic_t g_tick;
void on_alarm(int) { g_tick = 1; }

long pt(int req, pid_t pid, unsigned long addr = 0, unsigned long data = 0) {
    return ptrace(req, pid, reinterpret_cast<void*>(addr), reinterpret_cast<void*>(data));
}

bool mem_io(pid_t tid, unsigned long addr, void* buf, size_t n, bool write) {
    std::string path = "/proc/" + std::to_string(tid) + "/mem";
    int fd = open(path.c_str(), (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t r = write ? pwrite(fd, buf, n, off_t(addr)) : pread(fd, buf, n, off_t(addr));
    close(fd);
    return r == ssize_t(n);
}

pid_t tgid_of(pid_t tid) {
    std::ifstream in("/proc/" + std::to_string(tid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Tgid:", 0) == 0) return pid_t(std::stol(line.substr(5)));
    return tid;
}

// The seccomp filter: SECCOMP_RET_TRACE for the fault's system calls.
void install_filter(const std::vector<long>& nrs) {
    std::vector<sock_filter> f;
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    f.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
    for (long nr : nrs) {
        f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, unsigned(nr), 0, 1));
        f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE));
    }
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
    // With CAP_SYS_ADMIN the filter needs no no_new_privs, which the program
    // could observe (prctl PR_GET_NO_NEW_PRIVS); without it, it must be set.
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0) return;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        _exit(126);
}

}  // namespace

bool Call::read(unsigned long addr, void* buf, size_t n) const {
    return mem_io(tid, addr, buf, n, false);
}

bool Call::write(unsigned long addr, const void* buf, size_t n) const {
    return mem_io(tid, addr, const_cast<void*>(buf), n, true);
}

namespace {

// A directory of the traced run's own, its TMPDIR: a faulted kernel (unlink
// that fails, a harness killed at its deadline) leaves scratch directories
// behind, and they go with it. Removed with every permission bit a fault may
// have taken away given back first.
struct PrivateTmp {
    std::string path;
    PrivateTmp() {
        std::string templ = (std::filesystem::temp_directory_path() / "kconform-inject-XXXXXX");
        if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
        path = templ;
    }
    ~PrivateTmp() {
        namespace fs = std::filesystem;
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(path, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_directory(ec) && !it->is_symlink(ec))
                fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path, ec);
    }
};

}  // namespace

TraceResult run_traced(const std::vector<std::string>& argv, const Fault* fault, double timeout_s) {
    int out = int(syscall(SYS_memfd_create, "kconform-inject-out", 0));
    if (out < 0) throw std::runtime_error("memfd_create failed");
    PrivateTmp tmp;
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    auto start = std::chrono::steady_clock::now();
    pid_t root = fork();
    if (root < 0) throw std::runtime_error("fork failed");
    if (root == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(out, 1);
        dup2(devnull, 2);
        // A process group of its own: a faulted test that signals "its"
        // group (a setpgid that did nothing) cannot reach the tracer.
        setpgid(0, 0);
        setenv("TMPDIR", tmp.path.c_str(), 1);
        raise(SIGSTOP);  // wait to be seized
        install_filter(fault ? fault->syscalls : std::vector<long>{});
        execv(cargv[0], cargv.data());
        _exit(127);
    }
    int st = 0;
    if (waitpid(root, &st, WUNTRACED) != root || !WIFSTOPPED(st))
        throw std::runtime_error("the program did not stop for the tracer");
    unsigned long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                         PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |
                         PTRACE_O_TRACESYSGOOD;
    if (pt(PTRACE_SEIZE, root, 0, opts) != 0) {
        kill(root, SIGKILL);
        waitpid(root, nullptr, 0);
        throw std::runtime_error(std::string("PTRACE_SEIZE: ") + std::strerror(errno));
    }
    kill(root, SIGCONT);

    struct sigaction sa {};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, nullptr);  // no SA_RESTART: waitpid returns EINTR
    itimerval tick{{0, 100000}, {0, 100000}};
    setitimer(ITIMER_REAL, &tick, nullptr);

    TraceResult res;
    std::map<pid_t, pid_t> tgid;  // known tracees
    std::map<pid_t, Call> pending;
    tgid[root] = root;
    bool root_done = false, killed = false;
    auto deadline = start + std::chrono::duration<double>(timeout_s);
    auto linger_deadline = deadline;
    auto kill_all = [&] {
        for (auto& [t, g] : tgid) kill(t, SIGKILL);
    };
    for (;;) {
        auto now = std::chrono::steady_clock::now();
        if (!killed && (now > deadline || (root_done && now > linger_deadline))) {
            res.timed_out = !root_done;
            kill_all();
            killed = true;
        }
        pid_t tid = waitpid(-1, &st, __WALL);
        if (tid < 0) {
            if (errno == EINTR) continue;
            break;  // ECHILD: no tracee left
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            tgid.erase(tid);
            pending.erase(tid);
            if (tid == root) {
                root_done = true;
                res.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
                res.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
                // Orphans of the program get a little time, then are killed.
                linger_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            }
            continue;
        }
        if (!WIFSTOPPED(st)) continue;
        if (!tgid.count(tid)) tgid[tid] = tgid_of(tid);
        if (killed) {
            kill(tid, SIGKILL);
            pt(PTRACE_CONT, tid);
            continue;
        }
        int sig = WSTOPSIG(st);
        int event = st >> 16;
        if (event == PTRACE_EVENT_SECCOMP) {
            ptrace_syscall_info info{};
            pt(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, reinterpret_cast<unsigned long>(&info));
            pid_t g = tgid[tid];
            if (!fault || g == root || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
                pt(PTRACE_CONT, tid);
                continue;
            }
            Call c;
            c.tid = tid;
            c.tgid = g;
            c.nr = long(info.seccomp.nr);
            for (int i = 0; i < 6; ++i) c.args[i] = info.seccomp.args[i];
            Call before = c;
            Decision d = fault->on_entry(c);
            user_regs_struct regs{};
            pt(PTRACE_GETREGS, tid, 0, reinterpret_cast<unsigned long>(&regs));
            if (d.act == Act::Pass) {
                if (std::memcmp(before.args, c.args, sizeof c.args) != 0) {
                    regs.rdi = c.args[0];
                    regs.rsi = c.args[1];
                    regs.rdx = c.args[2];
                    regs.r10 = c.args[3];
                    regs.r8 = c.args[4];
                    regs.r9 = c.args[5];
                    pt(PTRACE_SETREGS, tid, 0, reinterpret_cast<unsigned long>(&regs));
                }
                if (fault->on_exit) {
                    pending[tid] = c;
                    pt(PTRACE_SYSCALL, tid);
                } else {
                    pt(PTRACE_CONT, tid);
                }
            } else if (d.act == Act::Hang) {
                regs.orig_rax = SYS_pause;
                pt(PTRACE_SETREGS, tid, 0, reinterpret_cast<unsigned long>(&regs));
                pt(PTRACE_CONT, tid);
            } else {
                regs.orig_rax = ~0ull;  // skip the call
                regs.rax = d.act == Act::Return ? (unsigned long long)d.value
                                                : (unsigned long long)-ENOSYS;
                pt(PTRACE_SETREGS, tid, 0, reinterpret_cast<unsigned long>(&regs));
                if (d.act == Act::Crash) syscall(SYS_tgkill, g, tid, SIGSEGV);
                pt(PTRACE_CONT, tid);
            }
            continue;
        }
        if (sig == (SIGTRAP | 0x80)) {  // the syscall-exit-stop we asked for
            auto it = pending.find(tid);
            ptrace_syscall_info info{};
            pt(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, reinterpret_cast<unsigned long>(&info));
            if (it != pending.end() && info.op == PTRACE_SYSCALL_INFO_EXIT) {
                Call c = it->second;
                pending.erase(it);
                long rv = long(info.exit.rval);
                // -ERESTARTSYS..-ERESTART_RESTARTBLOCK (-512..-516) never
                // reach the caller, but the call has run: a fault may still
                // edit what it wrote (the remaining time of a sleep).
                {
                    c.ret = rv;
                    fault->on_exit(c);
                    if (c.ret != rv) {
                        user_regs_struct regs{};
                        pt(PTRACE_GETREGS, tid, 0, reinterpret_cast<unsigned long>(&regs));
                        regs.rax = (unsigned long long)c.ret;
                        pt(PTRACE_SETREGS, tid, 0, reinterpret_cast<unsigned long>(&regs));
                    }
                }
            }
            pt(PTRACE_CONT, tid);
            continue;
        }
        if (event == PTRACE_EVENT_STOP) {
            // A group-stop (SIGSTOP and friends): stay stopped, as the
            // program's own wait expects. Anything else: the first stop of
            // an auto-attached tracee, or an interrupt.
            if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
                pt(PTRACE_LISTEN, tid);
            else
                pt(PTRACE_CONT, tid);
            continue;
        }
        if (event) {  // fork, vfork, clone, exec, vfork-done
            pt(PTRACE_CONT, tid);
            continue;
        }
        if (fault && fault->on_signal && tgid[tid] != root) {
            SignalStop s;
            s.tid = tid;
            s.tgid = tgid[tid];
            if (pt(PTRACE_GETSIGINFO, tid, 0, reinterpret_cast<unsigned long>(&s.info)) == 0) {
                siginfo_t before = s.info;
                sig = fault->on_signal(s);
                if (sig && std::memcmp(&before, &s.info, sizeof before) != 0)
                    pt(PTRACE_SETSIGINFO, tid, 0, reinterpret_cast<unsigned long>(&s.info));
            }
        }
        pt(PTRACE_CONT, tid, 0, (unsigned long)sig);  // deliver the signal
    }
    itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    off_t size = lseek(out, 0, SEEK_END);
    res.out.resize(size_t(size > 0 ? size : 0));
    if (size > 0) pread(out, res.out.data(), res.out.size(), 0);
    close(out);
    return res;
}

}  // namespace kfi

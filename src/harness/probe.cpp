// SPDX-License-Identifier: MIT
// The environment probe: what this run may do, found by asking the kernel
// (capget, trying a switch of ids and restoring it, prlimit) rather than by
// reading the effective uid. It runs once before the first test; the run
// header reports it, and tests declare their needs against it (test.hpp:
// require_cap, other_uid, require_fds, ...), so that a need the environment
// does not meet is a SKIP that names it, never a false failure.
#include "harness/internal.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_sched.hpp"
#include "rt/sys_seccomp.hpp"

namespace kc {

namespace {

constinit Environment g_env;

// linux/capability.h, in number order.
constexpr const char* kCapNames[] = {"CAP_CHOWN",
                                     "CAP_DAC_OVERRIDE",
                                     "CAP_DAC_READ_SEARCH",
                                     "CAP_FOWNER",
                                     "CAP_FSETID",
                                     "CAP_KILL",
                                     "CAP_SETGID",
                                     "CAP_SETUID",
                                     "CAP_SETPCAP",
                                     "CAP_LINUX_IMMUTABLE",
                                     "CAP_NET_BIND_SERVICE",
                                     "CAP_NET_BROADCAST",
                                     "CAP_NET_ADMIN",
                                     "CAP_NET_RAW",
                                     "CAP_IPC_LOCK",
                                     "CAP_IPC_OWNER",
                                     "CAP_SYS_MODULE",
                                     "CAP_SYS_RAWIO",
                                     "CAP_SYS_CHROOT",
                                     "CAP_SYS_PTRACE",
                                     "CAP_SYS_PACCT",
                                     "CAP_SYS_ADMIN",
                                     "CAP_SYS_BOOT",
                                     "CAP_SYS_NICE",
                                     "CAP_SYS_RESOURCE",
                                     "CAP_SYS_TIME",
                                     "CAP_SYS_TTY_CONFIG",
                                     "CAP_MKNOD",
                                     "CAP_LEASE",
                                     "CAP_AUDIT_WRITE",
                                     "CAP_AUDIT_CONTROL",
                                     "CAP_SETFCAP",
                                     "CAP_MAC_OVERRIDE",
                                     "CAP_MAC_ADMIN",
                                     "CAP_SYSLOG",
                                     "CAP_WAKE_ALARM",
                                     "CAP_BLOCK_SUSPEND",
                                     "CAP_AUDIT_READ",
                                     "CAP_PERFMON",
                                     "CAP_BPF",
                                     "CAP_CHECKPOINT_RESTORE"};
constexpr int kNumCaps = sizeof kCapNames / sizeof kCapNames[0];

constexpr int kRlimits[kNumRlimits] = {RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_MEMLOCK, RLIMIT_AS,
                                       RLIMIT_STACK};
constexpr const char* kRlimitNames[kNumRlimits] = {"nofile", "nproc", "memlock", "as", "stack"};

// Ids worth trying as "another user": nobody first (what tests that drop
// privilege traditionally become), then ids that user namespaces and
// containers commonly map.
constexpr u32 kCandidateIds[] = {65534, 1000, 1, 2, 100000, 4321};

// Effective capabilities (capget, version 3: two 32-bit words per set).
u64 effective_caps() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (sys::capget(&header, data) != 0) return 0;
    return data[0].effective | u64(data[1].effective) << 32;
}

// Reads up to n-1 bytes of a /proc file; false when it cannot be opened.
bool read_small(const char* path, char* buf, usize n) {
    buf[0] = 0;
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long got = sys::read(int(fd), buf, n - 1);
    sys::close(int(fd));
    if (got < 0) got = 0;
    buf[got] = 0;
    return true;
}

// A user namespace is the initial one when its uid map is the identity map
// of every id ("0 0 4294967295"); an empty map (unshare -U) is a child
// namespace too. Without /proc the answer is unknown; the
// probe then assumes the initial namespace (a booted /init is in it).
void probe_userns() {
    char map[256];
    if (!read_small("/proc/self/uid_map", map, sizeof map)) {
        g_env.userns_known = false;
        g_env.initial_userns = true;
        return;
    }
    g_env.userns_known = true;
    const char* p = map;
    long v[3];
    for (long& x : v) {
        while (*p == ' ') ++p;
        x = 0;
        while (*p >= '0' && *p <= '9') x = x * 10 + (*p++ - '0');
    }
    while (*p == ' ' || *p == '\n') ++p;
    g_env.initial_userns = v[0] == 0 && v[1] == 0 && v[2] == 4294967295 && !*p;
}

void probe_tracer() {
    char status[4096];
    g_env.tracer_pid = -1;
    if (!read_small("/proc/self/status", status, sizeof status)) return;
    for (const char* p = status; *p; ++p) {
        static const char kKey[] = "TracerPid:";
        usize k = 0;
        while (kKey[k] && p[k] == kKey[k]) ++k;
        if ((p == status || p[-1] == '\n') && !kKey[k]) {
            p += k;
            while (*p == ' ' || *p == '\t') ++p;
            long pid = 0;
            while (*p >= '0' && *p <= '9') pid = pid * 10 + (*p++ - '0');
            g_env.tracer_pid = int(pid);
            return;
        }
    }
}

// Another uid (gid) this process can switch to: one that the kernel lets it
// take as its effective id and give back. Tried on the effective id only and
// restored at once, so the harness keeps its credentials.
void probe_ids() {
    // Changing the effective id makes the process non-dumpable (and its
    // children after it), which would deny ptrace, process_vm_* and kcmp on
    // the tests' own children without CAP_SYS_PTRACE: restored below.
    long dumpable = sys::prctl(PR_GET_DUMPABLE);
    u32 r, e, s;
    sys::getresuid(&r, &e, &s);
    u32 gr, ge, gs;
    sys::getresgid(&gr, &ge, &gs);
    for (u32 id : kCandidateIds) {
        if (g_env.nother_gids < 2 && id != gr && id != ge && id != gs) {
            long rc = sys::setresgid(-1, id, -1);
            if (rc == 0) {
                sys::setresgid(-1, ge, -1);
                g_env.other_gids[g_env.nother_gids++] = id;
            } else {
                g_env.gid_switch_error = int(rc);
            }
        }
    }
    for (u32 id : kCandidateIds) {
        if (g_env.nother_uids < 2 && id != r && id != e && id != s) {
            long rc = sys::setresuid(-1, id, -1);
            if (rc == 0) {
                // Giving back euid 0 restores the effective capabilities.
                if (sys::setresuid(-1, e, -1) != 0) {
                    rt::write_all(2, "kconform: cannot restore the effective uid\n", 43);
                    sys::exit_group(2);
                }
                g_env.other_uids[g_env.nother_uids++] = id;
            } else {
                g_env.uid_switch_error = int(rc);
            }
        }
    }
    // setgroups with the current list changes nothing when it is allowed.
    u32 groups[64];
    long n = sys::getgroups(64, groups);
    g_env.setgroups_error = n < 0 ? int(n) : int(sys::setgroups(n, groups));
    if (dumpable >= 0) sys::prctl(PR_SET_DUMPABLE, dumpable);
}

void probe_scheduling() {
    // getpriority's raw result is 20 - nice.
    long prio = sys::getpriority(PRIO_PROCESS, 0);
    g_env.nice = prio >= 0 ? int(20 - prio) : 0;
    g_env.policy = int(sys::sched_getscheduler(0));
    u64 mask[16] = {};
    long n = sys::sched_getaffinity(0, sizeof mask, mask);
    g_env.cpus = 0;
    for (long i = 0; i < n / 8; ++i)
        for (u64 m = mask[i]; m; m &= m - 1) ++g_env.cpus;
}

const char* policy_name(int p) {
    switch (p) {
        case SCHED_OTHER:
            return "SCHED_OTHER";
        case SCHED_FIFO:
            return "SCHED_FIFO";
        case SCHED_RR:
            return "SCHED_RR";
        case SCHED_BATCH:
            return "SCHED_BATCH";
        case SCHED_IDLE:
            return "SCHED_IDLE";
        case SCHED_DEADLINE:
            return "SCHED_DEADLINE";
        default:
            return "unknown";
    }
}

// Ends the test as SKIP with "needs <what>: <why>".
[[noreturn]] void skip_need(const char* what, const char* why, long value = -1) {
    char buf[200];
    rt::Fmt f(buf, sizeof buf);
    f.s("needs ").s(what).s(": ").s(why);
    if (value >= 0) f.d(value);
    skip(f.cstr());
}

// "6.1.0-13-amd64" -> {6, 1}; anything else -> {0, 0}.
void probe_release() {
    utsname u{};
    if (sys::uname(&u) != 0) return;
    u32 part[2] = {0, 0};
    const char* s = u.release;
    for (int i = 0; i < 2; ++i, ++s) {
        if (*s < '0' || *s > '9') return;
        while (*s >= '0' && *s <= '9' && part[i] < 10000) part[i] = part[i] * 10 + u32(*s++ - '0');
        if (i == 0 && *s != '.') return;
    }
    g_env.release[0] = u16(part[0]);
    g_env.release[1] = u16(part[1]);
}

}  // namespace

bool linux_before(int major, int minor) {
    const u16* r = g_env.release;
    if (r[0] == 0) return false;
    return r[0] < major || (r[0] == major && r[1] < minor);
}

void probe_environment() {
    g_env.caps = effective_caps();
    probe_release();
    probe_userns();
    probe_tracer();
    // A filter installed for a tracer (strace --seccomp-bpf, a fault
    // injector: SECCOMP_RET_TRACE) refuses nothing by itself.
    g_env.seccomp_filter =
        sys::prctl(PR_GET_SECCOMP) == SECCOMP_MODE_FILTER && g_env.tracer_pid <= 0;
    probe_ids();
    probe_scheduling();
    for (int i = 0; i < kNumRlimits; ++i)
        sys::prlimit64(0, kRlimits[i], nullptr, reinterpret_cast<rlimit64*>(g_env.rlimits[i]));
    for (int fd = 0; fd < 3; ++fd)
        if (sys::fcntl(fd, F_GETFD) >= 0) g_env.std_fds |= u8(1 << fd);
}

const Environment& environment() { return g_env; }

const char* cap_name(int cap) { return cap >= 0 && cap < kNumCaps ? kCapNames[cap] : "CAP_?"; }

bool ids_mapped(bool gid, u32 first, u32 count) {
    static char map[12288];  // at most 340 lines of 33 bytes
    u64 id = first, end = u64(first) + count;
    long fd = sys::openat(AT_FDCWD, gid ? "/proc/self/gid_map" : "/proc/self/uid_map",
                          O_RDONLY | O_CLOEXEC);
    if (fd < 0) return end <= 0xffffffffu;  // the identity map, as the probe assumes
    usize len = 0;
    for (long got = 1; got > 0 && len < sizeof map - 1; len += usize(got)) {
        got = sys::read(int(fd), map + len, sizeof map - 1 - len);
        if (got < 0) got = 0;
    }
    sys::close(int(fd));
    map[len] = 0;
    while (id < end) {
        u64 next = 0;  // the end of the extent that holds `id`, 0 when none does
        for (const char* p = map; *p && !next;) {
            u64 v[3] = {};
            for (u64& x : v) {
                while (*p == ' ' || *p == '\t') ++p;
                while (*p >= '0' && *p <= '9') x = x * 10 + u64(*p++ - '0');
            }
            while (*p && *p != '\n') ++p;
            if (*p) ++p;
            if (v[0] <= id && id < v[0] + v[2]) next = v[0] + v[2];
        }
        if (!next) return false;
        id = next;
    }
    return true;
}

bool own_ids_mapped() {
    return ids_mapped(false, u32(sys::geteuid())) && ids_mapped(true, u32(sys::getegid()));
}

bool owns_namespace(const char* ns) {
    char path[32];
    rt::Fmt f(path, sizeof path);
    f.s("/proc/self/ns/").s(ns);
    long fd = sys::openat(AT_FDCWD, f.cstr(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long owner = sys::ioctl(int(fd), NS_GET_USERNS, 0);
    sys::close(int(fd));
    if (owner < 0) return false;
    long self = sys::openat(AT_FDCWD, "/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
    arch::Stat a{}, b{};
    bool same = self >= 0 && sys::fstat(int(owner), &a) == 0 && sys::fstat(int(self), &b) == 0 &&
                a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    sys::close(int(owner));
    if (self >= 0) sys::close(int(self));
    return same;
}

bool cap_over_namespace(int cap, const char* ns) {
    return ns_cap_usable(cap) && (cap_usable(cap) || owns_namespace(ns));
}

bool ns_cap_usable(int cap) { return g_env.caps >> cap & 1; }
bool cap_usable(int cap) { return ns_cap_usable(cap) && g_env.initial_userns; }

void require_ns_cap(int cap) {
    if (!ns_cap_usable(cap)) skip_need(cap_name(cap), "not in this process's effective set");
}

void require_cap(int cap) {
    require_ns_cap(cap);
    if (!g_env.initial_userns)
        skip_need(cap_name(cap),
                  "the kernel checks it in the initial user namespace, and this run is in a "
                  "child user namespace");
}

static const char* id_problem(int error) {
    return error == -EINVAL ? "no other id is mapped in this user namespace"
                            : "the kernel refuses to switch ids (no CAP_SETUID/CAP_SETGID)";
}

// The which-th other uid (gid) the probe switched to, or a skip that says why
// there is none.
static u32 other_id(bool gid, int which) {
    int n = gid ? g_env.nother_gids : g_env.nother_uids;
    if (which >= n) {
        const char* what =
            gid     ? which ? "two other group ids to switch to" : "another group id to switch to"
            : which ? "two other user ids to switch to"
                    : "another user id to switch to";
        skip_need(what, n ? "only one other id is usable here"
                          : id_problem(gid ? g_env.gid_switch_error : g_env.uid_switch_error));
    }
    return gid ? g_env.other_gids[which] : g_env.other_uids[which];
}

u32 other_uid(int which) { return other_id(false, which); }
u32 other_gid(int which) { return other_id(true, which); }

void require_setgroups() {
    if (g_env.setgroups_error) {
        skip_need("setgroups", g_env.setgroups_error == -EPERM
                                   ? "refused here (no CAP_SETGID, or setgroups is denied in this "
                                     "user namespace)"
                                   : "refused here");
    }
}

bool drop_capabilities() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    return sys::capset(&header, data) == 0;
}

void require_other_user() {
    other_uid();
    other_gid();
    require_setgroups();
}

bool other_user_available() {
    return g_env.nother_uids && g_env.nother_gids && !g_env.setgroups_error;
}

bool become_other_user() {
    if (!g_env.nother_uids || !g_env.nother_gids) return false;
    u32 g = g_env.other_gids[0], u = g_env.other_uids[0];
    // A process that is not uid 0 keeps its ambient capabilities across
    // setresuid: they are cleared too.
    return sys::setgroups(0, nullptr) == 0 && sys::setresgid(g, g, g) == 0 &&
           sys::setresuid(u, u, u) == 0 && drop_capabilities();
}

void require_fds(int n) {
    rlimit64 lim;
    if (sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &lim) != 0) return;
    if (lim.rlim_cur >= u64(n)) return;
    if (lim.rlim_max < u64(n))
        skip_need("more descriptors", "RLIMIT_NOFILE's hard limit is ", long(lim.rlim_max));
    rlimit64 raised{u64(n), lim.rlim_max};
    sys::prlimit64(0, RLIMIT_NOFILE, &raised, nullptr);
}

void require_no_tracer() {
    if (g_env.tracer_pid > 0)
        skip_need("no tracer", "this run is traced by pid ", g_env.tracer_pid);
}

void require_default_scheduling() {
    if (g_env.policy != 0 || g_env.nice != 0) {
        char buf[80];
        rt::Fmt f(buf, sizeof buf);
        f.s("this run has ").s(policy_name(g_env.policy)).s(" at nice ").d(g_env.nice);
        skip_need("SCHED_OTHER at nice 0", f.cstr());
    }
}

void describe_environment(rt::Fmt& o, bool json) {
    const Environment& e = g_env;
    if (json) {
        o.s("\"env\":{\"euid\":").d(sys::geteuid()).s(",\"egid\":").d(sys::getegid());
        o.s(",\"initial_userns\":")
            .s(!e.userns_known    ? "null"
               : e.initial_userns ? "true"
                                  : "false");
        o.s(",\"caps\":\"").x(e.caps).s("\",\"other_uids\":[");
        for (int i = 0; i < e.nother_uids; ++i) o.s(i ? "," : "").u(e.other_uids[i]);
        o.s("],\"other_gids\":[");
        for (int i = 0; i < e.nother_gids; ++i) o.s(i ? "," : "").u(e.other_gids[i]);
        o.s("],\"setgroups\":").s(e.setgroups_error ? "false" : "true").s(",\"rlimits\":{");
        for (int i = 0; i < kNumRlimits; ++i) {
            o.s(i ? ",\"" : "\"").s(kRlimitNames[i]).s("\":[");
            for (int j = 0; j < 2; ++j) {
                if (j) o.c(',');
                if (e.rlimits[i][j] == ~0ull)
                    o.s("-1");
                else
                    o.u(e.rlimits[i][j]);
            }
            o.c(']');
        }
        o.s("},\"nice\":").d(e.nice).s(",\"policy\":\"").s(policy_name(e.policy));
        o.s("\",\"cpus\":").d(e.cpus).s(",\"tracer_pid\":").d(e.tracer_pid);
        o.s(",\"seccomp_filter\":").s(e.seccomp_filter ? "true" : "false");
        o.s(",\"std_fds\":[");
        for (int fd = 0, n = 0; fd < 3; ++fd)
            if (e.std_fds >> fd & 1) o.s(n++ ? "," : "").d(fd);
        o.s("]}");
        return;
    }
    o.s("euid ").d(sys::geteuid()).s(", user namespace ");
    o.s(!e.userns_known ? "unknown" : e.initial_userns ? "initial" : "child");
    int ncaps = 0;
    for (int c = 0; c < kNumCaps; ++c) ncaps += ns_cap_usable(c);
    o.s(", ").d(ncaps).s(" of ").d(kNumCaps).s(" capabilities, other uids");
    if (!e.nother_uids) o.s(" none");
    for (int i = 0; i < e.nother_uids; ++i) o.c(' ').u(e.other_uids[i]);
    o.s(", setgroups ").s(e.setgroups_error ? "refused" : "allowed");
    for (int i = 0; i < kNumRlimits; ++i) {
        o.s(", ").s(kRlimitNames[i]).c(' ');
        for (int j = 0; j < 2; ++j) {
            if (j) o.c('/');
            if (e.rlimits[i][j] == ~0ull)
                o.s("inf");
            else
                o.u(e.rlimits[i][j]);
        }
    }
    o.s(", ").s(policy_name(e.policy)).s(" nice ").d(e.nice).s(", ").d(e.cpus).s(" cpus");
    if (e.tracer_pid > 0) o.s(", traced by ").d(e.tracer_pid);
    if (e.seccomp_filter)
        o.s(", under a seccomp filter (tests refused a call containers filter skip)");
    if (e.std_fds != 7) {
        o.s(", fds 0-2 open:");
        if (!e.std_fds) o.s(" none");
        for (int fd = 0; fd < 3; ++fd)
            if (e.std_fds >> fd & 1) o.c(' ').d(fd);
    }
}

}  // namespace kc

// SPDX-License-Identifier: MIT
// The run's private scratch directories, one per job slot (tests running at
// the same time never share one): created under $TMPDIR, else /tmp, else the
// working directory, with mode 0700; emptied after each test that used its
// slot's and removed at the end of the run.
#include "harness/internal.hpp"
#include "rt/start.hpp"
#include "rt/sys_fs.hpp"

namespace kc {

namespace {
int g_fds[kMaxJobs];
char g_paths[kMaxJobs][256];
int g_nslots;
int g_fd = -1;  // the slot of the running test
const char* g_path;
char g_problem[160] = "no scratch directory";
char g_name_bufs[4][512];  // scratch_path() results: the last four stay valid
unsigned g_name_next;

// Removes everything below the directory open as dirfd. Depth-limited: a
// test that nests deeper than this leaves a report, not a runaway recursion.
void empty_dir(int dirfd, int depth) {
    alignas(8) char buf[2048];
    for (;;) {
        // Re-read from the start after each batch: unlinking while reading
        // may otherwise skip entries.
        sys::lseek(dirfd, 0, SEEK_SET);
        long n = sys::getdents64(dirfd, buf, sizeof buf);
        if (n <= 0) return;
        bool removed = false;
        for (long off = 0; off < n;) {
            auto* d = reinterpret_cast<const char*>(buf + off);
            u16 reclen = *reinterpret_cast<const u16*>(d + 16);
            u8 type = u8(d[18]);
            const char* name = d + 19;
            off += reclen;
            if (rt::streq(name, ".") || rt::streq(name, "..")) continue;
            if (sys::unlinkat(dirfd, name, 0) == 0) {
                removed = true;
                continue;
            }
            if (depth > 0 && (type == DT_DIR || type == DT_UNKNOWN)) {
                sys::fchmodat(dirfd, name, 0700);
                long sub = sys::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (sub >= 0) {
                    empty_dir(int(sub), depth - 1);
                    sys::close(int(sub));
                }
                if (sys::unlinkat(dirfd, name, AT_REMOVEDIR) == 0) removed = true;
            }
        }
        if (!removed) return;
    }
}

// Creates one directory at g_paths[slot], open as g_fds[slot].
bool create_one(int slot) {
    const char* bases[] = {rt::getenv("TMPDIR"), "/tmp", "."};
    u64 salt = u64(now_ns()) ^ u64(sys::getpid()) << 32;
    char* path = g_paths[slot];
    for (const char* base : bases) {
        if (!base || !*base) continue;
        for (int attempt = 0; attempt < 4; ++attempt) {
            rt::Fmt f(path, sizeof g_paths[0]);
            f.s(base).s("/kconform-").u(u64(sys::getpid())).c('-').x(salt + u64(attempt) * 7919);
            if (slot) f.c('-').d(slot);
            f.cstr();
            long r = sys::mkdirat(AT_FDCWD, path, 0700);
            if (r == -EEXIST) continue;
            if (r < 0) {
                rt::Fmt p(g_problem, sizeof g_problem);
                p.s("cannot create a scratch directory under ").s(base).s(": ").ret(r).cstr();
                break;
            }
            long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                sys::unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
                rt::Fmt p(g_problem, sizeof g_problem);
                p.s("cannot open the scratch directory: ").ret(fd).cstr();
                break;
            }
            g_fds[slot] = int(fd);
            return true;
        }
    }
    return false;
}

}  // namespace

bool scratch_create(int slots) {
    for (; g_nslots < slots; ++g_nslots) {
        if (!create_one(g_nslots)) return false;
    }
    g_fd = g_fds[0];
    g_path = g_paths[0];
    return true;
}

// In a test process: its slot's directory takes the descriptor number slot
// 0's has, and the other slots' descriptors are closed, so that a test sees
// the same descriptors whatever --jobs is.
void scratch_use(int slot) {
    g_path = g_paths[slot];
    g_fd = slot < g_nslots ? g_fds[0] : -1;
    if (slot >= g_nslots) return;
    if (slot) sys::dup3(g_fds[slot], g_fds[0], O_CLOEXEC);
    for (int i = 1; i < g_nslots; ++i) sys::close(g_fds[i]);
}

void scratch_empty(int slot) {
    if (slot < g_nslots) empty_dir(g_fds[slot], 16);
}

void scratch_remove() {
    for (int slot = 0; slot < g_nslots; ++slot) {
        empty_dir(g_fds[slot], 16);
        sys::close(g_fds[slot]);
        sys::unlinkat(AT_FDCWD, g_paths[slot], AT_REMOVEDIR);
    }
    g_nslots = 0;
    g_fd = -1;
}

bool scratch_ready() { return g_fd >= 0; }
const char* scratch_problem() { return g_problem; }

int scratch_fd() {
    if (g_fd < 0) skip(g_problem);
    g_result->used_scratch = 1;
    return g_fd;
}

const char* scratch_path(const char* name) {
    scratch_fd();
    char* buf = g_name_bufs[g_name_next++ % 4];
    rt::Fmt f(buf, sizeof g_name_bufs[0]);
    return f.s(g_path).c('/').s(name).cstr();
}

}  // namespace kc

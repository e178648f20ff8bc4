// The run's private scratch directory: created under $TMPDIR, else /tmp,
// else the working directory, with mode 0700; emptied after each test that
// used it and removed at the end of the run.
#include "harness/internal.hpp"
#include "rt/start.hpp"

namespace kc {

namespace {
int g_fd = -1;
char g_path[256];
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
            if (depth > 0 && (type == 4 /* DT_DIR */ || type == 0)) {
                sys::syscall4(nr::fchmodat, dirfd, long(name), 0700, 0);
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
}  // namespace

bool scratch_create() {
    const char* bases[] = {rt::getenv("TMPDIR"), "/tmp", "."};
    u64 salt = u64(now_ns()) ^ u64(sys::getpid()) << 32;
    for (const char* base : bases) {
        if (!base || !*base) continue;
        for (int attempt = 0; attempt < 4; ++attempt) {
            rt::Fmt f(g_path, sizeof g_path);
            f.s(base).s("/kconform-").u(u64(sys::getpid())).c('-').x(salt + u64(attempt) * 7919);
            f.cstr();
            long r = sys::mkdirat(AT_FDCWD, g_path, 0700);
            if (r == -EEXIST) continue;
            if (r < 0) {
                rt::Fmt p(g_problem, sizeof g_problem);
                p.s("cannot create a scratch directory under ").s(base).s(": ").ret(r).cstr();
                break;
            }
            long fd = sys::openat(AT_FDCWD, g_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                sys::unlinkat(AT_FDCWD, g_path, AT_REMOVEDIR);
                rt::Fmt p(g_problem, sizeof g_problem);
                p.s("cannot open the scratch directory: ").ret(fd).cstr();
                break;
            }
            g_fd = int(fd);
            return true;
        }
    }
    return false;
}

void scratch_empty() {
    if (g_fd >= 0) empty_dir(g_fd, 16);
}

void scratch_remove() {
    if (g_fd < 0) return;
    scratch_empty();
    sys::close(g_fd);
    g_fd = -1;
    sys::unlinkat(AT_FDCWD, g_path, AT_REMOVEDIR);
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

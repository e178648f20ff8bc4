// SPDX-License-Identifier: MIT
// The test registry (the kc_tests linker section) and the names used in
// every report.
#include "harness/internal.hpp"

extern "C" const kc::TestCase __start_kc_tests[];
extern "C" const kc::TestCase __stop_kc_tests[];

namespace kc {

namespace {

// Run order: the registry stably sorted by group, so that a group whose tests
// live in several files still runs (and is reported) as one block.
constexpr u32 kMaxRecords = 16384;
u16 g_order[kMaxRecords], g_tmp[kMaxRecords];
u32 g_count;

// Compares the group parts ("group" of "group.name") of two records.
int group_cmp(const TestCase& a, const TestCase& b) {
    const char *x = a.id, *y = b.id;
    for (;; ++x, ++y) {
        char cx = *x == '.' ? 0 : *x, cy = *y == '.' ? 0 : *y;
        if (cx != cy) return cx < cy ? -1 : 1;
        if (!cx) return 0;
    }
}

}  // namespace

u32 test_count() { return g_count; }
const TestCase& test_at(u32 i) { return __start_kc_tests[g_order[i]]; }

bool order_tests() {
    usize n = usize(__stop_kc_tests - __start_kc_tests);
    if (n > kMaxRecords) return false;
    g_count = 0;
    for (u32 i = 0; i < n; ++i)
        if (__start_kc_tests[i].fn) g_order[g_count++] = u16(i);
    // Bottom-up merge sort: stable, no heap, n log n.
    u16 *src = g_order, *dst = g_tmp;
    for (u32 width = 1; width < g_count; width *= 2) {
        for (u32 lo = 0; lo < g_count; lo += 2 * width) {
            u32 mid = lo + width < g_count ? lo + width : g_count;
            u32 hi = lo + 2 * width < g_count ? lo + 2 * width : g_count;
            u32 i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = group_cmp(__start_kc_tests[src[j]], __start_kc_tests[src[i]]) < 0
                               ? src[j++]
                               : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        u16* t = src;
        src = dst;
        dst = t;
    }
    if (src != g_order)
        for (u32 i = 0; i < g_count; ++i) g_order[i] = src[i];
    return true;
}

const char* test_file(const TestCase& t) {
    const TestCase* p = &t;
    while (p > __start_kc_tests && p->fn) --p;
    return p->fn ? "?" : p->id;
}

const void* row_data(const TestCase& t, u32 row) {
    if (!t.rows) return nullptr;
    return static_cast<const char*>(t.rows) + usize(row) * t.row_size;
}

const char* row_label(const TestCase& t, u32 row) {
    if (!t.rows) return nullptr;
    return *static_cast<const char* const*>(row_data(t, row));
}

usize group_len(const TestCase& t) {
    usize n = 0;
    while (t.id[n] && t.id[n] != '.') ++n;
    return n;
}

void format_id(rt::Fmt& f, const TestCase& t, const char* label) {
    f.s(t.id);
    if (label) f.c('/').s(label);
}

bool selected(const Options& o, const TestCase& t, const char* label) {
    if (t.profile > o.profile) return false;
    char full[160], base[160];
    rt::Fmt f(full, sizeof full), b(base, sizeof base);
    format_id(f, t, label);
    format_id(b, t, nullptr);
    f.cstr();
    b.cstr();
    bool any_include = false, included = false;
    for (int i = 0; i < o.nfilters; ++i) {
        const char* p = o.filters[i];
        bool exclude = *p == '-';
        if (exclude) ++p;
        bool match = rt::glob(p, full) || (label && rt::glob(p, base));
        if (exclude && match) return false;
        if (!exclude) any_include = true, included |= match;
    }
    return !any_include || included;
}

const char* category_name(Category c) {
    static const char* const k[] = {"POSITIVE", "NEGATIVE", "BOUNDARY"};
    return c <= BOUNDARY ? k[c] : "?";
}

const char* profile_name(Profile p) {
    static const char* const k[] = {"PSE51", "PSE52", "PSE53", "PSE54", "LINUX"};
    return p <= LINUX ? k[p] : "?";
}

const char* outcome_name(Outcome o) {
    static const char* const k[] = {"PASS", "FAIL", "SKIP", "TIMEOUT", "CRASH"};
    return o <= CRASH ? k[o] : "?";
}

const char* signal_name(int sig) {
    static const char* const k[] = {
        "signal 0",  "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
        "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS"};
    if (sig >= 0 && sig < 32) return k[sig];
    if (sig >= SIGRTMIN && sig <= SIGRTMAX) return "a real-time signal";
    return "an unknown signal";
}

}  // namespace kc

// SPDX-License-Identifier: MIT
// The verdict per profile. A run of a PSE profile (--profile=PSE52) says,
// after its summary, for each profile up to the selected one, whether the
// system conforms: no test of that profile or below failed, and no interface
// that profile requires is missing (a test met ENOSYS where the table says
// the profile requires the call: kc::skip_unimplemented). Tests that skip
// for this run's environment (a capability, a limit) count for nothing.
#include "harness/internal.hpp"

namespace kc {

namespace {

constexpr int kNumProfiles = LINUX;  // PSE51..PSE54
constexpr int kMaxNamed = 8;         // failing tests named per verdict line

Profile g_selected = LINUX;
bool g_missing[kNumInterfaces];
// Failing tests (not for a missing interface) by their profile, and the
// first few of them, in report order.
u32 g_failing[kNumProfiles];
struct Failing {
    const TestCase* test;
    const char* label;
};
Failing g_named[kNumProfiles][kMaxNamed];

// The tests failing at profile p or below, and the interfaces missing.
u32 failing_up_to(int p) {
    u32 n = 0;
    for (int q = 0; q <= p; ++q) n += g_failing[q];
    return n;
}

int missing_up_to(int p) {
    int n = 0;
    for (int i = 0; i < kNumInterfaces; ++i) n += g_missing[i] && kInterfaces[i].profile <= p;
    return n;
}

void human_line(rt::Fmt& o, int p, const char* prefix) {
    o.s(prefix).s(profile_name(Profile(p))).s(": ");
    int missing = missing_up_to(p);
    u32 failing = failing_up_to(p);
    if (!missing && !failing) {
        o.s("conforms\n");
        return;
    }
    o.s("does not conform: ")
        .d(missing)
        .s(missing == 1 ? " required interface" : " required interfaces");
    o.s(" missing");
    const char* sep = " (";
    for (int i = 0; i < kNumInterfaces; ++i) {
        if (!g_missing[i] || kInterfaces[i].profile > p) continue;
        o.s(sep).s(kInterfaces[i].call);
        sep = ", ";
    }
    if (*sep == ',') o.c(')');
    o.s(", ").u(failing).s(" failing");
    sep = " (";
    u32 named = 0;
    for (int q = 0; q <= p; ++q) {
        u32 n = g_failing[q] < kMaxNamed ? g_failing[q] : kMaxNamed;
        for (u32 k = 0; k < n && named < kMaxNamed; ++k, ++named) {
            format_id(o.s(sep), *g_named[q][k].test, g_named[q][k].label);
            sep = ", ";
        }
    }
    if (named < failing) o.s(", and ").u(failing - named).s(" more");
    if (*sep == ',') o.c(')');
    o.c('\n');
}

void json_record(rt::Fmt& o, int p) {
    int missing = missing_up_to(p);
    u32 failing = failing_up_to(p);
    o.s("{\"type\":\"verdict\",\"profile\":\"").s(profile_name(Profile(p)));
    o.s("\",\"conforms\":").s(missing || failing ? "false" : "true");
    o.s(",\"missing\":[");
    const char* sep = "\"";
    for (int i = 0; i < kNumInterfaces; ++i) {
        if (!g_missing[i] || kInterfaces[i].profile > p) continue;
        o.s(sep).s(kInterfaces[i].call).c('"');
        sep = ",\"";
    }
    o.s("],\"failing\":").u(failing).s(",\"failing_tests\":[");
    sep = "\"";
    u32 named = 0;
    for (int q = 0; q <= p; ++q) {
        u32 n = g_failing[q] < kMaxNamed ? g_failing[q] : kMaxNamed;
        for (u32 k = 0; k < n && named < kMaxNamed; ++k, ++named) {
            format_id(o.s(sep), *g_named[q][k].test, g_named[q][k].label);
            o.c('"');
            sep = ",\"";
        }
    }
    o.s("]}\n");
}

}  // namespace

void verdict_begin(Profile selected) { g_selected = selected; }

Profile required_by(int i) {
    if (g_selected == LINUX || i < 0 || i >= kNumInterfaces) return LINUX;
    Profile p = kInterfaces[i].profile;
    return p <= g_selected ? p : LINUX;
}

void verdict_count(const TestCase& t, const char* label, const Result& r) {
    if (r.missing >= 0 && r.missing < kNumInterfaces) {
        g_missing[r.missing] = true;
        return;
    }
    if (r.outcome == PASS || r.outcome == SKIP || t.profile >= kNumProfiles) return;
    u32& n = g_failing[t.profile];
    if (n < kMaxNamed) g_named[t.profile][n] = {&t, label};
    ++n;
}

void report_verdict(const Options& o) {
    if (o.profile == LINUX) return;
    rt::Fmt& out_ = out();
    for (int p = PSE51; p <= o.profile; ++p) {
        if (o.format == JSONL)
            json_record(out_, p);
        else
            human_line(out_, p, o.format == TAP ? "# " : "");
    }
    flush();
}

// --interfaces: each row of the table with the number of selected tests of
// its group, then the tests whose stated profile disagrees with the table
// (none can be built; the count is the check).
void list_interfaces(const Options& o) {
    rt::Fmt& f = out();
    for (int i = 0; i < kNumInterfaces; ++i) {
        const Interface& in = kInterfaces[i];
        u32 n = 0;
        for (u32 k = 0; k < test_count(); ++k) {
            const TestCase& t = test_at(k);
            usize g = group_len(t);
            if (rt::strlen(in.call) == g && !__builtin_memcmp(t.id, in.call, g)) n += t.nrows;
        }
        usize start = f.len;
        f.s(in.call).pad(start + 24).c(' ').s(profile_name(in.profile)).c(' ').s(in.unit);
        f.s(" (").s(in.clause).s("): ").u(n).s(" tests\n");
        if (f.len > f.cap - 512) flush();
    }
    u32 disagree = 0;
    for (u32 k = 0; k < test_count(); ++k) {
        const TestCase& t = test_at(k);
        if (!selected(o, t, row_label(t, 0)) || profile_agrees(t)) continue;
        ++disagree;
        f.s("disagrees: ").s(t.id).c(' ').s(profile_name(t.profile)).s(", table ");
        f.s(profile_name(derived_profile(t))).c('\n');
    }
    f.s("# ").u(kNumInterfaces).s(" interfaces; ").u(disagree);
    f.s(" tests disagree with the table\n");
    flush();
}

}  // namespace kc

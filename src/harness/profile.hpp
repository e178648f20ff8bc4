// SPDX-License-Identifier: MIT
// Profiles from the standard: the table of interfaces (harness/interfaces.def)
// and the profile of a test derived from it, at compile time. Included by
// harness/test.hpp, after TestCase.
//
// A test exercises the interface of its group (the system call), fork when
// it needs processes (NEEDS_FORK), a file system when it needs the scratch
// directory (NEEDS_SCRATCH), and those a KC_USES row of the table names for
// it. Its profile is the smallest that requires all of them; a TEST line
// states it, or LINUX (behaviour POSIX leaves open or does not define), and
// the build fails when it states another (the static_assert in KC_REGISTER).
#pragma once

namespace kc {

struct Interface {
    const char* call;       // the system call, or a feature ("process_cputime")
    const char* functions;  // the POSIX functions it implements
    const char* unit;       // the POSIX.1 option or option group
    Profile profile;        // the smallest PSE profile requiring it; LINUX: none
    const char* clause;     // where that comes from
};

inline constexpr Interface kInterfaces[] = {
#define KC_INTERFACE(call, functions, unit, profile, clause) \
    {#call, functions, unit, profile, clause},
#define KC_USES(group, name, call)
#include "harness/interfaces.def"
#undef KC_INTERFACE
#undef KC_USES
};
inline constexpr int kNumInterfaces = int(sizeof kInterfaces / sizeof kInterfaces[0]);

// A test that exercises more than its group's call and its flags say.
struct Uses {
    const char* test;  // "group.name"
    const char* call;
};
inline constexpr Uses kUses[] = {
#define KC_INTERFACE(call, functions, unit, profile, clause)
#define KC_USES(group, name, call) {#group "." #name, #call},
#include "harness/interfaces.def"
#undef KC_INTERFACE
#undef KC_USES
};

// The row of the interface named by s[0, n) (n < 0: up to its end), or -1.
constexpr int interface_index(const char* s, int n = -1) {
    for (int i = 0; i < kNumInterfaces; ++i) {
        const char* c = kInterfaces[i].call;
        int k = 0;
        while ((n < 0 || k < n) && s[k] && c[k] == s[k]) ++k;
        if (!c[k] && (n < 0 ? !s[k] : k == n)) return i;
    }
    return -1;
}

constexpr Profile profile_of_call(const char* s, int n = -1) {
    int i = interface_index(s, n);
    return i < 0 ? LINUX : kInterfaces[i].profile;
}

constexpr bool same_text(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

// The smallest profile that requires every interface the test exercises.
constexpr Profile derived_profile(const TestCase& t) {
    int glen = 0;
    while (t.id[glen] && t.id[glen] != '.') ++glen;
    Profile p = profile_of_call(t.id, glen);
    auto at_least = [&p](Profile q) { p = q > p ? q : p; };
    if (t.flags & NEEDS_FORK) at_least(profile_of_call("fork"));
    if (t.flags & NEEDS_SCRATCH) at_least(profile_of_call("openat"));
    for (const Uses& u : kUses)
        if (same_text(u.test, t.id)) at_least(profile_of_call(u.call));
    return p;
}

// A test's stated profile is the derived one, or LINUX.
constexpr bool profile_agrees(const TestCase& t) {
    return t.profile == LINUX || t.profile == derived_profile(t);
}

}  // namespace kc

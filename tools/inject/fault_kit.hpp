// SPDX-License-Identifier: MIT
// Building blocks of the fault catalogue: a fault is usually one of these
// shapes (an argument rewritten, an errno swapped, a result field edited).
#pragma once

#include <sys/syscall.h>
#include <time.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "tracer.hpp"

namespace kfi {

using Entry = std::function<Decision(Call&)>;
using Exit = std::function<void(Call&)>;

inline Decision pass() { return {}; }
inline Decision ret(long v) { return {Act::Return, v}; }

// fchmodat2: newer than the host's headers.
constexpr long kSysFchmodat2 = 452;

inline Fault make(const char* name, const char* cls, std::vector<long> nrs, Entry entry,
                  Exit exit = nullptr) {
    return Fault{name, cls, std::move(nrs), std::move(entry), std::move(exit), nullptr, {}};
}

// The call fails with `to` where the kernel said `from`.
inline Fault errno_swap(const char* name, const char* cls, std::vector<long> nrs, int from,
                        int to) {
    return make(
        name, cls, std::move(nrs), [](Call&) { return pass(); },
        [from, to](Call& c) {
            if (c.ret == -from) c.ret = -to;
        });
}

// The kernel ignores bits `mask` of argument `arg`.
inline Fault ignore_flag(const char* name, const char* cls, std::vector<long> nrs, int arg,
                         unsigned long mask) {
    return make(name, cls, std::move(nrs), [arg, mask](Call& c) {
        c.args[arg] &= ~mask;
        return pass();
    });
}

inline bool read_timespec(const Call& c, unsigned long addr, timespec* ts) {
    return addr && c.read(addr, ts, sizeof *ts);
}

// The kernel ignores bits `mask` of the 32-bit field at `offset` of the
// struct that argument `arg` points to. The caller's copy is changed for the
// call only, and restored when it returns.
inline Fault ignore_flag_in_struct(const char* name, const char* cls, std::vector<long> nrs,
                                   int arg, unsigned long offset, uint32_t mask) {
    return make(
        name, cls, std::move(nrs),
        [arg, offset, mask](Call& c) {
            uint32_t v = 0;
            if (c.args[arg] && c.read(c.args[arg] + offset, &v, sizeof v) && (v & mask)) {
                c.stash = long(v) + 1;
                v &= ~mask;
                c.write(c.args[arg] + offset, &v, sizeof v);
            }
            return pass();
        },
        [arg, offset](Call& c) {
            if (!c.stash) return;
            auto v = uint32_t(c.stash - 1);
            c.write(c.args[arg] + offset, &v, sizeof v);
        });
}

// After a successful call, `edit` rewrites the value of type T at `offset`
// of the struct that argument `arg` points to.
template <class T>
inline Fault rewrite_out_field(const char* name, const char* cls, std::vector<long> nrs, int arg,
                               unsigned long offset, std::function<void(const Call&, T&)> edit) {
    return make(
        name, cls, std::move(nrs), [](Call&) { return pass(); },
        [arg, offset, edit](Call& c) {
            T v{};
            unsigned long p = c.args[arg];
            if (c.ret < 0 || !p || !c.read(p + offset, &v, sizeof v)) return;
            T before = v;
            edit(c, v);
            if (std::memcmp(&before, &v, sizeof v) != 0) c.write(p + offset, &v, sizeof v);
        });
}

// The stat buffer's address for the stat family.
inline unsigned long stat_buffer(const Call& c) {
    return c.nr == SYS_newfstatat ? c.args[2] : c.args[1];
}

// Rewrites a field of struct stat after a successful call of the stat
// family (or of `nrs`), for files of type `fmt` only (0: any type).
template <class T>
inline Fault rewrite_stat_field(const char* name, const char* cls, unsigned long offset,
                                std::function<void(const Call&, T&)> edit, uint32_t fmt = 0,
                                std::vector<long> nrs = {SYS_stat, SYS_lstat, SYS_fstat,
                                                         SYS_newfstatat}) {
    constexpr unsigned long kModeOff = 24;  // st_mode (x86-64)
    return make(
        name, cls, std::move(nrs), [](Call&) { return pass(); },
        [offset, edit, fmt](Call& c) {
            T v{};
            unsigned long p = stat_buffer(c);
            uint32_t mode = 0;
            if (c.ret != 0) return;
            if (fmt && (!c.read(p + kModeOff, &mode, sizeof mode) || (mode & 0170000) != fmt))
                return;
            if (!c.read(p + offset, &v, sizeof v)) return;
            T before = v;
            edit(c, v);
            if (std::memcmp(&before, &v, sizeof v) != 0) c.write(p + offset, &v, sizeof v);
        });
}

// A fault that changes only signal delivery.
inline Fault on_signal(const char* name, const char* cls, std::function<int(SignalStop&)> fn) {
    Fault f = make(name, cls, {}, [](Call&) { return pass(); });
    f.on_signal = std::move(fn);
    return f;
}

// The call's (argument-dependent) flags argument for calls that have one in
// different positions.
inline int flags_arg(long nr) {
    switch (nr) {
        case SYS_open:
            return 1;
        case SYS_recvmsg:
        case SYS_sendmsg:
            return 2;
        case SYS_waitid:
            return 3;
        case SYS_wait4:
            return 2;
        default:
            return nr == SYS_openat ? 2 : 3;  // recvfrom, sendto, recvmmsg, sendmmsg
    }
}

// Drops `mask` from the flags argument, wherever the call keeps it.
inline Fault drop_flags(const char* name, const char* cls, std::vector<long> nrs,
                        unsigned long mask) {
    return make(name, cls, std::move(nrs), [mask](Call& c) {
        c.args[flags_arg(c.nr)] &= ~mask;
        return pass();
    });
}

// A failure with any of `errs` becomes success (0): a missing permission
// check.
inline Fault error_as_success(const char* name, const char* cls, std::vector<long> nrs,
                              std::vector<int> errs) {
    return make(
        name, cls, std::move(nrs), [](Call&) { return pass(); },
        [errs](Call& c) {
            for (int e : errs)
                if (c.ret == -e) c.ret = 0;
        });
}
inline Fault error_as_success(const char* name, const char* cls, std::vector<long> nrs, int err) {
    return error_as_success(name, cls, std::move(nrs), std::vector<int>{err});
}

// After a successful call, the result becomes `fn(call)`.
inline Fault rewrite_ret(const char* name, const char* cls, std::vector<long> nrs,
                         std::function<void(Call&)> fn) {
    return make(
        name, cls, std::move(nrs), [](Call&) { return pass(); },
        [fn](Call& c) {
            if (c.ret >= 0) fn(c);
        });
}

// A call that reports success and does nothing: the stub a new kernel ships
// before the real thing (when `when` holds for the call).
inline Fault stub(const char* name, const char* cls, std::vector<long> nrs,
                  std::function<bool(const Call&)> when = nullptr) {
    return make(name, cls, std::move(nrs),
                [when](Call& c) { return !when || when(c) ? ret(0) : pass(); });
}

// Names the section of every fault of `f` that has none yet.
inline void label_section(std::vector<Fault>& f, const char* section) {
    for (auto& x : f)
        if (x.section.empty()) x.section = section;
}

}  // namespace kfi

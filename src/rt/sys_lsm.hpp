// SPDX-License-Identifier: MIT
// The Linux Security Module system calls of Linux 6.8 (security/lsm_syscalls.c,
// linux/lsm.h): lsm_list_modules(2), lsm_get_self_attr(2) and
// lsm_set_self_attr(2). The values and struct lsm_ctx are the same on every
// architecture.
#pragma once

#include "rt/sys.hpp"

// struct lsm_ctx: one LSM's attribute; len covers the header, ctx and any
// padding; ctx_len is the size of ctx.
struct lsm_ctx {
    u64 id;
    u64 flags;
    u64 len;
    u64 ctx_len;
    u8 ctx[];
};
static_assert(sizeof(lsm_ctx) == 32);

// LSM ids (0 is undefined, 1-99 reserved).
inline constexpr u64 LSM_ID_UNDEF = 0, LSM_ID_CAPABILITY = 100, LSM_ID_SELINUX = 101;
inline constexpr u64 LSM_ID_SMACK = 102, LSM_ID_TOMOYO = 103, LSM_ID_APPARMOR = 104;
inline constexpr u64 LSM_ID_YAMA = 105, LSM_ID_LOADPIN = 106, LSM_ID_SAFESETID = 107;
inline constexpr u64 LSM_ID_LOCKDOWN = 108, LSM_ID_BPF = 109, LSM_ID_LANDLOCK = 110;
// LSM attributes (0 is undefined).
inline constexpr u32 LSM_ATTR_UNDEF = 0, LSM_ATTR_CURRENT = 100, LSM_ATTR_EXEC = 101;
inline constexpr u32 LSM_ATTR_FSCREATE = 102, LSM_ATTR_KEYCREATE = 103, LSM_ATTR_PREV = 104;
inline constexpr u32 LSM_ATTR_SOCKCREATE = 105;
inline constexpr u32 LSM_FLAG_SINGLE = 1;

namespace sys {

// int lsm_list_modules(u64 *ids, u32 *size, u32 flags);
inline long lsm_list_modules(u64* ids, u32* size, u32 flags) {
    return syscall3(nr::lsm_list_modules, L(ids), L(size), long(flags));
}
// int lsm_get_self_attr(u32 attr, struct lsm_ctx *ctx, u32 *size, u32 flags);
inline long lsm_get_self_attr(u32 attr, lsm_ctx* ctx, u32* size, u32 flags) {
    return syscall4(nr::lsm_get_self_attr, long(attr), L(ctx), L(size), long(flags));
}
// int lsm_set_self_attr(u32 attr, struct lsm_ctx *ctx, u32 size, u32 flags);
inline long lsm_set_self_attr(u32 attr, const lsm_ctx* ctx, u32 size, u32 flags) {
    return syscall4(nr::lsm_set_self_attr, long(attr), L(ctx), long(size), long(flags));
}

}  // namespace sys

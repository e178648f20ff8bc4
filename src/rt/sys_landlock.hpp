// SPDX-License-Identifier: MIT
// Landlock (Linux 5.13, security/landlock/syscalls.c, linux/landlock.h):
// landlock_create_ruleset(2), landlock_add_rule(2), landlock_restrict_self(2).
// The values and layouts are the same on every architecture.
#pragma once

#include "rt/sys.hpp"

// The ruleset's scope. The kernel copies `size` bytes (at least the first
// field; bytes past what it knows must be zero): handled_access_net came in
// ABI 4 (Linux 6.7), scoped in ABI 6 (Linux 6.12).
struct landlock_ruleset_attr {
    u64 handled_access_fs;
    u64 handled_access_net;
    u64 scoped;
};
static_assert(sizeof(landlock_ruleset_attr) == 24);

// landlock_add_rule(2) rule types, and the path-beneath rule (packed: 12 bytes).
inline constexpr int LANDLOCK_RULE_PATH_BENEATH = 1, LANDLOCK_RULE_NET_PORT = 2;
struct [[gnu::packed]] landlock_path_beneath_attr {
    u64 allowed_access;
    i32 parent_fd;
};
static_assert(sizeof(landlock_path_beneath_attr) == 12);

// landlock_create_ruleset(2) flags.
inline constexpr u32 LANDLOCK_CREATE_RULESET_VERSION = 1u << 0;
inline constexpr u32 LANDLOCK_CREATE_RULESET_ERRATA = 1u << 1;

// File-system access rights of ABI 1.
inline constexpr u64 LANDLOCK_ACCESS_FS_EXECUTE = 1ull << 0;
inline constexpr u64 LANDLOCK_ACCESS_FS_WRITE_FILE = 1ull << 1;
inline constexpr u64 LANDLOCK_ACCESS_FS_READ_FILE = 1ull << 2;
inline constexpr u64 LANDLOCK_ACCESS_FS_READ_DIR = 1ull << 3;
inline constexpr u64 LANDLOCK_ACCESS_FS_REMOVE_DIR = 1ull << 4;
inline constexpr u64 LANDLOCK_ACCESS_FS_REMOVE_FILE = 1ull << 5;
inline constexpr u64 LANDLOCK_ACCESS_FS_MAKE_REG = 1ull << 8;

namespace sys {

// int landlock_create_ruleset(const struct landlock_ruleset_attr *attr, size_t size,
//                             uint32_t flags);
inline long landlock_create_ruleset(const void* attr, usize size, u32 flags) {
    return syscall3(nr::landlock_create_ruleset, L(attr), L(size), flags);
}
// int landlock_add_rule(int ruleset_fd, enum landlock_rule_type rule_type,
//                       const void *rule_attr, uint32_t flags);
inline long landlock_add_rule(int ruleset_fd, int rule_type, const void* rule_attr, u32 flags) {
    return syscall4(nr::landlock_add_rule, ruleset_fd, rule_type, L(rule_attr), flags);
}
// int landlock_restrict_self(int ruleset_fd, uint32_t flags);
inline long landlock_restrict_self(int ruleset_fd, u32 flags) {
    return syscall2(nr::landlock_restrict_self, ruleset_fd, flags);
}

}  // namespace sys

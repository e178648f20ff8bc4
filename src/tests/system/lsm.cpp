// SPDX-License-Identifier: MIT
// The LSM system calls of Linux 6.8: lsm_list_modules(2),
// lsm_get_self_attr(2) and lsm_set_self_attr(2). No man page in man-pages
// 6.03; the contract is Documentation/userspace-api/lsm.rst,
// security/lsm_syscalls.c and security_getselfattr()/security_setselfattr()
// in security/security.c (quoted as "lsm.rst" and "security.c").
// Which LSMs are active differs between hosts, so the tests check what the
// kernel reports for consistency, never a fixed list: the count matches the
// size, the capability LSM (always built in) is listed once, and
// lsm_get_self_attr(LSM_ATTR_CURRENT) succeeds exactly when an LSM that
// provides it (SELinux, Smack, AppArmor) is listed, else fails with
// EOPNOTSUPP.
// Left out: setting a real attribute (it would change the test's security
// context; only refused, malformed or unprovided requests are sent: the
// capability LSM provides no attributes, so a well-formed request for it is
// EOPNOTSUPP on every host).
#include "harness/test.hpp"
#include "rt/sys_lsm.hpp"
#include "tests/common/common_util.hpp"

namespace {

constexpr u32 kMaxIds = 32;

// The active LSM ids; skips without the calls.
struct Modules {
    u64 ids[kMaxIds];
    u32 size;
    long n;
};
Modules modules() {
    Modules m{};
    m.size = sizeof m.ids;
    m.n = sys::lsm_list_modules(m.ids, &m.size, 0);
    if (m.n == -ENOSYS)
        kc::skip_unimplemented("lsm_list_modules",
                               "lsm_list_modules: not implemented (ENOSYS; Linux 6.8+)");
    ASSERT_GE(m.n, 1);
    return m;
}
int listed(const Modules& m, u64 id) {
    int c = 0;
    for (long i = 0; i < m.n; ++i) c += m.ids[i] == id;
    return c;
}
// An active LSM provides LSM_ATTR_CURRENT.
bool has_current(const Modules& m) {
    return listed(m, LSM_ID_SELINUX) || listed(m, LSM_ID_SMACK) || listed(m, LSM_ID_APPARMOR);
}

// A well-formed lsm_ctx for the capability LSM with an 8-byte context (the
// fields of struct lsm_ctx, then its ctx).
struct Ctx {
    u64 id, flags, len, ctx_len;
    char data[8];
};
static_assert(sizeof(Ctx) == sizeof(lsm_ctx) + 8);
Ctx cap_ctx() { return {LSM_ID_CAPABILITY, 0, sizeof(Ctx), 8, {'k', 'c', 0}}; }
lsm_ctx* as_ctx(void* p) { return static_cast<lsm_ctx*>(p); }

}  // namespace

// lsm.rst: lsm_list_modules writes the ids of the active LSMs and returns
// their number; *size becomes the bytes written. The capability LSM is
// always active and listed once; ids are unique and never 0-99 (undefined
// and reserved).
TEST(lsm_list_modules, lists_active_modules, POSITIVE, LINUX) {
    Modules m = modules();
    EXPECT_EQ(m.size, u32(m.n * sizeof(u64)));
    EXPECT_EQ(listed(m, LSM_ID_CAPABILITY), 1);
    for (long i = 0; i < m.n; ++i) {
        EXPECT_GE(m.ids[i], 100u);
        EXPECT_EQ(listed(m, m.ids[i]), 1);
    }
}

struct SizeRow {
    const char* label;
    int less;  // bytes below the needed size; -1: size 0 and a null ids
};
constexpr SizeRow kSmall[] = {{"one_id_short", 8}, {"one_byte_short", 1}, {"null_ids_size_0", -1}};
// lsm_syscalls.c: "If @size is insufficient to contain the return data
// -E2BIG is returned and @size is set to the minimum required size", and
// nothing is written to ids (a null ids with size 0 is the size query).
TEST_P(lsm_list_modules, small_size_e2big, BOUNDARY, LINUX, kSmall) {
    Modules m = modules();
    u64 ids[kMaxIds];
    common::fill_bytes(ids, 0xa5, sizeof ids);
    u32 size = row.less < 0 ? 0 : m.size - u32(row.less);
    EXPECT_ERR(sys::lsm_list_modules(row.less < 0 ? nullptr : ids, &size, 0), E2BIG);
    EXPECT_EQ(size, m.size);
    EXPECT_EQ(ids[0], 0xa5a5a5a5a5a5a5a5u);
}

// lsm_syscalls.c: a size of exactly the list's bytes suffices.
TEST(lsm_list_modules, exact_size_ok, BOUNDARY, LINUX) {
    Modules m = modules();
    u64 ids[kMaxIds];
    u32 size = m.size;
    EXPECT_RET(sys::lsm_list_modules(ids, &size, 0), m.n);
    EXPECT_MEM_EQ(ids, m.ids, m.size);
}

struct FlagRow {
    const char* label;
    u32 flags;
};
constexpr FlagRow kBadFlags[] = {{"flags=1", 1}, {"flags=bit31", 0x80000000u}};
// lsm_syscalls.c: "@flags: reserved for future use, must be zero": EINVAL,
// checked before *size is read or written.
TEST_P(lsm_list_modules, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    modules();
    u64 ids[kMaxIds];
    u32 size = sizeof ids;
    EXPECT_ERR(sys::lsm_list_modules(ids, &size, row.flags), EINVAL);
    EXPECT_EQ(size, u32(sizeof ids));
    EXPECT_ERR(sys::lsm_list_modules(ids, static_cast<u32*>(common::kBadPtr), row.flags), EINVAL);
}

// lsm_syscalls.c: an unreadable size or an unwritable ids array is EFAULT
// (the size is written first).
TEST(lsm_list_modules, bad_pointers_efault, NEGATIVE, LINUX) {
    Modules m = modules();
    u64 ids[kMaxIds];
    EXPECT_ERR(sys::lsm_list_modules(ids, static_cast<u32*>(common::kBadPtr), 0), EFAULT);
    u32 size = sizeof ids;
    EXPECT_ERR(sys::lsm_list_modules(static_cast<u64*>(common::kBadPtr), &size, 0), EFAULT);
    EXPECT_EQ(size, m.size);
}

// lsm.rst: lsm_get_self_attr returns the number of lsm_ctx entries written
// and sets *size to their total bytes; each entry's len covers its header
// and context, and its id is an active LSM. With no active LSM providing the
// attribute the call fails with EOPNOTSUPP and *size is 0.
TEST(lsm_get_self_attr, current_matches_modules, POSITIVE, LINUX) {
    Modules m = modules();
    alignas(8) u8 buf[4096];
    u32 size = sizeof buf;
    long n = sys::lsm_get_self_attr(LSM_ATTR_CURRENT, as_ctx(buf), &size, 0);
    if (!has_current(m)) {
        EXPECT_ERR(n, EOPNOTSUPP);
        EXPECT_EQ(size, 0u);
        return;
    }
    ASSERT_GE(n, 1);
    u32 at = 0;
    for (long i = 0; i < n && at + sizeof(lsm_ctx) <= size; ++i) {
        const lsm_ctx* c = reinterpret_cast<const lsm_ctx*>(buf + at);
        EXPECT_EQ(listed(m, c->id), 1);
        EXPECT_GE(c->len, sizeof(lsm_ctx) + c->ctx_len);
        at += u32(c->len);
    }
    EXPECT_EQ(at, size);
}

// security.c: a null ctx asks for the size: with providers E2BIG and the
// bytes needed; without, EOPNOTSUPP and 0.
TEST(lsm_get_self_attr, null_ctx_size_query, BOUNDARY, LINUX) {
    Modules m = modules();
    u32 size = 0;
    long r = sys::lsm_get_self_attr(LSM_ATTR_CURRENT, nullptr, &size, 0);
    if (has_current(m)) {
        EXPECT_ERR(r, E2BIG);
        EXPECT_GT(size, u32(sizeof(lsm_ctx)));
    } else {
        EXPECT_ERR(r, EOPNOTSUPP);
        EXPECT_EQ(size, 0u);
    }
}

// security.c: LSM_FLAG_SINGLE asks one LSM, named by the id in *ctx: the
// capability LSM provides no attribute (EOPNOTSUPP, *size 0); id 0 (no LSM)
// and a null ctx are EINVAL, *size untouched.
TEST(lsm_get_self_attr, single_flag, BOUNDARY, LINUX) {
    modules();
    Ctx c = cap_ctx();
    u32 size = sizeof c;
    EXPECT_ERR(sys::lsm_get_self_attr(LSM_ATTR_CURRENT, as_ctx(&c), &size, LSM_FLAG_SINGLE),
               EOPNOTSUPP);
    EXPECT_EQ(size, 0u);
    c.id = LSM_ID_UNDEF;
    size = sizeof c;
    EXPECT_ERR(sys::lsm_get_self_attr(LSM_ATTR_CURRENT, as_ctx(&c), &size, LSM_FLAG_SINGLE),
               EINVAL);
    EXPECT_EQ(size, u32(sizeof c));
    EXPECT_ERR(sys::lsm_get_self_attr(LSM_ATTR_CURRENT, nullptr, &size, LSM_FLAG_SINGLE), EINVAL);
}

struct GetBadRow {
    const char* label;
    u32 attr, flags;
    int size_ptr;  // 0 valid, 1 null, 2 unmapped
    int err;
};
constexpr GetBadRow kGetBad[] = {
    {"attr=LSM_ATTR_UNDEF", LSM_ATTR_UNDEF, 0, 0, EINVAL},
    {"flags=2", LSM_ATTR_CURRENT, 2, 0, EINVAL},
    {"flags=bit31", LSM_ATTR_CURRENT, 0x80000000u, 0, EINVAL},
    {"size=null", LSM_ATTR_CURRENT, 0, 1, EINVAL},
    {"size=unmapped", LSM_ATTR_CURRENT, 0, 2, EFAULT},
};
// security.c: attr 0 (LSM_ATTR_UNDEF), a null size and flags other than
// LSM_FLAG_SINGLE are EINVAL; an unreadable size is EFAULT.
TEST_P(lsm_get_self_attr, bad_arguments, NEGATIVE, LINUX, kGetBad) {
    modules();
    Ctx c = cap_ctx();
    u32 size = sizeof c;
    u32* sp = row.size_ptr == 0   ? &size
              : row.size_ptr == 1 ? nullptr
                                  : static_cast<u32*>(common::kBadPtr);
    EXPECT_ERR(sys::lsm_get_self_attr(row.attr, as_ctx(&c), sp, row.flags), row.err);
}

// security.c: a well-formed request for an LSM that provides no attributes
// (the capability LSM) is EOPNOTSUPP: no LSM takes it.
TEST(lsm_set_self_attr, unprovided_lsm_eopnotsupp, POSITIVE, LINUX) {
    modules();
    Ctx c = cap_ctx();
    EXPECT_ERR(sys::lsm_set_self_attr(LSM_ATTR_CURRENT, as_ctx(&c), sizeof c, 0), EOPNOTSUPP);
}

struct SetBadRow {
    const char* label;
    u32 size, flags;
    u64 len, ctx_len;
    int err;
};
constexpr SetBadRow kSetBad[] = {
    {"flags=1", sizeof(Ctx), 1, sizeof(Ctx), 8, EINVAL},
    {"size_below_header", sizeof(lsm_ctx) - 1, 0, sizeof(Ctx), 8, EINVAL},
    {"size_0", 0, 0, sizeof(Ctx), 8, EINVAL},
    {"size_above_page", 4097, 0, sizeof(Ctx), 8, E2BIG},
    {"len_beyond_size", sizeof(Ctx), 0, sizeof(Ctx) + 8, 8, EINVAL},
    {"ctx_len_beyond_len", sizeof(Ctx), 0, sizeof(Ctx), 9, EINVAL},
};
// security.c: flags must be 0; size at least the lsm_ctx header (EINVAL)
// and at most a page (E2BIG); len no more than size and at least the header
// plus ctx_len (EINVAL).
TEST_P(lsm_set_self_attr, malformed_einval, NEGATIVE, LINUX, kSetBad) {
    modules();
    alignas(8) u8 buf[4200] = {};
    Ctx c = cap_ctx();
    c.len = row.len;
    c.ctx_len = row.ctx_len;
    __builtin_memcpy(buf, &c, sizeof c);
    EXPECT_ERR(sys::lsm_set_self_attr(LSM_ATTR_CURRENT, as_ctx(buf), row.size, row.flags), row.err);
}

// security.c: an unreadable ctx is EFAULT.
TEST(lsm_set_self_attr, bad_pointer_efault, NEGATIVE, LINUX) {
    modules();
    EXPECT_ERR(sys::lsm_set_self_attr(LSM_ATTR_CURRENT, static_cast<lsm_ctx*>(common::kBadPtr),
                                      sizeof(Ctx), 0),
               EFAULT);
}

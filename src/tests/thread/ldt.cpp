// SPDX-License-Identifier: MIT
// modify_ldt(2), set_thread_area(2), get_thread_area(2) (x86-64 only; SKIP
// elsewhere). modify_ldt: reading an empty LDT, writing a data descriptor
// (func 1 and 0x11) and reading back its 8 bytes, reads zero-filled past
// the last entry and capped at the table's size, clearing an entry, the
// LDT inherited by fork, the default LDT (func 2), and the EINVAL, ENOSYS
// and EFAULT cases. Writes happen in children: the LDT belongs to the
// process (in --isolate=none, to the harness).
// set_thread_area/get_thread_area are 32-bit calls: as 64-bit system calls
// they are ENOSYS (the man page's ERRORS), and that is all that is tested
// of them; the TLS entries are reached from 64-bit code only through
// int $0x80 or ptrace.
// Left out: loading the segments (needs segment-register instructions),
// 16-bit and 64-bit code segments.
#include "harness/test.hpp"
#include "rt/sys_x86.hpp"
#include "tests/common/common_util.hpp"

namespace {

// Skips where the ABI or the kernel lacks modify_ldt
// (CONFIG_MODIFY_LDT_SYSCALL); reading changes nothing.
void need_ldt() {
    REQUIRE_NR(modify_ldt);
    u64 buf[2];
    if (sys::modify_ldt(0, buf, sizeof buf) == -ENOSYS)
        kc::skip_unimplemented("modify_ldt",
                               "modify_ldt: not implemented (ENOSYS; CONFIG_MODIFY_LDT_SYSCALL)");
}

// A 32-bit writable data segment: base 0x12345678, limit 0xabcde pages,
// "useable" (AVL) set.
user_desc data_desc(u32 entry) {
    user_desc d{};
    d.entry_number = entry;
    d.base_addr = 0x12345678;
    d.limit = 0xabcde;
    d.seg_32bit = 1;
    d.limit_in_pages = 1;
    d.useable = 1;
    return d;
}
// Its descriptor as the LDT holds it (Intel SDM vol. 3, 3.4.5): limit
// 15:0, base 15:0; base 23:16, type 3 (read/write data, accessed: the
// kernel sets the accessed bit), S=1, DPL=3, P=1, limit 19:16, AVL, D/B=1,
// G=1, base 31:24. func 1 (the old mode) clears AVL.
constexpr u64 kDescAvl = 0x12DAF334'5678BCDEull, kDescNoAvl = 0x12CAF334'5678BCDEull;

struct Func {
    const char* label;
    int func;
    u64 want;
};

}  // namespace

// modify_ldt(2): "If no LDT has been set up, modify_ldt() returns 0 when
// reading" (func 0), and writes nothing to the buffer.
TEST(modify_ldt, read_empty_returns_zero, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child([](void*) {
        u64 buf[4] = {1, 2, 3, 4};
        EXPECT_RET(sys::modify_ldt(0, buf, sizeof buf), 0);
        EXPECT_EQ(buf[0], 1u);
        EXPECT_EQ(buf[3], 4u);
    });
}

constexpr Func kWrites[] = {{"func=1", 1, kDescNoAvl}, {"func=0x11", 0x11, kDescAvl}};

// modify_ldt(2): func 1 or 0x11 "modifies one LDT entry" described by a
// struct user_desc; reading (func 0) returns the entries as the hardware
// holds them: here entry 2 and two zeroed entries before it. func 1 clears
// the "useable" bit, 0x11 keeps it.
TEST_P(modify_ldt, write_then_read_back, POSITIVE, LINUX, kWrites, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child(
        [](void* a) {
            auto* r = static_cast<const Func*>(a);
            user_desc d = data_desc(2);
            ASSERT_RET(sys::modify_ldt(r->func, &d, sizeof d), 0);
            u64 buf[3] = {~0ull, ~0ull, ~0ull};
            EXPECT_RET(sys::modify_ldt(0, buf, sizeof buf), long(sizeof buf));
            EXPECT_EQ(buf[0], 0u);
            EXPECT_EQ(buf[1], 0u);
            EXPECT_EQ(buf[2], r->want);
        },
        &row);
}

// modify_ldt(2) func 0: a read longer than the entries in use is
// zero-filled and reported as read in full, up to the size of the whole
// table (LDT_ENTRIES * LDT_ENTRY_SIZE = 64 KiB); a shorter one copies only
// what was asked for (even part of an entry).
TEST(modify_ldt, read_sizes, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child([](void*) {
        user_desc d = data_desc(0);
        ASSERT_RET(sys::modify_ldt(0x11, &d, sizeof d), 0);
        constexpr usize kTable = usize(LDT_ENTRIES) * LDT_ENTRY_SIZE;
        long m = sys::mmap(nullptr, 2 * kTable, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
        ASSERT_OK(m);
        auto* buf = reinterpret_cast<u8*>(m);
        common::fill_bytes(buf, 0xff, 2 * kTable);
        EXPECT_RET(sys::modify_ldt(0, buf, 2 * kTable), long(kTable));
        u64 first;
        __builtin_memcpy(&first, buf, 8);
        EXPECT_EQ(first, kDescAvl);
        EXPECT_EQ(buf[8], 0);
        EXPECT_EQ(buf[kTable - 1], 0);
        EXPECT_EQ(buf[kTable], 0xff);
        common::fill_bytes(buf, 0xff, 16);
        EXPECT_RET(sys::modify_ldt(0, buf, 4), 4);
        EXPECT_EQ(buf[0], 0xde);
        EXPECT_EQ(buf[4], 0xff);
    });
}

// modify_ldt(2): an "empty" descriptor (read_exec_only and seg_not_present
// set, all else 0; for func 1 also base 0 and limit 0) clears the entry.
TEST_P(modify_ldt, clear_entry, POSITIVE, LINUX, kWrites, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child(
        [](void* a) {
            auto* r = static_cast<const Func*>(a);
            user_desc d = data_desc(1);
            ASSERT_RET(sys::modify_ldt(0x11, &d, sizeof d), 0);
            user_desc empty{};
            empty.entry_number = 1;
            if (r->func == 0x11) empty.read_exec_only = empty.seg_not_present = 1;
            ASSERT_RET(sys::modify_ldt(r->func, &empty, sizeof empty), 0);
            u64 buf[2] = {~0ull, ~0ull};
            EXPECT_RET(sys::modify_ldt(0, buf, sizeof buf), long(sizeof buf));
            EXPECT_EQ(buf[1], 0u);
        },
        &row);
}

// modify_ldt(2): the LDT belongs to the address space; fork(2) gives the
// child a copy holding the same entries.
TEST(modify_ldt, inherited_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child([](void*) {
        user_desc d = data_desc(0);
        ASSERT_RET(sys::modify_ldt(0x11, &d, sizeof d), 0);
        long pid = sys::fork();
        if (pid == 0) {
            u64 e = 0;
            sys::exit_group(sys::modify_ldt(0, &e, 8) == 8 && e == kDescAvl ? 0 : 1);
        }
        ASSERT_OK(pid);
        EXPECT_CHILD_OK(pid);
    });
}

// modify_ldt(2) func 2 reads the default LDT: on x86-64, 128 bytes of
// zeroes ("reads ... a zeroed-out buffer"); no more are written.
TEST(modify_ldt, read_default_ldt, BOUNDARY, LINUX) {
    need_ldt();
    u8 buf[256];
    common::fill_bytes(buf, 0xff, sizeof buf);
    EXPECT_RET(sys::modify_ldt(2, buf, sizeof buf), LDT_DEFAULT_SIZE_X86_64);
    u8 zero[LDT_DEFAULT_SIZE_X86_64] = {};
    EXPECT_MEM_EQ(buf, zero, sizeof zero);
    EXPECT_EQ(buf[LDT_DEFAULT_SIZE_X86_64], 0xff);
    EXPECT_RET(sys::modify_ldt(2, buf, 8), 8);
}

struct Bad {
    const char* label;
    int func;
};
constexpr Bad kBadFuncs[] = {
    {"func=3", 3}, {"func=0x10", 0x10}, {"func=0x12", 0x12}, {"func=-1", -1}};

// modify_ldt(2): "ENOSYS func is neither 0, 1, 2, nor 0x11".
TEST_P(modify_ldt, bad_func_enosys, NEGATIVE, LINUX, kBadFuncs) {
    need_ldt();
    user_desc d = data_desc(0);
    EXPECT_ERR(sys::modify_ldt(row.func, &d, sizeof d), ENOSYS);
}

struct BadWrite {
    const char* label;
    int func;
    usize bytes;
    u32 entry;
    u32 contents, not_present;
};
constexpr BadWrite kBadWrites[] = {
    {"bytecount=8", 1, 8, 0, 0, 0},
    {"bytecount=15", 0x11, 15, 0, 0, 0},
    {"bytecount=17", 0x11, 17, 0, 0, 0},
    {"entry=8192", 0x11, 16, LDT_ENTRIES, 0, 0},
    {"entry=UINT_MAX", 1, 16, ~0u, 0, 0},
    {"func=1,contents=3", 1, 16, 0, 3, 1},
    {"func=0x11,contents=3,present", 0x11, 16, 0, 3, 0},
};

// modify_ldt(2): "EINVAL ptr is 0, or func is 1 and bytecount is not equal
// to the size of the structure user_desc, or func is 1 or 0x11 and the new
// LDT entry has invalid values" (entry past LDT_ENTRIES; contents 3, a
// non-present segment, only with 0x11 and seg_not_present). Nothing is
// written.
TEST_P(modify_ldt, bad_write_einval, NEGATIVE, LINUX, kBadWrites, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child(
        [](void* a) {
            auto* r = static_cast<const BadWrite*>(a);
            struct {
                user_desc d;
                u8 extra[8];
            } b{};
            b.d = data_desc(r->entry);
            b.d.contents = r->contents & 3;
            b.d.seg_not_present = r->not_present;
            EXPECT_ERR(sys::modify_ldt(r->func, &b, r->bytes), EINVAL);
            u64 e = 0;
            EXPECT_RET(sys::modify_ldt(0, &e, 8), 0);  // still no LDT
        },
        &row);
}

// modify_ldt(2): "EFAULT ptr points outside the address space" - for a
// write, and for a read of a table that has entries.
TEST(modify_ldt, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_ldt();
    common::in_child([](void*) {
        EXPECT_ERR(sys::modify_ldt(0x11, common::kBadPtr, sizeof(user_desc)), EFAULT);
        user_desc d = data_desc(0);
        ASSERT_RET(sys::modify_ldt(0x11, &d, sizeof d), 0);
        EXPECT_ERR(sys::modify_ldt(0, common::kBadPtr, 8), EFAULT);
    });
}

// set_thread_area(2): "ENOSYS ... invoked as a 64-bit system call" - even
// with a valid descriptor asking for a free entry; u_info is left as it was.
TEST(set_thread_area, enosys_as_64bit_call, NEGATIVE, LINUX) {
    REQUIRE_NR(set_thread_area);
    user_desc d = data_desc(~0u);
    EXPECT_ERR(sys::set_thread_area(&d), ENOSYS);
    EXPECT_EQ(d.entry_number, ~0u);
    EXPECT_ERR(sys::set_thread_area(nullptr), ENOSYS);
}

// get_thread_area(2): "ENOSYS ... invoked as a 64-bit system call"; the
// structure is not filled in.
TEST(get_thread_area, enosys_as_64bit_call, NEGATIVE, LINUX) {
    REQUIRE_NR(get_thread_area);
    user_desc d{};
    d.entry_number = GDT_ENTRY_TLS_MIN;
    d.base_addr = 0x5a5a5a5a;
    EXPECT_ERR(sys::get_thread_area(&d), ENOSYS);
    EXPECT_EQ(d.base_addr, 0x5a5a5a5au);
    EXPECT_ERR(sys::get_thread_area(nullptr), ENOSYS);
}

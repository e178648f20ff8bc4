// SPDX-License-Identifier: MIT
// x86-only calls: the I/O privilege level and port permissions (iopl,
// ioperm), the local descriptor table (modify_ldt) and the TLS entries of the
// GDT (set_thread_area, get_thread_area; 32-bit ABI only: as 64-bit calls
// they are ENOSYS), and mmap(2)'s MAP_32BIT. On aarch64 and riscv64 nr::NAME
// is -1: the wrappers still build there, and tests start with REQUIRE_NR.
#pragma once

#include "rt/sys.hpp"

// struct user_desc (asm/ldt.h): one segment descriptor in the form
// modify_ldt(2) and set_thread_area(2) take it.
struct user_desc {
    u32 entry_number;
    u32 base_addr;
    u32 limit;
    u32 seg_32bit : 1;
    u32 contents : 2;  // 0 data, 1 data expand-down, 2 code, 3 (0x11 only) non-present
    u32 read_exec_only : 1;
    u32 limit_in_pages : 1;
    u32 seg_not_present : 1;
    u32 useable : 1;
    u32 lm : 1;  // x86-64 only: a 64-bit code segment
};
static_assert(sizeof(user_desc) == 16);
// asm/ldt.h: entries in the LDT and the size of one.
inline constexpr int LDT_ENTRIES = 8192, LDT_ENTRY_SIZE = 8;
// Bytes of the default LDT modify_ldt(2) func 2 reports on x86-64 (zeroes).
inline constexpr int LDT_DEFAULT_SIZE_X86_64 = 128;
// x86-64 GDT entries set_thread_area(2) manages (asm/segment.h).
inline constexpr int GDT_ENTRY_TLS_MIN = 12, GDT_ENTRY_TLS_MAX = 14;
// mmap(2): place the mapping in the first 2 GiB (asm/mman.h; x86 only).
inline constexpr int MAP_32BIT = 0x40;
// I/O port numbers ioperm(2) covers (IO_BITMAP_BITS).
inline constexpr unsigned long IO_BITMAP_BITS = 65536;

namespace sys {

// int iopl(int level);
inline long iopl(int level) { return syscall1(nr::iopl, level); }
// int ioperm(unsigned long from, unsigned long num, int turn_on);
inline long ioperm(unsigned long from, unsigned long num, int on) {
    return syscall3(nr::ioperm, L(from), L(num), on);
}
// int modify_ldt(int func, void *ptr, unsigned long bytecount);
// The kernel returns an int zero-extended to 64 bits (arch/x86/kernel/ldt.c:
// "the ABI for sys_modify_ldt() expects 'int'"): -ENOSYS arrives as
// 0xffffffda. The wrapper takes the low 32 bits as the C prototype does.
inline long modify_ldt(int func, void* ptr, unsigned long bytecount) {
    return long(int(syscall3(nr::modify_ldt, func, L(ptr), L(bytecount))));
}
// int set_thread_area(struct user_desc *u_info);
inline long set_thread_area(user_desc* u) { return syscall1(nr::set_thread_area, L(u)); }
// int get_thread_area(struct user_desc *u_info);
inline long get_thread_area(user_desc* u) { return syscall1(nr::get_thread_area, L(u)); }

}  // namespace sys

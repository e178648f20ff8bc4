// SPDX-License-Identifier: MIT
// perf_event_open(2) and bpf(2): the parts that need no hardware and no
// program: a software counter (PERF_COUNT_SW_TASK_CLOCK of this task,
// excluding the kernel) that counts, starts disabled and is enabled by
// ioctl; and an eBPF array map (create, update, lookup, next key). Both
// calls may be closed to unprivileged users by a sysctl
// (kernel.perf_event_paranoid above 2 on Debian-patched kernels,
// kernel.unprivileged_bpf_disabled): the tests read it and skip naming it,
// or expect EPERM/EACCES where that is the rule. The attr size checks
// (E2BIG, and the size the kernel writes back) come before any permission
// check and run for everyone.
// Not covered: hardware, tracepoint and breakpoint events, sampling and the
// mmap ring buffer, groups beyond the descriptor check, cgroup events;
// loading or attaching BPF programs, other map types, BTF, BPF tokens.
#include "harness/test.hpp"
#include "rt/sys_admin.hpp"
#include "rt/sys_cred.hpp"
#include "tests/common/common_util.hpp"

namespace {

// ---- perf_event_open

// A counting software event of this task, excluding kernel and hypervisor.
perf_event_attr task_clock(u64 extra_flags = 0) {
    perf_event_attr a{};
    a.type = PERF_TYPE_SOFTWARE;
    a.size = sizeof a;
    a.config = PERF_COUNT_SW_TASK_CLOCK;
    a.flags = PERF_ATTR_EXCLUDE_KERNEL | PERF_ATTR_EXCLUDE_HV | extra_flags;
    return a;
}

// Skips unless this process may open a user-space-only event of its own:
// CAP_PERFMON or CAP_SYS_ADMIN (capable()), or perf_event_paranoid <= 2.
void require_perf() {
    perf_event_attr a = task_clock();
    if (sys::perf_event_open(&a, 0, -1, -1, 0x80000000ul) == -ENOSYS)
        kc::skip_unimplemented(
            "perf_event_open",
            "perf_event_open: not implemented (ENOSYS; a kernel without CONFIG_PERF_EVENTS)");
    if (kc::cap_usable(CAP_PERFMON) || kc::cap_usable(CAP_SYS_ADMIN)) return;
    long p = common::proc_number("/proc/sys/kernel/perf_event_paranoid");
    if (p < 0 || p > 2)
        kc::skip("needs CAP_PERFMON: kernel.perf_event_paranoid forbids unprivileged events");
}

// Burns some CPU time (the counter counts task time).
void spin() {
    for (int i = 0; i < 200000; ++i) asm volatile("" ::: "memory");
}

u64 read_count(int fd) {
    u64 v = ~0ull;
    EXPECT_RET(sys::read(fd, &v, sizeof v), 8);
    return v;
}

// ---- bpf

// Whether this process may create an array map: CAP_BPF or CAP_SYS_ADMIN
// (capable()), or kernel.unprivileged_bpf_disabled is 0.
bool bpf_allowed() {
    if (kc::cap_usable(CAP_BPF) || kc::cap_usable(CAP_SYS_ADMIN)) return true;
    return common::proc_number("/proc/sys/kernel/unprivileged_bpf_disabled") == 0;
}
void require_bpf() {
    if (sys::bpf(-1, nullptr, 0) == -ENOSYS)
        kc::skip_unimplemented(
            "bpf", "bpf: not implemented (ENOSYS; a kernel without CONFIG_BPF_SYSCALL)");
    if (!bpf_allowed()) kc::skip("needs CAP_BPF: kernel.unprivileged_bpf_disabled is set");
}

bpf_attr array_map(u32 key_size, u32 value_size, u32 max_entries) {
    bpf_attr a{};
    a.map.map_type = BPF_MAP_TYPE_ARRAY;
    a.map.key_size = key_size;
    a.map.value_size = value_size;
    a.map.max_entries = max_entries;
    return a;
}

long make_map() {
    bpf_attr a = array_map(4, 8, 4);
    return sys::bpf(BPF_MAP_CREATE, &a, sizeof a);
}

long elem(int cmd, int map, const void* key, void* value, u64 flags = 0) {
    bpf_attr a{};
    a.elem.map_fd = u32(map);
    a.elem.key = u64(key);
    a.elem.value = u64(value);
    a.elem.flags = flags;
    return sys::bpf(cmd, &a, sizeof a);
}

}  // namespace

// ---------------------------------------------------------------------------
// perf_event_open(2)

// perf_event_open(2): a counting event of the calling task (pid 0, cpu -1);
// "read(2) ... returns the count": PERF_COUNT_SW_TASK_CLOCK grows while the
// task runs. PERF_FLAG_FD_CLOEXEC sets close-on-exec.
TEST(perf_event_open, task_clock_counts, POSITIVE, LINUX) {
    require_perf();
    perf_event_attr a = task_clock();
    kc::Fd fd(sys::perf_event_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    ASSERT_OK(fd.get());
    EXPECT_RET(sys::fcntl(fd, F_GETFD), FD_CLOEXEC);
    spin();
    u64 first = read_count(fd);
    spin();
    EXPECT_GT(first, 0u);
    EXPECT_GT(read_count(fd), first);
}

// perf_event_open(2): "disabled ... the counter starts out disabled" and
// counts nothing until PERF_EVENT_IOC_ENABLE; PERF_EVENT_IOC_DISABLE stops
// it again.
TEST(perf_event_open, disabled_until_enabled, POSITIVE, LINUX) {
    require_perf();
    perf_event_attr a = task_clock(PERF_ATTR_DISABLED);
    kc::Fd fd(sys::perf_event_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    ASSERT_OK(fd.get());
    spin();
    EXPECT_EQ(read_count(fd), 0u);
    ASSERT_RET(sys::ioctl(fd, PERF_EVENT_IOC_ENABLE, 0), 0);
    spin();
    ASSERT_RET(sys::ioctl(fd, PERF_EVENT_IOC_DISABLE, 0), 0);
    u64 stopped = read_count(fd);
    EXPECT_GT(stopped, 0u);
    spin();
    EXPECT_EQ(read_count(fd), stopped);
}

struct Size {
    const char* label;
    u32 size;
};
constexpr Size kBadSizes[] = {{"size=1", 1}, {"size=63", 63}, {"size=4097", 4097}};
// perf_event_open(2) E2BIG: "if the attr structure is smaller than
// PERF_ATTR_SIZE_VER0 or larger than a page ... the kernel overwrites the
// size field with the size of the structure it expects" - for every
// caller, before any permission check.
TEST_P(perf_event_open, bad_size_e2big, BOUNDARY, LINUX, kBadSizes) {
    require_perf();
    perf_event_attr a = task_clock();
    a.size = row.size;
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, -1, 0), E2BIG);
    EXPECT_GE(a.size, PERF_ATTR_SIZE_VER1);
    EXPECT_LT(a.size, 4096u);
}

// perf_event_open(2): a larger attr is accepted when the bytes the kernel
// does not know are zero, E2BIG when one is not (and size 0 means
// PERF_ATTR_SIZE_VER0).
TEST(perf_event_open, larger_attr_tail, BOUNDARY, LINUX) {
    require_perf();
    static u64 buf[128];
    __builtin_memset(buf, 0, sizeof buf);
    perf_event_attr a = task_clock();
    a.size = sizeof buf;
    __builtin_memcpy(buf, &a, sizeof a);
    kc::Fd fd(sys::perf_event_open(buf, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    EXPECT_OK(fd.get());
    buf[127] = 1;
    EXPECT_ERR(sys::perf_event_open(buf, 0, -1, -1, PERF_FLAG_FD_CLOEXEC), E2BIG);
    a.size = 0;
    kc::Fd ver0(sys::perf_event_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    EXPECT_OK(ver0.get());
}

// perf_event_open(2) EINVAL: "Returned if the specified event is invalid.
// There are many possible reasons for this" - unknown flags (checked
// first), pid and cpu both -1 ("measures ... any process on any CPU" is
// not allowed), a sample period with the top bit set.
TEST(perf_event_open, invalid_einval, NEGATIVE, LINUX) {
    require_perf();
    perf_event_attr a = task_clock();
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, -1, 0x100), EINVAL);
    EXPECT_ERR(sys::perf_event_open(&a, -1, -1, -1, 0), EINVAL);
    a.sample_period = 1ull << 63;
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, -1, 0), EINVAL);
}

// perf_event_open(2) ENOENT: "Returned if the type setting is not valid" -
// no PMU has this type; or the software event id does not exist.
TEST(perf_event_open, unknown_event_enoent, NEGATIVE, LINUX) {
    require_perf();
    perf_event_attr a = task_clock();
    a.type = 100000;
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, -1, 0), ENOENT);
    a = task_clock();
    a.config = 1000;
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, -1, 0), ENOENT);
}

// perf_event_open(2) ESRCH: "Returned if attempting to attach to a process
// that does not exist"; EBADF: group_fd is not a perf event descriptor.
TEST(perf_event_open, bad_target_errors, NEGATIVE, LINUX) {
    require_perf();
    perf_event_attr a = task_clock();
    EXPECT_ERR(sys::perf_event_open(&a, 0x3ffffff0, -1, -1, 0), ESRCH);
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, 0x7ffffff0, 0), EBADF);
    kc::Pipe p;
    ASSERT_RET(p.r, 0);
    EXPECT_ERR(sys::perf_event_open(&a, 0, -1, p.rd, 0), EBADF);
}

// perf_event_open(2) EFAULT: "Returned if the attr pointer points at an
// invalid memory address".
TEST(perf_event_open, bad_attr_efault, NEGATIVE, LINUX) {
    require_perf();
    EXPECT_ERR(sys::perf_event_open(common::kBadPtr, 0, -1, -1, 0), EFAULT);
}

// ---------------------------------------------------------------------------
// bpf(2)

// bpf(2) BPF_MAP_CREATE of a BPF_MAP_TYPE_ARRAY map, then
// BPF_MAP_UPDATE_ELEM and BPF_MAP_LOOKUP_ELEM: the value written comes
// back; the other elements of an array are preallocated and zero.
TEST(bpf, array_map_update_lookup, POSITIVE, LINUX) {
    require_bpf();
    kc::Fd map(make_map());
    ASSERT_OK(map.get());
    EXPECT_RET(sys::fcntl(map, F_GETFD), FD_CLOEXEC);
    u32 key = 1;
    u64 value = 0x1122334455667788ull, got = 0;
    ASSERT_RET(elem(BPF_MAP_UPDATE_ELEM, map, &key, &value, BPF_ANY), 0);
    ASSERT_RET(elem(BPF_MAP_LOOKUP_ELEM, map, &key, &got), 0);
    EXPECT_EQ(got, value);
    key = 0;
    got = ~0ull;
    ASSERT_RET(elem(BPF_MAP_LOOKUP_ELEM, map, &key, &got), 0);
    EXPECT_EQ(got, 0u);
}

// bpf(2) on an array map: ENOENT for a key past max_entries (lookup), and
// for the next key after the last; EEXIST for BPF_NOEXIST (every element of
// an array exists); E2BIG "The number of elements in the map reached the
// max_entries limit" when updating past the end.
TEST(bpf, array_map_bounds, BOUNDARY, LINUX) {
    require_bpf();
    kc::Fd map(make_map());
    ASSERT_OK(map.get());
    u32 key = 4, next = 99;
    u64 value = 1;
    EXPECT_ERR(elem(BPF_MAP_LOOKUP_ELEM, map, &key, &value), ENOENT);
    EXPECT_ERR(elem(BPF_MAP_UPDATE_ELEM, map, &key, &value), E2BIG);
    key = 0;
    EXPECT_ERR(elem(BPF_MAP_UPDATE_ELEM, map, &key, &value, BPF_NOEXIST), EEXIST);
    EXPECT_RET(elem(BPF_MAP_GET_NEXT_KEY, map, &key, &next), 0);
    EXPECT_EQ(next, 1u);
    key = 3;
    EXPECT_ERR(elem(BPF_MAP_GET_NEXT_KEY, map, &key, &next), ENOENT);
    key = 0;
    EXPECT_ERR(elem(BPF_MAP_DELETE_ELEM, map, &key, nullptr), EINVAL);
}

struct MapArgs {
    const char* label;
    u32 type, key_size, value_size, max_entries;
};
constexpr MapArgs kBadMaps[] = {
    {"array,key_size=8", BPF_MAP_TYPE_ARRAY, 8, 8, 4},
    {"array,value_size=0", BPF_MAP_TYPE_ARRAY, 4, 0, 4},
    {"array,max_entries=0", BPF_MAP_TYPE_ARRAY, 4, 8, 0},
    {"type=unspec", BPF_MAP_TYPE_UNSPEC, 4, 8, 4},
    {"type=100000", 100000, 4, 8, 4},
};
// bpf(2) BPF_MAP_CREATE EINVAL: "the map type or its attributes are invalid"
// - an array's key is 4 bytes, values and entries are not empty.
TEST_P(bpf, bad_map_einval, NEGATIVE, LINUX, kBadMaps) {
    require_bpf();
    bpf_attr a = array_map(row.key_size, row.value_size, row.max_entries);
    a.map.map_type = row.type;
    EXPECT_ERR(sys::bpf(BPF_MAP_CREATE, &a, sizeof a), EINVAL);
}

// bpf(2) EINVAL: "the value specified in cmd is not recognized"; an
// element command on a descriptor that is no map is EINVAL too, a closed one
// EBADF.
TEST(bpf, bad_command_or_map_fd, NEGATIVE, LINUX) {
    require_bpf();
    bpf_attr a{};
    EXPECT_ERR(sys::bpf(1000, &a, sizeof a), EINVAL);
    EXPECT_ERR(sys::bpf(-1, &a, sizeof a), EINVAL);
    kc::Pipe p;
    ASSERT_RET(p.r, 0);
    u32 key = 0;
    u64 value;
    EXPECT_ERR(elem(BPF_MAP_LOOKUP_ELEM, p.rd, &key, &value), EINVAL);
    EXPECT_ERR(elem(BPF_MAP_LOOKUP_ELEM, 0x7ffffff0, &key, &value), EBADF);
}

// bpf(2): the attr size may exceed the kernel's union when the excess is
// zero (E2BIG when not, or when larger than a page); EFAULT when attr
// cannot be read.
TEST(bpf, attr_size_and_pointer, BOUNDARY, LINUX) {
    require_bpf();
    static u8 buf[4200];
    __builtin_memset(buf, 0, sizeof buf);
    bpf_attr a = array_map(4, 8, 4);
    __builtin_memcpy(buf, &a, sizeof a);
    kc::Fd map(sys::bpf(BPF_MAP_CREATE, buf, 1024));
    EXPECT_OK(map.get());
    buf[1000] = 1;
    EXPECT_ERR(sys::bpf(BPF_MAP_CREATE, buf, 1024), E2BIG);
    buf[1000] = 0;
    EXPECT_ERR(sys::bpf(BPF_MAP_CREATE, buf, 4097), E2BIG);
    EXPECT_ERR(sys::bpf(BPF_MAP_CREATE, common::kBadPtr, sizeof a), EFAULT);
}

// bpf(2) EPERM: with kernel.unprivileged_bpf_disabled set, creating a map
// needs CAP_BPF (or CAP_SYS_ADMIN) - a child without capabilities.
TEST(bpf, unprivileged_disabled_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (sys::bpf(-1, nullptr, 0) == -ENOSYS)
        kc::skip_unimplemented(
            "bpf", "bpf: not implemented (ENOSYS; a kernel without CONFIG_BPF_SYSCALL)");
    if (common::proc_number("/proc/sys/kernel/unprivileged_bpf_disabled") <= 0)
        kc::skip("needs kernel.unprivileged_bpf_disabled set");
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            EXPECT_ERR(make_map(), EPERM);
        },
        nullptr));
}

// SPDX-License-Identifier: MIT
// kconform-initramfs PROGRAM OUT: a bootable initramfs with PROGRAM as /init,
// for users with their own kernel:
//   qemu-system-x86_64 -kernel bzImage -initrd OUT -append 'console=ttyS0 -- --poweroff'
#include <cstdio>
#include <exception>

#include "initramfs.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: kconform-initramfs PROGRAM OUT.cpio\n");
        return 2;
    }
    try {
        kci::write_initramfs(argv[1], argv[2]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kconform-initramfs: %s\n", e.what());
        return 1;
    }
    return 0;
}

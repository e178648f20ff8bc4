// SPDX-License-Identifier: MIT
// A minimal initramfs writer: an uncompressed "newc" cpio archive (which
// every Linux kernel accepts) holding a program as /init plus the nodes init
// needs: /dev/console (without it init starts with no fds 0, 1, 2) and /tmp.
#pragma once

#include <string>

namespace kci {

// Writes the archive to `out`. Throws std::runtime_error with the reason.
void write_initramfs(const std::string& program, const std::string& out);

}  // namespace kci

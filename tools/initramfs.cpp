// SPDX-License-Identifier: MIT
#include "initramfs.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace kci {

namespace {

struct Entry {
    std::string name;
    unsigned mode;
    unsigned rdev_major = 0, rdev_minor = 0;
    std::string data;
};

void put_entry(std::ostream& os, const Entry& e, unsigned ino) {
    char hdr[111];
    std::snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                  ino, e.mode, 0u, 0u, 1u, 0u, unsigned(e.data.size()), 0u, 0u, e.rdev_major,
                  e.rdev_minor, unsigned(e.name.size() + 1), 0u);
    os.write(hdr, 110);
    os.write(e.name.c_str(), std::streamsize(e.name.size() + 1));
    auto pad = [&os](size_t n) {
        static const char zeros[4] = {};
        os.write(zeros, std::streamsize((4 - n % 4) % 4));
    };
    pad(110 + e.name.size() + 1);
    os.write(e.data.data(), std::streamsize(e.data.size()));
    pad(e.data.size());
}

}  // namespace

void write_initramfs(const std::string& program, const std::string& out) {
    std::ifstream in(program, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + program);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < 4 || data.compare(0, 4,
                                        "\x7f"
                                        "ELF") != 0)
        throw std::runtime_error(program + " is not an ELF executable");
    const Entry entries[] = {
        {"dev", S_IFDIR | 0755, 0, 0, {}},  {"dev/console", S_IFCHR | 0600, 5, 1, {}},
        {"tmp", S_IFDIR | 01777, 0, 0, {}}, {"init", S_IFREG | 0755, 0, 0, std::move(data)},
        {"TRAILER!!!", 0, 0, 0, {}},
    };
    std::ofstream os(out, std::ios::binary | std::ios::trunc);
    if (!os) throw std::runtime_error("cannot write " + out);
    unsigned ino = 1;
    for (const Entry& e : entries) put_entry(os, e, ino++);
    os.flush();
    if (!os) throw std::runtime_error("error writing " + out);
}

}  // namespace kci

// SPDX-License-Identifier: MIT
// start_c(sp): called by each architecture's _start with the initial stack
// pointer. The stack holds argc, argv[], NULL, envp[], NULL, auxv pairs.
// No constructors are run: kconform has none by design (see CMakeLists.txt,
// which fails the build if an .init_array appears).
#include "rt/start.hpp"

#include "rt/fmt.hpp"
#include "rt/sys.hpp"

namespace rt {
namespace {
char** g_envp;
}

const char* getenv(const char* name) {
    usize n = strlen(name);
    for (char** e = g_envp; e && *e; ++e) {
        const char* v = *e;
        usize i = 0;
        while (i < n && v[i] == name[i]) ++i;
        if (i == n && v[n] == '=') return v + n + 1;
    }
    return nullptr;
}

}  // namespace rt

extern "C" [[noreturn, gnu::used]] void start_c(long* sp) {
    rt::unpack_pool();
    rt::StartInfo info;
    info.argc = int(sp[0]);
    info.argv = reinterpret_cast<char**>(sp + 1);
    info.envp = info.argv + info.argc + 1;
    char** e = info.envp;
    while (*e) ++e;
    info.auxv = reinterpret_cast<unsigned long*>(e + 1);
    rt::g_envp = info.envp;
    sys::exit_group(kc_main(info));
}

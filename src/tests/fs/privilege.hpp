// SPDX-License-Identifier: MIT
// What the kernel lets this process do to files, for the file-system and
// extended-attribute tests (src/tests/fs, src/tests/xattr): whether an id is
// mapped in its user namespace, whether it is in a group, whether a
// capability overrides the permission bits of its own files. Each answer
// follows the kernel's rule (fs/attr.c, fs/namei.c, capabilities(7),
// user_namespaces(7)) from the harness's probe (kc::environment()), so that
// a test computes the one result Linux gives in this environment instead of
// guessing it from the euid. A child becomes another user, without
// capabilities, with the harness's kc::become_other_user().
#pragma once

#include "harness/test.hpp"
#include "rt/sys_cred.hpp"

namespace privilege {

inline bool uid_mapped(u32 id) { return kc::ids_mapped(false, id); }
inline bool gid_mapped(u32 id) { return kc::ids_mapped(true, id); }
using kc::own_ids_mapped;

// Whether gid is the effective gid or a supplementary group (in_group_p).
inline bool in_group(u32 gid) {
    if (u32(sys::getegid()) == gid) return true;
    u32 groups[256];
    long n = sys::getgroups(256, groups);
    for (long i = 0; i < n; ++i)
        if (groups[i] == gid) return true;
    return false;
}

// Whether a capability in effect overrides the permission bits of the
// test's own files (generic_permission in fs/namei.c): CAP_DAC_OVERRIDE any
// access (executing a file still needs some execute bit: the caller knows
// the mode), CAP_DAC_READ_SEARCH reading a file and reading or searching a
// directory (`read_search`). The kernel checks them in the process's own
// user namespace, and honours them only over files whose owner and group are
// mapped there (capable_wrt_inode_uidgid): the test's own files are, unless
// its own ids are unmapped.
inline bool dac_override(bool read_search) {
    if (!kc::ns_cap_usable(CAP_DAC_OVERRIDE) &&
        !(read_search && kc::ns_cap_usable(CAP_DAC_READ_SEARCH)))
        return false;
    return own_ids_mapped();
}

// Whether CAP_CHOWN lets this process give its own files to any mapped id
// (chown_ok/chgrp_ok in fs/attr.c: the same user-namespace rule).
inline bool chown_any() { return kc::ns_cap_usable(CAP_CHOWN) && own_ids_mapped(); }

}  // namespace privilege

// SPDX-License-Identifier: MIT
// The key management facility (security/keys, linux/keyctl.h): add_key(2),
// request_key(2) and keyctl(2). Keys are named by a 32-bit serial number
// (key_serial_t); the special negative ids name the caller's keyrings. The
// values are the same on every architecture.
#pragma once

#include "rt/sys.hpp"

using key_serial_t = i32;

// Special key ids.
inline constexpr key_serial_t KEY_SPEC_THREAD_KEYRING = -1, KEY_SPEC_PROCESS_KEYRING = -2;
inline constexpr key_serial_t KEY_SPEC_SESSION_KEYRING = -3, KEY_SPEC_USER_KEYRING = -4;
inline constexpr key_serial_t KEY_SPEC_USER_SESSION_KEYRING = -5;

// keyctl(2) operations.
inline constexpr int KEYCTL_GET_KEYRING_ID = 0, KEYCTL_JOIN_SESSION_KEYRING = 1;
inline constexpr int KEYCTL_UPDATE = 2, KEYCTL_REVOKE = 3, KEYCTL_DESCRIBE = 6;
inline constexpr int KEYCTL_CLEAR = 7, KEYCTL_LINK = 8, KEYCTL_UNLINK = 9;
inline constexpr int KEYCTL_SEARCH = 10, KEYCTL_READ = 11, KEYCTL_INVALIDATE = 21;

namespace sys {

// key_serial_t add_key(const char *type, const char *description, const void *payload,
//                      size_t plen, key_serial_t keyring);
inline long add_key(const char* type, const char* desc, const void* payload, usize plen,
                    key_serial_t keyring) {
    return syscall5(nr::add_key, L(type), L(desc), L(payload), L(plen), keyring);
}
// key_serial_t request_key(const char *type, const char *description,
//                          const char *callout_info, key_serial_t dest_keyring);
inline long request_key(const char* type, const char* desc, const char* callout,
                        key_serial_t dest) {
    return syscall4(nr::request_key, L(type), L(desc), L(callout), dest);
}
// long keyctl(int operation, unsigned long arg2, unsigned long arg3, unsigned long arg4,
//             unsigned long arg5);
inline long keyctl(int op, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) {
    return syscall5(nr::keyctl, op, a2, a3, a4, a5);
}

}  // namespace sys

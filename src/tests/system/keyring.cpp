// SPDX-License-Identifier: MIT
// The kernel key management facility: add_key(2), request_key(2) and
// keyctl(2) (keyrings(7), Documentation/security/keys/core.rst). Every test
// runs in a child that first joins a fresh anonymous session keyring
// (KEYCTL_JOIN_SESSION_KEYRING with a NULL name), so the user's own
// keyrings are never read or changed; the keys die with the child. Covered:
// "user" keys (add, update by description, read, describe, revoke,
// invalidate, search), keyrings (read lists the linked serials, clear),
// request_key without upcall, and the argument errors (unknown or internal
// key types, bad keyring ids, payload sizes, pointers, unknown operations).
// Not covered: request_key upcalls (/sbin/request-key), key permissions,
// ownership and quotas, persistent keyrings, the asymmetric and DH
// operations, key watching.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_keys.hpp"
#include "tests/common/common_util.hpp"

namespace {

// Skips when the kernel has no key management (CONFIG_KEYS).
void require_keys() {
    if (sys::keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0) == -ENOSYS)
        kc::skip_unimplemented("keyctl",
                               "keyctl: not implemented (ENOSYS; a kernel without CONFIG_KEYS)");
}

// Runs fn in a child that joined a new anonymous session keyring.
void in_session(void (*fn)(void*)) {
    require_keys();
    EXPECT_CHILD_OK(kc::spawn(
        [](void* f) {
            ASSERT_GT(sys::keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0), 0);
            reinterpret_cast<void (*)(void*)>(f)(nullptr);
        },
        reinterpret_cast<void*>(fn)));
}

constexpr char kDesc[] = "kconform:test";

// A "user" key in the session keyring holding `payload`; its serial.
long add_user_key(const char* payload, const char* desc = kDesc) {
    return sys::add_key("user", desc, payload, rt::strlen(payload), KEY_SPEC_SESSION_KEYRING);
}

// KEYCTL_READ into buf; the result of the call.
long read_key(long id, char* buf, usize n) {
    return sys::keyctl(KEYCTL_READ, id, long(buf), long(n));
}

}  // namespace

// ---------------------------------------------------------------------------
// add_key(2)

// add_key(2): "creates or updates a key of the given type and description,
// instantiates it with the payload ... and attaches it to the nominated
// keyring, returning the key's serial number"; KEYCTL_READ returns the
// payload.
TEST(add_key, user_key_payload_reads_back, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("secret-1");
        ASSERT_GT(id, 0);
        char buf[16];
        EXPECT_RET(read_key(id, buf, sizeof buf), 8);
        EXPECT_MEM_EQ(buf, "secret-1", 8);
    });
}

// add_key(2): "If the destination keyring already contains a key that
// matches the specified type and description, then, if the key type
// supports it, that key will be updated" - same serial, new payload.
TEST(add_key, same_description_updates, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("first");
        ASSERT_GT(id, 0);
        EXPECT_RET(add_user_key("second!"), id);
        char buf[16];
        EXPECT_RET(read_key(id, buf, sizeof buf), 7);
        EXPECT_MEM_EQ(buf, "second!", 7);
        long other = add_user_key("x", "kconform:other");
        EXPECT_GT(other, 0);
        EXPECT_NE(other, id);
    });
}

// add_key(2) of type "keyring" (payload NULL, length 0): a new keyring
// linked into the session keyring; KEYCTL_READ on the session keyring lists
// its serial.
TEST(add_key, keyring_linked_into_session, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long ring = sys::add_key("keyring", "kconform:ring", nullptr, 0, KEY_SPEC_SESSION_KEYRING);
        ASSERT_GT(ring, 0);
        i32 ids[8];
        long n = sys::keyctl(KEYCTL_READ, KEY_SPEC_SESSION_KEYRING, long(ids), long(sizeof ids));
        ASSERT_EQ(n, 4);
        EXPECT_EQ(ids[0], ring);
    });
}

struct Type {
    const char* label;
    const char* type;
    int err;
};
constexpr Type kBadTypes[] = {
    {"unknown", "kconform_no_such_type", ENODEV},
    {"empty", "", EINVAL},
    {"dot_internal", ".dead", EPERM},
};
// add_key(2): ENODEV "The key type was invalid"; EPERM "The key type began
// with a period ('.'). Key types that begin with a period are reserved to
// the implementation"; an empty type is EINVAL.
TEST_P(add_key, bad_type, NEGATIVE, LINUX, kBadTypes, .flags = kc::NEEDS_FORK) {
    static const Type* r;
    r = &row;
    in_session([](void*) {
        EXPECT_ERR(sys::add_key(r->type, kDesc, "x", 1, KEY_SPEC_SESSION_KEYRING), r->err);
    });
}

struct Payload {
    const char* label;
    usize plen;
    int err;
};
constexpr Payload kBadPayloads[] = {
    {"user,plen=0", 0, EINVAL},
    {"user,plen=32768", 32768, EINVAL},
    {"plen=1MiB", 1 << 20, EINVAL},
};
// add_key(2) EINVAL: "The size of the string (including the terminating null
// byte) specified in type or description exceeded the limit ... or the
// payload is too large" - the "user" type takes 1 to 32767 bytes; a payload
// of 1 MiB or more is refused before it is read (the pointer is not valid).
TEST_P(add_key, bad_payload_size_einval, NEGATIVE, LINUX, kBadPayloads, .flags = kc::NEEDS_FORK) {
    static usize plen;
    plen = row.plen;
    in_session([](void*) {
        static char big[32768];
        const void* p = plen > sizeof big ? common::kBadPtr : big;
        EXPECT_ERR(sys::add_key("user", kDesc, p, plen, KEY_SPEC_SESSION_KEYRING), EINVAL);
    });
}

// add_key(2): ENOKEY "The keyring doesn't exist" (a serial no key has);
// a special id that names no keyring is EINVAL.
TEST(add_key, bad_keyring, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        EXPECT_ERR(sys::add_key("user", kDesc, "x", 1, 0x7ffffff0), ENOKEY);
        EXPECT_ERR(sys::add_key("user", kDesc, "x", 1, -100), EINVAL);
        EXPECT_ERR(sys::add_key("user", kDesc, "x", 1, 0), EINVAL);
    });
}

// add_key(2) EFAULT for unreadable type, description or payload; a "user"
// key needs a description (EINVAL without one).
TEST(add_key, bad_pointers, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        const char* bad = static_cast<const char*>(common::kBadPtr);
        EXPECT_ERR(sys::add_key(bad, kDesc, "x", 1, KEY_SPEC_SESSION_KEYRING), EFAULT);
        EXPECT_ERR(sys::add_key("user", bad, "x", 1, KEY_SPEC_SESSION_KEYRING), EFAULT);
        EXPECT_ERR(sys::add_key("user", kDesc, bad, 1, KEY_SPEC_SESSION_KEYRING), EFAULT);
        EXPECT_ERR(sys::add_key("user", nullptr, "x", 1, KEY_SPEC_SESSION_KEYRING), EINVAL);
    });
}

// ---------------------------------------------------------------------------
// request_key(2)

// request_key(2): "attempts to find a key of the given type with a
// description that matches the specified description" in the caller's
// keyrings - the session keyring's key, by serial.
TEST(request_key, finds_session_key, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("payload");
        ASSERT_GT(id, 0);
        EXPECT_RET(sys::request_key("user", kDesc, nullptr, 0), id);
        EXPECT_RET(sys::request_key("user", kDesc, nullptr, KEY_SPEC_SESSION_KEYRING), id);
    });
}

// request_key(2) ENOKEY: "No matching key was found" and no callout_info
// was given, so nothing is constructed. The type must match too.
TEST(request_key, not_found_enokey, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        EXPECT_ERR(sys::request_key("user", "kconform:absent", nullptr, 0), ENOKEY);
        ASSERT_GT(add_user_key("payload"), 0);
        EXPECT_ERR(sys::request_key("keyring", kDesc, nullptr, 0), ENOKEY);
    });
}

// request_key(2) EKEYREVOKED: "The key ... was revoked" - a revoked key is
// found and reported as such.
TEST(request_key, revoked_ekeyrevoked, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("payload");
        ASSERT_GT(id, 0);
        ASSERT_RET(sys::keyctl(KEYCTL_REVOKE, id), 0);
        EXPECT_ERR(sys::request_key("user", kDesc, nullptr, 0), EKEYREVOKED);
    });
}

// request_key(2): an unknown type is ENOKEY (no such key can exist; Linux
// looks the type up and answers ENOKEY, unlike add_key's ENODEV), a type
// beginning with '.' is EPERM, an empty one EINVAL.
TEST(request_key, bad_type, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        EXPECT_ERR(sys::request_key("kconform_no_such_type", kDesc, nullptr, 0), ENOKEY);
        EXPECT_ERR(sys::request_key(".dead", kDesc, nullptr, 0), EPERM);
        EXPECT_ERR(sys::request_key("", kDesc, nullptr, 0), EINVAL);
    });
}

// request_key(2) EFAULT for an unreadable type or description.
TEST(request_key, bad_pointers_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        const char* bad = static_cast<const char*>(common::kBadPtr);
        EXPECT_ERR(sys::request_key(bad, kDesc, nullptr, 0), EFAULT);
        EXPECT_ERR(sys::request_key("user", bad, nullptr, 0), EFAULT);
    });
}

// ---------------------------------------------------------------------------
// keyctl(2)

// keyctl(2) KEYCTL_JOIN_SESSION_KEYRING with a NULL name: "an anonymous
// keyring ... is created and attached to the process as its session
// keyring"; KEYCTL_GET_KEYRING_ID of KEY_SPEC_SESSION_KEYRING then names it.
TEST(keyctl, join_anonymous_session, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_keys();
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            long a = sys::keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0);
            ASSERT_GT(a, 0);
            EXPECT_RET(sys::keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0), a);
            long b = sys::keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0);
            EXPECT_GT(b, 0);
            EXPECT_NE(b, a);
        },
        nullptr));
}

// keyctl(2) KEYCTL_DESCRIBE: "type;uid;gid;perm;description", NUL-terminated;
// the return value counts the NUL.
TEST(keyctl, describe_format, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("payload");
        ASSERT_GT(id, 0);
        char buf[128];
        long n = sys::keyctl(KEYCTL_DESCRIBE, id, long(buf), long(sizeof buf));
        ASSERT_GT(n, 5);
        ASSERT_LE(n, long(sizeof buf));
        EXPECT_EQ(buf[n - 1], 0);
        EXPECT_MEM_EQ(buf, "user;", 5);
        usize d = sizeof kDesc;
        EXPECT_MEM_EQ(buf + n - long(d) - 1, ";kconform:test", d + 1);
    });
}

// keyctl(2) KEYCTL_READ with a buffer that is too small: the result is the
// payload's size, and (Linux) nothing is copied.
TEST(keyctl, read_short_buffer, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("0123456789");
        ASSERT_GT(id, 0);
        EXPECT_RET(read_key(id, nullptr, 0), 10);
        char buf[4];
        common::fill_bytes(buf, 0xa5, sizeof buf);
        EXPECT_RET(read_key(id, buf, 3), 10);
        EXPECT_EQ(u8(buf[0]), 0xa5);
    });
}

// keyctl(2) KEYCTL_UPDATE replaces a user key's payload.
TEST(keyctl, update_payload, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("old");
        ASSERT_GT(id, 0);
        ASSERT_RET(sys::keyctl(KEYCTL_UPDATE, id, long("newer"), 5), 0);
        char buf[8];
        EXPECT_RET(read_key(id, buf, sizeof buf), 5);
        EXPECT_MEM_EQ(buf, "newer", 5);
    });
}

// keyctl(2) KEYCTL_REVOKE: "Revoke the key ... subsequent operations on the
// key fail with EKEYREVOKED".
TEST(keyctl, revoked_read_ekeyrevoked, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("payload");
        ASSERT_GT(id, 0);
        ASSERT_RET(sys::keyctl(KEYCTL_REVOKE, id), 0);
        char buf[16];
        EXPECT_ERR(read_key(id, buf, sizeof buf), EKEYREVOKED);
        EXPECT_ERR(sys::keyctl(KEYCTL_UPDATE, id, long("x"), 1), EKEYREVOKED);
    });
}

// keyctl(2) KEYCTL_SEARCH finds the key in a keyring by type and
// description; KEYCTL_CLEAR empties the keyring, after which the search is
// ENOKEY.
TEST(keyctl, search_and_clear, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        long id = add_user_key("payload");
        ASSERT_GT(id, 0);
        EXPECT_RET(sys::keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, long("user"), long(kDesc)),
                   id);
        ASSERT_RET(sys::keyctl(KEYCTL_CLEAR, KEY_SPEC_SESSION_KEYRING), 0);
        EXPECT_ERR(sys::keyctl(KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, long("user"), long(kDesc)),
                   ENOKEY);
        EXPECT_RET(sys::keyctl(KEYCTL_READ, KEY_SPEC_SESSION_KEYRING, 0, 0), 0);
    });
}

// keyctl(2): an id no key has is ENOKEY ("An invalid key was specified");
// a special id that names nothing is EINVAL, except for KEYCTL_READ, which
// reports every failed lookup as ENOKEY (Linux, keyctl_read_key).
TEST(keyctl, bad_key_id, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        char buf[8];
        EXPECT_ERR(read_key(0x7ffffff0, buf, sizeof buf), ENOKEY);
        EXPECT_ERR(read_key(-100, buf, sizeof buf), ENOKEY);
        EXPECT_ERR(sys::keyctl(KEYCTL_REVOKE, 0x7ffffff0), ENOKEY);
        EXPECT_ERR(sys::keyctl(KEYCTL_REVOKE, -100), EINVAL);
        EXPECT_ERR(sys::keyctl(KEYCTL_DESCRIBE, -100, long(buf), long(sizeof buf)), EINVAL);
    });
}

// keyctl(2) EOPNOTSUPP: "operation specified an invalid value".
TEST(keyctl, unknown_operation_eopnotsupp, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_session([](void*) {
        EXPECT_ERR(sys::keyctl(1000, KEY_SPEC_SESSION_KEYRING), EOPNOTSUPP);
        EXPECT_ERR(sys::keyctl(-1), EOPNOTSUPP);
    });
}

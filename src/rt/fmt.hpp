// SPDX-License-Identifier: MIT
// A tiny formatter over a caller-owned fixed buffer, and string helpers.
// Appends past the end are dropped (the text is cut, never overflowed).
#pragma once

#include "arch/int.hpp"

namespace rt {

usize strlen(const char* s);
bool streq(const char* a, const char* b);
// Shell-style glob: '*' any run, '?' one character.
bool glob(const char* pat, const char* s);
// Parses a decimal integer; returns false on anything else or overflow.
bool parse_long(const char* s, long* out);

struct Fmt {
    char* buf;
    usize cap;
    usize len = 0;

    constexpr Fmt(char* b, usize c) : buf(b), cap(c) {}
    Fmt& s(const char* str);
    Fmt& s(const char* str, usize n);
    Fmt& c(char ch);
    Fmt& d(long v);  // signed decimal
    Fmt& u(u64 v);   // unsigned decimal
    Fmt& x(u64 v);   // 0x-prefixed hex
    // A system-call result: -EBADF for -9 (a named errno), else decimal.
    Fmt& ret(long v);
    // Pads with spaces to column `col`.
    Fmt& pad(usize col);
    // JSON string contents (quotes not included).
    Fmt& json(const char* str);
    const char* cstr();  // NUL-terminates (cutting the last byte if full)
};

// Writes all of buf to fd, retrying short writes and EINTR; false on error.
bool write_all(int fd, const char* buf, usize n);

}  // namespace rt

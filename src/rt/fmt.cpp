// SPDX-License-Identifier: MIT
#include "rt/fmt.hpp"

#include "rt/errno.hpp"
#include "rt/sys.hpp"

namespace rt {

usize strlen(const char* s) {
    usize n = 0;
    while (s[n]) ++n;
    return n;
}

bool streq(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

bool glob(const char* p, const char* s) {
    const char* star = nullptr;
    const char* resume = nullptr;
    while (*s) {
        if (*p == '*') {
            star = ++p;
            resume = s;
        } else if (*p == '?' || *p == *s) {
            ++p, ++s;
        } else if (star) {
            p = star;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*') ++p;
    return !*p;
}

bool parse_long(const char* s, long* out) {
    bool neg = *s == '-';
    if (neg) ++s;
    if (!*s) return false;
    u64 v = 0;
    for (; *s; ++s) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + u64(*s - '0');
        if (v > u64(LONG_MAX) + neg) return false;
    }
    *out = neg ? long(0 - v) : long(v);
    return true;
}

Fmt& Fmt::c(char ch) {
    if (len < cap) buf[len++] = ch;
    return *this;
}

Fmt& Fmt::s(const char* str, usize n) {
    for (usize i = 0; i < n; ++i) c(str[i]);
    return *this;
}

Fmt& Fmt::s(const char* str) { return s(str, strlen(str)); }

Fmt& Fmt::u(u64 v) {
    char tmp[20];
    int n = 0;
    do tmp[n++] = char('0' + v % 10);
    while (v /= 10);
    while (n) c(tmp[--n]);
    return *this;
}

Fmt& Fmt::d(long v) {
    if (v < 0) return c('-').u(0 - u64(v));
    return u(u64(v));
}

Fmt& Fmt::x(u64 v) {
    s("0x");
    int shift = 60;
    while (shift > 0 && !(v >> shift)) shift -= 4;
    for (; shift >= 0; shift -= 4) c("0123456789abcdef"[(v >> shift) & 15]);
    return *this;
}

Fmt& Fmt::ret(long v) {
    const char* name = v < 0 ? errno_name(-v) : nullptr;
    return name ? c('-').s(name) : d(v);
}

Fmt& Fmt::pad(usize col) {
    while (len < col && len < cap) c(' ');
    return *this;
}

Fmt& Fmt::json(const char* str) {
    for (; *str; ++str) {
        unsigned char ch = (unsigned char)*str;
        if (ch == '"' || ch == '\\') {
            c('\\').c(char(ch));
        } else if (ch == '\n') {
            s("\\n");
        } else if (ch < 0x20 || ch == 0x7f) {
            s("\\u00").c("0123456789abcdef"[ch >> 4]).c("0123456789abcdef"[ch & 15]);
        } else {
            c(char(ch));
        }
    }
    return *this;
}

const char* Fmt::cstr() {
    if (cap == 0) return "";
    buf[len < cap ? len : cap - 1] = 0;
    return buf;
}

bool write_all(int fd, const char* buf, usize n) {
    while (n) {
        long r = sys::write(fd, buf, n);
        if (r == -EINTR) continue;
        if (r <= 0) return false;
        buf += r;
        n -= usize(r);
    }
    return true;
}

}  // namespace rt

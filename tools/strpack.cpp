// SPDX-License-Identifier: MIT
// strpack IN OUT.S: compresses the suite's pool (the raw bytes of the
// .kc_pool section of a first link: string literals, other read-only data
// and the test records; cmake/pool.ld.in) into an assembly file that a second
// link places in .kc_packed; rt::unpack_pool() expands it at startup into the
// same addresses, which that link leaves as uninitialised (NOLOAD) memory.
//
// Format (src/rt/unpack.cpp is the decoder): a header of two little-endian
// u32, the raw size and its FNV-1a hash, then an LZ77 stream. Flag bits are
// read most significant first from bytes fetched from the stream whenever the
// previous flag byte is used up; literal and offset bytes sit between them.
//   0            literal: the next byte
//   1 0 ...      match: gamma(offset-1 >> 8, plus 1), the byte (offset-1) & 255,
//                then gamma(length - 1); length >= 2
//   1 1 ...      match at the previous match's offset: gamma(length)
// gamma(v), v >= 1: n zero bits, then v's n+1 significant bits.
//
// The parse is optimal for literal and plain-match costs (dynamic programming
// from the end); a match that repeats the previous offset is then written in
// the shorter form.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

int bit_width(uint32_t v) {
    int n = 0;
    while (v) ++n, v >>= 1;
    return n;
}

int gamma_bits(uint32_t v) { return 2 * bit_width(v) - 1; }

int match_bits(uint32_t off, uint32_t len) {
    return 2 + gamma_bits(((off - 1) >> 8) + 1) + 8 + gamma_bits(len - 1);
}

class Writer {
   public:
    void bit(int b) {
        if (nbits_ == 0) {
            flag_at_ = out.size();
            out.push_back(0);
            nbits_ = 8;
        }
        --nbits_;
        if (b) out[flag_at_] |= uint8_t(1u << nbits_);
    }
    void byte(uint8_t b) { out.push_back(b); }
    void gamma(uint32_t v) {
        int n = bit_width(v) - 1;
        for (int i = 0; i < n; ++i) bit(0);
        for (int i = n; i >= 0; --i) bit((v >> i) & 1);
    }
    Bytes out;

   private:
    size_t flag_at_ = 0;
    int nbits_ = 0;
};

struct Step {
    uint32_t len = 1;  // 1: a literal
    uint32_t off = 0;
};

Bytes compress(const Bytes& in) {
    const size_t n = in.size();
    const uint32_t kWindow = 1u << 20, kDepth = 256, kMaxLen = 1u << 16;
    std::vector<int64_t> head(1u << 16, -1), prev(n, -1);
    std::vector<uint64_t> cost(n + 1, 0);
    std::vector<Step> best(n);
    // Chains first (positions below i), then the DP needs matches at every
    // position: collect them per position while building chains forward.
    std::vector<std::vector<Step>> cand(n);
    for (size_t i = 0; i + 1 < n; ++i) {
        uint32_t h = uint32_t(in[i]) << 8 | in[i + 1];
        uint32_t have = 1;
        uint32_t depth = 0;
        for (int64_t j = head[h]; j >= 0 && depth < kDepth; j = prev[size_t(j)], ++depth) {
            uint32_t off = uint32_t(i - size_t(j));
            if (off > kWindow) break;
            uint32_t l = 0;
            while (i + l < n && l < kMaxLen && in[size_t(j) + l] == in[i + l]) ++l;
            if (l > have) {
                cand[i].push_back({l, off});
                have = l;
                if (i + l == n || l == kMaxLen) break;
            }
        }
        prev[i] = head[h];
        head[h] = int64_t(i);
    }
    for (size_t i = n; i-- > 0;) {
        cost[i] = cost[i + 1] + 9;
        best[i] = {1, 0};
        uint32_t from = 2;
        for (const Step& c : cand[i]) {
            for (uint32_t l = from; l <= c.len; ++l) {
                uint64_t v = cost[i + l] + uint64_t(match_bits(c.off, l));
                if (v < cost[i]) cost[i] = v, best[i] = {l, c.off};
            }
            from = c.len + 1;
        }
    }
    Writer w;
    uint32_t last = 0;
    for (size_t i = 0; i < n;) {
        const Step s = best[i];
        if (s.len == 1) {
            w.bit(0);
            w.byte(in[i]);
        } else if (s.off == last) {
            w.bit(1), w.bit(1);
            w.gamma(s.len);
        } else {
            w.bit(1), w.bit(0);
            w.gamma(((s.off - 1) >> 8) + 1);
            w.byte(uint8_t((s.off - 1) & 255));
            w.gamma(s.len - 1);
            last = s.off;
        }
        i += s.len;
    }
    return w.out;
}

// The decoder's algorithm, to prove the stream before it is shipped.
Bytes expand(const Bytes& z, size_t size) {
    Bytes out;
    size_t p = 0;
    int nbits = 0;
    uint8_t flags = 0;
    auto need = [&](size_t k) {
        if (p + k > z.size()) throw std::runtime_error("truncated stream");
    };
    auto bit = [&]() -> int {
        if (nbits == 0) need(1), flags = z[p++], nbits = 8;
        --nbits;
        return (flags >> nbits) & 1;
    };
    auto gamma = [&]() -> uint32_t {
        int k = 0;
        while (!bit())
            if (++k > 31) throw std::runtime_error("bad gamma code");
        uint32_t v = 1;
        while (k--) v = v << 1 | uint32_t(bit());
        return v;
    };
    uint32_t last = 0;
    while (out.size() < size) {
        if (!bit()) {
            need(1);
            out.push_back(z[p++]);
            continue;
        }
        uint32_t len;
        if (bit()) {
            len = gamma();
        } else {
            uint32_t hi = gamma() - 1;
            need(1);
            last = (hi << 8 | z[p++]) + 1;
            len = gamma() + 1;
        }
        if (last == 0 || last > out.size()) throw std::runtime_error("offset out of range");
        for (uint32_t k = 0; k < len; ++k) out.push_back(out[out.size() - last]);
    }
    return out;
}

uint32_t fnv1a(const Bytes& b) {
    uint32_t h = 2166136261u;
    for (uint8_t c : b) h = (h ^ c) * 16777619u;
    return h;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: strpack IN.bin OUT.S\n";
        return 2;
    }
    std::ifstream f(argv[1], std::ios::binary);
    if (!f) {
        std::cerr << "strpack: cannot read " << argv[1] << "\n";
        return 1;
    }
    Bytes in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (in.size() >= (1u << 31)) {
        std::cerr << "strpack: " << argv[1] << " is too large\n";
        return 1;
    }
    Bytes z = compress(in);
    try {
        if (expand(z, in.size()) != in) throw std::runtime_error("round trip differs");
    } catch (const std::exception& e) {
        std::cerr << "strpack: internal error: " << e.what() << "\n";
        return 1;
    }
    std::string tmp = std::string(argv[2]) + ".tmp";
    {
        std::ofstream o(tmp);
        o << "// Generated by strpack from " << argv[1] << ": " << in.size() << " bytes packed to "
          << z.size() << ".\n\t.section .kc_packed,\"a\"\n\t.balign 4\n\t.long " << in.size()
          << ", " << fnv1a(in) << "\n";
        for (size_t i = 0; i < z.size(); ++i) {
            o << (i % 24 ? "," : "\n\t.byte ") << unsigned(z[i]);
        }
        o << "\n";
        if (!o) {
            std::cerr << "strpack: cannot write " << tmp << "\n";
            return 1;
        }
    }
    if (std::rename(tmp.c_str(), argv[2]) != 0) {
        std::cerr << "strpack: cannot rename " << tmp << " to " << argv[2] << "\n";
        return 1;
    }
    std::cout << "strpack: " << in.size() << " -> " << z.size() + 8 << " bytes\n";
    return 0;
}

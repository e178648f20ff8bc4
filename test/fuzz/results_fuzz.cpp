// SPDX-License-Identifier: MIT
// Fuzz target for the result reader (libFuzzer):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Itools \
//       test/fuzz/results_fuzz.cpp tools/results.cpp -o results_fuzz
//   ./results_fuzz test/corpus/results -max_total_time=60
// Any input may be rejected with ParseError; nothing else may happen. The
// corpus it grew is kept in test/corpus/results/ and replayed by
// FuzzCorpus.NoInputCrashesTheReader on every test run.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (bool lenient : {false, true}) {
        try {
            kcr::parse_run(text, lenient);
        } catch (const kcr::ParseError&) {
        }
    }
    return 0;
}

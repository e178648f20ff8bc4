// SPDX-License-Identifier: MIT
// Replays the fuzzer's corpus (test/corpus/results/) through the reader:
// every input parses or throws ParseError, nothing else.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "results.hpp"

TEST(FuzzCorpus, NoInputCrashesTheReader) {
    size_t n = 0;
    for (auto& e : std::filesystem::directory_iterator(KC_CORPUS)) {
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        for (bool lenient : {false, true}) {
            try {
                kcr::parse_run(ss.str(), lenient);
            } catch (const kcr::ParseError&) {
            }
        }
        ++n;
    }
    EXPECT_GT(n, 10u) << "the corpus is missing";
}

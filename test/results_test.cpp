// SPDX-License-Identifier: MIT
// The result-file reader: valid streams parse; malformed ones give a clear
// error (ParseError), never a crash or a silently wrong result.
#include "results.hpp"

#include <gtest/gtest.h>

namespace {

const char kRun[] =
    "{\"type\":\"run\",\"kconform\":\"0.1.0\",\"arch\":\"x86_64\",\"filters\":[\"a\",\"b\"]}\n";
const char kTest[] =
    "{\"type\":\"test\",\"id\":\"g.n\",\"group\":\"g\",\"category\":\"NEGATIVE\","
    "\"profile\":\"PSE51\",\"outcome\":\"FAIL\",\"duration_us\":12,\"message\":\"a\\nb "
    "\\u00e9\"}\n";
const char kSummary[] =
    "{\"type\":\"summary\",\"passed\":0,\"failed\":1,\"skipped\":0,\"timeouts\":0,\"crashes\":0}\n";

TEST(Results, ParsesAWholeRun) {
    auto r = kcr::parse_run(std::string(kRun) + kTest + kSummary);
    EXPECT_EQ(r.run["arch"], "x86_64");
    EXPECT_EQ(r.run["filters"], "a\nb");
    ASSERT_EQ(r.tests.size(), 1u);
    EXPECT_EQ(r.tests[0].id, "g.n");
    EXPECT_EQ(r.tests[0].outcome, kcr::Outcome::Fail);
    EXPECT_EQ(r.tests[0].duration_us, 12);
    EXPECT_EQ(r.tests[0].message, "a\nb \xc3\xa9");
    EXPECT_TRUE(r.has_summary);
    EXPECT_EQ(r.failed, 1);
}

TEST(Results, VerdictRecordsParse) {
    auto r = kcr::parse_run(
        std::string(kRun) + kTest + kSummary +
        "{\"type\":\"verdict\",\"profile\":\"PSE51\",\"conforms\":true,\"missing\":[],"
        "\"failing\":0,\"failing_tests\":[]}\n"
        "{\"type\":\"verdict\",\"profile\":\"PSE52\",\"conforms\":false,\"missing\":"
        "[\"mq_open\",\"mq_unlink\"],\"failing\":3,\"failing_tests\":[\"g.n\"]}\n");
    ASSERT_EQ(r.verdicts.size(), 2u);
    EXPECT_TRUE(r.verdicts[0].conforms);
    EXPECT_TRUE(r.verdicts[0].missing.empty());
    EXPECT_FALSE(r.verdicts[1].conforms);
    EXPECT_EQ(r.verdicts[1].missing, (std::vector<std::string>{"mq_open", "mq_unlink"}));
    EXPECT_EQ(r.verdicts[1].failing, 3);
    EXPECT_EQ(r.verdicts[1].failing_tests, std::vector<std::string>{"g.n"});
    EXPECT_THROW(kcr::parse_run(std::string(kRun) +
                                "{\"type\":\"verdict\",\"profile\":\"PSE51\",\"conforms\":1,"
                                "\"missing\":[],\"failing\":0,\"failing_tests\":[]}\n"),
                 kcr::ParseError);
}

TEST(Results, TruncatedRunHasNoSummary) {
    auto r = kcr::parse_run(std::string(kRun) + kTest);
    EXPECT_FALSE(r.has_summary);
    EXPECT_EQ(r.tests.size(), 1u);
}

TEST(Results, LenientModeSkipsConsoleNoise) {
    std::string text = "[    0.1] Linux version 6.1\r\n" + std::string(kRun) + "random noise\r\n" +
                       kTest + "reboot: Power down\r\n";
    auto r = kcr::parse_run(text, true);
    EXPECT_EQ(r.tests.size(), 1u);
    EXPECT_THROW(kcr::parse_run(text, false), kcr::ParseError);
}

// The run line's objects (the environment probe's "env") are flattened.
TEST(Results, NestedObjectsAreFlattened) {
    auto r = kcr::parse_run(
        "{\"type\":\"run\",\"env\":{\"euid\":0,\"rlimits\":"
        "{\"nofile\":[64,-1]}},\"x\":{}}\n");
    EXPECT_EQ(r.run.at("env.euid"), "0");
    EXPECT_EQ(r.run.at("env.rlimits.nofile"), "64\n-1");
    EXPECT_EQ(r.run.count("x"), 0u);
}

TEST(Results, MalformedInputsAreErrors) {
    const std::string bad[] = {
        "",
        "not json\n",
        std::string(kTest),                                      // no run line
        std::string(kRun) + kRun,                                // two run lines
        "{\"type\":\"run\"",                                     // unterminated
        "{\"type\":\"run\",}",                                   // trailing comma
        "{\"type\":\"run\",\"a\":{\"b\":{\"c\":{\"d\":1}}}}",    // nested too deeply
        "{\"type\":\"run\",\"a\":{\"b\":1,}}",                   // trailing comma inside
        "{\"type\":\"run\",\"a\":{\"b\":1},\"a.b\":2}",          // flattened duplicate
        "{\"type\":\"run\",\"a\":\"\\x\"}",                      // bad escape
        "{\"type\":\"run\",\"a\":\"\\u12\"}",                    // short \u
        "{\"type\":\"run\",\"a\":1,\"a\":2}",                    // duplicate key
        "{\"type\":\"run\"} trailing",                           // trailing text
        "{\"type\":\"weird\"}",                                  // unknown type
        std::string(kRun) + "{\"type\":\"test\",\"id\":\"x\"}",  // missing fields
        std::string(kRun) +
            "{\"type\":\"test\",\"id\":\"x\",\"group\":\"g\",\"category\":\"P\","
            "\"profile\":\"P\",\"outcome\":\"MAYBE\",\"duration_us\":1,"
            "\"message\":\"\"}",
        std::string(kRun) + "{\"type\":\"summary\",\"passed\":\"x\"}",
        "{\"type\":\"run\",\"a\":tru}",
        "{\"type\":\"run\",\"a\":\"\x01\"}",
    };
    for (auto& text : bad) EXPECT_THROW(kcr::parse_run(text), kcr::ParseError) << text;
}

}  // namespace

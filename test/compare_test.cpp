// The comparison tool's logic: matrix, expectation files and --check.
#include <gtest/gtest.h>

#include <sstream>

#include "compare.hpp"

namespace {

using kcr::Outcome;

std::string test_line(const std::string& id, const std::string& outcome,
                      const std::string& msg = "") {
    return "{\"type\":\"test\",\"id\":\"" + id + "\",\"group\":\"" + id.substr(0, id.find('.')) +
           "\",\"category\":\"NEGATIVE\",\"profile\":\"PSE51\",\"outcome\":\"" + outcome +
           "\",\"duration_us\":1,\"message\":\"" + msg + "\"}\n";
}

kcc::Run make_run(const std::string& label, const std::string& arch, const std::string& tests,
                  bool complete = true) {
    kcc::Run r;
    r.label = label;
    std::string text = "{\"type\":\"run\",\"arch\":\"" + arch + "\"}\n" + tests;
    if (complete)
        text += "{\"type\":\"summary\",\"passed\":0,\"failed\":0,\"skipped\":0,\"timeouts\":0,"
                "\"crashes\":0}\n";
    r.file = kcr::parse_run(text);
    return r;
}

TEST(Compare, MatrixKeepsReferenceOrderAndMarksMissing) {
    auto ref = make_run("linux", "x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS"));
    auto tgt = make_run("t", "x86_64", test_line("b.y", "FAIL", "m") + test_line("c.z", "PASS"));
    auto rows = kcc::build_matrix({ref, tgt});
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].id, "a.x");
    EXPECT_FALSE(rows[0].outcome[1].has_value());
    EXPECT_EQ(rows[1].outcome[1], Outcome::Fail);
    EXPECT_EQ(rows[1].message[1], "m");
    EXPECT_EQ(rows[2].id, "c.z");
    EXPECT_FALSE(rows[2].outcome[0].has_value());
}

TEST(Compare, ExpectationFileParses) {
    auto ex = kcc::parse_expectations(
        "# comment\n\nopenat2.* FAIL gVisor has no openat2 (ENOSYS)\nx.y MISSING run dies\n");
    ASSERT_EQ(ex.size(), 2u);
    EXPECT_EQ(ex[0].pattern, "openat2.*");
    EXPECT_EQ(ex[0].outcome, Outcome::Fail);
    EXPECT_EQ(ex[0].reason, "gVisor has no openat2 (ENOSYS)");
    EXPECT_EQ(ex[0].line, 3);
    EXPECT_FALSE(ex[1].outcome.has_value());
    EXPECT_THROW(kcc::parse_expectations("a.b\n"), kcr::ParseError);
    EXPECT_THROW(kcc::parse_expectations("a.b FAIL\n"), kcr::ParseError);
    EXPECT_THROW(kcc::parse_expectations("a.b MAYBE why\n"), kcr::ParseError);
}

TEST(Compare, CheckFlagsNewAndStaleDivergences) {
    auto ref = make_run("linux", "x86_64",
                        test_line("a.x", "PASS") + test_line("b.y", "PASS") +
                            test_line("c.z", "PASS") + test_line("d.w", "FAIL"));
    auto tgt = make_run("t", "x86_64",
                        test_line("a.x", "FAIL") + test_line("b.y", "PASS") +
                            test_line("c.z", "CRASH") + test_line("d.w", "FAIL"));
    auto ex = kcc::parse_expectations("a.x FAIL known\nb.y FAIL fixed since\n");
    auto res = kcc::check(ref, tgt, ex);
    ASSERT_EQ(res.unexpected.size(), 1u);
    EXPECT_NE(res.unexpected[0].find("c.z: PASS on linux, CRASH on t"), std::string::npos);
    ASSERT_EQ(res.stale.size(), 1u);
    EXPECT_NE(res.stale[0].find("b.y"), std::string::npos);
    EXPECT_FALSE(res.ok());
    auto clean = kcc::check(ref, tgt, kcc::parse_expectations("a.x FAIL k\nc.z CRASH k\n"));
    EXPECT_TRUE(clean.ok());
}

TEST(Compare, CheckNeedsACompleteRun) {
    auto ref = make_run("linux", "x86_64", test_line("a.x", "PASS"));
    auto tgt = make_run("t", "x86_64", "", false);
    auto res = kcc::check(ref, tgt, kcc::parse_expectations("a.x MISSING died\n"));
    ASSERT_FALSE(res.unexpected.empty());
    EXPECT_NE(res.unexpected[0].find("did not complete"), std::string::npos);
}

TEST(Compare, ArchitectureSkipsAreNotDivergences) {
    auto ref = make_run("linux", "x86_64", test_line("dup2.x", "PASS") + test_line("dup3.y", "PASS"));
    auto tgt = make_run("t", "aarch64",
                        test_line("dup2.x", "SKIP", "no dup2 system call on aarch64") +
                            test_line("dup3.y", "SKIP", "no dup2 system call on riscv64"));
    auto res = kcc::check(ref, tgt, {});
    ASSERT_EQ(res.unexpected.size(), 1u);  // only the SKIP naming another arch counts
    EXPECT_NE(res.unexpected[0].find("dup3.y"), std::string::npos);
}

TEST(Compare, ReportsRenderEveryFormat) {
    auto ref = make_run("linux", "x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS"));
    auto tgt = make_run("t<1>", "x86_64", test_line("a.x", "FAIL", "got \\\"<x>\\\"") +
                                              test_line("b.y", "PASS"));
    std::ostringstream text, md, html;
    kcc::write_report(text, {ref, tgt}, kcc::Format::Text);
    kcc::write_report(md, {ref, tgt}, kcc::Format::Markdown);
    kcc::write_report(html, {ref, tgt}, kcc::Format::Html);
    EXPECT_NE(text.str().find("PASS -> FAIL (1)"), std::string::npos);
    EXPECT_NE(md.str().find("| `a.x` | PASS | FAIL |"), std::string::npos);
    EXPECT_NE(html.str().find("t&lt;1&gt;"), std::string::npos);  // escaped
    EXPECT_EQ(html.str().find("<x>"), std::string::npos);
    EXPECT_NE(html.str().find("class=\"FAIL div\""), std::string::npos);
}

}  // namespace

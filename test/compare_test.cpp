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
    EXPECT_EQ(ex[0].outcomes, (std::vector<std::optional<Outcome>>{Outcome::Fail}));
    EXPECT_FALSE(ex[0].flaky());
    EXPECT_EQ(ex[0].reason, "gVisor has no openat2 (ENOSYS)");
    EXPECT_EQ(ex[0].line, 3);
    ASSERT_EQ(ex[1].outcomes.size(), 1u);
    EXPECT_FALSE(ex[1].outcomes[0].has_value());
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

TEST(Compare, FlakyOutcomeSetsParse) {
    auto ex = kcc::parse_expectations(
        "a.x FAIL|PASS a 1 ms timer races the 6 ms sleep\n"
        "b.* TIMEOUT|FAIL|MISSING load decides\n");
    ASSERT_EQ(ex.size(), 2u);
    EXPECT_EQ(ex[0].outcomes, (std::vector<std::optional<Outcome>>{Outcome::Fail, Outcome::Pass}));
    EXPECT_TRUE(ex[0].flaky());
    EXPECT_EQ(ex[0].outcome_text(), "FAIL|PASS");
    EXPECT_EQ(ex[0].reason, "a 1 ms timer races the 6 ms sleep");
    EXPECT_EQ(ex[1].outcome_text(), "TIMEOUT|FAIL|MISSING");
    EXPECT_TRUE(ex[1].allows(std::nullopt));
    EXPECT_FALSE(ex[1].allows(Outcome::Pass));
}

TEST(Compare, MalformedOutcomeSetsAreClearErrors) {
    struct Case {
        const char* text;
        const char* says;
    } cases[] = {
        {"a.x FAIL| why\n", "line 1: empty outcome in the set 'FAIL|'"},
        {"a.x |PASS why\n", "empty outcome in the set '|PASS'"},
        {"a.x FAIL||PASS why\n", "empty outcome in the set 'FAIL||PASS'"},
        {"a.x BOGUS|PASS why\n", "line 1: unknown outcome 'BOGUS' in the set 'BOGUS|PASS'"},
        {"# c\na.x FAIL|pass why\n", "line 2: unknown outcome 'pass' in the set 'FAIL|pass'"},
        {"a.x FAIL|FAIL why\n", "outcome FAIL twice in the set 'FAIL|FAIL'"},
        {"a.x FAIL|PASS\n", "every entry needs a reason"},
    };
    for (auto& c : cases) {
        try {
            kcc::parse_expectations(c.text);
            ADD_FAILURE() << c.text << ": parsed";
        } catch (const kcr::ParseError& e) {
            EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos)
                << c.text << ": " << e.what();
        }
    }
}

TEST(Compare, FlakyEntryAcceptsEitherOutcomeAndNeverGoesStale) {
    auto ref = make_run("linux", "x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS"));
    auto ex = kcc::parse_expectations("a.x FAIL|PASS races\nb.y TIMEOUT|FAIL load\n");
    // Diverging with an outcome in the set.
    auto failing = make_run("t", "x86_64", test_line("a.x", "FAIL") + test_line("b.y", "TIMEOUT"));
    EXPECT_TRUE(kcc::check(ref, failing, ex).ok());
    // Matching the reference, which the first set allows (PASS is in it).
    auto passing = make_run("t", "x86_64", test_line("a.x", "PASS") + test_line("b.y", "FAIL"));
    auto res = kcc::check(ref, passing, ex);
    EXPECT_TRUE(res.ok()) << (res.stale.empty() ? "" : res.stale[0]);
    // The second set has no PASS: a run where b.y passes makes it stale.
    auto both_pass = make_run("t", "x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS"));
    res = kcc::check(ref, both_pass, ex);
    EXPECT_TRUE(res.unexpected.empty());
    ASSERT_EQ(res.stale.size(), 1u);
    EXPECT_NE(res.stale[0].find("line 2: b.y TIMEOUT|FAIL: no longer seen"), std::string::npos)
        << res.stale[0];
}

TEST(Compare, FlakyEntryRejectsAnOutcomeOutsideTheSet) {
    auto ref = make_run("linux", "x86_64", test_line("a.x", "PASS"));
    auto tgt = make_run("t", "x86_64", test_line("a.x", "CRASH", "SIGSEGV"));
    auto res = kcc::check(ref, tgt, kcc::parse_expectations("a.x FAIL|PASS races\n"));
    ASSERT_EQ(res.unexpected.size(), 1u);
    EXPECT_NE(
        res.unexpected[0].find("a.x: PASS on linux, CRASH on t (expect line 1 says FAIL|PASS)"),
        std::string::npos)
        << res.unexpected[0];
    ASSERT_EQ(res.stale.size(), 1u);  // and the entry did not hold in this run
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

// SPDX-License-Identifier: MIT
// The comparison tool's logic: matrix, expectation files and --check; the
// report formats (text, summary, Markdown, HTML, JUnit, KCIDB); and
// kconform-compare's command line on good and bad input.
#include "compare.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "process.hpp"

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
        text +=
            "{\"type\":\"summary\",\"passed\":0,\"failed\":0,\"skipped\":0,\"timeouts\":0,"
            "\"crashes\":0}\n";
    r.file = kcr::parse_run(text);
    return r;
}

// The verdicts runs of a PSE profile recorded: per run and profile, in text,
// Markdown and HTML; none when no run has them.
TEST(Compare, ReportsShowEachRunsVerdicts) {
    auto ref = make_run("linux", "x86_64", test_line("a.b", "PASS"));
    auto tgt = make_run("rtos", "x86_64", test_line("a.b", "FAIL", "m"));
    auto plain = [](std::ostream& os, const std::vector<kcc::Run>& runs, kcc::Format f) {
        kcc::write_report(os, runs, f);
    };
    std::ostringstream none;
    plain(none, {ref, tgt}, kcc::Format::Text);
    EXPECT_EQ(none.str().find("verdict"), std::string::npos);
    ref.file.verdicts.push_back({"PSE51", true, {}, 0, {}});
    tgt.file.verdicts.push_back({"PSE51", false, {"mq_open"}, 2, {"a.b"}});
    std::ostringstream text, md, html;
    plain(text, {ref, tgt}, kcc::Format::Text);
    EXPECT_NE(text.str().find("linux           PSE51: conforms\n"), std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find("rtos            PSE51: does not conform: 1 required interface "
                              "missing (mq_open), 2 failing (a.b, and 1 more)\n"),
              std::string::npos)
        << text.str();
    plain(md, {ref, tgt}, kcc::Format::Markdown);
    EXPECT_NE(md.str().find("| rtos | does not conform: 1 required interface missing (mq_open), "
                            "2 failing (a.b, and 1 more) | not run | not run | not run |"),
              std::string::npos)
        << md.str();
    plain(html, {ref, tgt}, kcc::Format::Html);
    EXPECT_NE(html.str().find("<table id=\"verdicts\">"), std::string::npos);
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
    auto ref =
        make_run("linux", "x86_64", test_line("dup2.x", "PASS") + test_line("dup3.y", "PASS"));
    auto tgt = make_run("t", "aarch64",
                        test_line("dup2.x", "SKIP", "no dup2 system call on aarch64") +
                            test_line("dup3.y", "SKIP", "no dup2 system call on riscv64"));
    auto res = kcc::check(ref, tgt, {});
    ASSERT_EQ(res.unexpected.size(), 1u);  // only the SKIP naming another arch counts
    EXPECT_NE(res.unexpected[0].find("dup3.y"), std::string::npos);
}

TEST(Compare, ReportsRenderEveryFormat) {
    auto ref = make_run("linux", "x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS"));
    auto tgt = make_run("t<1>", "x86_64",
                        test_line("a.x", "FAIL", "got \\\"<x>\\\"") + test_line("b.y", "PASS"));
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

// --- n/a, --summary, expectations in reports, JUnit, KCIDB (issue 17) ---

namespace {

kcc::Expectations expectations(const std::string& text, const std::string& source = "t.txt") {
    return {source, kcc::parse_expectations(text)};
}

kcc::ReportOptions options(kcc::Format f, std::vector<kcc::Expectations> ex = {}) {
    kcc::ReportOptions o;
    o.format = f;
    o.expect = std::move(ex);
    return o;
}

std::string report(const std::vector<kcc::Run>& runs, const kcc::ReportOptions& o) {
    std::ostringstream os;
    kcc::write_report(os, runs, o);
    return os.str();
}

bool has(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

// native x86_64; "arm" (aarch64) has no alarm; "t" fails a.x and dup.y.
struct Three {
    kcc::Run ref = make_run(
        "native", "x86_64",
        test_line("a.x", "PASS") + test_line("alarm.z", "PASS") + test_line("dup.y", "PASS"));
    kcc::Run arm = make_run("arm", "aarch64",
                            test_line("a.x", "PASS") +
                                test_line("alarm.z", "SKIP", "no alarm system call on aarch64") +
                                test_line("dup.y", "PASS"));
    kcc::Run t = make_run("t", "x86_64",
                          test_line("a.x", "FAIL", "known one") + test_line("alarm.z", "PASS") +
                              test_line("dup.y", "FAIL", "new one"));
};

}  // namespace

TEST(Compare, NotOnArchSkipsAreNaNotDivergences) {
    Three r;
    auto rows = kcc::build_matrix({r.ref, r.arm});
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(rows[1].not_on_arch[1]);
    EXPECT_FALSE(rows[1].not_on_arch[0]);
    // Only the harness's text with the run's own architecture counts.
    EXPECT_TRUE(kcc::not_on_arch(Outcome::Skip, "no alarm system call on aarch64", "aarch64"));
    EXPECT_FALSE(kcc::not_on_arch(Outcome::Skip, "no alarm system call on riscv64", "aarch64"));
    EXPECT_FALSE(kcc::not_on_arch(Outcome::Fail, "no alarm system call on aarch64", "aarch64"));
    EXPECT_FALSE(kcc::not_on_arch(Outcome::Skip, "needs root", "aarch64"));

    auto text = report({r.ref, r.arm}, options(kcc::Format::Text));
    EXPECT_TRUE(has(text, "== arm: 0 divergences from native ==")) << text;
    EXPECT_TRUE(has(text, "n/a: 1 tests of system calls aarch64 does not have")) << text;
    EXPECT_FALSE(has(text, "PASS -> SKIP"));
    // n/a is its own column and leaves the score alone: 2 of 2 applicable.
    EXPECT_TRUE(has(text, "      0     1       0      0       0   100.0%")) << text;

    auto o = options(kcc::Format::Text);
    o.summary = true;
    auto summary = report({r.ref, r.arm}, o);
    EXPECT_TRUE(has(summary, "  alarm            1/1         n/a\n")) << summary;
    EXPECT_TRUE(has(summary, "== arm vs native: 0 new, 0 known, 1 n/a")) << summary;

    auto html = report({r.ref, r.arm}, options(kcc::Format::Html));
    EXPECT_TRUE(has(html, "<td class=\"NA\" title=\"no alarm system call on aarch64\">n/a</td>"));
    EXPECT_FALSE(has(html, " div\""));  // nothing outlined as diverging
    EXPECT_TRUE(has(html, "<td class=\"h na\" data-group=\"alarm\" data-run=\"1\""));
    EXPECT_FALSE(has(html, "<details open"));

    auto md = report({r.ref, r.arm}, options(kcc::Format::Markdown));
    EXPECT_TRUE(has(md, "## arm: divergences from native\n\nNone.")) << md;
}

TEST(Compare, SummaryCountsGroupsAndListsOnlyNewDivergences) {
    Three r;
    auto o = options(kcc::Format::Text, {{}, {}, expectations("a.x FAIL known on t\n")});
    o.summary = true;
    auto s = report({r.ref, r.arm, r.t}, o);
    // Per group: passed/applicable, !N for N new divergences, n/a.
    EXPECT_TRUE(has(s, "  a                1/1         1/1         0/1\n")) << s;
    EXPECT_TRUE(has(s, "  dup              1/1         1/1      0/1 !1\n")) << s;
    EXPECT_TRUE(has(s, "  alarm            1/1         n/a         1/1\n")) << s;
    EXPECT_TRUE(has(s, "== t vs native: 1 new, 1 known, 0 n/a (expectations: t.txt) ==")) << s;
    EXPECT_TRUE(has(s, "    dup.y: new one\n"));
    EXPECT_FALSE(has(s, "a.x: known one"));  // known: counted, not listed
    EXPECT_TRUE(has(s, "== arm vs native: 0 new, 0 known, 1 n/a (no expectation file) =="));
    EXPECT_TRUE(has(s, "(--full lists every divergence)"));
}

TEST(Compare, FullListingMarksKnownDivergences) {
    Three r;
    auto o = options(kcc::Format::Text, {{}, expectations("a.x FAIL known on t\n")});
    auto s = report({r.ref, r.t}, o);
    EXPECT_TRUE(has(s, "== t: 2 divergences from native (1 new, 1 known: t.txt) ==")) << s;
    EXPECT_TRUE(has(s, "    a.x: known one [known]\n")) << s;
    EXPECT_TRUE(has(s, "    dup.y: new one\n")) << s;
    auto html = report({r.ref, r.t}, options(kcc::Format::Html, o.expect));
    EXPECT_TRUE(has(html, "class=\"FAIL known\" title=\"known divergence (t.txt:1): known on t"));
    EXPECT_TRUE(has(html, "class=\"FAIL div\" title=\"new one\""));
}

TEST(Compare, HtmlOpensWithHeatMapsAndDrillsDown) {
    Three r;
    auto html = report({r.ref, r.arm, r.t}, options(kcc::Format::Html));
    size_t summary = html.find("<section id=\"summary\">"), heat = html.find("id=\"heat-syscall\""),
           tests = html.find("<details");
    ASSERT_NE(summary, std::string::npos);
    EXPECT_LT(summary, heat);
    EXPECT_LT(heat, tests);
    EXPECT_LT(html.find("id=\"profiles\""), tests);
    // A group's cell per run; the script opens the group a cell names.
    EXPECT_TRUE(has(html, "<td class=\"h hd\" data-group=\"dup\" data-run=\"2\""));
    EXPECT_TRUE(has(html, "id=\"g-dup\""));
    EXPECT_TRUE(has(html, "d.dataset.group === c.dataset.group"));
    // No source files in these runs: no area map, and it says why.
    EXPECT_TRUE(has(html, "<p id=\"heat-area\">Not available"));
    // With them, one row per folder of tests.
    auto with_files = [](kcc::Run run) {
        for (auto& t : run.file.tests) t.file = "tests/" + t.group.substr(0, 1) + "x/f.cpp";
        return run;
    };
    auto areas = report({with_files(r.ref), with_files(r.t)}, options(kcc::Format::Html));
    EXPECT_TRUE(has(areas, "<table id=\"heat-area\" class=\"heat\">"));
    EXPECT_TRUE(has(areas, "<tr><th>dx</th><td class=\"h\" data-area=\"dx\" data-run=\"0\""));
    EXPECT_TRUE(has(areas, "data-group=\"dup\" data-area=\"dx\""));
}

TEST(Compare, JunitDescribesARunOnItsOwn) {
    auto run =
        make_run("t<&>", "x86_64",
                 test_line("pipe2.ok", "PASS") + test_line("pipe2.bad/len=0", "FAIL", "a\\nb") +
                     test_line("pipe2.slow", "TIMEOUT", "no result") +
                     test_line("dup.crash", "CRASH", "SIGSEGV") +
                     test_line("dup.skip", "SKIP", "needs \\\"root\\\""));
    auto x = report({run}, options(kcc::Format::Junit));
    EXPECT_TRUE(has(x,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kconform "
                    "t&lt;&amp;&gt;\" tests=\"5\" failures=\"3\" errors=\"0\""))
        << x;
    EXPECT_TRUE(has(x,
                    "<testsuite name=\"pipe2\" tests=\"3\" failures=\"2\" errors=\"0\" "
                    "skipped=\"0\""));
    EXPECT_LT(x.find("name=\"pipe2\""), x.find("name=\"dup\""));  // the run's order
    EXPECT_TRUE(has(x, "<testcase classname=\"pipe2\" name=\"ok\" time=\"0.000001\"/>"));
    EXPECT_TRUE(has(x, "<testcase classname=\"pipe2\" name=\"bad/len=0\""));
    EXPECT_TRUE(has(x, "<failure type=\"FAIL\" message=\"a | b\">a\nb</failure>")) << x;
    EXPECT_TRUE(has(x, "<failure type=\"TIMEOUT\" message=\"no result\">"));
    EXPECT_TRUE(has(x, "<failure type=\"CRASH\" message=\"SIGSEGV\">"));
    EXPECT_TRUE(has(x, "<skipped message=\"needs &quot;root&quot;\"/>"));
    EXPECT_TRUE(has(x, "<property name=\"arch\" value=\"x86_64\"/>"));
    EXPECT_TRUE(has(x, "<property name=\"target\" value=\"t&lt;&amp;&gt;\"/>"));
    EXPECT_FALSE(has(x, "run_complete"));
}

TEST(Compare, JunitKnownDivergencesAreSkippedSoOnlyNewOnesFail) {
    Three r;
    auto ex = expectations("a.x FAIL known on t\nalarm.z FAIL fixed since\n");
    // Against the reference: a.x known, dup.y new, alarm.z's entry stale.
    auto x = report({r.ref, r.t}, options(kcc::Format::Junit, {{}, ex}));
    EXPECT_TRUE(has(x, "failures=\"1\"")) << x;
    EXPECT_TRUE(has(x,
                    "<skipped message=\"known divergence FAIL (PASS on native; t.txt:1): "
                    "known on t\">known one</skipped>"))
        << x;
    EXPECT_TRUE(has(x, "<failure type=\"FAIL\" message=\"FAIL (PASS on native): new one\">"));
    EXPECT_TRUE(has(x,
                    "<system-out>t.txt:2 expects FAIL, not seen in this run: the entry is "
                    "stale (fixed since)</system-out>"));
    EXPECT_TRUE(has(x, "<property name=\"expect\" value=\"t.txt\"/>"));
    EXPECT_TRUE(has(x, "<property name=\"reference\" value=\"native (x86_64"));
    // The run alone: the same entry explains a.x; dup.y fails on its own.
    auto alone = report({r.t}, options(kcc::Format::Junit, {ex}));
    EXPECT_TRUE(has(alone, "<skipped message=\"known divergence FAIL (t.txt:1): known on t\">"));
    EXPECT_TRUE(has(alone, "<failure type=\"FAIL\" message=\"new one\">"));
    // n/a is skipped; a test the run never reported is a MISSING failure.
    auto died = make_run("arm", "aarch64",
                         test_line("alarm.z", "SKIP", "no alarm system call on aarch64"), false);
    auto y = report({r.ref, died}, options(kcc::Format::Junit));
    EXPECT_TRUE(has(y, "<skipped message=\"n/a: no alarm system call on aarch64\"/>")) << y;
    EXPECT_TRUE(has(y, "<failure type=\"MISSING\" message=\"MISSING (PASS on native)\">"));
    EXPECT_TRUE(has(y,
                    "<error type=\"INCOMPLETE\" message=\"the run did not complete: no "
                    "summary line\"/>"));
    EXPECT_TRUE(has(y,
                    "<testsuites name=\"kconform arm vs native\" tests=\"4\" failures=\"2\" "
                    "errors=\"1\""))
        << y;
    EXPECT_THROW(report({r.ref, r.arm, r.t}, options(kcc::Format::Junit)), kcr::ParseError);
}

TEST(Compare, JunitKeepsOnlyCharactersXmlAllows) {
    auto run = make_run("t", "x86_64", test_line("a.x", "FAIL", "x\\u0001y"));
    run.file.tests[0].message += "\xff\xc3";  // broken UTF-8 from a target
    auto x = report({run}, options(kcc::Format::Junit));
    EXPECT_TRUE(has(x, "message=\"x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd\"")) << x;
}

TEST(Compare, KcidbMapsOutcomesToStatuses) {
    Three r;
    auto run = make_run("t", "x86_64",
                        test_line("a.x", "PASS") + test_line("a.slow", "TIMEOUT", "no result") +
                            test_line("b.crash", "CRASH", "SIGSEGV") +
                            test_line("read.bad/fd=-1", "SKIP", "why"));
    auto j = report({run}, options(kcc::Format::Kcidb));
    EXPECT_TRUE(
        has(j, "{\"version\":{\"major\":4,\"minor\":2},\n\"checkouts\":[{\"id\":\"kconform:"));
    EXPECT_TRUE(has(j, "\"builds\":[{\"id\":\"kconform:"));
    EXPECT_TRUE(has(j, "\"architecture\":\"x86_64\""));
    EXPECT_TRUE(has(j, "\"path\":\"kconform.a.x\",\"comment\":\"a.x\",\"status\":\"PASS\""));
    EXPECT_TRUE(has(j,
                    "\"status\":\"FAIL\",\"duration\":0.000001,\"log_excerpt\":\"TIMEOUT: no "
                    "result\""));
    EXPECT_TRUE(has(j, "\"log_excerpt\":\"CRASH: SIGSEGV\""));
    EXPECT_TRUE(has(j, "\"path\":\"kconform.read.bad.fd_-1\""));
    EXPECT_TRUE(has(j, "\"kconform_outcome\":\"TIMEOUT\""));
    // The suite node: the worst status of its tests.
    EXPECT_TRUE(has(j, "\"path\":\"kconform\",\"comment\":\"kconform on t\",\"status\":\"FAIL\""));
    // Same input, same IDs.
    EXPECT_EQ(j, report({run}, options(kcc::Format::Kcidb)));

    // Against a reference: known divergences waived, unreported tests MISS.
    auto died = make_run("t", "x86_64", test_line("a.x", "FAIL", "known one"), false);
    auto w = report({r.ref, died}, options(kcc::Format::Kcidb, {{}, expectations("a.x FAIL k\n")}));
    EXPECT_TRUE(has(w, "\"status\":\"FAIL\",\"waived\":true")) << w;
    EXPECT_TRUE(has(w, "\"expect\":\"t.txt:1: k\""));
    EXPECT_TRUE(has(w,
                    "\"status\":\"MISS\",\"log_excerpt\":\"not reported: the run ended before "
                    "this test\""));
    EXPECT_TRUE(has(w, "\"reference_outcome\":\"PASS\""));
    // Waived FAIL does not count; MISS does; the incomplete run is at least ERROR.
    EXPECT_TRUE(
        has(w, "\"path\":\"kconform\",\"comment\":\"kconform on t\",\"status\":\"ERROR\","));
    EXPECT_TRUE(has(w, "\"log_excerpt\":\"the run did not complete: no summary line\""));
}

TEST(Compare, KcidbOriginAndBuildId) {
    auto run = make_run("t", "x86_64", test_line("a.x", "PASS"));
    auto o = options(kcc::Format::Kcidb);
    o.origin = "my_lab";
    o.build_id = "maestro:42";
    auto j = report({run}, o);
    EXPECT_FALSE(has(j, "\"checkouts\""));
    EXPECT_FALSE(has(j, "\"builds\""));
    EXPECT_TRUE(has(j, "{\"id\":\"my_lab:")) << j;
    EXPECT_TRUE(has(j, "\"build_id\":\"maestro:42\",\"origin\":\"my_lab\""));
    for (auto [origin, build] : {std::pair{"My-Lab", ""}, {"ok", "no_colon"}, {"ok", "Bad:1"}}) {
        o.origin = origin;
        o.build_id = build;
        EXPECT_THROW(report({run}, o), kcr::ParseError) << origin << " " << build;
    }
}

// The command line: formats, options and bad input, as a CI job meets them.
namespace {

struct Files {
    std::string dir;
    Files() {
        char tmpl[] = "/tmp/kc-compare.XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~Files() { std::filesystem::remove_all(dir); }
    std::string put(const std::string& name, const std::string& text) {
        std::ofstream(dir + "/" + name) << text;
        return dir + "/" + name;
    }
};

std::string run_text(const std::string& arch, const std::string& tests) {
    return "{\"type\":\"run\",\"arch\":\"" + arch + "\"}\n" + tests +
           "{\"type\":\"summary\",\"passed\":0,\"failed\":0,\"skipped\":0,\"timeouts\":0,"
           "\"crashes\":0}\n";
}

ProcessResult compare(std::vector<std::string> args) {
    args.insert(args.begin(), KC_COMPARE);
    return run_process(args);
}

}  // namespace

TEST(CompareCli, NewFormatsAndOptions) {
    Files f;
    auto ref = f.put("native.jsonl",
                     run_text("x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS")));
    auto t1 = f.put("t1.jsonl",
                    run_text("x86_64", test_line("a.x", "FAIL", "m") + test_line("b.y", "PASS")));
    auto t2 =
        f.put("t2.jsonl", run_text("x86_64", test_line("a.x", "PASS") + test_line("b.y", "PASS")));
    std::filesystem::create_directory(f.dir + "/expect");
    f.put("expect/t1.txt", "a.x FAIL known\n");

    auto junit = compare({"--format=junit", t1});
    EXPECT_EQ(junit.exit_code, 0);  // failures are in the XML, not the status
    EXPECT_TRUE(has(junit.out, "<failure type=\"FAIL\" message=\"m\">"));
    auto known = compare({"--format=junit", "--expect-dir=" + f.dir + "/expect", ref, t1});
    EXPECT_TRUE(has(known.out, "failures=\"0\"")) << known.out;
    auto kcidb = compare({"--format=kcidb", "--origin=lab1", "--out=" + f.dir + "/k.json", t1});
    EXPECT_EQ(kcidb.exit_code, 0);
    std::ifstream k(f.dir + "/k.json");
    std::string first;
    std::getline(k, first);
    EXPECT_EQ(first, "{\"version\":{\"major\":4,\"minor\":2},");

    // More than one target: the summary by default, the whole list on request.
    auto summary = compare({"--expect-dir=" + f.dir + "/expect", ref, t1, t2});
    EXPECT_TRUE(has(summary.out, "per system call")) << summary.out;
    EXPECT_TRUE(has(summary.out, "== t1 vs native: 0 new, 1 known, 0 n/a"));
    auto full = compare({"--full", ref, t1, t2});
    EXPECT_FALSE(has(full.out, "per system call"));
    EXPECT_TRUE(has(full.out, "== t1: 1 divergences from native =="));
    // One target: the whole list by default, the summary on request.
    EXPECT_FALSE(has(compare({ref, t1}).out, "per system call"));
    EXPECT_TRUE(has(compare({"--summary", ref, t1}).out, "per system call"));
    EXPECT_TRUE(has(compare({"--summary", "--expect=" + f.dir + "/expect/t1.txt", ref, t1}).out,
                    "0 new, 1 known"));
}

TEST(CompareCli, BadInputIsAClearErrorAndExitTwo) {
    Files f;
    auto ref = f.put("native.jsonl", run_text("x86_64", test_line("a.x", "PASS")));
    auto t = f.put("t.jsonl", run_text("x86_64", test_line("a.x", "PASS")));
    auto broken = f.put("broken.jsonl", "{\"type\":\"run\",\"arch\":\"x86_64\"}\n{\"type\":\"te");
    auto not_jsonl = f.put("notes.jsonl", "hello\n");
    auto bad_expect = f.put("bad.txt", "a.x MAYBE why\n");
    struct Case {
        std::vector<std::string> args;
        std::string says;
    } cases[] = {
        {{"--format=junit", broken}, "broken.jsonl: line 2: unterminated string"},
        {{"--format=kcidb", not_jsonl}, "notes.jsonl: line 1: not a JSON object"},
        {{"--format=junit", f.dir + "/none.jsonl"}, "none.jsonl: cannot read"},
        {{ref, f.dir + "/none.jsonl"}, "none.jsonl: cannot read"},
        {{"--format=junit", "--expect=" + f.dir + "/none.txt", t}, "none.txt: cannot read"},
        {{"--format=junit", "--expect=" + bad_expect, t},
         "bad.txt: line 1: unknown outcome 'MAYBE'"},
        {{"--check", "--expect=" + bad_expect, ref, t}, "bad.txt: line 1: unknown outcome"},
        {{"--format=kcidb", "--origin=Bad Origin", t}, "a KCIDB origin is lower-case letters"},
        {{"--format=kcidb", "--build-id=12", t}, "a KCIDB ID is ORIGIN:ID"},
        {{"--format=junit", ref, t, t}, "--format=junit takes RUN or REF RUN"},
        {{"--format=xml", t}, "unknown format 'xml'"},
        {{"--format=html", "--summary", ref, t}, "--summary and --full apply to --format=text"},
        {{"--summary", "--full", ref, t}, "exclude each other"},
        {{"--origin=x", ref, t}, "--origin and --build-id apply to --format=kcidb"},
        {{"--expect=" + bad_expect, ref, t, t}, "--expect=FILE is for one target run"},
        {{"--expect-dir=" + ref, ref, t}, "is not a directory"},
        {{"--format=junit"}, "no result files given"},
    };
    for (auto& c : cases) {
        auto p = compare(c.args);
        std::string args;
        for (auto& a : c.args) args += a + " ";
        EXPECT_EQ(p.exit_code, 2) << args;
        EXPECT_TRUE(has(p.err, c.says)) << args << "\n" << p.err;
        EXPECT_TRUE(p.out.empty()) << args;
    }
    // An --out file is not left half-written by a report that fails.
    auto out = f.dir + "/report.json";
    EXPECT_EQ(compare({"--format=kcidb", "--origin=Bad", "--out=" + out, t}).exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(out));
}

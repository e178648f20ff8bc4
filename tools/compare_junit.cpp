// SPDX-License-Identifier: MIT
// kconform-compare's JUnit XML, the Ant/Jenkins format CI systems read (its
// structure: the schema in test/junit.xsd), for one run, judged on its own or
// against a reference. One testsuite per system call, a testcase per test ID
// (classname the group, name the rest of the ID).
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "compare_report.hpp"

namespace kcc::detail {

namespace {

// Text for an XML attribute or element, escaped; in an attribute, line
// breaks and tabs as character references (a parser turns them to spaces).
std::string xml(const std::string& s, bool attribute = true) {
    std::string o;
    for (char c : html_escape(clean_utf8(s, true))) {
        if (c == '\r' || (attribute && (c == '\n' || c == '\t')))
            o += "&#" + std::to_string(int(c)) + ";";
        else
            o += c;
    }
    return o;
}

struct Case {
    enum Kind { Pass, Skipped, Failure } kind = Pass;
    std::string type, message, body, out;
};

Case junit_case(const std::vector<Run>& runs, const Row& r, const Expectations* ex) {
    Case c;
    bool with_ref = runs.size() == 2;
    size_t t = runs.size() - 1;
    const auto& got = r.outcome[t];
    const std::string& msg = r.message[t];
    const Expectation* e = entry_for(ex, r.id);
    // An entry for a test that behaves as it should no longer holds.
    auto stale = [&](bool holds) {
        if (e && !holds)
            c.out = where(*ex, *e) + " expects " + e->outcome_text() +
                    ", not seen in this run: the entry is stale (" + e->reason + ")";
    };
    if (r.not_on_arch[t]) {
        c.kind = Case::Skipped;
        c.message = "n/a: " + msg;
        return c;
    }
    if (!with_ref) {  // the run alone: every test should pass
        if (got == Outcome::Pass) {
            stale(e && e->allows(got));
        } else if (e && e->allows(got)) {
            c.kind = Case::Skipped;
            c.message =
                "known divergence " + name_of(got) + " (" + where(*ex, *e) + "): " + e->reason;
            c.body = msg;
        } else if (got == Outcome::Skip) {
            c.kind = Case::Skipped;
            c.message = msg;
            stale(false);
        } else {
            c.kind = Case::Failure;
            c.type = name_of(got);
            c.message = msg.empty() ? c.type : one_line(msg);
            c.body = msg;
        }
        return c;
    }
    const auto& ref = r.outcome[0];
    const std::string vs = name_of(ref) + " on " + runs[0].label;
    auto j = judge(r, 1, ex);
    if (j.verdict == Verdict::Same) {
        if (got == Outcome::Skip || bad(got)) {
            c.kind = Case::Skipped;
            c.message = got == Outcome::Skip ? msg
                                             : name_of(got) + " on the reference " + runs[0].label +
                                                   " too, not a divergence: " + one_line(msg);
        }
        stale(e && e->flaky() && e->allows(got));  // as --check judges entries
    } else if (j.verdict == Verdict::Known) {
        c.kind = Case::Skipped;
        c.message = "known divergence " + name_of(got) + " (" + vs + "; " + where(*ex, *e) +
                    "): " + e->reason;
        c.body = msg;
    } else {
        c.kind = Case::Failure;
        c.type = name_of(got);
        c.message = c.type + " (" + vs + ")" + (msg.empty() ? "" : ": " + one_line(msg));
        c.body = name_of(got) + " on " + runs[1].label + ", " + vs + "\n" + msg;
        if (!got) c.body += "not reported: the run ended before this test";
        if (e) {
            // Not "\n" + where(...): GCC 12 at -O3 warns there (-Wrestrict, a
            // false positive: GCC bug 105329) once this file is on its own.
            c.body += "\n";
            c.body += where(*ex, *e) + " says " + e->outcome_text();
        }
    }
    return c;
}

std::vector<std::pair<std::string, std::string>> junit_properties(const std::vector<Run>& runs,
                                                                  const Expectations* ex) {
    const Run& run = runs.back();
    std::vector<std::pair<std::string, std::string>> p;
    for (auto& [k, v] : run.file.run)
        if (k != "type" && k.rfind("env.", 0) != 0) p.emplace_back(k, v);
    for (auto& [k, v] : run.file.target)
        if (k != "type") p.emplace_back(k == "target" ? k : "target." + k, v);
    if (run.file.target.empty()) p.emplace_back("target", run.label);
    if (runs.size() == 2)
        p.emplace_back("reference", runs[0].label + " (" + describe(runs[0]) + ")");
    if (ex) p.emplace_back("expect", ex->source);
    return p;
}

}  // namespace

void write_junit(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                 const ReportOptions& opts) {
    size_t t = runs.size() - 1;
    const Expectations* ex = expect_of(opts, t);
    auto props = junit_properties(runs, ex);
    std::string properties = "    <properties>\n";
    for (auto& [k, v] : props)
        properties += "      <property name=\"" + xml(k) + "\" value=\"" + xml(v) + "\"/>\n";
    properties += "    </properties>\n";
    struct Suite {
        long long tests = 0, failures = 0, skipped = 0, us = 0;
        std::string cases;
    };
    std::map<std::string, Suite> suites;
    long long tests = 0, failures = 0, errors = 0, us = 0;
    for (auto& r : rows) {
        Case c = junit_case(runs, r, ex);
        Suite& s = suites[r.group];
        long long d = r.outcome[t] ? r.duration_us[t] : 0;
        ++s.tests, s.us += d;
        s.failures += c.kind == Case::Failure;
        s.skipped += c.kind == Case::Skipped;
        s.cases += "    <testcase classname=\"" + xml(r.group) + "\" name=\"" + xml(r.name()) +
                   "\" time=\"" + seconds(d) + "\"";
        if (c.kind == Case::Pass && c.out.empty()) {
            s.cases += "/>\n";
            continue;
        }
        s.cases += ">\n";
        if (c.kind == Case::Failure)
            s.cases += "      <failure type=\"" + xml(c.type) + "\" message=\"" + xml(c.message) +
                       "\">" + xml(c.body, false) + "</failure>\n";
        if (c.kind == Case::Skipped) {
            s.cases += "      <skipped message=\"" + xml(c.message) + "\"";
            s.cases += c.body.empty() ? "/>\n" : ">" + xml(c.body, false) + "</skipped>\n";
        }
        if (!c.out.empty()) s.cases += "      <system-out>" + xml(c.out, false) + "</system-out>\n";
        s.cases += "    </testcase>\n";
    }
    for (auto& [g, s] : suites) tests += s.tests, failures += s.failures, us += s.us;
    std::string run_error;
    if (!complete(runs[t])) {  // a run that died: an error, whatever its tests say
        run_error = "the run did not complete: " + incomplete_reason(runs[t]);
        ++tests, ++errors;
    }
    std::string name = "kconform " + runs[t].label;
    if (runs.size() == 2) name += " vs " + runs[0].label;
    os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << xml(name)
       << "\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
       << "\" time=\"" << seconds(us) << "\">\n";
    // In the run's order of groups, not alphabetical.
    for (auto& g : groups_of(rows)) {
        auto& s = suites[g];
        os << "  <testsuite name=\"" << xml(g) << "\" tests=\"" << s.tests << "\" failures=\""
           << s.failures << "\" errors=\"0\" skipped=\"" << s.skipped << "\" time=\""
           << seconds(s.us) << "\">\n"
           << properties << s.cases << "  </testsuite>\n";
    }
    if (!run_error.empty())
        os << "  <testsuite name=\"kconform\" tests=\"1\" failures=\"0\" errors=\"1\" "
              "skipped=\"0\" time=\"0\">\n"
           << properties
           << "    <testcase classname=\"kconform\" name=\"run_complete\" time=\"0\">\n"
              "      <error type=\"INCOMPLETE\" message=\""
           << xml(run_error) << "\"/>\n    </testcase>\n  </testsuite>\n";
    os << "</testsuites>\n";
}

}  // namespace kcc::detail

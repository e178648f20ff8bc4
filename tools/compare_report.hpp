// SPDX-License-Identifier: MIT
// Inside kconform-compare: what the comparison (compare.cpp) and its report
// writers (compare_text.cpp, compare_html.cpp, compare_junit.cpp,
// compare_kcidb.cpp) share. Not an interface: tools and tests use compare.hpp.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "compare.hpp"

namespace kcc::detail {

using kcr::Outcome;

bool glob(const char* p, const char* s);
std::string name_of(const std::optional<Outcome>& o);
std::string field(const std::map<std::string, std::string>& m, const std::string& key,
                  const std::string& fallback = "?");
bool complete(const Run& r);
std::string incomplete_reason(const Run& r);

// Counts of one run over a set of rows. n/a (a system call the run's
// architecture does not have) is neither a skip nor part of the score.
struct Stats {
    long long pass = 0, fail = 0, skip = 0, na = 0, timeout = 0, crash = 0, missing = 0;
    long long ref_pass = 0, both_pass = 0;  // score: both_pass / ref_pass
    double score() const { return ref_pass ? 100.0 * double(both_pass) / double(ref_pass) : 100; }
    long long applicable() const { return pass + fail + skip + timeout + crash + missing; }
};

template <class Keep>
std::vector<Stats> stats_of(const std::vector<Row>& rows, size_t nruns, Keep keep) {
    std::vector<Stats> st(nruns);
    for (auto& r : rows) {
        if (!keep(r)) continue;
        bool ref_pass = r.outcome[0] == Outcome::Pass;
        for (size_t i = 0; i < nruns; ++i) {
            auto& s = st[i];
            auto& o = r.outcome[i];
            if (r.not_on_arch[i]) {
                ++s.na;
                continue;
            }
            if (!o)
                ++s.missing;
            else if (*o == Outcome::Pass)
                ++s.pass;
            else if (*o == Outcome::Fail)
                ++s.fail;
            else if (*o == Outcome::Skip)
                ++s.skip;
            else if (*o == Outcome::Timeout)
                ++s.timeout;
            else
                ++s.crash;
            if (ref_pass) {
                ++s.ref_pass;
                if (o == Outcome::Pass) ++s.both_pass;
            }
        }
    }
    return st;
}
std::vector<Stats> stats_of(const std::vector<Row>& rows, size_t nruns);

std::string pct(double v);
std::string seconds(long long us);
bool bad(const std::optional<Outcome>& o);
const Expectation* entry_for(const Expectations* ex, const std::string& id);
const Expectations* expect_of(const ReportOptions& o, size_t i);

// How run i's outcome of a row stands against the reference's (run 0).
enum class Verdict { Same, NotOnArch, Known, New };
struct Judgement {
    Verdict verdict = Verdict::Same;
    const Expectation* entry = nullptr;  // the first entry whose pattern matches the ID
};

Judgement judge(const Row& r, size_t i, const Expectations* ex);
std::string where(const Expectations& ex, const Expectation& e);

// Divergences of run i from the reference, grouped by "REF -> TARGET".
std::map<std::string, std::vector<const Row*>> divergences(const std::vector<Row>& rows, size_t i,
                                                           const Expectations* ex, bool new_only);

// Per group (or area) and run: passes out of the tests that apply.
struct Cell {
    long long pass = 0, total = 0, na = 0, fresh = 0, known = 0;  // total: n/a excluded
    std::string text() const {
        if (total == 0) return na ? "n/a" : "-";
        std::string s = std::to_string(pass) + "/" + std::to_string(total);
        if (fresh) s += " !" + std::to_string(fresh);
        return s;
    }
};

template <class KeyOf>
std::map<std::string, std::vector<Cell>> cells_by(const std::vector<Row>& rows,
                                                  const std::vector<Run>& runs,
                                                  const ReportOptions& opts, KeyOf key_of) {
    std::map<std::string, std::vector<Cell>> by;
    for (auto& r : rows) {
        auto& cells = by[key_of(r)];
        cells.resize(runs.size());
        for (size_t i = 0; i < runs.size(); ++i) {
            Cell& c = cells[i];
            if (r.not_on_arch[i]) {
                ++c.na;
                continue;
            }
            ++c.total;
            if (r.outcome[i] == Outcome::Pass) ++c.pass;
            if (i == 0) continue;
            auto v = judge(r, i, expect_of(opts, i)).verdict;
            if (v == Verdict::New) ++c.fresh;
            if (v == Verdict::Known) ++c.known;
        }
    }
    return by;
}

std::string html_escape(const std::string& s);
std::string one_line(const std::string& s);
// Valid UTF-8 with every ill-formed sequence replaced by U+FFFD: messages
// are the kernel's and the target's bytes, and XML and JSON readers reject
// what is not UTF-8. With xml set, also the code points XML 1.0 forbids.
std::string clean_utf8(const std::string& s, bool xml);

// "conforms", or "does not conform: N required interfaces missing (a, b),
// M failing (x.y, ...)", as kconform prints it.
std::string verdict_text(const kcr::ProfileVerdict& v);

inline constexpr const char* kProfiles[] = {"PSE51", "PSE52", "PSE53", "PSE54", "LINUX"};

std::vector<std::string> groups_of(const std::vector<Row>& rows);
std::string describe(const Run& r);

// The report writers: runs and rows as write_report has checked and built them.
// compare_text.cpp: every divergence (--full), --summary, Markdown.
void write_text(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                const ReportOptions& opts);
void write_summary(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                   const ReportOptions& opts);
void write_markdown(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                    const ReportOptions& opts);
// compare_html.cpp: heat maps first, drill-down by click.
void write_html(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                const ReportOptions& opts);
// compare_junit.cpp: JUnit XML for CI systems.
void write_junit(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                 const ReportOptions& opts);
// compare_kcidb.cpp: KCIDB JSON for KernelCI.
void write_kcidb(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                 const ReportOptions& opts);

}  // namespace kcc::detail

// SPDX-License-Identifier: MIT
// The comparison: the matrix of runs, expectation files and --check, and the
// helpers its report writers share (compare_report.hpp). The formats are in
// compare_text.cpp (text, --summary, Markdown), compare_html.cpp (heat maps
// first, drill-down by click), compare_junit.cpp (JUnit XML for CI systems)
// and compare_kcidb.cpp (KCIDB JSON for KernelCI).
#include "compare.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "compare_report.hpp"

namespace kcc {

using kcr::Outcome;

namespace detail {

bool glob(const char* p, const char* s) {
    const char *star = nullptr, *resume = nullptr;
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

std::string name_of(const std::optional<Outcome>& o) {
    return o ? std::string(kcr::outcome_name(*o)) : "MISSING";
}

std::string field(const std::map<std::string, std::string>& m, const std::string& key,
                  const std::string& fallback) {
    auto it = m.find(key);
    return it == m.end() || it->second.empty() ? fallback : it->second;
}

bool complete(const Run& r) {
    return r.file.target.empty() ? r.file.has_summary : field(r.file.target, "complete") == "true";
}

std::string incomplete_reason(const Run& r) {
    return field(r.file.target, "reason", "no summary line");
}

std::vector<Stats> stats_of(const std::vector<Row>& rows, size_t nruns) {
    return stats_of(rows, nruns, [](const Row&) { return true; });
}

std::string pct(double v) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << v << "%";
    return o.str();
}

std::string seconds(long long us) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(6) << double(us) / 1e6;
    return o.str();
}

bool bad(const std::optional<Outcome>& o) {
    return o && (*o == Outcome::Fail || *o == Outcome::Timeout || *o == Outcome::Crash);
}

const Expectation* entry_for(const Expectations* ex, const std::string& id) {
    if (!ex) return nullptr;
    for (auto& e : ex->entries)
        if (glob(e.pattern.c_str(), id.c_str())) return &e;
    return nullptr;
}

const Expectations* expect_of(const ReportOptions& o, size_t i) {
    return i < o.expect.size() && !o.expect[i].entries.empty() ? &o.expect[i] : nullptr;
}

Judgement judge(const Row& r, size_t i, const Expectations* ex) {
    Judgement j{Verdict::Same, entry_for(ex, r.id)};
    if (r.not_on_arch[i])
        j.verdict = Verdict::NotOnArch;
    else if (r.outcome[i] == r.outcome[0])
        j.verdict = Verdict::Same;
    else if (j.entry && j.entry->allows(r.outcome[i]))
        j.verdict = Verdict::Known;
    else
        j.verdict = Verdict::New;
    return j;
}

std::string where(const Expectations& ex, const Expectation& e) {
    return ex.source + ":" + std::to_string(e.line);
}

std::map<std::string, std::vector<const Row*>> divergences(const std::vector<Row>& rows, size_t i,
                                                           const Expectations* ex, bool new_only) {
    std::map<std::string, std::vector<const Row*>> by;
    for (auto& r : rows) {
        auto v = judge(r, i, ex).verdict;
        if (v == Verdict::New || (v == Verdict::Known && !new_only))
            by[name_of(r.outcome[0]) + " -> " + name_of(r.outcome[i])].push_back(&r);
    }
    return by;
}

std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&':
                o += "&amp;";
                break;
            case '<':
                o += "&lt;";
                break;
            case '>':
                o += "&gt;";
                break;
            case '"':
                o += "&quot;";
                break;
            case '\'':
                o += "&#39;";
                break;
            default:
                o += c;
        }
    }
    return o;
}

std::string one_line(const std::string& s) {
    std::string o = s;
    for (size_t p = 0; (p = o.find('\n', p)) != std::string::npos;) o.replace(p, 1, " | ");
    return o;
}

std::string clean_utf8(const std::string& s, bool xml) {
    static const char kReplacement[] = "\xef\xbf\xbd";
    std::string o;
    for (size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        size_t n = b < 0x80                ? 1
                   : b >= 0xc2 && b < 0xe0 ? 2
                   : b >= 0xe0 && b < 0xf0 ? 3
                   : b >= 0xf0 && b < 0xf5 ? 4
                                           : 0;
        uint32_t cp = n == 1 ? b : n == 2 ? b & 0x1f : n == 3 ? b & 0x0f : b & 0x07;
        bool ok = n && i + n <= s.size();
        for (size_t k = 1; ok && k < n; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            ok = (c & 0xc0) == 0x80;
            cp = cp << 6 | (c & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are ill-formed.
        ok = ok && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10ffff)) &&
             !(cp >= 0xd800 && cp <= 0xdfff);
        if (ok && xml)
            ok = cp >= 0x20 ? cp != 0xfffe && cp != 0xffff : cp == '\t' || cp == '\n' || cp == '\r';
        if (ok)
            o.append(s, i, n);
        else
            o += kReplacement;
        i += ok ? n : 1;
    }
    return o;
}

std::vector<std::string> groups_of(const std::vector<Row>& rows) {
    std::vector<std::string> g;
    std::set<std::string> seen;
    for (auto& r : rows)
        if (seen.insert(r.group).second) g.push_back(r.group);
    return g;
}

std::string describe(const Run& r) {
    std::string s = field(r.file.run, "arch") + ", " + field(r.file.run, "sysname") + " " +
                    field(r.file.run, "release") + ", isolation " + field(r.file.run, "isolation");
    if (!r.file.target.empty() && field(r.file.target, "complete") != "true")
        s += ", INCOMPLETE: " + field(r.file.target, "reason");
    else if (r.file.target.empty() && !r.file.has_summary)
        s += ", INCOMPLETE: no summary";
    return s;
}

std::string verdict_text(const kcr::ProfileVerdict& v) {
    std::string s = v.profile + ": ";
    if (v.conforms) return s + "conforms";
    auto list = [](const std::vector<std::string>& items) {
        std::string l;
        for (auto& i : items) l += (l.empty() ? " (" : ", ") + i;
        return l.empty() ? l : l + ")";
    };
    s += "does not conform: " + std::to_string(v.missing.size()) + " required interface" +
         (v.missing.size() == 1 ? "" : "s") + " missing" + list(v.missing) + ", " +
         std::to_string(v.failing) + " failing" + list(v.failing_tests);
    if (v.failing > (long long)v.failing_tests.size())
        s.insert(
            s.size() - 1,
            ", and " + std::to_string(v.failing - (long long)v.failing_tests.size()) + " more");
    return s;
}

}  // namespace detail

using namespace detail;

std::string Row::name() const {
    return id.size() > group.size() && id.compare(0, group.size(), group) == 0 &&
                   id[group.size()] == '.'
               ? id.substr(group.size() + 1)
               : id;
}

bool not_on_arch(const std::optional<Outcome>& o, const std::string& m, const std::string& arch) {
    if (o != Outcome::Skip) return false;
    const std::string tail = " system call on " + arch;
    return m.rfind("no ", 0) == 0 && m.size() >= tail.size() &&
           m.compare(m.size() - tail.size(), tail.size(), tail) == 0;
}

const kcr::TestResult* Run::find(const std::string& id) const {
    for (auto& t : file.tests)
        if (t.id == id) return &t;
    return nullptr;
}

Run load_run(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw kcr::ParseError(path + ": cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    Run r;
    try {
        r.file = kcr::parse_run(ss.str());
    } catch (const kcr::ParseError& e) {
        throw kcr::ParseError(path + ": " + e.what());
    }
    r.label = field(r.file.target, "target", std::filesystem::path(path).stem().string());
    return r;
}

std::vector<Row> build_matrix(const std::vector<Run>& runs) {
    std::vector<Row> rows;
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < runs.size(); ++i) {
        const std::string arch = field(runs[i].file.run, "arch");
        for (auto& t : runs[i].file.tests) {
            auto [it, fresh] = index.emplace(t.id, rows.size());
            if (fresh) {
                Row r{t.id, t.group, t.profile, t.category, {}, {}, {}, {}, {}};
                r.outcome.resize(runs.size());
                r.message.resize(runs.size());
                r.duration_us.resize(runs.size());
                r.not_on_arch.resize(runs.size());
                rows.push_back(std::move(r));
            }
            Row& r = rows[it->second];
            r.outcome[i] = t.outcome;
            r.message[i] = t.message;
            r.duration_us[i] = t.duration_us;
            r.not_on_arch[i] = not_on_arch(t.outcome, t.message, arch);
            // The area is the folder of the test's file: tests/pipe/pipe2.cpp.
            if (r.area.empty() && !t.file.empty())
                r.area = std::filesystem::path(t.file).parent_path().filename().string();
        }
    }
    return rows;
}

std::vector<Expectation> parse_expectations(const std::string& text) {
    std::vector<Expectation> out;
    std::istringstream in(text);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        std::istringstream ls(line);
        std::string pattern, outcome;
        if (!(ls >> pattern) || pattern[0] == '#') continue;
        auto where = "line " + std::to_string(n) + ": ";
        if (!(ls >> outcome)) throw kcr::ParseError(where + "no outcome after " + pattern);
        Expectation e;
        e.pattern = pattern;
        e.line = n;
        // OUTCOME or OUTCOME|OUTCOME...: each part a known name, none twice.
        for (size_t from = 0;;) {
            size_t bar = outcome.find('|', from);
            std::string part = outcome.substr(from, bar == std::string::npos ? bar : bar - from);
            std::optional<Outcome> o;
            if (part.empty())
                throw kcr::ParseError(where + "empty outcome in the set '" + outcome +
                                      "' (write e.g. FAIL|PASS)");
            if (part != "MISSING") {
                o = kcr::parse_outcome(part);
                if (!o) {
                    std::string msg = where + "unknown outcome '" + part + "'";
                    if (part != outcome) msg += " in the set '" + outcome + "'";
                    throw kcr::ParseError(msg);
                }
            }
            if (e.allows(o))
                throw kcr::ParseError(where + "outcome " + part + " twice in the set '" + outcome +
                                      "'");
            e.outcomes.push_back(o);
            if (bar == std::string::npos) break;
            from = bar + 1;
        }
        std::getline(ls >> std::ws, e.reason);
        if (e.reason.empty()) throw kcr::ParseError(where + "every entry needs a reason");
        out.push_back(std::move(e));
    }
    return out;
}

Expectations load_expectations(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw kcr::ParseError(path + ": cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return {path, parse_expectations(ss.str())};
    } catch (const kcr::ParseError& e) {
        throw kcr::ParseError(path + ": " + e.what());
    }
}

bool Expectation::allows(const std::optional<Outcome>& o) const {
    return std::find(outcomes.begin(), outcomes.end(), o) != outcomes.end();
}

std::string Expectation::outcome_text() const {
    std::string s;
    for (auto& o : outcomes) {
        if (!s.empty()) s += '|';
        s += name_of(o);
    }
    return s;
}

CheckResult check(const Run& reference, const Run& target, const std::vector<Expectation>& ex) {
    CheckResult res;
    std::vector<Row> rows = build_matrix({reference, target});
    std::vector<bool> used(ex.size());
    const bool other_arch = field(target.file.run, "arch") != field(reference.file.run, "arch");
    for (auto& r : rows) {
        const Expectation* e = nullptr;
        size_t k = 0;
        for (; k < ex.size(); ++k)
            if (glob(ex[k].pattern.c_str(), r.id.c_str())) {
                e = &ex[k];
                break;
            }
        auto& got = r.outcome[1];
        // A system call this architecture does not have: SKIP by design.
        if (other_arch && r.not_on_arch[1]) continue;
        // An entry holds while its outcome is seen as a divergence; a flaky
        // one (a set) also while the target happens to match the reference.
        if (e && e->allows(got) && (got != r.outcome[0] || e->flaky())) {
            used[k] = true;
        } else if (got != r.outcome[0]) {
            std::string s = r.id + ": " + name_of(r.outcome[0]) + " on " + reference.label + ", " +
                            name_of(got) + " on " + target.label;
            if (e)
                s +=
                    " (expect line " + std::to_string(e->line) + " says " + e->outcome_text() + ")";
            if (!r.message[1].empty()) s += ": " + one_line(r.message[1]);
            res.unexpected.push_back(s);
        }
    }
    for (size_t k = 0; k < ex.size(); ++k)
        if (!used[k])
            res.stale.push_back("line " + std::to_string(ex[k].line) + ": " + ex[k].pattern + " " +
                                ex[k].outcome_text() + ": no longer seen (" + ex[k].reason + ")");
    if (!complete(target))
        res.unexpected.insert(
            res.unexpected.begin(),
            target.label + ": the run did not complete: " + incomplete_reason(target));
    return res;
}

void write_report(std::ostream& os, const std::vector<Run>& runs, const ReportOptions& opts) {
    if (runs.empty()) throw kcr::ParseError("no result files given");
    std::vector<Row> rows = build_matrix(runs);
    bool one_run = opts.format == Format::Junit || opts.format == Format::Kcidb;
    if (one_run && runs.size() > 2)
        throw kcr::ParseError("JUnit and KCIDB describe one run: give RUN or REF RUN");
    switch (opts.format) {
        case Format::Text:
            if (opts.summary)
                write_summary(os, runs, rows, opts);
            else
                write_text(os, runs, rows, opts);
            break;
        case Format::Markdown:
            write_markdown(os, runs, rows, opts);
            break;
        case Format::Html:
            write_html(os, runs, rows, opts);
            break;
        case Format::Junit:
            write_junit(os, runs, rows, opts);
            break;
        case Format::Kcidb:
            write_kcidb(os, runs, rows, opts);
            break;
    }
}

}  // namespace kcc

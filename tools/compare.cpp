#include "compare.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

namespace kcc {

using kcr::Outcome;

namespace {

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
                  const std::string& fallback = "?") {
    auto it = m.find(key);
    return it == m.end() || it->second.empty() ? fallback : it->second;
}

struct Stats {
    long long pass = 0, fail = 0, skip = 0, timeout = 0, crash = 0, missing = 0;
    long long ref_pass = 0, both_pass = 0;  // score: both_pass / ref_pass
    double score() const { return ref_pass ? 100.0 * double(both_pass) / double(ref_pass) : 100; }
};

std::vector<Stats> stats_of(const std::vector<Row>& rows, size_t nruns,
                            const std::string& profile = "", const std::string& group = "") {
    std::vector<Stats> st(nruns);
    for (auto& r : rows) {
        if (!profile.empty() && r.profile != profile) continue;
        if (!group.empty() && r.group != group) continue;
        bool ref_pass = r.outcome[0] == Outcome::Pass;
        for (size_t i = 0; i < nruns; ++i) {
            auto& s = st[i];
            auto& o = r.outcome[i];
            if (!o) ++s.missing;
            else if (*o == Outcome::Pass) ++s.pass;
            else if (*o == Outcome::Fail) ++s.fail;
            else if (*o == Outcome::Skip) ++s.skip;
            else if (*o == Outcome::Timeout) ++s.timeout;
            else ++s.crash;
            if (ref_pass) {
                ++s.ref_pass;
                if (o == Outcome::Pass) ++s.both_pass;
            }
        }
    }
    return st;
}

std::string pct(double v) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << v << "%";
    return o.str();
}

bool bad(const std::optional<Outcome>& o) {
    return o && (*o == Outcome::Fail || *o == Outcome::Timeout || *o == Outcome::Crash);
}

// Divergences of run i from the reference, grouped by "REF -> TARGET".
std::map<std::string, std::vector<const Row*>> divergences(const std::vector<Row>& rows,
                                                           size_t i) {
    std::map<std::string, std::vector<const Row*>> by;
    for (auto& r : rows)
        if (r.outcome[i] != r.outcome[0])
            by[name_of(r.outcome[0]) + " -> " + name_of(r.outcome[i])].push_back(&r);
    return by;
}

std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            case '\'': o += "&#39;"; break;
            default: o += c;
        }
    }
    return o;
}

std::string md_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '|') o += "\\|";
        else if (c == '\n') o += "<br>";
        else o += c;
    }
    return o;
}

std::string one_line(const std::string& s) {
    std::string o = s;
    for (size_t p = 0; (p = o.find('\n', p)) != std::string::npos;) o.replace(p, 1, " | ");
    return o;
}

const char* const kProfiles[] = {"PSE51", "PSE52", "PSE53", "LINUX"};

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

void write_text(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows) {
    auto st = stats_of(rows, runs.size());
    os << "kconform comparison: reference " << runs[0].label << " (" << describe(runs[0]) << ")\n\n";
    os << std::left << std::setw(16) << "run" << std::right << std::setw(7) << "pass"
       << std::setw(7) << "fail" << std::setw(7) << "skip" << std::setw(8) << "timeout"
       << std::setw(7) << "crash" << std::setw(8) << "missing" << std::setw(9) << "score"
       << "  about\n";
    for (size_t i = 0; i < runs.size(); ++i) {
        auto& s = st[i];
        os << std::left << std::setw(16) << runs[i].label << std::right << std::setw(7) << s.pass
           << std::setw(7) << s.fail << std::setw(7) << s.skip << std::setw(8) << s.timeout
           << std::setw(7) << s.crash << std::setw(8) << s.missing << std::setw(9)
           << pct(s.score()) << "  " << describe(runs[i]) << "\n";
    }
    os << "\nscore: share of the tests passing on the reference that pass on the run\n";
    os << "\nper profile (passed/total):\n";
    for (auto p : kProfiles) {
        auto ps = stats_of(rows, runs.size(), p);
        os << "  " << std::left << std::setw(8) << p;
        for (size_t i = 0; i < runs.size(); ++i)
            os << "  " << runs[i].label << " " << ps[i].pass << "/" << (ps[i].pass + ps[i].fail + ps[i].skip + ps[i].timeout + ps[i].crash + ps[i].missing);
        os << "\n";
    }
    os << "\nfailing on the reference (a suite bug or oracle drift):";
    bool any = false;
    for (auto& r : rows)
        if (bad(r.outcome[0])) {
            os << "\n  " << r.id << " " << name_of(r.outcome[0]) << ": " << one_line(r.message[0]);
            any = true;
        }
    os << (any ? "\n" : " none\n");
    for (size_t i = 1; i < runs.size(); ++i) {
        auto d = divergences(rows, i);
        size_t n = 0;
        for (auto& [k, v] : d) n += v.size();
        os << "\n== " << runs[i].label << ": " << n << " divergences from " << runs[0].label
           << " ==\n";
        for (auto& [k, v] : d) {
            os << "  " << k << " (" << v.size() << ")\n";
            for (auto* r : v) {
                os << "    " << r->id;
                if (!r->message[i].empty()) os << ": " << one_line(r->message[i]);
                os << "\n";
            }
        }
    }
}

void write_markdown(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows) {
    auto st = stats_of(rows, runs.size());
    os << "# kconform conformance report\n\nReference: **" << runs[0].label << "** ("
       << md_escape(describe(runs[0])) << ")\n\n";
    os << "| run | score | pass | fail | skip | timeout | crash | missing | about |\n"
       << "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (size_t i = 0; i < runs.size(); ++i) {
        auto& s = st[i];
        os << "| " << runs[i].label << " | " << pct(s.score()) << " | " << s.pass << " | "
           << s.fail << " | " << s.skip << " | " << s.timeout << " | " << s.crash << " | "
           << s.missing << " | " << md_escape(describe(runs[i])) << " |\n";
    }
    os << "\n## Per profile (passed)\n\n| profile |";
    for (auto& r : runs) os << " " << r.label << " |";
    os << "\n|---|";
    for (size_t i = 0; i < runs.size(); ++i) os << "---:|";
    os << "\n";
    for (auto p : kProfiles) {
        auto ps = stats_of(rows, runs.size(), p);
        os << "| " << p << " |";
        for (size_t i = 0; i < runs.size(); ++i) os << " " << ps[i].pass << " |";
        os << "\n";
    }
    os << "\n## Failing on the reference\n\n";
    bool any = false;
    for (auto& r : rows)
        if (bad(r.outcome[0])) {
            os << "- `" << r.id << "` " << name_of(r.outcome[0]) << ": " << md_escape(r.message[0]) << "\n";
            any = true;
        }
    if (!any) os << "None.\n";
    for (size_t i = 1; i < runs.size(); ++i) {
        os << "\n## " << runs[i].label << ": divergences from " << runs[0].label << "\n\n";
        auto d = divergences(rows, i);
        if (d.empty()) {
            os << "None.\n";
            continue;
        }
        os << "| test | " << runs[0].label << " | " << runs[i].label << " | message |\n|---|---|---|---|\n";
        for (auto& [k, v] : d)
            for (auto* r : v)
                os << "| `" << r->id << "` | " << name_of(r->outcome[0]) << " | "
                   << name_of(r->outcome[i]) << " | " << md_escape(r->message[i]) << " |\n";
    }
}

void write_html(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows) {
    auto st = stats_of(rows, runs.size());
    os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>kconform conformance matrix</title>\n<style>\n"
          "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}\n"
          "table{border-collapse:collapse;margin:.5em 0}\n"
          "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}\n"
          "td.n{text-align:right}\n"
          "td.PASS{background:#c8f0c8}td.FAIL{background:#f4b4b4}td.SKIP{background:#eee;color:#666}\n"
          "td.TIMEOUT{background:#f7d58c}td.CRASH{background:#d9a0f0}td.MISSING{background:#999;color:#fff}\n"
          "td.div{outline:2px solid #c00;outline-offset:-2px}\n"
          "summary{cursor:pointer;padding:3px 0}summary .d{color:#c00;font-weight:bold}\n"
          "code{font-size:13px}.msg{display:block;font-size:12px;color:#444;white-space:pre-wrap}\n"
          "</style></head><body>\n<h1>kconform conformance matrix</h1>\n";
    os << "<p>Reference: <b>" << html_escape(runs[0].label) << "</b> ("
       << html_escape(describe(runs[0])) << "). A cell outlined in red differs from the "
       << "reference; hover a cell for the failure message.</p>\n";
    os << "<table id=\"scores\"><tr><th>run</th><th>score</th><th>pass</th><th>fail</th>"
          "<th>skip</th><th>timeout</th><th>crash</th><th>missing</th><th>about</th></tr>\n";
    for (size_t i = 0; i < runs.size(); ++i) {
        auto& s = st[i];
        os << "<tr><td>" << html_escape(runs[i].label) << "</td><td class=n>" << pct(s.score())
           << "</td><td class=n>" << s.pass << "</td><td class=n>" << s.fail
           << "</td><td class=n>" << s.skip << "</td><td class=n>" << s.timeout
           << "</td><td class=n>" << s.crash << "</td><td class=n>" << s.missing << "</td><td>"
           << html_escape(describe(runs[i])) << "</td></tr>\n";
    }
    os << "</table>\n<h2>Score per profile</h2>\n<table id=\"profiles\"><tr><th>profile</th>";
    for (auto& r : runs) os << "<th>" << html_escape(r.label) << "</th>";
    os << "</tr>\n";
    for (auto p : kProfiles) {
        auto ps = stats_of(rows, runs.size(), p);
        os << "<tr><td>" << p << "</td>";
        for (size_t i = 0; i < runs.size(); ++i)
            os << "<td class=n>" << pct(ps[i].score()) << " (" << ps[i].pass << ")</td>";
        os << "</tr>\n";
    }
    os << "</table>\n<h2>Tests by system call</h2>\n";
    for (auto& g : groups_of(rows)) {
        size_t n = 0, ndiv = 0;
        for (auto& r : rows) {
            if (r.group != g) continue;
            ++n;
            for (size_t i = 1; i < runs.size(); ++i)
                if (r.outcome[i] != r.outcome[0]) {
                    ++ndiv;
                    break;
                }
        }
        os << "<details" << (ndiv ? " open" : "") << " data-group=\"" << html_escape(g)
           << "\"><summary><code>" << html_escape(g) << "</code> " << n << " tests";
        if (ndiv) os << " <span class=d>" << ndiv << " diverging</span>";
        os << "</summary>\n<table><tr><th>test</th>";
        for (auto& r : runs) os << "<th>" << html_escape(r.label) << "</th>";
        os << "</tr>\n";
        for (auto& r : rows) {
            if (r.group != g) continue;
            os << "<tr><td><code>" << html_escape(r.id) << "</code></td>";
            for (size_t i = 0; i < runs.size(); ++i) {
                std::string o = name_of(r.outcome[i]);
                os << "<td class=\"" << o << (i && r.outcome[i] != r.outcome[0] ? " div" : "")
                   << "\" title=\"" << html_escape(r.message[i]) << "\">" << o << "</td>";
            }
            os << "</tr>\n";
        }
        os << "</table></details>\n";
    }
    os << "</body></html>\n";
}

}  // namespace

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
        for (auto& t : runs[i].file.tests) {
            auto [it, fresh] = index.emplace(t.id, rows.size());
            if (fresh) {
                Row r{t.id, t.group, t.profile, t.category, {}, {}};
                r.outcome.resize(runs.size());
                r.message.resize(runs.size());
                rows.push_back(std::move(r));
            }
            Row& r = rows[it->second];
            r.outcome[i] = t.outcome;
            r.message[i] = t.message;
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

bool arch_skip(const Run& reference, const Run& target, const Row& r) {
    std::string arch = field(target.file.run, "arch");
    if (arch == field(reference.file.run, "arch") || r.outcome[1] != Outcome::Skip) return false;
    const std::string& m = r.message[1];
    const std::string tail = " system call on " + arch;
    return m.rfind("no ", 0) == 0 && m.size() >= tail.size() &&
           m.compare(m.size() - tail.size(), tail.size(), tail) == 0;
}

CheckResult check(const Run& reference, const Run& target, const std::vector<Expectation>& ex) {
    CheckResult res;
    std::vector<Row> rows = build_matrix({reference, target});
    std::vector<bool> used(ex.size());
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
        if (arch_skip(reference, target, r)) continue;
        // An entry holds while its outcome is seen as a divergence; a flaky
        // one (a set) also while the target happens to match the reference.
        if (e && e->allows(got) && (got != r.outcome[0] || e->flaky())) {
            used[k] = true;
        } else if (got != r.outcome[0]) {
            std::string s = r.id + ": " + name_of(r.outcome[0]) + " on " + reference.label +
                            ", " + name_of(got) + " on " + target.label;
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
    bool complete = target.file.target.empty() ? target.file.has_summary
                                               : field(target.file.target, "complete") == "true";
    if (!complete)
        res.unexpected.insert(res.unexpected.begin(),
                              target.label + ": the run did not complete: " +
                                  field(target.file.target, "reason", "no summary line"));
    return res;
}

void write_report(std::ostream& os, const std::vector<Run>& runs, Format format) {
    std::vector<Row> rows = build_matrix(runs);
    switch (format) {
        case Format::Text: write_text(os, runs, rows); break;
        case Format::Markdown: write_markdown(os, runs, rows); break;
        case Format::Html: write_html(os, runs, rows); break;
    }
}

}  // namespace kcc

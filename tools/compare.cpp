// SPDX-License-Identifier: MIT
// The comparison and its reports: the matrix of runs, expectation files and
// --check; text (every divergence, or --summary), Markdown, HTML (heat maps
// first, drill-down by click), JUnit XML for CI systems and KCIDB JSON for
// KernelCI.
#include "compare.hpp"

#include <algorithm>
#include <cstdint>
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

bool complete(const Run& r) {
    return r.file.target.empty() ? r.file.has_summary : field(r.file.target, "complete") == "true";
}

std::string incomplete_reason(const Run& r) {
    return field(r.file.target, "reason", "no summary line");
}

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

// How run i's outcome of a row stands against the reference's (run 0).
enum class Verdict { Same, NotOnArch, Known, New };
struct Judgement {
    Verdict verdict = Verdict::Same;
    const Expectation* entry = nullptr;  // the first entry whose pattern matches the ID
};

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

// Divergences of run i from the reference, grouped by "REF -> TARGET".
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

std::string md_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '|')
            o += "\\|";
        else if (c == '\n')
            o += "<br>";
        else
            o += c;
    }
    return o;
}

std::string one_line(const std::string& s) {
    std::string o = s;
    for (size_t p = 0; (p = o.find('\n', p)) != std::string::npos;) o.replace(p, 1, " | ");
    return o;
}

// Valid UTF-8 with every ill-formed sequence replaced by U+FFFD: messages
// are the kernel's and the target's bytes, and XML and JSON readers reject
// what is not UTF-8. With xml set, also the code points XML 1.0 forbids.
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

std::string json(const std::string& s) {
    std::string o = "\"";
    for (char c : clean_utf8(s, false)) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            o += '\\';
            o += c;
        } else if (c == '\n') {
            o += "\\n";
        } else if (c == '\t') {
            o += "\\t";
        } else if (u < 0x20) {
            static const char kHex[] = "0123456789abcdef";
            o += "\\u00";
            o += kHex[u >> 4];
            o += kHex[u & 15];
        } else {
            o += c;
        }
    }
    return o + "\"";
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

void write_text_header(std::ostream& os, const std::vector<Run>& runs,
                       const std::vector<Row>& rows) {
    auto st = stats_of(rows, runs.size());
    os << "kconform comparison: reference " << runs[0].label << " (" << describe(runs[0])
       << ")\n\n";
    os << std::left << std::setw(16) << "run" << std::right << std::setw(7) << "pass"
       << std::setw(7) << "fail" << std::setw(7) << "skip" << std::setw(6) << "n/a" << std::setw(8)
       << "timeout" << std::setw(7) << "crash" << std::setw(8) << "missing" << std::setw(9)
       << "score"
       << "  about\n";
    for (size_t i = 0; i < runs.size(); ++i) {
        auto& s = st[i];
        os << std::left << std::setw(16) << runs[i].label << std::right << std::setw(7) << s.pass
           << std::setw(7) << s.fail << std::setw(7) << s.skip << std::setw(6) << s.na
           << std::setw(8) << s.timeout << std::setw(7) << s.crash << std::setw(8) << s.missing
           << std::setw(9) << pct(s.score()) << "  " << describe(runs[i]) << "\n";
    }
    os << "\nscore: share of the tests passing on the reference that pass on the run\n"
          "n/a: tests of a system call the run's architecture does not have (not scored)\n";
    os << "\nper profile (passed/applicable):\n";
    for (auto p : kProfiles) {
        auto ps = stats_of(rows, runs.size(), [&](const Row& r) { return r.profile == p; });
        os << "  " << std::left << std::setw(8) << p;
        for (size_t i = 0; i < runs.size(); ++i)
            os << "  " << runs[i].label << " " << ps[i].pass << "/" << ps[i].applicable();
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
}

void write_divergence_list(std::ostream& os,
                           const std::map<std::string, std::vector<const Row*>>& d, size_t i,
                           const Expectations* ex) {
    for (auto& [k, v] : d) {
        os << "  " << k << " (" << v.size() << ")\n";
        for (auto* r : v) {
            os << "    " << r->id;
            if (!r->message[i].empty()) os << ": " << one_line(r->message[i]);
            if (judge(*r, i, ex).verdict == Verdict::Known) os << " [known]";
            os << "\n";
        }
    }
}

// Every divergence of every target (--full).
void write_text(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                const ReportOptions& opts) {
    write_text_header(os, runs, rows);
    for (size_t i = 1; i < runs.size(); ++i) {
        const Expectations* ex = expect_of(opts, i);
        auto d = divergences(rows, i, ex, false);
        size_t n = 0, fresh = 0, na = 0;
        for (auto& [k, v] : d) n += v.size();
        for (auto& r : rows) {
            na += r.not_on_arch[i];
            fresh += judge(r, i, ex).verdict == Verdict::New;
        }
        os << "\n== " << runs[i].label << ": " << n << " divergences from " << runs[0].label;
        if (ex) os << " (" << fresh << " new, " << n - fresh << " known: " << ex->source << ")";
        os << " ==\n";
        write_divergence_list(os, d, i, ex);
        if (na)
            os << "  n/a: " << na << " tests of system calls " << field(runs[i].file.run, "arch")
               << " does not have\n";
    }
}

// Counts per system call and only the divergences no expectation explains
// (--summary, the default for more than one target).
void write_summary(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                   const ReportOptions& opts) {
    write_text_header(os, runs, rows);
    auto cells = cells_by(rows, runs, opts, [](const Row& r) { return r.group; });
    auto groups = groups_of(rows);
    size_t gw = 8;
    for (auto& g : groups) gw = std::max(gw, g.size() + 2);
    std::vector<size_t> w;
    for (auto& r : runs) w.push_back(std::max<size_t>(12, r.label.size() + 2));
    os << "\nper system call (passed/applicable; !N: N new divergences; n/a: no such system "
          "call on the run's architecture):\n  "
       << std::left << std::setw(int(gw)) << "group" << std::right;
    for (size_t i = 0; i < runs.size(); ++i) os << std::setw(int(w[i])) << runs[i].label;
    os << "\n";
    for (auto& g : groups) {
        os << "  " << std::left << std::setw(int(gw)) << g << std::right;
        for (size_t i = 0; i < runs.size(); ++i) os << std::setw(int(w[i])) << cells[g][i].text();
        os << "\n";
    }
    os << "\nnew divergences (not explained by an expectation file; n/a not counted):\n";
    for (size_t i = 1; i < runs.size(); ++i) {
        const Expectations* ex = expect_of(opts, i);
        auto d = divergences(rows, i, ex, true);
        size_t fresh = 0, known = 0, na = 0;
        for (auto& r : rows) {
            auto v = judge(r, i, ex).verdict;
            fresh += v == Verdict::New;
            known += v == Verdict::Known;
            na += v == Verdict::NotOnArch;
        }
        os << "== " << runs[i].label << " vs " << runs[0].label << ": " << fresh << " new, "
           << known << " known, " << na << " n/a ("
           << (ex ? "expectations: " + ex->source : std::string("no expectation file")) << ") ==\n";
        write_divergence_list(os, d, i, ex);
    }
    os << "\n(--full lists every divergence)\n";
}

void write_markdown(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                    const ReportOptions& opts) {
    auto st = stats_of(rows, runs.size());
    os << "# kconform conformance report\n\nReference: **" << runs[0].label << "** ("
       << md_escape(describe(runs[0])) << ")\n\n";
    os << "| run | score | pass | fail | skip | n/a | timeout | crash | missing | about |\n"
       << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    for (size_t i = 0; i < runs.size(); ++i) {
        auto& s = st[i];
        os << "| " << runs[i].label << " | " << pct(s.score()) << " | " << s.pass << " | " << s.fail
           << " | " << s.skip << " | " << s.na << " | " << s.timeout << " | " << s.crash << " | "
           << s.missing << " | " << md_escape(describe(runs[i])) << " |\n";
    }
    os << "\nn/a: tests of a system call the run's architecture does not have (not scored).\n";
    os << "\n## Per profile (passed)\n\n| profile |";
    for (auto& r : runs) os << " " << r.label << " |";
    os << "\n|---|";
    for (size_t i = 0; i < runs.size(); ++i) os << "---:|";
    os << "\n";
    for (auto p : kProfiles) {
        auto ps = stats_of(rows, runs.size(), [&](const Row& r) { return r.profile == p; });
        os << "| " << p << " |";
        for (size_t i = 0; i < runs.size(); ++i) os << " " << ps[i].pass << " |";
        os << "\n";
    }
    os << "\n## Failing on the reference\n\n";
    bool any = false;
    for (auto& r : rows)
        if (bad(r.outcome[0])) {
            os << "- `" << r.id << "` " << name_of(r.outcome[0]) << ": " << md_escape(r.message[0])
               << "\n";
            any = true;
        }
    if (!any) os << "None.\n";
    for (size_t i = 1; i < runs.size(); ++i) {
        os << "\n## " << runs[i].label << ": divergences from " << runs[0].label << "\n\n";
        const Expectations* ex = expect_of(opts, i);
        auto d = divergences(rows, i, ex, false);
        if (d.empty()) {
            os << "None.\n";
            continue;
        }
        os << "| test | " << runs[0].label << " | " << runs[i].label
           << " | message |\n|---|---|---|---|\n";
        for (auto& [k, v] : d)
            for (auto* r : v) {
                os << "| `" << r->id << "` | " << name_of(r->outcome[0]) << " | "
                   << name_of(r->outcome[i]) << " | " << md_escape(r->message[i]);
                auto j = judge(*r, i, ex);
                if (j.verdict == Verdict::Known)
                    os << " (known: " << md_escape(j.entry->reason) << ")";
                os << " |\n";
            }
    }
}

// Background of a heat-map cell: green when every test passes; otherwise
// from yellow-green (99%) through yellow to red (0%), steeper at the top,
// where most calls are.
std::string heat_style(long long pass, long long total) {
    double p = total ? double(pass) / double(total) : 0;
    int hue = pass == total ? 125 : int(90 * p * p);
    return "background:hsl(" + std::to_string(hue) + ",70%," + (pass == total ? "72%" : "78%") +
           ")";
}

std::string heat_cell(const Cell& c, const std::string& key_attr, const std::string& key,
                      size_t run, const std::string& label) {
    std::string cls = "h", text, style, title = key + " on " + label + ": ";
    if (c.total == 0) {
        cls += c.na ? " na" : " none";
        text = c.na ? "n/a" : "-";
        title += c.na ? "no such system call on this architecture" : "no tests";
    } else {
        text = std::to_string(100 * c.pass / c.total) + "%";
        style = heat_style(c.pass, c.total);
        title += std::to_string(c.pass) + " of " + std::to_string(c.total) + " pass";
        if (c.na) title += ", " + std::to_string(c.na) + " n/a";
        if (c.fresh) title += ", " + std::to_string(c.fresh) + " new divergences";
        if (c.known) title += ", " + std::to_string(c.known) + " known divergences";
        if (c.fresh) cls += " hd";
    }
    std::string s = "<td class=\"" + cls + "\" " + key_attr + "=\"" + html_escape(key) +
                    "\" data-run=\"" + std::to_string(run) + "\"";
    if (!style.empty()) s += " style=\"" + style + "\"";
    return s + " title=\"" + html_escape(title) + "\">" + text + "</td>";
}

std::string heat_header(const std::vector<Run>& runs, const char* first) {
    std::string s = "<tr><th>" + std::string(first) + "</th>";
    for (auto& r : runs) s += "<th class=\"v\"><span>" + html_escape(r.label) + "</span></th>";
    return s + "</tr>\n";
}

// Clicking a heat-map cell shows the tests of its system call or area, with
// the cell's run marked; "show all" goes back. Self-contained, no network.
const char kDrillScript[] = R"(<script>
(function () {
  var note = document.getElementById('drill');
  function reset() {
    document.querySelectorAll('.focus').forEach(function (e) { e.classList.remove('focus'); });
    document.querySelectorAll('details[data-group]').forEach(function (d) { d.hidden = false; });
    note.hidden = true;
  }
  function drill(keep, run, what) {
    reset();
    var first = null;
    document.querySelectorAll('details[data-group]').forEach(function (d) {
      var on = keep(d);
      d.hidden = !on;
      if (!on) return;
      d.open = true;
      if (!first) first = d;
      d.querySelectorAll('tr > :nth-child(' + (run + 2) + ')').forEach(function (c) {
        c.classList.add('focus');
      });
    });
    note.querySelector('span').textContent = what;
    note.hidden = false;
    if (first) note.scrollIntoView();
  }
  document.addEventListener('click', function (e) {
    var c = e.target.closest('td.h');
    if (c) {
      var run = +c.dataset.run, label = document.querySelectorAll('#scores td:first-child')[run];
      var who = ' on ' + (label ? label.textContent : 'run ' + run);
      if (c.dataset.group !== undefined)
        drill(function (d) { return d.dataset.group === c.dataset.group; }, run,
              'system call ' + c.dataset.group + who);
      else if (c.dataset.area !== undefined)
        drill(function (d) { return d.dataset.area === c.dataset.area; }, run,
              'area ' + c.dataset.area + who);
    } else if (e.target.id === 'show-all') {
      reset();
    }
  });
})();
</script>
)";

void write_html(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                const ReportOptions& opts) {
    auto st = stats_of(rows, runs.size());
    os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>kconform conformance matrix</title>\n<style>\n"
          "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}\n"
          "table{border-collapse:collapse;margin:.5em 0}\n"
          "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}\n"
          "td.n{text-align:right}\n"
          "td.PASS{background:#c8f0c8}td.FAIL{background:#f4b4b4}td.SKIP{background:#eee;color:#"
          "666}\n"
          "td.TIMEOUT{background:#f7d58c}td.CRASH{background:#d9a0f0}td.MISSING{background:#999;"
          "color:#fff}\n"
          "td.NA{background:#e4e8f0;color:#567}\n"
          "td.div{outline:2px solid #c00;outline-offset:-2px}\n"
          "td.known{outline:2px dashed #d80;outline-offset:-2px}\n"
          "td.focus,th.focus{box-shadow:inset 0 0 0 3px #06c}\n"
          ".maps{display:flex;flex-wrap:wrap;gap:0 2em;align-items:flex-start}\n"
          "table.heat td.h{width:3.2em;text-align:center;cursor:pointer;font-size:12px;padding:1px "
          "4px}\n"
          "table.heat td.na,table.heat td.none{background:#e4e8f0;color:#567}\n"
          "table.heat td.hd{outline:2px solid #c00;outline-offset:-2px}\n"
          "table.heat th{font-weight:normal;font-size:12px;padding:1px 6px}\n"
          "table.heat th.v{vertical-align:bottom;height:7em}\n"
          "table.heat th.v "
          "span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}\n"
          "#drill{position:sticky;top:0;background:#fffbe0;padding:4px 8px;border:1px solid #db3}\n"
          "h3{margin:.8em 0 .2em}\n"
          "summary{cursor:pointer;padding:3px 0}summary .d{color:#c00;font-weight:bold}\n"
          "code{font-size:13px}.msg{display:block;font-size:12px;color:#444;white-space:pre-wrap}\n"
          "</style></head><body>\n<h1>kconform conformance matrix</h1>\n";
    os << "<p>Reference: <b>" << html_escape(runs[0].label) << "</b> ("
       << html_escape(describe(runs[0])) << "). Heat maps: share of the tests that pass, "
       << "n/a where the architecture has no such system call, outlined in red where there are "
       << "new divergences; click a cell for its tests. In the tests, a cell outlined in red "
       << "differs from the reference, dashed orange is a known divergence (expectation file); "
       << "hover a cell for the failure message.</p>\n";
    // The overview first: scores, then heat maps by profile, area and call.
    os << "<section id=\"summary\">\n<table id=\"scores\"><tr><th>run</th><th>score</th>"
          "<th>pass</th><th>fail</th><th>skip</th><th>n/a</th><th>timeout</th><th>crash</th>"
          "<th>missing</th><th>about</th></tr>\n";
    for (size_t i = 0; i < runs.size(); ++i) {
        auto& s = st[i];
        os << "<tr><td>" << html_escape(runs[i].label) << "</td><td class=n>" << pct(s.score())
           << "</td><td class=n>" << s.pass << "</td><td class=n>" << s.fail << "</td><td class=n>"
           << s.skip << "</td><td class=n>" << s.na << "</td><td class=n>" << s.timeout
           << "</td><td class=n>" << s.crash << "</td><td class=n>" << s.missing << "</td><td>"
           << html_escape(describe(runs[i])) << "</td></tr>\n";
    }
    os << "</table>\n<div class=\"maps\">\n<div><h3>Score per profile</h3>\n"
          "<table id=\"profiles\" class=\"heat\">"
       << heat_header(runs, "profile");
    for (auto p : kProfiles) {
        auto ps = stats_of(rows, runs.size(), [&](const Row& r) { return r.profile == p; });
        os << "<tr><td>" << p << "</td>";
        for (size_t i = 0; i < runs.size(); ++i)
            os << "<td class=n style=\"" << heat_style(ps[i].both_pass, ps[i].ref_pass) << "\">"
               << pct(ps[i].score()) << " (" << ps[i].pass << ")</td>";
        os << "</tr>\n";
    }
    os << "</table></div>\n<div><h3>By area</h3>\n";
    bool have_areas =
        std::any_of(rows.begin(), rows.end(), [](auto& r) { return !r.area.empty(); });
    if (have_areas) {
        auto areas = cells_by(rows, runs, opts,
                              [](const Row& r) { return r.area.empty() ? "(other)" : r.area; });
        os << "<table id=\"heat-area\" class=\"heat\">" << heat_header(runs, "area");
        for (auto& [a, cells] : areas) {
            os << "<tr><th>" << html_escape(a) << "</th>";
            for (size_t i = 0; i < runs.size(); ++i)
                os << heat_cell(cells[i], "data-area", a, i, runs[i].label);
            os << "</tr>\n";
        }
        os << "</table>\n";
    } else {
        os << "<p id=\"heat-area\">Not available: these runs do not name their tests' source "
              "files.</p>\n";
    }
    os << "</div>\n</div>\n<h3>By system call</h3>\n<div id=\"heat-syscall\" class=\"maps\">\n";
    auto cells = cells_by(rows, runs, opts, [](const Row& r) { return r.group; });
    auto groups = groups_of(rows);
    const size_t kPerTable = 40;  // tables side by side, each with its own header
    for (size_t g = 0; g < groups.size(); ++g) {
        if (g % kPerTable == 0) os << "<table class=\"heat\">" << heat_header(runs, "system call");
        os << "<tr><th>" << html_escape(groups[g]) << "</th>";
        for (size_t i = 0; i < runs.size(); ++i)
            os << heat_cell(cells[groups[g]][i], "data-group", groups[g], i, runs[i].label);
        os << "</tr>\n";
        if (g % kPerTable == kPerTable - 1 || g + 1 == groups.size()) os << "</table>\n";
    }
    os << "</div>\n</section>\n<h2>Tests by system call</h2>\n"
          "<p id=\"drill\" hidden>Showing <span></span>. <button id=\"show-all\">show "
          "all</button></p>\n";
    for (auto& g : groups) {
        size_t n = 0, ndiv = 0, nknown = 0;
        std::string area;
        for (auto& r : rows) {
            if (r.group != g) continue;
            ++n;
            if (area.empty()) area = r.area;
            bool fresh = false, known = false;
            for (size_t i = 1; i < runs.size(); ++i) {
                auto v = judge(r, i, expect_of(opts, i)).verdict;
                fresh |= v == Verdict::New;
                known |= v == Verdict::Known;
            }
            ndiv += fresh;
            nknown += known && !fresh;
        }
        os << "<details" << (ndiv ? " open" : "") << " data-group=\"" << html_escape(g)
           << "\" data-area=\"" << html_escape(area.empty() ? "(other)" : area) << "\" id=\"g-"
           << html_escape(g) << "\"><summary><code>" << html_escape(g) << "</code> " << n
           << " tests";
        if (ndiv) os << " <span class=d>" << ndiv << " diverging</span>";
        if (nknown) os << " " << nknown << " known";
        os << "</summary>\n<table><tr><th>test</th>";
        for (auto& r : runs) os << "<th>" << html_escape(r.label) << "</th>";
        os << "</tr>\n";
        for (auto& r : rows) {
            if (r.group != g) continue;
            os << "<tr><td><code>" << html_escape(r.id) << "</code></td>";
            for (size_t i = 0; i < runs.size(); ++i) {
                std::string o = r.not_on_arch[i] ? "n/a" : name_of(r.outcome[i]);
                std::string cls = r.not_on_arch[i] ? "NA" : o, title = r.message[i];
                if (i) {
                    auto j = judge(r, i, expect_of(opts, i));
                    if (j.verdict == Verdict::New) cls += " div";
                    if (j.verdict == Verdict::Known) {
                        cls += " known";
                        title = "known divergence (" + where(*expect_of(opts, i), *j.entry) +
                                "): " + j.entry->reason + (title.empty() ? "" : "\n" + title);
                    }
                }
                os << "<td class=\"" << cls << "\" title=\"" << html_escape(title) << "\">" << o
                   << "</td>";
            }
            os << "</tr>\n";
        }
        os << "</table></details>\n";
    }
    os << kDrillScript << "</body></html>\n";
}

// JUnit XML, the Ant/Jenkins format CI systems read (its structure: the
// schema in test/junit.xsd). One testsuite per system call, a testcase per
// test ID (classname the group, name the rest of the ID).
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
        if (e) c.body += "\n" + where(*ex, *e) + " says " + e->outcome_text();
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

// KCIDB (KernelCI's common results database) I/O data, schema 4.x: the
// structure of kcidb-io's kcidb_io/schema/v04_*.py, checked against
// test/kcidb-v4.schema.json. Minor version 2 is the first with MISS, used
// here for tests a reference has and a run that died did not report.
constexpr int kKcidbMinor = 2;

bool kcidb_origin(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// KCIDB paths are dot-separated words of [a-zA-Z0-9_-]: the group, the
// test's name and its table row label ("read.bad_fd_ebadf/fd=-1" gives
// "kconform.read.bad_fd_ebadf.fd_-1").
std::string kcidb_path(const Row& r) {
    std::string p = "kconform." + r.group + ".";
    for (char c : r.name()) {
        bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
        p += word ? c : c == '/' ? '.' : '_';
    }
    return p;
}

// A stable name for a run: the same results give the same IDs, so sending a
// file twice does not make a second copy in the database.
std::string run_hash(const Run& r) {
    uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&](const std::string& s) {
        for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
        h = (h ^ 0xff) * 0x100000001b3ull;
    };
    for (auto* m : {&r.file.run, &r.file.target})
        for (auto& [k, v] : *m) mix(k), mix(v);
    for (auto& t : r.file.tests)
        mix(t.id), mix(name_of(t.outcome)), mix(std::to_string(t.duration_us)), mix(t.message);
    std::ostringstream o;
    o << std::hex << std::setw(16) << std::setfill('0') << h;
    return o.str();
}

// A string of at most 16384 code points (log_excerpt's limit), cut at a
// character boundary.
std::string excerpt(const std::string& s) {
    std::string c = clean_utf8(s, false);
    size_t n = 0, i = 0;
    for (; i < c.size(); ++i)
        if ((static_cast<unsigned char>(c[i]) & 0xc0) != 0x80 && ++n > 16384) break;
    return c.substr(0, i);
}

// Statuses: PASS, FAIL and SKIP as they are. TIMEOUT and CRASH are FAIL: the
// harness ran the test to its end and reports what the kernel did: a call
// that never returned by the deadline, or a signal that killed the test
// process (the reference run passes these tests); KCIDB's ERROR says that the
// test's own code failed, and would rank a hung kernel below a failing one.
// The original outcome stays in misc.kconform_outcome.
std::string kcidb_status(const std::optional<Outcome>& o) {
    if (!o) return "MISS";
    if (*o == Outcome::Pass) return "PASS";
    if (*o == Outcome::Skip) return "SKIP";
    return "FAIL";
}

void write_kcidb(std::ostream& os, const std::vector<Run>& runs, const std::vector<Row>& rows,
                 const ReportOptions& opts) {
    if (!kcidb_origin(opts.origin))
        throw kcr::ParseError("--origin=" + opts.origin +
                              ": a KCIDB origin is lower-case letters, digits and '_'");
    auto colon = opts.build_id.find(':');
    if (!opts.build_id.empty() &&
        (colon == std::string::npos || !kcidb_origin(opts.build_id.substr(0, colon))))
        throw kcr::ParseError("--build-id=" + opts.build_id +
                              ": a KCIDB ID is ORIGIN:ID, ORIGIN lower-case letters, digits, '_'");
    size_t t = runs.size() - 1;
    const Run& run = runs[t];
    const Expectations* ex = expect_of(opts, t);
    const std::string id = opts.origin + ":" + run_hash(run);
    const std::string build = opts.build_id.empty() ? id : opts.build_id;
    const std::string kernel = field(run.file.run, "sysname") + " " +
                               field(run.file.run, "release") + " " +
                               field(run.file.run, "version");
    std::string arch;
    for (char c : field(run.file.run, "arch", "")) arch += kcidb_origin({c}) ? c : '_';
    os << "{\"version\":{\"major\":4,\"minor\":" << kKcidbMinor << "},\n";
    if (opts.build_id.empty()) {
        // The kernel under test, as far as the run knows it (uname): a lab
        // that has its own checkout and build passes --build-id instead.
        os << "\"checkouts\":[{\"id\":" << json(id) << ",\"origin\":" << json(opts.origin)
           << ",\"comment\":" << json(kernel) << ",\"valid\":true}],\n"
           << "\"builds\":[{\"id\":" << json(id) << ",\"checkout_id\":" << json(id)
           << ",\"origin\":" << json(opts.origin) << ",\"comment\":" << json(kernel);
        if (!arch.empty()) os << ",\"architecture\":" << json(arch);
        os << ",\"valid\":true,\"misc\":{\"release\":" << json(field(run.file.run, "release", ""))
           << ",\"uname_version\":" << json(field(run.file.run, "version", ""))
           << ",\"machine\":" << json(field(run.file.run, "machine", "")) << "}}],\n";
    }
    const std::string env = "{\"comment\":" + json(run.label + ": " + describe(run)) + "}";
    // The suite as a whole: the node at path "kconform", carrying the run's
    // metadata; its status is the worst of its tests' (KCIDB's order), and
    // at least ERROR when the run did not complete.
    static const char* const kOrder[] = {"FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"};
    auto rank = [](const std::string& s) {
        return std::find(std::begin(kOrder), std::end(kOrder), s) - std::begin(kOrder);
    };
    std::string worst = "SKIP", tests;
    long long us = 0;
    for (auto& r : rows) {
        const auto& got = r.outcome[t];
        if (!got && !(runs.size() == 2 && r.outcome[0])) continue;
        std::string status = kcidb_status(got);
        bool waived = false;
        std::string misc = "\"kconform_id\":" + json(r.id) +
                           ",\"kconform_outcome\":" + json(name_of(got)) +
                           ",\"category\":" + json(r.category) + ",\"profile\":" + json(r.profile);
        if (runs.size() == 2) misc += ",\"reference_outcome\":" + json(name_of(r.outcome[0]));
        const Expectation* e = entry_for(ex, r.id);
        if (r.not_on_arch[t]) {
            misc += ",\"not_on_arch\":true";
        } else if (runs.size() == 2 ? judge(r, 1, ex).verdict == Verdict::Known
                                    : e && e->allows(got) && got != Outcome::Pass) {
            waived = true;
            misc += ",\"expect\":" + json(where(*ex, *e) + ": " + e->reason);
        }
        if (!waived && rank(status) < rank(worst)) worst = status;
        tests += ",\n{\"id\":" + json(id + ":" + r.id) + ",\"build_id\":" + json(build) +
                 ",\"origin\":" + json(opts.origin) + ",\"path\":" + json(kcidb_path(r)) +
                 ",\"comment\":" + json(r.id) + ",\"status\":\"" + status + "\"";
        if (waived) tests += ",\"waived\":true";
        if (got) {
            tests += ",\"duration\":" + seconds(r.duration_us[t]);
            us += r.duration_us[t];
        }
        std::string log = !got                   ? "not reported: the run ended before this test"
                          : r.message[t].empty() ? ""
                                                 : name_of(got) + ": " + r.message[t];
        if (!log.empty()) tests += ",\"log_excerpt\":" + json(excerpt(log));
        tests += ",\"environment\":" + env + ",\"misc\":{" + misc + "}}";
    }
    std::string suite_log;
    if (!complete(run)) {
        suite_log = "the run did not complete: " + incomplete_reason(run);
        if (rank("ERROR") < rank(worst)) worst = "ERROR";
    }
    os << "\"tests\":[\n{\"id\":" << json(id + ":kconform") << ",\"build_id\":" << json(build)
       << ",\"origin\":" << json(opts.origin)
       << ",\"path\":\"kconform\",\"comment\":" << json("kconform on " + run.label)
       << ",\"status\":\"" << worst << "\",\"duration\":" << seconds(us);
    if (!suite_log.empty()) os << ",\"log_excerpt\":" << json(suite_log);
    os << ",\"environment\":" << env << ",\"misc\":{";
    bool first = true;
    for (auto* m : {&run.file.run, &run.file.target})
        for (auto& [k, v] : *m) {
            if (k == "type") continue;
            os << (first ? "" : ",") << json((m == &run.file.target ? "target." : "") + k) << ":"
               << json(v);
            first = false;
        }
    if (runs.size() == 2) os << (first ? "" : ",") << "\"reference\":" << json(runs[0].label);
    os << "}}" << tests << "\n]}\n";
}

}  // namespace

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

// SPDX-License-Identifier: MIT
// kconform-compare's text reports: every divergence of every target (--full),
// counts per system call with the new divergences only (--summary), and
// Markdown.
#include <iomanip>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "compare_report.hpp"

namespace kcc::detail {

namespace {

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

// The verdicts the runs recorded (runs of --profile=PSE5x), one line each.
void write_verdicts_text(std::ostream& os, const std::vector<Run>& runs) {
    bool any = false;
    for (auto& r : runs) any = any || !r.file.verdicts.empty();
    if (!any) return;
    os << "\nverdict per profile (runs of a PSE profile):\n";
    for (auto& r : runs)
        for (auto& v : r.file.verdicts)
            os << "  " << std::left << std::setw(16) << r.label << verdict_text(v) << "\n";
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
    write_verdicts_text(os, runs);
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

}  // namespace

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

// The recorded verdicts: one row per run, one column per profile.
void write_verdicts_markdown(std::ostream& os, const std::vector<Run>& runs) {
    bool any = false;
    for (auto& r : runs) any = any || !r.file.verdicts.empty();
    if (!any) return;
    os << "\n## Verdict per profile\n\n| run |";
    for (int p = 0; p < 4; ++p) os << " " << kProfiles[p] << " |";
    os << "\n|---|---|---|---|---|\n";
    for (auto& r : runs) {
        os << "| " << r.label << " |";
        for (int p = 0; p < 4; ++p) {
            const kcr::ProfileVerdict* v = nullptr;
            for (auto& x : r.file.verdicts)
                if (x.profile == kProfiles[p]) v = &x;
            std::string cell = v ? verdict_text(*v).substr(v->profile.size() + 2) : "not run";
            os << " " << md_escape(cell) << " |";
        }
        os << "\n";
    }
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
    write_verdicts_markdown(os, runs);
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

}  // namespace kcc::detail

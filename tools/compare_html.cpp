// SPDX-License-Identifier: MIT
// kconform-compare's HTML report: scores and heat maps (by profile, area and
// system call) first, then every test, a click on a heat-map cell showing the
// tests behind it. One self-contained page.
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "compare_report.hpp"

namespace kcc::detail {

namespace {

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

// The verdicts the runs recorded (runs of --profile=PSE5x): a run per row,
// a profile per column.
void write_verdicts(std::ostream& os, const std::vector<Run>& runs) {
    bool any = false;
    for (auto& r : runs) any = any || !r.file.verdicts.empty();
    if (!any) return;
    os << "<h3>Verdict per profile</h3>\n<table id=\"verdicts\"><tr><th>run</th>";
    for (int p = 0; p < 4; ++p) os << "<th>" << kProfiles[p] << "</th>";
    os << "</tr>\n";
    for (auto& r : runs) {
        os << "<tr><td>" << html_escape(r.label) << "</td>";
        for (int p = 0; p < 4; ++p) {
            const kcr::ProfileVerdict* v = nullptr;
            for (auto& x : r.file.verdicts)
                if (x.profile == kProfiles[p]) v = &x;
            if (!v)
                os << "<td>not run</td>";
            else
                os << "<td style=\"color:" << (v->conforms ? "#070" : "#c00") << "\">"
                   << html_escape(verdict_text(*v).substr(v->profile.size() + 2)) << "</td>";
        }
        os << "</tr>\n";
    }
    os << "</table>\n";
}

}  // namespace

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
    os << "</table>\n";
    write_verdicts(os, runs);
    os << "<div class=\"maps\">\n<div><h3>Score per profile</h3>\n"
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

}  // namespace kcc::detail

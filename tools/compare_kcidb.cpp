// SPDX-License-Identifier: MIT
// kconform-compare's KCIDB JSON: one run as KernelCI's common results
// database takes it.
#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "compare_report.hpp"

namespace kcc::detail {

namespace {

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

}  // namespace

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

}  // namespace kcc::detail

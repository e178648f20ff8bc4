// SPDX-License-Identifier: MIT
#include "results.hpp"

#include <charconv>

namespace kcr {

namespace {

constexpr std::string_view kOutcomes[] = {"PASS", "FAIL", "SKIP", "TIMEOUT", "CRASH"};

struct Cursor {
    std::string_view s;
    size_t i = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw ParseError(what + " at column " + std::to_string(i + 1));
    }
    void ws() {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    }
    bool eat(char c) {
        ws();
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!eat(c)) fail(std::string("expected '") + c + "'");
    }
    static void put_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xc0 | cp >> 6);
            out += char(0x80 | (cp & 0x3f));
        } else {
            out += char(0xe0 | cp >> 12);
            out += char(0x80 | (cp >> 6 & 0x3f));
            out += char(0x80 | (cp & 0x3f));
        }
    }
    std::string string() {
        ws();
        if (i >= s.size() || s[i] != '"') fail("expected a string");
        ++i;
        std::string out;
        while (true) {
            if (i >= s.size()) fail("unterminated string");
            char c = s[i++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i >= s.size()) fail("unterminated escape");
            char e = s[i++];
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out += e;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    if (i + 4 > s.size()) fail("short \\u escape");
                    unsigned cp = 0;
                    auto r = std::from_chars(s.data() + i, s.data() + i + 4, cp, 16);
                    if (r.ec != std::errc() || r.ptr != s.data() + i + 4) fail("bad \\u escape");
                    i += 4;
                    put_utf8(out, cp);
                    break;
                }
                default:
                    fail("bad escape");
            }
        }
    }
    std::string scalar() {
        ws();
        if (i < s.size() && s[i] == '"') return string();
        size_t start = i;
        while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ') ++i;
        std::string_view tok = s.substr(start, i - start);
        if (tok == "true" || tok == "false" || tok == "null") return std::string(tok);
        double d;
        auto r = std::from_chars(tok.data(), tok.data() + tok.size(), d);
        if (tok.empty() || r.ec != std::errc() || r.ptr != tok.data() + tok.size())
            fail("expected a value");
        return std::string(tok);
    }
};

long long to_int(const std::map<std::string, std::string>& m, const std::string& key, size_t line) {
    auto it = m.find(key);
    if (it == m.end())
        throw ParseError("line " + std::to_string(line) + ": missing \"" + key + "\"");
    long long v = 0;
    auto& t = it->second;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size())
        throw ParseError("line " + std::to_string(line) + ": \"" + key + "\" is not an integer");
    return v;
}

const std::string& field(const std::map<std::string, std::string>& m, const std::string& key,
                         size_t line) {
    auto it = m.find(key);
    if (it == m.end())
        throw ParseError("line " + std::to_string(line) + ": missing \"" + key + "\"");
    return it->second;
}

// An array member as parse_json_object keeps it (items joined with '\n').
std::vector<std::string> lines_of(const std::string& joined) {
    std::vector<std::string> out;
    for (size_t at = 0; at < joined.size();) {
        size_t nl = joined.find('\n', at);
        if (nl == std::string::npos) nl = joined.size();
        out.push_back(joined.substr(at, nl - at));
        at = nl + 1;
    }
    return out;
}

}  // namespace

std::optional<Outcome> parse_outcome(std::string_view s) {
    for (size_t i = 0; i < std::size(kOutcomes); ++i)
        if (kOutcomes[i] == s) return Outcome(i);
    return std::nullopt;
}

std::string_view outcome_name(Outcome o) { return kOutcomes[size_t(o)]; }

namespace {

// The members of an object whose '{' has been read, into out. A member that
// is an object itself is flattened ("env": {"euid": 0} gives "env.euid"), to
// the depth the schema uses; arrays hold scalars, kept newline-separated.
void parse_members(Cursor& c, const std::string& prefix, int depth,
                   std::map<std::string, std::string>& out) {
    if (c.eat('}')) return;
    do {
        std::string key = prefix + c.string();
        c.expect(':');
        std::string value;
        if (c.eat('[')) {
            if (!c.eat(']')) {
                do {
                    if (!value.empty()) value += '\n';
                    value += c.scalar();
                } while (c.eat(','));
                c.expect(']');
            }
        } else if (c.eat('{')) {
            if (depth >= 2) c.fail("objects nested too deeply");
            parse_members(c, key + '.', depth + 1, out);
            continue;
        } else {
            value = c.scalar();
        }
        if (!out.emplace(std::move(key), std::move(value)).second) c.fail("duplicate key");
    } while (c.eat(','));
    c.expect('}');
}

}  // namespace

std::map<std::string, std::string> parse_json_object(std::string_view line) {
    Cursor c{line};
    std::map<std::string, std::string> out;
    c.expect('{');
    parse_members(c, "", 0, out);
    c.ws();
    if (c.i != line.size()) c.fail("trailing characters");
    return out;
}

RunFile parse_run(std::string_view text, bool lenient) {
    RunFile run;
    bool have_run = false;
    size_t lineno = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++lineno;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty()) continue;
        size_t brace = line.find('{');
        if (brace == std::string_view::npos) {
            if (lenient) continue;
            throw ParseError("line " + std::to_string(lineno) + ": not a JSON object");
        }
        if (lenient) line.remove_prefix(brace);  // console noise before the object
        std::map<std::string, std::string> obj;
        try {
            obj = parse_json_object(line);
        } catch (const ParseError& e) {
            if (lenient) continue;
            throw ParseError("line " + std::to_string(lineno) + ": " + e.what());
        }
        const std::string& type = field(obj, "type", lineno);
        if (type == "run") {
            if (have_run) throw ParseError("line " + std::to_string(lineno) + ": second run line");
            have_run = true;
            run.run = std::move(obj);
        } else if (type == "target") {
            run.target = std::move(obj);
        } else if (type == "test") {
            if (!have_run)
                throw ParseError("line " + std::to_string(lineno) + ": test before the run line");
            TestResult t;
            t.id = field(obj, "id", lineno);
            t.group = field(obj, "group", lineno);
            t.category = field(obj, "category", lineno);
            t.profile = field(obj, "profile", lineno);
            auto o = parse_outcome(field(obj, "outcome", lineno));
            if (!o) throw ParseError("line " + std::to_string(lineno) + ": unknown outcome");
            t.outcome = *o;
            t.duration_us = to_int(obj, "duration_us", lineno);
            t.message = field(obj, "message", lineno);
            if (auto f = obj.find("file"); f != obj.end()) t.file = f->second;
            if (t.id.empty()) throw ParseError("line " + std::to_string(lineno) + ": empty id");
            run.tests.push_back(std::move(t));
        } else if (type == "summary") {
            run.has_summary = true;
            run.passed = to_int(obj, "passed", lineno);
            run.failed = to_int(obj, "failed", lineno);
            run.skipped = to_int(obj, "skipped", lineno);
            run.timeouts = to_int(obj, "timeouts", lineno);
            run.crashes = to_int(obj, "crashes", lineno);
        } else if (type == "verdict") {
            ProfileVerdict v;
            v.profile = field(obj, "profile", lineno);
            const std::string& c = field(obj, "conforms", lineno);
            if (c != "true" && c != "false")
                throw ParseError("line " + std::to_string(lineno) + ": conforms is not a boolean");
            v.conforms = c == "true";
            v.missing = lines_of(field(obj, "missing", lineno));
            v.failing = to_int(obj, "failing", lineno);
            v.failing_tests = lines_of(field(obj, "failing_tests", lineno));
            run.verdicts.push_back(std::move(v));
        } else if (type != "start") {
            throw ParseError("line " + std::to_string(lineno) + ": unknown type \"" + type + "\"");
        }
    }
    if (!have_run) throw ParseError("no run line: not a kconform JSONL result");
    return run;
}

}  // namespace kcr

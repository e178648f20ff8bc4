// SPDX-License-Identifier: MIT
// Options: first from the environment variable KCONFORM_OPTS (words
// separated by spaces; the way to pass options on a kernel command line),
// then from argv, so argv wins.
#include "harness/internal.hpp"
#include "rt/start.hpp"

namespace kc {

const char kUsage[] =
    "usage: kconform [options]\n"
    "  --list              list the selected test IDs with category and profile\n"
    "                      (with --format=jsonl: one object per test, for tools)\n"
    "  --interfaces        list the interfaces of harness/interfaces.def: the\n"
    "                      profile requiring each, and its selected tests\n"
    "  --filter=GLOB       run tests whose ID (group.name or group.name/row) matches;\n"
    "                      repeatable; -GLOB excludes; '*' and '?' wildcards\n"
    "  --profile=P         run tests of profile P and the profiles it contains:\n"
    "                      PSE51 < PSE52 < PSE53 < PSE54 < LINUX (default\n"
    "                      LINUX: all); a PSE profile also prints its verdict\n"
    "  --format=F          human (default), tap (TAP 13) or jsonl (JSON Lines)\n"
    "  --timeout=MS        per-test deadline in milliseconds (default 10000);\n"
    "                      a test may declare its own\n"
    "  --timeout-scale=N   multiply every deadline, the run's and those tests\n"
    "                      declare, by N (1 to 100; default 1): for slow targets\n"
    "  --jobs=N            run up to N test processes at once (1 to 64, or auto:\n"
    "                      four times the CPUs this process may run on); results\n"
    "                      are still reported in order. In-process runs use 1\n"
    "  --isolate=M         fork (a process per test), none (in-process with a\n"
    "                      watchdog) or auto (default: fork where it works)\n"
    "  --output=PATH       write the results to PATH (created or truncated), not\n"
    "                      to standard output: for runs without fds 0-2, or as\n"
    "                      /init to a serial port of its own\n"
    "  --poweroff          power the machine off after the summary (as /init)\n"
    "  -v, --verbose       print each test's ID before it runs, and durations\n"
    "  --version           the version and architecture\n"
    "  -h, --help          this text\n"
    "Options are also read from the environment variable KCONFORM_OPTS.\n"
    "Exit status: 0 all selected tests passed or skipped, 1 a test failed, 2 usage,\n"
    "3 the results could not be written (a closed pipe, a full disk).\n";

namespace {

char g_env_copy[1024];

bool value_of(const char* arg, const char* key, const char** value) {
    usize n = rt::strlen(key);
    for (usize i = 0; i < n; ++i)
        if (arg[i] != key[i]) return false;
    *value = arg + n;
    return true;
}

bool parse_one(const char* a, Options& o, rt::Fmt& err) {
    const char* v;
    if (rt::streq(a, "--list")) {
        o.list = true;
    } else if (rt::streq(a, "--poweroff")) {
        o.poweroff = true;
    } else if (rt::streq(a, "-v") || rt::streq(a, "--verbose")) {
        o.verbose = true;
    } else if (rt::streq(a, "--version")) {
        o.version = true;
    } else if (rt::streq(a, "--interfaces")) {
        o.interfaces = true;
    } else if (rt::streq(a, "-h") || rt::streq(a, "--help")) {
        o.help = true;
    } else if (value_of(a, "--filter=", &v)) {
        if (!*v || (v[0] == '-' && !v[1])) {
            err.s("kconform: --filter needs a pattern");
            return false;
        }
        if (o.nfilters == int(sizeof o.filters / sizeof o.filters[0])) {
            err.s("kconform: too many --filter options (at most 32)");
            return false;
        }
        o.filters[o.nfilters++] = v;
    } else if (value_of(a, "--profile=", &v)) {
        int i = 0;
        while (i <= LINUX && !rt::streq(v, profile_name(Profile(i)))) ++i;
        if (i > LINUX) {
            err.s("kconform: unknown profile '").s(v);
            err.s("' (PSE51, PSE52, PSE53, PSE54 or LINUX)");
            return false;
        }
        o.profile = Profile(i);
    } else if (value_of(a, "--format=", &v)) {
        if (rt::streq(v, "human"))
            o.format = HUMAN;
        else if (rt::streq(v, "tap"))
            o.format = TAP;
        else if (rt::streq(v, "jsonl"))
            o.format = JSONL;
        else {
            err.s("kconform: unknown format '").s(v).s("' (human, tap or jsonl)");
            return false;
        }
    } else if (value_of(a, "--output=", &v)) {
        if (!*v) {
            err.s("kconform: --output needs a path");
            return false;
        }
        o.output = v;
    } else if (value_of(a, "--timeout=", &v)) {
        long ms;
        if (!rt::parse_long(v, &ms) || ms < 1 || ms > 86400000) {
            err.s("kconform: --timeout wants milliseconds from 1 to 86400000, not '").s(v).c('\'');
            return false;
        }
        o.timeout_ms = u32(ms);
    } else if (value_of(a, "--timeout-scale=", &v)) {
        long n;
        if (!rt::parse_long(v, &n) || n < 1 || n > 100) {
            err.s("kconform: --timeout-scale wants a whole factor from 1 to 100, not '")
                .s(v)
                .c('\'');
            return false;
        }
        o.timeout_scale = u32(n);
    } else if (value_of(a, "--jobs=", &v)) {
        long n = 0;
        if (!rt::streq(v, "auto") && (!rt::parse_long(v, &n) || n < 1 || n > kMaxJobs)) {
            err.s("kconform: --jobs wants a number from 1 to 64 or 'auto', not '").s(v).c('\'');
            return false;
        }
        o.jobs = int(n);
    } else if (value_of(a, "--isolate=", &v)) {
        if (rt::streq(v, "auto"))
            o.isolate = ISOLATE_AUTO;
        else if (rt::streq(v, "fork"))
            o.isolate = ISOLATE_FORK;
        else if (rt::streq(v, "none"))
            o.isolate = ISOLATE_NONE;
        else {
            err.s("kconform: unknown isolation '").s(v).s("' (auto, fork or none)");
            return false;
        }
    } else if (a[0] != '-' && sys::getpid() == 1) {
        // Booted as init: the kernel hands over command-line words it did not
        // recognise. They are not ours; ignore them.
    } else {
        err.s("kconform: unknown option '").s(a).s("' (see --help)");
        return false;
    }
    return true;
}

}  // namespace

bool parse_options(int argc, char** argv, Options& o, rt::Fmt& err) {
    if (const char* env = rt::getenv("KCONFORM_OPTS")) {
        usize n = rt::strlen(env);
        if (n >= sizeof g_env_copy) {
            err.s("kconform: KCONFORM_OPTS is longer than 1023 bytes");
            return false;
        }
        for (usize i = 0; i <= n; ++i) g_env_copy[i] = env[i];
        char* p = g_env_copy;
        while (*p) {
            while (*p == ' ' || *p == '\t') *p++ = 0;
            if (!*p) break;
            char* word = p;
            while (*p && *p != ' ' && *p != '\t') ++p;
            if (*p) *p++ = 0;
            if (!parse_one(word, o, err)) return false;
        }
    }
    for (int i = 1; i < argc; ++i) {
        if (!parse_one(argv[i], o, err)) return false;
    }
    return true;
}

}  // namespace kc

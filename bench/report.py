#!/usr/bin/env python3
"""Turns the results bench/bench.sh collected into BENCHMARKS.md and checks issue 23's targets.

Usage: report.py RESULTS_DIR OUT_FILE   (stdlib only; prints a short summary on stdout)

RESULTS_DIR holds:
  meta.tsv          KEY<TAB>VALUE: the machine, the versions, the knobs
  commands.txt      the COMMANDS lines of bench.sh: NAME | GROUP | PAIR | COMMAND
  SIZE/round-K.json hyperfine --export-json of round K at SIZE devices
  SIZE/rss.tsv      NAME<TAB>KB KB KB: peak RSS of three runs
  SIZE/file_bytes   the size of the generated file
  SIZE/runs         timed runs per command per round
  e2e.status        whether the end-to-end test ran, and its result line
  e2e.measured      its `  measured:` lines (when it ran)
"""
import json
import os
import re
import statistics
import sys

MIB = 1024 * 1024


# ----------------------------------------------------------------------------------------
# Reading the results

def read_lines(path):
    """The lines of a file without their newline; [] when it does not exist."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f]


def read_meta(results):
    meta = {}
    for line in read_lines(os.path.join(results, "meta.tsv")):
        key, _, value = line.partition("\t")
        meta[key] = value
    return meta


def read_commands(results):
    """The commands in bench.sh's order: dicts with name, group, pair, template."""
    commands = []
    for line in read_lines(os.path.join(results, "commands.txt")):
        name, group, pair, template = [part.strip() for part in line.split("|", 3)]
        commands.append({"name": name, "group": group, "pair": pair, "template": template})
    return commands


def combine_rounds(paths):
    """All runs of all rounds per command: {name: {times_ms, median, min, round_medians,
    cpu_ms}}. cpu_ms is the mean CPU time (user+sys) per run; hyperfine exports it only as a
    mean per round, so the rounds are weighted by their number of runs."""
    runs = {}
    for path in paths:
        with open(path) as f:
            for result in json.load(f)["results"]:
                times = [t * 1000 for t in result["times"]]
                entry = runs.setdefault(result["command"],
                                        {"times_ms": [], "round_medians": [], "cpu_total_ms": 0.0})
                entry["times_ms"] += times
                entry["round_medians"].append(statistics.median(times))
                entry["cpu_total_ms"] += (result["user"] + result["system"]) * 1000 * len(times)
    for entry in runs.values():
        entry["median"] = statistics.median(entry["times_ms"])
        entry["min"] = min(entry["times_ms"])
        entry["cpu_ms"] = entry["cpu_total_ms"] / len(entry["times_ms"])
    return runs


def read_size(results, n):
    """Everything measured at n devices."""
    d = os.path.join(results, str(n))
    rounds = sorted((p for p in os.listdir(d) if re.fullmatch(r"round-\d+\.json", p)),
                    key=lambda p: int(re.search(r"\d+", p).group()))
    paired = {}
    path = os.path.join(d, "paired.tsv")
    for line in read_lines(path) if os.path.exists(path) else []:
        name, reference, ratio, q1, q3, mine, theirs = line.split("\t")
        paired[(name, reference)] = {"ratio": float(ratio), "q1": float(q1), "q3": float(q3),
                                     "mine": float(mine), "theirs": float(theirs)}
    rss = {}
    for line in read_lines(os.path.join(d, "rss.tsv")):
        name, _, kbs = line.partition("\t")
        rss[name] = statistics.median(int(kb) for kb in kbs.split()) * 1024
    return {
        "n": n,
        "file_bytes": int(read_lines(os.path.join(d, "file_bytes"))[0]),
        "runs": int(read_lines(os.path.join(d, "runs"))[0]),
        "rounds": len(rounds),
        "timings": combine_rounds(os.path.join(d, p) for p in rounds),
        "rss_bytes": rss,
        "paired": paired,
    }


def read_sizes(results):
    sizes = sorted(int(p) for p in os.listdir(results) if p.isdigit())
    return {n: read_size(results, n) for n in sizes}


# ----------------------------------------------------------------------------------------
# Numbers derived from the results

def median_ms(sizes, n, name):
    """The median of a command at n devices, or None when it was not measured."""
    timing = sizes.get(n, {}).get("timings", {}).get(name)
    return timing["median"] if timing else None


def pair_ratio(commands, size, command):
    """netplan's median / netcfg's median for the pair a netcfg command belongs to."""
    if command["group"] != "netcfg" or command["pair"] == "-":
        return None
    other = next((c for c in commands if c["group"] == "netplan" and c["pair"] == command["pair"]), None)
    if other is None:
        return None
    mine, theirs = size["timings"].get(command["name"]), size["timings"].get(other["name"])
    if not mine or not theirs:
        return None
    return theirs["median"] / mine["median"], other["name"]


def e2e_median(results, tag, pattern):
    """The median over the end-to-end runs tagged `tag` (`netplan 0.106`, `netplan 1.1`,
    `NetworkManager`) of the measured lines matching `pattern` (its group 1: milliseconds)."""
    took = []
    for line in read_lines(os.path.join(results, "e2e.measured")):
        if not line.startswith("[%s]" % tag):
            continue
        m = re.search(pattern, line)
        if m:
            took.append(int(m.group(1)))
    return int(statistics.median(took)) if took else None


ROLLBACK = r"restored and verified: (\d+) ms"
CONVERGE = r"applied and verified .*: (\d+) ms"


def rollback_ms(results):
    """The median 'netplan apply returned -> previous state restored and verified' (0.106)."""
    return e2e_median(results, "netplan 0.106", ROLLBACK)


# ----------------------------------------------------------------------------------------
# Formatting

def ms(value):
    if value is None:
        return "—"
    return "%.2f" % value if value < 10 else "%.1f" % value


def mib(value):
    return "—" if value is None else "%.1f" % (value / MIB)


def plural(n, word):
    return "%s %s%s" % (count(n), word, "" if n == 1 else "s")


def shown(template):
    """A command template as the report shows it: netcfg, netplan, ROOT, WORK, FILE."""
    for placeholder, word in (("@BIN@", "netcfg"), ("@NETPLAN@", "netplan"), ("@ROOT@", "ROOT"),
                              ("@WORK@", "WORK"), ("@FILE@", "FILE"),
                              ("@LIBYAML@", "bench/libyaml-parse"), ("@SWIFTFLOOR@", "bench/swift-floor")):
        template = template.replace(placeholder, word)
    return template


def count(n):
    return "{:,}".format(n)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------
# The targets of issue 23 (relative to the libyaml floor), and issue 8's rollback time

FLOOR = "floor: libyaml"


def floor_ratio(sizes, n, name):
    """The command's median over libyaml's own parse of the same file, or None."""
    mine, floor = median_ms(sizes, n, name), median_ms(sizes, n, FLOOR)
    return None if mine is None or floor is None else mine / floor


def paired_of(sizes, n, name, reference):
    """The alternated pairs' measurement of name against reference at n devices, or None."""
    return sizes.get(n, {}).get("paired", {}).get((name, reference))


def verdict(ok):
    return "PASS" if ok else "FAIL"


def check_targets(results, commands, sizes):
    """Rows (target, measured, result); result is PASS, FAIL or 'not measured'."""
    rows = []
    missing = "not measured"

    def faster(n, factor, number):
        target = "%s. `set-ip` ≥ %dx faster than `netplan set`, %s" % (number, factor, plural(n, "device"))
        mine, theirs = median_ms(sizes, n, "netcfg set-ip"), median_ms(sizes, n, "netplan set")
        if mine is None or theirs is None:
            rows.append((target, "size %s not measured" % count(n), missing))
            return
        note = ""
        start = median_ms(sizes, n, "floor: Swift")
        if start is not None:
            note = "; a Swift program's start-up alone is %s ms = %.1fx" % (ms(start), theirs / start)
        pair = paired_of(sizes, n, "netcfg set-ip", "netplan set")
        if pair is None:
            rows.append((target, "%.1fx (%s ms vs %s ms%s)" % (theirs / mine, ms(mine), ms(theirs), note),
                         verdict(theirs / mine >= factor)))
            return
        # The verdict from the alternated pairs: netplan's time over netcfg's, pair by pair.
        faster_by, low, high = 1 / pair["ratio"], 1 / pair["q3"], 1 / pair["q1"]
        rows.append((target, "%.1fx in alternated pairs (quartiles %.1f-%.1fx; %s ms vs %s ms); hyperfine medians: %.1fx%s"
                     % (faster_by, low, high, ms(pair["mine"]), ms(pair["theirs"]), theirs / mine, note),
                     verdict(faster_by >= factor)))

    def within(n, name, factor, number):
        target = "%s. `%s` ≤ %sx the libyaml floor, %s" % (number, name.split()[1], factor, plural(n, "device"))
        ratio = floor_ratio(sizes, n, name)
        pair = paired_of(sizes, n, name, FLOOR)
        if ratio is None:
            rows.append((target, "size %s not measured" % count(n), missing))
        elif pair is None:
            rows.append((target, "%.2fx (%s ms vs %s ms)" % (ratio, ms(median_ms(sizes, n, name)),
                                                         ms(median_ms(sizes, n, FLOOR))), verdict(ratio <= factor)))
        else:
            # The verdict from the alternated pairs (the host's minute taken out of each).
            rows.append((target, "%.2fx in alternated pairs (quartiles %.2f-%.2fx; %s ms vs %s ms); hyperfine medians: %.2fx"
                         % (pair["ratio"], pair["q1"], pair["q3"], ms(pair["mine"]), ms(pair["theirs"]), ratio),
                         verdict(pair["ratio"] <= factor)))

    # 1. One device: set-ip >= 25x faster than netplan set.
    faster(1, 25, 1)
    # 2. 2,000 devices: set-ip <= 2.5x the floor and >= 8x faster than netplan set.
    within(2000, "netcfg set-ip", 2.5, 2)
    faster(2000, 8, 2)
    # 3. 10,000 devices: validate, get, show <= 2x the floor; set-ip <= 2.5x.
    for name in ("netcfg validate", "netcfg get", "netcfg show"):
        within(10000, name, 2, 3)
    within(10000, "netcfg set-ip", 2.5, 3)
    # 4. Peak RSS of every command at 10,000 devices <= 3x the file size + 20 MiB.
    big, small = 10000, 1000
    netcfg_names = [c["name"] for c in commands if c["group"] == "netcfg"]
    for name in netcfg_names:
        target = "4. `%s` peak RSS ≤ 3 × file + 20 MiB, 10,000 devices" % name.split()[1]
        size = sizes.get(big)
        if size is None or name not in size["rss_bytes"]:
            rows.append((target, "size 10,000 not measured", missing))
        else:
            limit = 3 * size["file_bytes"] + 20 * MIB
            rss = size["rss_bytes"][name]
            rows.append((target, "%s MiB (limit %s MiB)" % (mib(rss), mib(limit)), verdict(rss <= limit)))
    # 5. Linear: time per device grows at most 1.2x from 1,000 to 10,000 devices.
    for name in netcfg_names:
        target = "5. `%s` time per device 1,000 → 10,000 devices grows ≤ 1.2x" % name.split()[1]
        a, b = median_ms(sizes, small, name), median_ms(sizes, big, name)
        if a is None or b is None:
            rows.append((target, "sizes 1,000 and 10,000 not both measured", missing))
        else:
            growth = (b / big) / (a / small)
            rows.append((target, "%.2fx (%.1f → %.1f µs per device)" % (growth, a * 1000 / small, b * 1000 / big),
                         verdict(growth <= 1.2)))

    # Issue 8: a bad gateway rolled back and verified within 3 s of `netplan apply` returning.
    target = "Issue 8: bad gateway rolled back and verified < 3 s after `netplan apply` returned"
    took = rollback_ms(results)
    if took is None:
        status = " ".join(read_lines(os.path.join(results, "e2e.status"))) or "not run"
        rows.append((target, "end-to-end test: %s" % status, missing))
    else:
        rows.append((target, "%s ms" % count(took), verdict(took < 3000)))
    return rows


# ----------------------------------------------------------------------------------------
# The report

def section_rerun():
    return """## How to rerun

```sh
make bench                      # release build, all sizes, end-to-end timings when root
NETCFG_BIN=/path/to/netcfg bench/bench.sh   # an existing binary, no build
SIZES="1 100" ROUNDS=1 bench/bench.sh       # a quick run
```

Knobs (environment): `NETCFG_BIN` (binary to measure; default: the build of `make release`, scripts/build-release.sh),
`SIZES` (device counts; default `1 100 1000 2000 10000`), `SET_ONLY_SIZES` (sizes where only
`set-ip`, `netplan set` and the floor run; default `2000`), `ROUNDS` (default 3), `RUNS`
(timed runs per command per round; default 20 up to 100 devices, 10 up to 2,000, 5 above),
`PAIRS` (alternated pairs of runs per target measured against a reference; default 15),
`E2E=0` (skip the end-to-end timings), `OUT` (this file)."""


def section_machine(meta):
    keys = [("date", "Date"), ("cpus", "CPUs (nproc)"), ("cpu", "CPU"), ("memory", "Memory"),
            ("kernel", "Kernel"), ("swift", "Swift"), ("netplan", "netplan.io"),
            ("load", "Load average at start"),
            ("pair_start", "Second CPU at start: two libyaml parses at once / one alone"),
            ("pair_end", "Second CPU at end: two libyaml parses at once / one alone"),
            ("hyperfine", "hyperfine"), ("netcfg", "netcfg"),
            ("binary", "Binary measured"),
            ("checkout", "Checkout"),
            ("duration", "Benchmark took")]
    rows = [(label, meta.get(key, "?")) for key, label in keys]
    return "## Machine\n\n" + table(["", ""], rows)


def section_method(meta, commands, sizes):
    runs = ", ".join("%s: %d" % (plural(n, "device"), s["runs"]) for n, s in sizes.items())
    rows = [("`%s`" % c["name"], "`%s`" % shown(c["template"])) for c in commands]
    return """## Method

Each size is one generated file (`bench/gen-netplan.py ROOT N`: every device with a comment,
an address with a trailing comment, a route, two nameservers and a search domain) in a root
`ROOT`; `FILE` is that file, `WORK` a fresh copy of `ROOT` made before every timed run.

- **Time**: hyperfine, wall clock of the whole process, run without a shell (`-N`), its output
  to /dev/null (hyperfine's `--output=null`: this is how `cat FILE > /dev/null` is measured,
  and every other command the same way).
- **Alternation**: hyperfine runs all runs of one command before the next, so each size is
  measured in {rounds} (hyperfine invocations), each with every command (`--warmup 1`),
  the order of the commands rotated by one each round. Medians and minima are over all runs
  of all rounds; the per-round medians show the drift between rounds. Timed runs per command
  per round: {runs}.
- **Same work**: one `--prepare` for every command and run: `rm -rf WORK && cp -a ROOT WORK && sync` (the sync: a command that fsyncs its write, as netcfg does, then waits for its own write only),
  so each write starts from the same file and every command runs after the same preparation.
- **Targets against a reference** (the libyaml floor, `netplan set`): judged on {pairs}
  alternated pairs of runs (`bench/paired.py`: the command and its reference one right
  after the other, which one first alternating, each after the same preparation; one
  warm-up each), by the median of the pairs' ratios, with its quartiles. The host's speed
  moves by a third from one minute to the next here; a slow minute slows both runs of a
  pair, while a ratio of two hyperfine medians taken minutes apart moves with it (the
  hyperfine ratio is shown beside it).
- **CPU ms**: user+system time per run (mean over all runs, from hyperfine), for comparison
  when the machine was busy (see the load average above): the wall-clock median is what the
  targets use.
- **Peak RSS**: `/usr/bin/time -f %M` (max resident set size), median of 3 runs, each on a
  fresh `WORK`. MiB = 2^20 bytes.
- Before timing, each command runs once at each size and must exit 0; the two set commands
  must have written the new address and gateway.

`netplan set` and `set-ip` do the same work on the file (the address and a default route via
10.250.0.1 for eth0), with two differences in what netplan writes: it appends 10.250.0.5/24 to
the addresses (netplan set merges lists; replacing needs a second call setting `addresses`
to null first, which would double its time), and it rewrites the whole file, comments lost.
`netplan get` prints eth0's mapping as `netcfg get` does.

{commands}""".format(rounds=plural(int(meta.get("rounds", 0)), "round"), runs=runs, pairs=meta.get("pairs", "15"),
                     commands=table(["Name", "Command"], rows))


def section_overview(commands, sizes):
    """Median ms of each command at each size: linear growth shows in one row."""
    ns = list(sizes)
    rows = []
    for c in commands:
        rows.append(["`%s`" % c["name"]] + [ms(median_ms(sizes, n, c["name"])) for n in ns])
    rows.append(["file size (bytes)"] + [count(sizes[n]["file_bytes"]) for n in ns])
    header = ["Median ms"] + ["%s dev." % count(n) for n in ns]
    return "## Overview\n\n" + table(header, rows)


def section_size(commands, size):
    n = size["n"]
    rows = []
    for c in commands:
        timing = size["timings"].get(c["name"])
        if timing is None:
            continue
        ratio = pair_ratio(commands, size, c)
        rows.append([
            "`%s`" % c["name"],
            ms(timing["median"]),
            ms(timing["min"]),
            ms(timing["cpu_ms"]),
            " / ".join(ms(m) for m in timing["round_medians"]),
            "%.1fx (%s)" % (ratio[0], ratio[1]) if ratio else "",
            "%.2fx" % floor_ratio({n: size}, n, c["name"]) if c["group"] != "floor" and floor_ratio({n: size}, n, c["name"]) else "",
            mib(size["rss_bytes"].get(c["name"])),
            "%.1f" % (timing["median"] * 1000 / n),
        ])
    header = ["Command", "Median ms", "Min ms", "CPU ms", "Per-round medians ms", "netplan ÷ netcfg",
              "÷ libyaml floor", "Peak RSS MiB", "µs per device"]
    title = "### %s (file: %s bytes; %s × %s)" % (
        plural(n, "device"), count(size["file_bytes"]), plural(size["rounds"], "round"),
        plural(size["runs"], "run"))
    return title + "\n\n" + table(header, rows)


def section_e2e(results):
    status = " ".join(read_lines(os.path.join(results, "e2e.status"))) or "not run"
    measured = read_lines(os.path.join(results, "e2e.measured"))
    text = ("## End to end\n\n`Tests/e2e/apply-rollback.sh` (real `netplan apply`, systemd-networkd and "
            "systemd-resolved in network namespaces), 3 runs with each netplan, and `Tests/e2e/nm-apply.sh` "
            "(the same with the real NetworkManager), 3 runs: %s.\n" % status)
    rows = []
    for tag in ("netplan 0.106", "netplan 1.1", "NetworkManager"):
        converge, rollback = e2e_median(results, tag, CONVERGE), e2e_median(results, tag, ROLLBACK)
        if converge is not None or rollback is not None:
            label = "netplan 0.106, NetworkManager 1.42" if tag == "NetworkManager" else tag + ", systemd-networkd"
            rows.append((label, "—" if converge is None else "%d" % converge,
                         "—" if rollback is None else "%d" % rollback))
    if rows:
        text += ("\nMedians. Apply: `set-ip --apply` from start to applied and verified (the edit, `netplan "
                 "apply`, verification). Rollback: from `netplan apply` returning with a bad gateway to the "
                 "previous state restored and verified (`--verify-timeout 2`).\n\n"
                 + table(["netplan, renderer", "apply converged (ms)", "rollback (ms)"], rows) + "\n")
    if measured:
        text += "\n```\n" + "\n".join(line.strip() for line in measured) + "\n```\n"
    failures = read_lines(os.path.join(results, "e2e.failures"))
    if failures:
        text += "\nIts failed checks (scenario, then check):\n\n```\n" + "\n".join(failures) + "\n```\n"
    return text.rstrip("\n")


def section_status(results):
    path = os.path.join(results, "status.json")
    status = " ".join(read_lines(os.path.join(results, "status.status"))) or "not run"
    text = ("## status on a 10-device host\n\n`bench/status.sh` (`make bench-status`): `netcfg status --no-probe` "
            "inside the end-to-end sandbox host (systemd-networkd and systemd-resolved answering over D-Bus; "
            "10 links with addresses, routes in 10 tables and DNS), hyperfine, 5 warm-up runs: %s." % status)
    if not os.path.exists(path):
        return text
    with open(path) as f:
        r = json.load(f)["results"][0]
    rows = [("status --no-probe", "%.1f" % (r["median"] * 1000), "%.1f" % (r["mean"] * 1000),
             "%.1f" % (r["min"] * 1000), "%d" % len(r["times"]), "PASS" if r["median"] * 1000 < 30 else "FAIL")]
    return text + "\n\n" + table(["Command", "Median ms", "Mean ms", "Min ms", "Runs", "Target < 30 ms (issue 20)"], rows)


def section_targets(rows):
    passed = sum(1 for r in rows if r[2] == "PASS")
    failed = sum(1 for r in rows if r[2] == "FAIL")
    other = len(rows) - passed - failed
    summary = "%d PASS, %d FAIL%s" % (passed, failed, ", %d not measured" % other if other else "")
    return ("## Targets (issue 23; issue 8's rollback time)\n\n" + table(["Target", "Measured", "Result"], rows)
            + "\n\n" + summary), summary


def main():
    results, out = sys.argv[1], sys.argv[2]
    meta, commands, sizes = read_meta(results), read_commands(results), read_sizes(results)
    targets, summary = section_targets(check_targets(results, commands, sizes))
    parts = [
        "# Benchmarks\n\nnetcfg against netplan's own CLI (`netplan get`, `netplan set`) and the floor "
        "(`cat`, `cp`, and `bench/libyaml-parse`: libyaml's event parser over the file with nothing "
        "built, the least any libyaml-based reader spends; `bench/swift-floor`: a Swift program built and linked like netcfg "
        "that reads its command line and does nothing else), "
        "on netplan files of %s devices. "
        "Generated by `bench/bench.sh` (`make bench`); do not edit by hand." % ", ".join(count(n) for n in sizes),
        section_rerun(),
        section_machine(meta),
        section_method(meta, commands, sizes),
        section_overview(commands, sizes),
        "## Per size\n\n" + "\n\n".join(section_size(commands, s) for s in sizes.values()),
        section_e2e(results),
        section_status(results),
        targets,
    ]
    with open(out, "w") as f:
        f.write("\n\n".join(parts) + "\n")

    # The short summary on stdout.
    print("report: %s" % out)
    largest = max(sizes) if sizes else None
    if largest is not None:
        line = ", ".join("%s %s ms" % (c["name"], ms(median_ms(sizes, largest, c["name"])))
                         for c in commands if median_ms(sizes, largest, c["name"]) is not None)
        print("%s (median): %s" % (plural(largest, "device"), line))
    for n in sizes:
        mine, theirs = median_ms(sizes, n, "netcfg set-ip"), median_ms(sizes, n, "netplan set")
        if mine and theirs:
            print("%s: set-ip %s ms, netplan set %s ms (netplan ÷ netcfg %.1fx)"
                  % (plural(n, "device"), ms(mine), ms(theirs), theirs / mine))
    print("end to end: %s" % (" ".join(read_lines(os.path.join(results, "e2e.status"))) or "not run"))
    print("status: %s" % (" ".join(read_lines(os.path.join(results, "status.status"))) or "not run"))
    print("targets: %s" % summary)


if __name__ == "__main__":
    main()

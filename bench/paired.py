#!/usr/bin/env python3
"""Ratios of two commands measured in alternated pairs (bench/bench.sh): for each line of
stdin, NAME<TAB>COMMAND<TAB>REFERENCE<TAB>COMMAND, PAIRS pairs of runs, the command and
its reference one right after the other (which one first alternates), each after RESET
(the same preparation hyperfine's --prepare gives). A minute when the host is slow then
slows both runs of a pair, and the median of the pairs' ratios is the host's minute taken
out; hyperfine runs all runs of one command together, so a slow minute falls on one
command and moves its ratio to another.

Usage: paired.py RESET PAIRS < pairs.tsv > paired.tsv
Writes NAME<TAB>REFERENCE<TAB>median ratio<TAB>first quartile<TAB>third quartile<TAB>
median ms<TAB>reference median ms, the ratio being the command's time over the reference's.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


DEVNULL = os.open(os.devnull, os.O_WRONLY)
# Output to /dev/null, as hyperfine's --output=null.
QUIET = [(os.POSIX_SPAWN_DUP2, DEVNULL, 1), (os.POSIX_SPAWN_DUP2, DEVNULL, 2)]


def timed(words, reset):
    """Wall time of one run in ms, after RESET: posix_spawn and waitpid, nothing between
    (a subprocess.run adds about a millisecond, a fifth of a one-device command)."""
    subprocess.run(["sh", reset], check=True)
    start = time.perf_counter()
    pid = os.posix_spawnp(words[0], words, os.environ, file_actions=QUIET)
    _, status = os.waitpid(pid, 0)
    took = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("paired: exit %d: %s" % (os.waitstatus_to_exitcode(status), shlex.join(words)))
    return took


def main():
    reset, pairs = sys.argv[1], int(sys.argv[2])
    for line in sys.stdin:
        if not line.strip():
            continue
        name, command, reference, reference_command = line.rstrip("\n").split("\t")
        mine_words, theirs_words = shlex.split(command), shlex.split(reference_command)
        timed(mine_words, reset)  # one warm-up each
        timed(theirs_words, reset)
        mine, theirs = [], []
        for i in range(pairs):
            if i % 2 == 0:
                mine.append(timed(mine_words, reset))
                theirs.append(timed(theirs_words, reset))
            else:
                theirs.append(timed(theirs_words, reset))
                mine.append(timed(mine_words, reset))
        ratios = sorted(a / b for a, b in zip(mine, theirs))
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        print("\t".join([name, reference, "%.4f" % statistics.median(ratios), "%.4f" % quartiles[0],
                         "%.4f" % quartiles[2], "%.3f" % statistics.median(mine), "%.3f" % statistics.median(theirs)]))


if __name__ == "__main__":
    main()

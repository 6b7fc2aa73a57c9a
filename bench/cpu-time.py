#!/usr/bin/env python3
"""Runs a command RUNS times and prints the median and min CPU time (user+sys) in ms,
measured with wait4's rusage (CPU time, not wall time: immune to other load)."""
import os
import statistics
import sys

runs = int(sys.argv[1])
cmd = sys.argv[2:]
times = []
for _ in range(runs):
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    times.append((usage.ru_utime + usage.ru_stime) * 1000)
print("median %.1f ms  min %.1f ms  (%d runs, CPU user+sys)" % (statistics.median(times), min(times), runs))

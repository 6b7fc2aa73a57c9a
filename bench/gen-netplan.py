#!/usr/bin/env python3
"""Writes a netplan file with N devices (comments, addresses, routes, nameservers) below ROOT."""
import os
import sys

root, count = sys.argv[1], int(sys.argv[2])
path = os.path.join(root, "etc/netplan/50-bench.yaml")
os.makedirs(os.path.dirname(path), exist_ok=True)
lines = ["# benchmark configuration: %d devices" % count, "network:", "  version: 2", "  ethernets:"]
for i in range(count):
    a, b = divmod(i, 250)
    lines += [
        "    # device %d" % i,
        "    eth%d:" % i,
        "      dhcp4: false",
        "      addresses: [10.%d.%d.2/24]   # static" % (a, b),
        "      routes:",
        "        - to: 172.16.%d.0/24" % b,
        "          via: 10.%d.%d.1" % (a, b),
        "      nameservers:",
        "        addresses: [192.0.2.53, 192.0.2.54]",
        "        search: [example.com]",
    ]
with open(path, "w") as f:
    f.write("\n".join(lines) + "\n")
os.chmod(path, 0o600)

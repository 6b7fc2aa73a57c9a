# -*- coding: utf-8 -*-
# Copyright: netcfg developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The options of the modules that edit: how to apply, verify, and where."""

    DOCUMENTATION = r'''
options:
  apply:
    description:
      - V(none) writes the files only.
      - V(apply) applies at once, verified, as one transaction with the edit (a failure puts the old files back and fails the task).
      - V(try) applies and verifies, then returns with the change pending; the host rolls it back by itself unless
        C(netcfg confirm) runs within O(try_timeout) seconds (also when the change cut off the connection).
      - With O(root), V(apply) and V(try) render the tree with C(netplan generate); nothing is applied.
    type: str
    choices: [none, apply, try]
    default: none
  verify_timeout:
    description: How long verification may take, in seconds (netcfg's default 2).
    type: float
  check_hosts:
    description: Hosts that must answer ping after the apply.
    type: list
    elements: str
    default: []
  check_dns:
    description: Names that must resolve after the apply.
    type: list
    elements: str
    default: []
  check_tcp:
    description: IP:PORT (IPv6 V([IP]:PORT)) that must accept TCP connections after the apply.
    type: list
    elements: str
    default: []
  try_timeout:
    description: With O(apply=try), the seconds a later task has to run C(netcfg confirm).
    type: int
    default: 120
  file:
    description: Write to this file in /etc/netplan (also when a later file would override it).
    type: str
  root:
    description: Work on the tree below this directory (an image, a test root) instead of the host.
    type: path
  netcfg:
    description: The netcfg binary (a name looked up in the system directories, or a path).
    type: str
    default: netcfg
notes:
  - Check mode runs netcfg with C(--dry-run); diff mode shows netcfg's unified diff, with secrets masked.
attributes:
  check_mode:
    description: Runs netcfg with C(--dry-run); nothing is written, C(changed) is as it would be.
    support: full
  diff_mode:
    description: Returns netcfg's unified diff of each file (secrets masked).
    support: full
  platform:
    description: Linux hosts with netplan (Ubuntu, Debian) and the netcfg binary.
    support: full
    platforms: posix
'''

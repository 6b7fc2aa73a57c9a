#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netcfg developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: netcfg_ip
short_description: Fixed addresses, gateways and DNS of an interface, through netcfg
description:
  - Runs C(netcfg set-ip) on the target. It replaces the interface's addresses of the families
    given, turns DHCP off for them (unless O(keep_dhcp)), writes each gateway as a default route
    and sets nameservers and search domains, in the netplan file that defines the interface,
    keeping its comments, key order and indentation.
  - The edit is validated before anything is written; a bad value fails the task with netcfg's
    FILE:LINE:COL diagnostics and changes nothing.
  - With O(apply=apply) the change is applied with verification (addresses, routes, gateway,
    DNS, the daemon managing the interface) and rolled back automatically when it breaks
    something; the task then fails and says what was restored.
version_added: 0.1.0
author:
  - netcfg developers (@netcfg)
options:
  interface:
    description: The interface (netplan id, set-name, or matched name).
    type: str
    required: true
  addresses:
    description: Addresses with prefix length, for example V(192.0.2.10/24) or V(2001:db8::10/64).
    type: list
    elements: str
    default: []
  gateway:
    description: Default gateway (IPv4, or IPv6).
    type: str
  gateway6:
    description: Default IPv6 gateway.
    type: str
  dns:
    description: DNS servers.
    type: list
    elements: str
    default: []
  search:
    description: Search domains.
    type: list
    elements: str
    default: []
  on_link:
    description: "The gateway is reachable on the link even outside the subnet (writes C(on-link: true))."
    type: bool
    default: false
  keep_dhcp:
    description: Leave DHCP as it is.
    type: bool
    default: false
  force:
    description: Also on a bridge or bond member, or when the loopback would lose 127.0.0.1/8.
    type: bool
    default: false
extends_documentation_fragment:
  - netcfg.netcfg.common
'''

EXAMPLES = r'''
- name: Fixed IP, gateway and DNS, applied and verified
  netcfg.netcfg.netcfg_ip:
    interface: ens33
    addresses: [192.0.2.21/24]
    gateway: 192.0.2.1
    dns: [192.0.2.53]
    search: [example.test]
    apply: apply

- name: Tried; confirmed by the next task, rolled back by the host otherwise
  netcfg.netcfg.netcfg_ip:
    interface: ens33
    addresses: [192.0.2.22/24]
    gateway: 192.0.2.1
    apply: try
    try_timeout: 60

- name: Confirm it (only runs when the host is still reachable)
  ansible.builtin.command: netcfg confirm
'''

RETURN = r'''
files:
  description: The netplan files the edit changes (paths on the target, below O(root) when given).
  returned: always
  type: list
  elements: str
diagnostics:
  description: netcfg's diagnostics, each as FILE:LINE:COL, severity and message.
  returned: always
  type: list
  elements: str
outcome:
  description: With O(apply=apply), V(applied); with O(apply=try), V(awaiting-confirmation).
  returned: when applied
  type: str
generation:
  description: The history generation the applied change became.
  returned: when applied
  type: int
restored:
  description: On a rolled-back apply (a failed task), the files put back.
  returned: failure
  type: list
  elements: str
failed_checks:
  description: On a rolled-back apply, the verification checks that failed.
  returned: failure
  type: list
  elements: str
rc:
  description: netcfg's exit code.
  returned: always
  type: int
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netcfg.netcfg.plugins.module_utils.netcfg import COMMON_OPTIONS, edit


def main():
    spec = dict(
        interface=dict(type='str', required=True),
        addresses=dict(type='list', elements='str', default=[]),
        gateway=dict(type='str'),
        gateway6=dict(type='str'),
        dns=dict(type='list', elements='str', default=[]),
        search=dict(type='list', elements='str', default=[]),
        on_link=dict(type='bool', default=False),
        keep_dhcp=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )
    spec.update(COMMON_OPTIONS)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    p = module.params
    arguments = ['set-ip', p['interface']] + p['addresses']
    for key, flag in (('gateway', '--gateway'), ('gateway6', '--gateway6')):
        if p[key]:
            arguments += [flag, p[key]]
    for server in p['dns']:
        arguments += ['--dns', server]
    for domain in p['search']:
        arguments += ['--search', domain]
    for key, flag in (('on_link', '--on-link'), ('keep_dhcp', '--keep-dhcp'), ('force', '--force')):
        if p[key]:
            arguments.append(flag)
    edit(module, arguments)


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netcfg developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: netcfg_dns
short_description: DNS servers and search domains, through netcfg
description:
  - Runs C(netcfg dns set) on the target.
  - With O(interface), the interface's netplan nameservers (O(method=netplan)). With O(global=true),
    systemd-resolved's global DNS (a drop-in, or C(DNS=) in resolved.conf itself with O(in_place)).
    With O(method=resolv-conf), a static /etc/resolv.conf (O(force) when systemd-resolved owns it;
    the old link is recorded for rollback).
  - Validated before anything is written; with O(apply=apply) applied, verified by a lookup through the new
    servers, and rolled back when they do not answer.
version_added: 0.1.0
author:
  - netcfg developers (@netcfg)
options:
  servers:
    description: DNS servers.
    type: list
    elements: str
    required: true
  search:
    description: Search domains.
    type: list
    elements: str
    default: []
  interface:
    description: The interface whose netplan nameservers to set.
    type: str
  global:
    description: systemd-resolved's global DNS.
    type: bool
    default: false
  method:
    description: Where the servers go; netcfg chooses from O(interface) and O(global) when not given.
    type: str
    choices: [netplan, resolved, resolv-conf]
  no_dhcp_dns:
    description: With O(interface), ignore the DNS servers DHCP gives.
    type: bool
    default: false
  in_place:
    description: With O(global), set C(DNS=) in resolved.conf itself instead of a drop-in.
    type: bool
    default: false
  force:
    description: With O(method=resolv-conf), replace systemd-resolved's link.
    type: bool
    default: false
extends_documentation_fragment:
  - netcfg.netcfg.common
'''

EXAMPLES = r'''
- name: Interface DNS in netplan, applied and verified by a lookup
  netcfg.netcfg.netcfg_dns:
    servers: [192.0.2.53]
    search: [example.test]
    interface: ens33
    apply: apply
    check_dns: [www.example.test]

- name: Global DNS for systemd-resolved
  netcfg.netcfg.netcfg_dns:
    servers: [192.0.2.53, 192.0.2.54]
    global: true
    apply: apply
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
        servers=dict(type='list', elements='str', required=True),
        search=dict(type='list', elements='str', default=[]),
        interface=dict(type='str'),
        method=dict(type='str', choices=['netplan', 'resolved', 'resolv-conf']),
        no_dhcp_dns=dict(type='bool', default=False),
        in_place=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )
    spec['global'] = dict(type='bool', default=False)
    spec.update(COMMON_OPTIONS)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, mutually_exclusive=[('interface', 'global')])
    p = module.params
    arguments = ['dns', 'set'] + p['servers']
    for domain in p['search']:
        arguments += ['--search', domain]
    if p['interface']:
        arguments += ['--interface', p['interface']]
    if p['global']:
        arguments.append('--global')
    if p['method']:
        arguments += ['--method', p['method']]
    for key, flag in (('no_dhcp_dns', '--no-dhcp-dns'), ('in_place', '--in-place'), ('force', '--force')):
        if p[key]:
            arguments.append(flag)
    edit(module, arguments)


if __name__ == '__main__':
    main()

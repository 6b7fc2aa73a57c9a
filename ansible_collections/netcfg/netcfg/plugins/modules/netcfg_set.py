#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netcfg developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: netcfg_set
short_description: Set or remove any netplan key, through netcfg
description:
  - Runs C(netcfg set KEY=VALUE...) and C(netcfg unset KEY...) on the target. KEY is a dotted path as netplan
    spells it (C(network.) optional), for example C(ethernets.eth0.mtu); VALUE is YAML flow syntax.
  - Only the lines of the changed keys change; comments, key order and indentation stay. Validated before
    anything is written.
version_added: 0.1.0
author:
  - netcfg developers (@netcfg)
options:
  set:
    description: Keys and their values (a value that is not a string is written as YAML flow syntax).
    type: dict
    default: {}
  unset:
    description: Keys to remove (from every /etc file that sets them).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - netcfg.netcfg.common
'''

EXAMPLES = r'''
- name: Jumbo frames and a second address
  netcfg.netcfg.netcfg_set:
    set:
      ethernets.ens33.mtu: 9000
      ethernets.ens33.addresses: [192.0.2.21/24, 192.0.2.22/24]
    apply: apply

- name: No more gateway4
  netcfg.netcfg.netcfg_set:
    unset: [ethernets.ens33.gateway4]
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

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netcfg.netcfg.plugins.module_utils.netcfg import COMMON_OPTIONS, edit, finish, run_json


def flow(value):
    """A value as YAML flow syntax (JSON is flow YAML); strings as they are."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def main():
    spec = dict(
        set=dict(type='dict', default={}),
        unset=dict(type='list', elements='str', default=[]),
    )
    spec.update(COMMON_OPTIONS)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, required_one_of=[('set', 'unset')])
    p = module.params
    prior = None
    if p['set'] and p['unset']:
        # Two commands, the unset first: they can be applied only as two transactions.
        if p['apply'] != 'none' and not module.check_mode and not p['root']:
            module.fail_json(msg='set and unset together cannot be applied as one transaction: use two tasks')
        rc, prior, err = run_json(module, ['unset'] + p['unset'] + (['--dry-run'] if module.check_mode else []))
        if rc != 0 or prior.get('error'):
            finish(module, rc, prior, err)
    if p['set']:
        edit(module, ['set'] + ['%s=%s' % (key, flow(value)) for key, value in p['set'].items()], prior)
    edit(module, ['unset'] + p['unset'])


if __name__ == '__main__':
    main()

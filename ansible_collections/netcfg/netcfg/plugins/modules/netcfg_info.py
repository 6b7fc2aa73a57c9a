#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netcfg developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: netcfg_info
short_description: netcfg's picture of the host as facts
description:
  - Runs C(netcfg show), C(netcfg dns status) and, on a live host (no O(root)), C(netcfg status --no-probe),
    and returns them as facts under C(netcfg).
version_added: 0.1.0
author:
  - netcfg developers (@netcfg)
options:
  status:
    description: Also gather C(netcfg status --no-probe) (configured beside live, and why they differ).
    type: bool
    default: true
  root:
    description: Read the tree below this directory instead of the host (no live status there).
    type: path
  netcfg:
    description: The netcfg binary (a name looked up in the system directories, or a path).
    type: str
    default: netcfg
attributes:
  check_mode:
    description: Reads only; runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: none
  facts:
    description: Returns the facts under C(netcfg).
    support: full
  platform:
    description: Linux hosts with netplan (Ubuntu, Debian) and the netcfg binary.
    support: full
    platforms: posix
'''

EXAMPLES = r'''
- name: Gather netcfg's facts
  netcfg.netcfg.netcfg_info:

- name: Fail when the live state differs from the files
  ansible.builtin.assert:
    that: not ansible_facts.netcfg.status.differs
'''

RETURN = r'''
ansible_facts:
  description: Facts under C(netcfg).
  returned: always
  type: complex
  contains:
    netcfg:
      description:
        - C(config) (C(netcfg show --json)), C(dns) (C(netcfg dns status --json)) and C(status)
          (C(netcfg status --json --no-probe); null below O(root) or with O(status=false)).
      returned: always
      type: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netcfg.netcfg.plugins.module_utils.netcfg import located, run_json


def main():
    module = AnsibleModule(
        argument_spec=dict(status=dict(type='bool', default=True), root=dict(type='path'), netcfg=dict(type='str', default='netcfg')),
        supports_check_mode=True)
    facts = {}
    for key, arguments in (('config', ['show']), ('dns', ['dns', 'status'])):
        rc, data, err = run_json(module, arguments)
        if rc not in (0, 65):
            module.fail_json(msg='netcfg %s failed (exit %d): %s' % (' '.join(arguments), rc, data.get('error') or err.strip()),
                             diagnostics=[located(d) for d in data.get('diagnostics') or []])
        facts[key] = data
    facts['status'] = None
    if module.params['status'] and not module.params['root']:
        rc, data, err = run_json(module, ['status', '--no-probe'])
        if rc not in (0, 1):
            module.fail_json(msg='netcfg status failed (exit %d): %s' % (rc, data.get('error') or err.strip()))
        facts['status'] = data
    module.exit_json(changed=False, ansible_facts=dict(netcfg=facts))


if __name__ == '__main__':
    main()

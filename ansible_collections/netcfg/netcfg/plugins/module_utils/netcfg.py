# -*- coding: utf-8 -*-
# Copyright: netcfg developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running netcfg from the modules: its --json answers become results, check mode becomes
--dry-run, diff mode shows netcfg's own unified diff (secrets masked), and failures carry its
FILE:LINE:COL diagnostics."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time

# The options every editing module shares.
COMMON_OPTIONS = dict(
    apply=dict(type='str', default='none', choices=['none', 'apply', 'try']),
    verify_timeout=dict(type='float'),
    check_hosts=dict(type='list', elements='str', default=[]),
    check_dns=dict(type='list', elements='str', default=[]),
    check_tcp=dict(type='list', elements='str', default=[]),
    try_timeout=dict(type='int', default=120),
    file=dict(type='str'),
    root=dict(type='path'),
    netcfg=dict(type='str', default='netcfg'),
)


def binary(module):
    name = module.params['netcfg']
    if '/' in name:
        return name
    return module.get_bin_path(name, required=True, opt_dirs=['/usr/local/sbin', '/usr/sbin', '/sbin'])


def run_json(module, arguments):
    """Runs netcfg ARGUMENTS --json [--root R]; returns (rc, parsed answer, stderr)."""
    argv = [binary(module)] + arguments + ['--json', '--no-color']
    if module.params.get('root'):
        argv += ['--root', module.params['root']]
    rc, out, err = module.run_command(argv)
    try:
        data = json.loads(out) if out.strip() else {}
    except ValueError:
        module.fail_json(msg='netcfg gave no JSON (exit %d): %s' % (rc, (err or out).strip()), rc=rc, cmd=argv)
    return rc, data, err


def located(diagnostic):
    """One diagnostic as FILE:LINE:COL: severity: message."""
    place = ''
    if diagnostic.get('file'):
        place = '%s:%s:%s: ' % (diagnostic['file'], diagnostic.get('line', 0), diagnostic.get('column', 0))
    text = '%s%s: %s' % (place, diagnostic.get('severity', 'error'), diagnostic.get('message', ''))
    for note in diagnostic.get('notes') or []:
        text += ' (%s)' % note
    return text


def apply_arguments(module):
    """The verification options netcfg takes with --apply/--try."""
    p = module.params
    out = []
    if p.get('verify_timeout') is not None:
        out += ['--verify-timeout', str(p['verify_timeout'])]
    for host in p.get('check_hosts') or []:
        out += ['--check-host', host]
    for name in p.get('check_dns') or []:
        out += ['--check-dns', name]
    for target in p.get('check_tcp') or []:
        out += ['--check-tcp', target]
    return out


def edit(module, arguments, prior=None):
    """Runs an edit command with the module's apply mode, honouring check and diff mode, and
    exits the module with its result (merged with `prior`, the answer of an edit before it)."""
    p = module.params
    base = list(arguments)
    if p.get('file'):
        base += ['--file', p['file']]
    if module.check_mode or p['apply'] == 'none':
        rc, data, err = run_json(module, base + (['--dry-run'] if module.check_mode else []))
        finish(module, rc, merged(prior, data), err)
    # Below a root nothing is live: --apply renders with `netplan generate` there.
    if p['apply'] == 'apply' or p.get('root'):
        rc, data, err = run_json(module, base + ['--apply'] + apply_arguments(module))
        finish(module, rc, merged(prior, data), err)
    tried(module, base)


def merged(prior, data):
    """The answer of two edits in a row as one: changed when either changed, both files."""
    if not prior:
        return data
    out = dict(data)
    out['changed'] = bool(prior.get('changed')) or bool(data.get('changed'))
    out['files'] = (prior.get('files') or []) + (data.get('files') or [])
    out['diagnostics'] = (prior.get('diagnostics') or []) + (data.get('diagnostics') or [])
    return out


def finish(module, rc, data, err):
    """Exits with netcfg's answer: a refusal, a rollback or a failure fails the task."""
    diagnostics = data.get('diagnostics') or []
    errors = [located(d) for d in diagnostics if d.get('severity') == 'error']
    result = changes(module, data)
    result.update(changed=bool(data.get('changed')), rc=rc, diagnostics=[located(d) for d in diagnostics],
                  outcome=data.get('outcome'), generation=data.get('generation'))
    outcome = data.get('outcome')
    if outcome in ('rolled-back', 'rollback-failed'):
        restored = data.get('restored') or []
        failed = data.get('failed') or []
        result.update(changed=False, failed_checks=failed, restored=restored, verified=data.get('verified') or [],
                      checks=data.get('checks') or [])
        if outcome == 'rolled-back':
            msg = 'netcfg rolled the change back: verification failed: %s; restored %s and verified the previous state' % (
                '; '.join(failed), ', '.join(restored) or 'the previous files')
        else:
            msg = 'netcfg could not restore the previous state after a failed verification (%s): %s' % (
                '; '.join(failed), (err or '').strip())
        module.fail_json(msg=msg, **result)
    if data.get('error') or rc != 0:
        message = data.get('error') or (err or '').strip() or 'netcfg exited %d' % rc
        module.fail_json(msg='; '.join([message] + errors) if errors else message, **result)
    for d in diagnostics:
        if d.get('severity') == 'warning':
            module.warn('netcfg: ' + located(d))
    module.exit_json(**result)


def tried(module, base):
    """apply: try. The change is first computed (--dry-run) for `changed` and the diff; when
    there is one, `netcfg ... --try` runs detached from this task: the module returns once it
    is applied and verified, and the host rolls it back by itself unless `netcfg confirm`
    runs within try_timeout seconds."""
    rc, data, err = run_json(module, base + ['--dry-run'])
    if rc != 0 or data.get('error') or not data.get('changed'):
        finish(module, rc, data, err)
    argv = [binary(module)] + base + ['--try', '--timeout', str(module.params['try_timeout']), '--no-color'] + apply_arguments(module)
    with tempfile.NamedTemporaryFile(prefix='netcfg-try-', suffix='.log', delete=False) as log:
        path = log.name
    with open(path, 'wb') as out, open(os.devnull, 'rb') as devnull:
        process = subprocess.Popen(argv, stdin=devnull, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    text = ''
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        with open(path, 'rb') as f:
            text = f.read().decode('utf-8', 'replace')
        if 'applied and verified' in text:
            break
        if process.poll() is not None:
            code = process.returncode
            module.fail_json(
                msg=('netcfg rolled the change back: ' if code == 3 else 'netcfg try failed (exit %d): ' % code) + text.strip(),
                changed=False, rc=code)
        time.sleep(0.1)
    else:
        module.fail_json(msg='netcfg try did not report back in 600 s: ' + text.strip(), changed=False)
    result = changes(module, data)
    result.update(changed=True, pending=True, try_timeout=module.params['try_timeout'], log=path, message=text.strip(),
                  outcome='awaiting-confirmation')
    module.exit_json(**result)


def changes(module, data):
    """The files an answer changes, and in diff mode netcfg's own unified diff of them."""
    files = data.get('files') or []
    result = dict(files=[f.get('path') for f in files])
    if module._diff:
        result['diff'] = dict(prepared=''.join(f.get('diff', '') for f in files))
    return result

"""Stands in for pip's get-pip.py, which ansible-test downloads from
ci-files.testing.ansible.com to put pip into each virtual environment it makes, where that
host cannot be reached (make ansible-sanity copies it into ansible-test's cache only then):
pip from this Python's own ensurepip, then `pip install ARGS` as get-pip.py does. ansible-test
hides pip's configuration (PIP_CONFIG_FILE=/dev/null): the system's CA bundle, which a
TLS-inspecting proxy's certificate may be in, is named on the command line."""
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap()
# get-pip.py's own options, which pip install does not know.
arguments = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
bundle = '/etc/ssl/certs/ca-certificates.crt'
if os.path.exists(bundle):
    arguments = ['--cert', bundle] + arguments
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + arguments))

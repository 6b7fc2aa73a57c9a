# netcfg — build, test, demo.
SWIFT ?= swift
PREFIX ?= /usr/local
BIN := .build/debug/netcfg

.PHONY: ansible ansible-sanity all deps build netplan-1.1 release test demo man completions install deb bench bench-validate bench-status clean fuzz asan

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

# netplan 1.1.2 for the tests, beside Debian's 0.106: built once into .build/netplan-1.1 from
# Tests/Fixtures/netplan-1.1 (test tooling, never installed).
netplan-1.1:
	@Tests/Fixtures/netplan-1.1/build.sh >/dev/null

# The whole suite (Swift Testing); end-to-end tests run too when started as root.
test: build netplan-1.1
	@[ "$$(id -u)" -eq 0 ] || echo "NOTE: not root: the end-to-end tests (real netplan apply, networkd, resolved in network namespaces) are SKIPPED" >&2
	$(SWIFT) test --disable-xctest
	scripts/test-ansible.sh $(BIN)
	scripts/test-packaging.sh

# netcfg's main job on the example VM root under examples/ (a scratch copy; nothing else is touched).
demo: build
	@scripts/demo.sh $(BIN)

# The whole suite under AddressSanitizer, the CLI tests running the ASan build of netcfg.
asan: deps
	$(SWIFT) build --sanitize=address --scratch-path .build-asan
	NETCFG_TEST_BINARY=$(CURDIR)/.build-asan/debug/netcfg LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp \
	  $(SWIFT) test --disable-xctest --sanitize=address --scratch-path .build-asan

# libFuzzer over parse -> edit -> re-parse proof (Sources/NetCfgFuzz, ASan on), seeded from
# Tests/Fixtures/netplan-corpus. Knobs: FUZZ_SECONDS (run time), FUZZ_FLAGS (more libFuzzer flags).
# The growing corpus is kept in .build-fuzz/corpus; crashing inputs go to .build-fuzz/crashes
# (replay one: .build-fuzz/release/netcfg-fuzz FILE). scripts/lsan.supp: see there.
FUZZ_SECONDS ?= 300
FUZZ_FLAGS ?=
FUZZ_DIR := .build-fuzz
fuzz: deps
	$(SWIFT) build -c release --scratch-path $(FUZZ_DIR) --product netcfg-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DNETCFG_LIBFUZZER
	mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/corpus $(FUZZ_DIR)/crashes
	find Tests/Fixtures/netplan-corpus -type f -name '*.yaml' -exec cp {} $(FUZZ_DIR)/seeds/ \;
	SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp $(FUZZ_DIR)/release/netcfg-fuzz $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds \
	  -artifact_prefix=$(FUZZ_DIR)/crashes/ -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -print_final_stats=1 $(FUZZ_FLAGS)

# netcfg against netplan's CLI and the floor at 1 to 10,000 devices, and the end-to-end
# timings when root: writes BENCHMARKS.md (release build; knobs in bench/bench.sh).
bench: deps
	@bench/bench.sh

# CPU time of `netcfg validate` on a 2,000-device file (release build).
bench-validate: deps
	@bench/validate.sh

# The Ansible collection (ansible_collections/netcfg/netcfg), built into .build/ansible.
ansible:
	mkdir -p .build/ansible
	ansible-galaxy collection build ansible_collections/netcfg/netcfg --output-path .build/ansible --force

# ansible-test sanity on the collection, with the pinned ansible-core and the sanity tests'
# requirements (from PyPI) in a virtual environment of its own, .build/ansible-venv (minutes).
ANSIBLE_CORE ?= 2.19.14
ansible-sanity:
	python3 -m venv .build/ansible-venv
	.build/ansible-venv/bin/pip install -q ansible-core==$(ANSIBLE_CORE)
	@cache=$$HOME/.ansible/test/cache/get_pip_24_2.py; [ -e $$cache ] || \
	  python3 -c 'import urllib.request as u; u.urlopen("https://ci-files.testing.ansible.com/", timeout=5)' 2>/dev/null || \
	  { mkdir -p $$(dirname $$cache) && cp scripts/ansible-get-pip.py $$cache && echo "ci-files.testing.ansible.com unreachable: pip from ensurepip (scripts/ansible-get-pip.py)"; }
	cd ansible_collections/netcfg/netcfg && PATH=$(CURDIR)/.build/ansible-venv/bin:$$PATH \
	  ansible-test sanity --local --requirements --python $$($(CURDIR)/.build/ansible-venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# `netcfg status --no-probe` on a 10-device sandbox host (root; the release build).
bench-status: release
	@bench/status.sh .build/release/netcfg

# The binary netcfg ships: the Swift runtime and libstdc++ linked in (see the script).
release: deps
	SWIFT=$(SWIFT) scripts/build-release.sh

# The man page, generated from the command definitions and finished with the hand-written
# parts in man/*.mdoc (scripts/man-finish.py; commit the result: a test compares).
man: build
	mkdir -p .build/man
	.build/debug/netcfg --generate-manual > .build/man/netcfg.8
	python3 scripts/man-finish.py .build/man/netcfg.8 > man/netcfg.8

completions: release
	mkdir -p .build/completions
	.build/release/netcfg --generate-completion-script bash > .build/completions/netcfg.bash
	.build/release/netcfg --generate-completion-script zsh > .build/completions/_netcfg
	.build/release/netcfg --generate-completion-script fish > .build/completions/netcfg.fish

# make install PREFIX=/usr/local [DESTDIR=...]: binary, man page, completions, recovery unit,
# copyright (never the test data under Tests/).
install: completions
	install -D -m 0755 .build/release/netcfg $(DESTDIR)$(PREFIX)/bin/netcfg
	install -D -m 0644 man/netcfg.8 $(DESTDIR)$(PREFIX)/share/man/man8/netcfg.8
	install -D -m 0644 .build/completions/netcfg.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/netcfg
	install -D -m 0644 .build/completions/_netcfg $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_netcfg
	install -D -m 0644 .build/completions/netcfg.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/netcfg.fish
	install -D -m 0644 packaging/copyright $(DESTDIR)$(PREFIX)/share/doc/netcfg/copyright
	sed 's|/usr/local/bin/netcfg|$(PREFIX)/bin/netcfg|' examples/systemd/netcfg-recover.service \
	  | install -D -m 0644 /dev/stdin $(DESTDIR)$(PREFIX)/lib/systemd/system/netcfg-recover.service

# A Debian package of the release build (Swift runtime linked in): .build/netcfg_VERSION_ARCH.deb
deb: release
	scripts/make-deb.sh

clean:
	rm -rf .build bench/swift-floor/.build

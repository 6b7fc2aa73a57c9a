# netcfg — build, test, demo.
SWIFT ?= swift
PREFIX ?= /usr/local
BIN := .build/debug/netcfg

.PHONY: all deps build test demo bench-validate clean

all: build

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

# The whole suite (Swift Testing); end-to-end tests run too when started as root.
test: build
	@[ "$$(id -u)" -eq 0 ] || echo "NOTE: not root: the end-to-end tests (real netplan apply, networkd, resolved in network namespaces) are SKIPPED" >&2
	$(SWIFT) test --disable-xctest

# netcfg's main job on the example VM root under examples/ (a scratch copy; nothing else is touched).
demo: build
	@scripts/demo.sh $(BIN)

# CPU time of `netcfg validate` on a 2,000-device file (release build).
bench-validate: deps
	@bench/validate.sh

clean:
	rm -rf .build

# SPDX-License-Identifier: GPL-2.0-or-later
# aaprof - plain Makefile. make; make check; make SANITIZE=address,undefined check;
# make install DESTDIR=... PREFIX=...

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
# aaprof is an administrator's tool, with the aa-* tools and apparmor_parser
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share/aaprof
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc/aaprof
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes -Wshadow \
	-Wstrict-prototypes -Wpointer-arith -Wvla
# one place for the version: the top entry of debian/changelog
VERSION := $(shell awk -F'[()]' 'NR == 1 { sub(/-[^-]*$$/, "", $$2); print $$2 }' debian/changelog)

LIBS_PC = libapparmor libpcre2-8 audit zlib liblzma libzstd json-c libsystemd yaml-0.1 libseccomp
PC_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
PC_LIBS := $(shell $(PKG_CONFIG) --libs $(LIBS_PC) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# a missing library stops the build at once, naming the Debian package that
# brings it, instead of failing at the first #include or at the link
DEB_libapparmor = libapparmor-dev
DEB_libpcre2-8 = libpcre2-dev
DEB_audit = libaudit-dev
DEB_zlib = zlib1g-dev
DEB_liblzma = liblzma-dev
DEB_libzstd = libzstd-dev
DEB_json-c = libjson-c-dev
DEB_libsystemd = libsystemd-dev
DEB_yaml-0.1 = libyaml-dev
DEB_libseccomp = libseccomp-dev
DEB_cmocka = libcmocka-dev
# goals that compile nothing
NOLIB_GOALS = clean uninstall lint-man check-deb check-structure check-releases
ifneq ($(filter-out $(NOLIB_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(shell command -v $(PKG_CONFIG)),)
$(error '$(PKG_CONFIG)' not found; on Debian: apt install pkg-config)
endif
# the unit tests need cmocka: check it only for the goals that build them
NEED_PC = $(LIBS_PC) $(if $(filter check check-unit,$(MAKECMDGOALS))$(findstring tests/test-,$(MAKECMDGOALS)),cmocka)
MISSING_PC := $(shell for m in $(NEED_PC); do $(PKG_CONFIG) --exists $$m || echo $$m; done)
ifneq ($(MISSING_PC),)
$(error missing libraries (pkg-config names): $(MISSING_PC); on Debian: apt install $(foreach m,$(MISSING_PC),$(DEB_$(m))))
endif
endif

ifneq ($(FUZZ),)
# libFuzzer harnesses (tests/fuzz): clang, ASan+UBSan, coverage-instrumented library
BUILD = build-fuzz
CC = clang
SAN_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
else ifneq ($(SANITIZE),)
BUILD ?= build-san
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS ?= halt_on_error=1
else
BUILD ?= build
SAN_FLAGS =
endif

ALL_CFLAGS = -std=gnu11 $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(PC_CFLAGS) \
	-D_GNU_SOURCE -DAAPROF_DATADIR='"$(DATADIR)"' -DAAPROF_SYSCONFDIR='"$(SYSCONFDIR)"' \
	-I$(BUILD) -Iaaprof -MMD -MP -pthread
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS) -pthread -Wl,--as-needed

LIB_SRCS = $(filter-out aaprof/aaprof.c aaprof/testhooks.c,$(wildcard aaprof/*.c))
LIB_OBJS = $(LIB_SRCS:aaprof/%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libaaprof.a
# two binaries (aaprof/testhooks.h): BIN, the build tree's test binary that
# the test suites run, honours the test-only environment variables (a fake
# apparmorfs and apparmor_parser, a fixed clock, fault injection);
# RELEASE_BIN, the one `make install` and the Debian package install, is
# linked without them and cannot be steered by the environment
BIN = $(BUILD)/aaprof
RELEASE_BIN = $(BUILD)/release/aaprof
HOOKS_TEST = $(BUILD)/testhooks-test.o
HOOKS_RELEASE = $(BUILD)/testhooks.o

UNIT_SRCS = $(wildcard tests/unit/test-*.c)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

all: $(BIN) $(RELEASE_BIN)

$(BUILD)/version.h: debian/changelog | $(BUILD)
	@printf '#define AAPROF_VERSION "%s"\n' '$(VERSION)' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

$(BUILD)/%.o: aaprof/%.c $(BUILD)/version.h | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(HOOKS_TEST): aaprof/testhooks.c $(BUILD)/version.h | $(BUILD)
	$(CC) $(ALL_CFLAGS) -DAAPROF_TEST_HOOKS=1 -c -o $@ $<

$(BIN): $(BUILD)/aaprof.o $(HOOKS_TEST) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PC_LIBS) -lm

$(BUILD)/release:
	mkdir -p $@

$(RELEASE_BIN): $(BUILD)/aaprof.o $(HOOKS_RELEASE) $(LIB) | $(BUILD)/release
	$(CC) $(ALL_LDFLAGS) -o $@ $(BUILD)/aaprof.o $(HOOKS_RELEASE) $(LIB) $(PC_LIBS) -lm

$(BUILD)/tests/%.o: tests/unit/%.c $(BUILD)/version.h | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(HOOKS_TEST) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PC_LIBS) $(CMOCKA_LIBS) -lm

$(BUILD)/fuzz:
	mkdir -p $@

$(BUILD)/fuzz/%: tests/fuzz/%.c $(HOOKS_RELEASE) $(LIB) $(BUILD)/version.h | $(BUILD)/fuzz
	$(CC) $(ALL_CFLAGS) -DAAPROF_SRCDIR='"$(CURDIR)"' -fsanitize=fuzzer -o $@ $< $(HOOKS_RELEASE) $(LIB) $(PC_LIBS) -lm

# build the fuzzers (make fuzz), and run each briefly on its seed corpus in the
# test suite (make check-fuzz); long campaigns: tests/fuzz/README.md
fuzz:
	$(MAKE) FUZZ=1 fuzz-build

fuzz-build: $(FUZZ_BINS)

# the threads that read a log (scan.c, logpipe.c), and their SIGBUS of a shrunk
# mapped file, under ThreadSanitizer
check-tsan:
	$(MAKE) BUILD=build-tsan SANITIZE=thread check-harvest check-gz check-mmap build-tsan/tests/test-logpipe
	build-tsan/tests/test-logpipe

check-fuzz:
	$(MAKE) FUZZ=1 fuzz-build
	@tests/fuzz/run.sh smoke

# aaprof's reading of generated hostile profiles against apparmor_parser's
# (-N, -d): DIFF_CASES cases (default 300); tests/fuzz/README.md
$(BUILD)/tests/policy-dump: tests/fuzz/policy-dump.c $(HOOKS_RELEASE) $(LIB) $(BUILD)/version.h | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(HOOKS_RELEASE) $(LIB) $(PC_LIBS) -lm

check-policy-diff: $(BUILD)/tests/policy-dump
	@python3 tests/fuzz/diff-policy.py $(BUILD)/tests/policy-dump $${DIFF_CASES:-300}

.PHONY: all check check-unit check-cli check-harvest check-abi check-load check-hostile check-kill check-sources \
	check-gate check-danger check-forged check-field check-generalise check-files check-options check-policy check-docker-default check-status check-state check-names \
	check-tty check-summary check-seccomp check-man check-completion check-policy-diff check-headers check-structure check-e2e check-deb fuzz fuzz-build check-fuzz check-tsan check-secsig lint-man demo \
	clean install uninstall
# one line per later suite, so that branches adding suites do not collide
.PHONY: check-lint
.PHONY: check-cursor check-package
.PHONY: check-check
.PHONY: check-fleet
.PHONY: check-releases
.PHONY: check-gz
.PHONY: check-mmap

# every header compiles on its own and included twice, and nothing of it is
# outside its include guard (tools/check-headers.sh)
check-headers: $(BUILD)/version.h
	@CC='$(CC)' HEADER_CFLAGS="-std=gnu11 $(WARNINGS) $(CPPFLAGS) $(PC_CFLAGS) -D_GNU_SOURCE -I$(BUILD)" \
		tools/check-headers.sh aaprof/*.h

# the module graph has no cycle, no file is over 700 lines, no function over
# 120, but for the debts tools/structure.allow lists (tools/check-structure.py)
check-structure:
	@tools/check-structure.py

# the README's first command: the main job on a bundled example
demo: $(BIN)
	@tests/demo.sh $(BIN)

# every suite as one (tests/run-all.sh): the failing cases and a last line
# "N passed, N failed" counting cases; V=1 shows every case
RUN_ALL = @BUILD=$(CURDIR)/$(BUILD) tests/run-all.sh $(if $(filter-out 0,$(V)),-v)

check: check-headers check-structure $(UNIT_BINS) $(BIN) $(RELEASE_BIN)
	$(RUN_ALL)

check-unit: $(UNIT_BINS)
	$(RUN_ALL) unit

# the unit tests' objects stay: make's "rm" of them came after the total line
.SECONDARY: $(UNIT_BINS:=.o)

check-cli: $(BIN)
	$(RUN_ALL) cli

# boots real Debian kernels with AppArmor under qemu (the host's, trixie-backports' 7.x):
# the whole loop on each, and the classes 7.x mediates (tests/e2e/run.sh)
check-e2e: $(BIN)
	@BUILD=$(CURDIR)/$(BUILD) tests/e2e/run.sh

# hostile records, judged by apparmor_parser's own expansion of each rule
check-hostile: $(BIN)
	$(RUN_ALL) hostile

# the danger gate: transitions, "//" paths, container escapes, the whole list, terminal escapes
check-danger: $(BIN)
	$(RUN_ALL) danger

check-check: $(BIN)
	$(RUN_ALL) check

# SIGKILL at random points of writes and loads: never a torn profile
check-kill: $(BIN)
	$(RUN_ALL) kill

# files aaprof reads and writes: trust checks, locks, temporary files, symbolic
# links; the release binary ignores the test-only environment
check-files: $(BIN) $(RELEASE_BIN)
	$(RUN_ALL) files

check-load: $(BIN)
	$(RUN_ALL) load

check-harvest: $(BIN)
	$(RUN_ALL) harvest

check-abi: $(BIN)
	$(RUN_ALL) abi

# fleets: node=, syslog and _HOSTNAME hosts, merge with quorum, hostile JSON;
# and the journal uploaded between network namespaces (root)
check-fleet: $(BIN)
	$(RUN_ALL) fleet fleet-journal

check-sources: $(BIN)
	$(RUN_ALL) sources

check-gz: $(BIN)
	$(RUN_ALL) gz

check-gate: $(BIN)
	$(RUN_ALL) gate

# records the kernel did not write, or of another policy namespace: never rules
check-forged: $(BIN)
	$(RUN_ALL) forged

# real log lines from public sources (tests/data/field/SOURCES.md)
check-field: $(BIN)
	$(RUN_ALL) field

# path generalisation on real names (tests/data/generalise/names.txt)
check-generalise: $(BIN)
	$(RUN_ALL) generalise

# the command line refuses what it does not understand
check-options: $(BIN)
	$(RUN_ALL) options

# policy text read as apparmor_parser reads it; rules it cannot compile held back
check-policy: $(BIN)
	$(RUN_ALL) policy

# docker-default and learning against moby's current template, rule by rule
check-docker-default: $(BIN)
	$(RUN_ALL) docker-default

# the kernel's modes (prompt, kill, mixed stacks...) in status and the mode checks
check-status: $(BIN)
	$(RUN_ALL) status

# apparmor-utils' disable/ and force-complain/ links, the harvested section kept
# across a re-load, backup generations and --rollback=N, --profile-dir includes
check-state: $(BIN)
	$(RUN_ALL) state

# on a pseudo-terminal: the progress line, colour for warnings and diffs, NO_COLOR
check-tty: $(BIN)
	$(RUN_ALL) tty

# the stderr summary of harvest: sentences, rules added, no zero counts
check-summary: $(BIN)
	$(RUN_ALL) summary

# aaprof lint: the wrong moves in scripts, CI, Compose and Kubernetes files; render --k8s
check-lint: $(BIN)
	$(RUN_ALL) lint

# the man page (section 8, lint, JSON members, environment, SEE ALSO) and make install's layout
check-man: $(BIN) $(RELEASE_BIN)
	$(RUN_ALL) man

# doc/aaprof.bash-completion in a bare bash against a fake profile directory and kernel
check-completion: $(BIN)
	$(RUN_ALL) completion

# seccomp render/harvest: moby's default, records of every archMap architecture, forged, the gate
check-seccomp: $(BIN)
	$(RUN_ALL) seccomp

# the cache of repeated SECCOMP records: the same output with it and without
check-secsig: $(BIN)
	$(RUN_ALL) secsig

# --since/--until read no more than 1.2x the bytes of their window
.PHONY: check-since-bytes
check-since-bytes: $(BIN)
	$(RUN_ALL) since-bytes

check-mmap: $(BIN)
	$(RUN_ALL) mmap

# profile names and file names: usr.bin.man's three profiles, path-named profiles
check-names: $(BIN)
	$(RUN_ALL) names

# harvest --since last: growth, rotation, truncation, rewrites, the journal, the lock
check-cursor: $(BIN)
	$(RUN_ALL) cursor

# aaprof package: the .deb, lintian, its contents; and apt-get install/purge on this host
check-package: $(BIN)
	@AAPROF_TEST_INSTALL=1 BUILD=$(CURDIR)/$(BUILD) tests/run-all.sh package

install: $(BIN) $(RELEASE_BIN)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/rules \
		$(DESTDIR)$(DATADIR)/templates/seccomp \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(SBINDIR)/aaprof
	install -m 0644 templates/*.tmpl $(DESTDIR)$(DATADIR)/templates/
	install -m 0644 templates/seccomp/*.json $(DESTDIR)$(DATADIR)/templates/seccomp/
	install -m 0644 rules/*.rules rules/*.danger rules/README.md $(DESTDIR)$(DATADIR)/rules/
	sed 's/^\.Os aaprof$$/.Os aaprof $(VERSION)/' doc/aaprof.8 > $(DESTDIR)$(MANDIR)/man8/aaprof.8
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/aaprof.8
	install -m 0644 doc/aaprof.bash-completion $(DESTDIR)$(BASHCOMPDIR)/aaprof

# the man page is mdoc, linted by mandoc (tests/run-man.sh checks its content)
lint-man:
	mandoc -Tlint -Wwarning doc/aaprof.8

# build the .deb from a clean copy, lintian it, install it with apt, use it, purge it
check-deb:
	@tests/run-deb.sh

# README's two set-up commands, as README spells them, as root with no sudo, in
# fresh Debian 13 and 12 chroots (mmdebstrap); RELEASES=trixie RELEASE_COMMANDS=2
# for a part (tools/release-check.sh; root and the network to Debian's archive)
check-releases:
	@RELEASES='$(RELEASES)' RELEASE_COMMANDS='$(RELEASE_COMMANDS)' tools/release-check.sh

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/aaprof $(DESTDIR)$(MANDIR)/man8/aaprof.8 $(DESTDIR)$(BASHCOMPDIR)/aaprof
	# where earlier versions installed them
	rm -f $(DESTDIR)$(BINDIR)/aaprof $(DESTDIR)$(MANDIR)/man1/aaprof.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-san build-tsan build-fuzz

-include $(LIB_OBJS:.o=.d) $(BUILD)/aaprof.d $(HOOKS_TEST:.o=.d) $(HOOKS_RELEASE:.o=.d) $(UNIT_BINS:=.d) $(FUZZ_BINS:=.d)

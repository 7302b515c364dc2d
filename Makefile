# stalkerwatch - passive network sensor for stalkerware C2 and beaconing.
#
#   make            build ./stalkerwatch (installs Debian packages if missing)
#   make demo       replay the bundled sample and print its notices
#   make check      lint, then -Werror build, unit + golden + differential
#                   + corpus tests, fuzz-corpus replay, then the same under
#                   ASan/UBSan
#   make asan       only the ASan/UBSan pass
#   make valgrind   unit tests and a replay under valgrind
#   make bench      one table: packet rate, ratio to a bare libpcap loop,
#                   peak RSS, against issue 9's targets (bench/run.sh)
#   make eval       beacon detection: precision, recall, RITA side by side
#   make fuzz       libFuzzer targets (clang)
#   make install    PREFIX, DESTDIR, BINDIR, DATADIR, MANDIR, SYSCONFDIR,
#                   UNITDIR: the program, man pages, indicators, the
#                   systemd unit (from its template, with these paths) and
#                   the logrotate file; make uninstall keeps the logs
#   make lint       .clang-format on the lines changed since LINT_BASE
#                   (default HEAD), mandoc -Tlint (contrib/lint.sh)
#
# Objects go under $(BUILD); everything but main.c builds into one static
# library that the program, the tests and the fuzzers all link.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/sbin
DATADIR	?= $(PREFIX)/share/stalkerwatch
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
DESTDIR	?=

CC	?= cc
BUILD	?= build
OPT	?= -O2
CFLAGS	?= -g $(OPT)
SANITIZE ?=
WERROR	?=
LINT_BASE ?= HEAD

PKGS	= libpcap libcjson libmaxminddb yaml-0.1

WARN	= -std=c11 -Wall -Wextra -Wshadow -Wmissing-prototypes \
	  -Wstrict-prototypes -Wformat=2 -Wpointer-arith -Wvla \
	  -Wno-unused-parameter
HARDEN	= -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
HLDFLAGS = -pie -Wl,-z,relro,-z,now
ifneq ($(SANITIZE),)
HARDEN	= -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=all
HLDFLAGS = -fsanitize=address,undefined
OPT	= -O1
endif
ifneq ($(WERROR),)
WARN	+= -Werror
endif

# Expanded when a recipe runs, i.e. after `deps` has installed pkg-config
# and the libraries on a fresh machine.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)

ALL_CFLAGS = $(WARN) $(HARDEN) $(CFLAGS) -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	     -DSW_DATADIR='"$(DATADIR)"' -Iinclude $(PKG_CFLAGS)
ALL_LDFLAGS = $(HLDFLAGS) $(LDFLAGS)
LIBS	= $(PKG_LIBS) -lpthread -lm

LIB_SRC	= $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB	= $(BUILD)/libstalkerwatch.a
PROG	= $(if $(SANITIZE),$(BUILD)/stalkerwatch,stalkerwatch)

CHECK_SRC = $(wildcard tests/check_*.c)
CHECK_SUITES = $(filter-out main,$(CHECK_SRC:tests/check_%.c=%))
TESTLIB_SRC = tests/pcapgen.c tests/testfiles.c
TOOL_SRC = tests/mkpcap.c tests/zeekdiff.c tests/jsoncheck.c tests/eval.c \
	   tests/httpd.c \
	   tests/ioccover.c
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)
FUZZ_ONEFILE = $(FUZZ_SRC:fuzz/fuzz_%.c=$(BUILD)/fuzz/onefile_%)

# keep the fuzz objects between runs (make would delete them as
# intermediate files of the onefile_% pattern chain)
.SECONDARY:

.PHONY: FORCE all deps demo check asan valgrind bench eval fuzz install \
	uninstall lint \
	clean testbins test-run

all: deps
	@$(MAKE) --no-print-directory $(PROG)

# On a fresh Debian machine, install the build and test packages (as root
# or through sudo); a no-op when pkg-config already finds them.
deps:
	@sh contrib/deps.sh

$(PROG): $(BUILD)/src/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The installed indicator path is compiled in (main.c): a build for another
# DATADIR (make install PREFIX=/usr after a plain make) recompiles it.
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = '$(DATADIR)' ] || echo '$(DATADIR)' > $@
$(BUILD)/src/main.o: $(BUILD)/datadir.stamp

# --- tests ----------------------------------------------------------------

$(BUILD)/tests/check_sw: $(CHECK_SRC:%.c=$(BUILD)/%.o) \
    $(TESTLIB_SRC:%.c=$(BUILD)/%.o) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

$(BUILD)/tests/check_%.o: tests/check_%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests -I$(BUILD)/tests -MMD -MP \
	    -c -o $@ $<

# The runner's suite list: one SUITE(name) per tests/check_<name>.c.
$(BUILD)/tests/check_main.o: $(BUILD)/tests/suites.inc
$(BUILD)/tests/suites.inc: FORCE
	@mkdir -p $(@D)
	@printf 'SUITE(%s)\n' $(CHECK_SUITES) > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi

FORCE:

$(BUILD)/tests/mkpcap: $(BUILD)/tests/mkpcap.o $(BUILD)/tests/pcapgen.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/ioccover: $(BUILD)/tests/ioccover.o $(BUILD)/tests/pcapgen.o \
    $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/zeekdiff: $(BUILD)/tests/zeekdiff.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/jsoncheck: $(BUILD)/tests/jsoncheck.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/httpd: $(BUILD)/tests/httpd.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(BUILD)/tests/vethsend: $(BUILD)/tests/vethsend.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(BUILD)/tests/eval: $(BUILD)/tests/eval.o $(BUILD)/tests/rita.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/onefile_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/onefile.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

testbins: $(PROG) $(BUILD)/tests/check_sw $(BUILD)/tests/mkpcap \
    $(BUILD)/tests/zeekdiff $(BUILD)/tests/jsoncheck $(BUILD)/tests/ioccover \
    $(BUILD)/tests/httpd $(BUILD)/tests/vethsend \
    $(FUZZ_ONEFILE)

test-run: testbins
	@SW_BIN=$(PROG) SW_BUILD=$(BUILD) sh tests/run.sh

check: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory WERROR=1 test-run
	@$(MAKE) --no-print-directory asan

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 WERROR=1 \
	    test-run

valgrind: deps
	@$(MAKE) --no-print-directory testbins
	@SW_BIN=$(PROG) SW_BUILD=$(BUILD) sh tests/valgrind.sh

demo: all
	@echo "== pcaps/demo-mspy.pcap: a phone that talks to an mSpy C2 address"
	@./$(PROG) -r pcaps/demo-mspy.pcap -o -
	@echo "== pcaps/demo-beacon.pcap: a phone beaconing to an unknown host"
	@./$(PROG) -r pcaps/demo-beacon.pcap -o -

# The performance table of bench/run.sh (its header lists the rows and
# the variables): e.g. make bench BENCH_ROUNDS=9 BENCH_BIG=0.  Captures,
# about 12 GB by default, stay under $(BUILD) for the next run.
bench: deps
	@$(MAKE) --no-print-directory $(PROG) $(BUILD)/tests/mkpcap \
	    $(BUILD)/bench/bareloop
	@SW_BIN=$(PROG) SW_BUILD=$(BUILD) sh bench/run.sh

# Beacon detection: precision, recall, time to first notice per scenario
# family, false notices per 100 device-days, RITA v5 side by side.
eval: deps
	@$(MAKE) --no-print-directory $(PROG) $(BUILD)/tests/eval \
	    $(BUILD)/tests/mkpcap
	@SW_BIN=$(PROG) SW_BUILD=$(BUILD) sh tests/eval.sh

$(BUILD)/bench/bareloop: $(BUILD)/bench/bareloop.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

FUZZ_CC ?= clang
fuzz: deps
	@mkdir -p $(BUILD)/fuzz-lf
	@for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  echo "  FUZZ $$n"; \
	  $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -std=c11 \
	    -D_DEFAULT_SOURCE -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS) \
	    -o $(BUILD)/fuzz-lf/$$n $$f $(LIB_SRC) $(PKG_LIBS) -lpthread -lm \
	    || exit 1; \
	done
	@echo "run e.g.: $(BUILD)/fuzz-lf/fuzz_decode fuzz/corpus/decode"

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/iocs \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/logrotate.d
	install -m 0755 $(PROG) $(DESTDIR)$(BINDIR)/stalkerwatch
	install -m 0644 iocs/* $(DESTDIR)$(DATADIR)/iocs/
	install -m 0644 man/stalkerwatch.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/stalkerwatch-iocs.5 $(DESTDIR)$(MANDIR)/man5/
	for f in stalkerwatch@.service stalkerwatch-update.service; do \
	    sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
		contrib/systemd/$$f.in > $(DESTDIR)$(UNITDIR)/$$f && \
	    chmod 0644 $(DESTDIR)$(UNITDIR)/$$f || exit 1; \
	done
	install -m 0644 contrib/systemd/stalkerwatch-update.timer \
	    $(DESTDIR)$(UNITDIR)/
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	    contrib/stalkerwatch-update.in \
	    > $(DESTDIR)$(BINDIR)/stalkerwatch-update
	chmod 0755 $(DESTDIR)$(BINDIR)/stalkerwatch-update
	install -m 0644 contrib/logrotate/stalkerwatch \
	    $(DESTDIR)$(SYSCONFDIR)/logrotate.d/stalkerwatch

# The logs (/var/log/stalkerwatch) are evidence: they stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stalkerwatch \
	    $(DESTDIR)$(BINDIR)/stalkerwatch-update
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(MANDIR)/man8/stalkerwatch.8 \
	    $(DESTDIR)$(MANDIR)/man5/stalkerwatch-iocs.5 \
	    $(DESTDIR)$(UNITDIR)/stalkerwatch@.service \
	    $(DESTDIR)$(UNITDIR)/stalkerwatch-update.service \
	    $(DESTDIR)$(UNITDIR)/stalkerwatch-update.timer \
	    $(DESTDIR)$(SYSCONFDIR)/logrotate.d/stalkerwatch

lint:
	@LINT_BASE='$(LINT_BASE)' sh contrib/lint.sh

clean:
	rm -rf build stalkerwatch

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)

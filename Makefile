# lakthan — plain Makefile, libraries found with pkg-config.
#
#   make            build ./lakthan (release flags)
#   make deps       install the Debian packages (apt-get when root)
#   make test       unit + integration tests under ASan/UBSan; ends "N passed, N failed"
#   make run        deps + build, then the main job on ./lakthan-data
#
# Objects go to build/rel and build/asan; generated C goes to build/gen.

PKGS     := sqlite3 libmagic libarchive libmicrohttpd icu-uc icu-i18n libthai \
            libxml-2.0 poppler-cpp jansson libcrypt libcrypto
DEB_BUILD := build-essential pkg-config libsqlite3-dev libmagic-dev libarchive-dev \
            libmicrohttpd-dev libicu-dev libthai-dev libxml2-dev libpoppler-cpp-dev \
            libjansson-dev libcrypt-dev libssl-dev libcmocka-dev
DEB_TEST := python3 zip unzip libarchive-tools poppler-utils fonts-thai-tlwg file curl \
            chromium nodejs

CC       ?= cc
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CSTD     := -std=c11 -D_GNU_SOURCE
# the one C++ file (src/extract_pdf_raw.cc, poppler's C++ API): C's warnings minus C-only ones
CXXWARN  := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CXXSTD   := -std=c++17 -D_GNU_SOURCE
DEPCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   = -Wl,--as-needed $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstdc++ -lm
CMOCKA    = $(shell pkg-config --libs cmocka 2>/dev/null)

REL_FLAGS  := -O2 -g
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_CXX  := $(wildcard src/*.cc)
SCHEMA   := $(sort $(wildcard schema/*.sql)) $(wildcard schema/*.tsv)
WEB      := $(sort $(wildcard web/*.* web/*/*.*))
HDRS     := $(wildcard include/lakthan/*.h)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

.PHONY: all deps test run clean unit integration bench fixtures
all: lakthan

build/embed: tools/embed/embed.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

# schema migrations and web assets become C arrays in one generated file
build/gen/embedded.c: build/embed $(SCHEMA) $(WEB)
	@mkdir -p build/gen
	build/embed $(SCHEMA) $(WEB) > $@.tmp && mv $@.tmp $@

define variant
build/$(1)/%.o: src/%.c $(HDRS)
	@mkdir -p build/$(1)
	@echo "  CC      $$@"
	@$$(CC) $(CSTD) $(WARN) $(2) -Iinclude $$(DEPCFLAGS) -c -o $$@ $$<
build/$(1)/%.o: src/%.cc $(HDRS)
	@mkdir -p build/$(1)
	@echo "  CXX     $$@"
	@$$(CXX) $(CXXSTD) $(CXXWARN) $(2) -Iinclude $$(DEPCFLAGS) -c -o $$@ $$<
build/$(1)/embedded_data.o: build/gen/embedded.c
	@$$(CC) $(CSTD) $(2) -Iinclude -c -o $$@ $$<
build/$(1)/liblakthan.a: $(patsubst src/%.c,build/$(1)/%.o,$(LIB_SRC)) $(patsubst src/%.cc,build/$(1)/%.o,$(LIB_CXX)) build/$(1)/embedded_data.o
	@rm -f $$@ && ar rcs $$@ $$^
build/$(1)/lakthan: build/$(1)/main.o build/$(1)/liblakthan.a
	@echo "  LINK    $$@"
	@$$(CC) $(2) -o $$@ $$^ $$(DEPLIBS)
endef
$(eval $(call variant,rel,$(REL_FLAGS)))
$(eval $(call variant,asan,$(ASAN_FLAGS)))

lakthan: build/rel/lakthan
	cp $< $@

build/asan/tests/%: tests/unit/%.c build/asan/liblakthan.a tests/unit/unit.h
	@mkdir -p build/asan/tests
	@echo "  TEST    $@"
	@$(CC) $(CSTD) $(WARN) $(ASAN_FLAGS) -Iinclude -Itests/unit $(DEPCFLAGS) -o $@ $< build/asan/liblakthan.a $(DEPLIBS) $(CMOCKA)

UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/%,$(UNIT_SRC))

deps:
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_BUILD) $(DEB_TEST) >/dev/null; \
	else \
	  echo "run as root:  apt-get install -y $(DEB_BUILD) $(DEB_TEST)"; \
	  for p in $(DEB_BUILD) $(DEB_TEST); do dpkg -s $$p >/dev/null 2>&1 || exit 1; done; \
	fi
	@# npm: Debian's package, unless the installed nodejs brings its own
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	@# the browser tests' only npm dependency (playwright-core), as locked
	cd tests/browser && npm ci --no-audit --no-fund

test: build/asan/lakthan $(UNIT_BIN)
	@LAKTHAN=$(CURDIR)/build/asan/lakthan tests/run $(UNIT_BIN)

unit: $(UNIT_BIN)
	@tests/run --unit-only $(UNIT_BIN)

# The main job: the HTTP service on ./lakthan-data with the sample plan
# imported, sample evidence ingested, and a first admin account whose
# random password is printed once (only while no admin exists), then
# `lakthan serve` on http://127.0.0.1:8080/ until Ctrl-C.
RUN_DATA := ./lakthan-data
EXAMPLES := $(addprefix tests/fixtures/,thai.docx thai.xlsx thai.pptx thai.odt thai.ods \
              thai.odp thai.pdf thai-multipage.pdf thai.html thai-tis620.txt image.png)
run: deps lakthan
	@mkdir -p $(RUN_DATA)
	./lakthan --data $(RUN_DATA) import-plan docs/examples/ita-measures-report-2567-khokhinhae.txt
	@# sample evidence in every supported format, so search and coverage show
	@# something on the first visit (a second run finds them all duplicate)
	@./lakthan --data $(RUN_DATA) ingest --year 2567 $(EXAMPLES) >/dev/null 2>&1 || true
	@if ! ./lakthan --data $(RUN_DATA) user list | grep -q ' admin$$'; then \
	  pw=$$(head -c 18 /dev/urandom | base64 | tr '+/' '-_'); \
	  echo "$$pw" | ./lakthan --data $(RUN_DATA) user add admin --role admin >/dev/null && \
	  echo "first admin account:  user admin  password $$pw  (shown once)"; \
	fi
	@echo "lakthan: open http://127.0.0.1:8080/ (Ctrl-C stops)"
	./lakthan --data $(RUN_DATA) serve --listen 127.0.0.1:8080 --max-upload-mb 2048

# fixtures from heavy producers (LibreOffice); committed, so CI never runs this
fixtures:
	tools/make-fixtures.sh

clean:
	rm -rf build lakthan

# A thin layer over meson: `make`, `make run`, `make check`, `make bench`.
BUILD ?= build
ASAN_BUILD ?= build-asan
# Benchmarks run an optimised build (-O3, link-time and profile-guided optimisation; assertions
# kept, as everywhere): scripts/build-release builds, trains and rebuilds it.
RELEASE_BUILD ?= build-release
FISC = $(BUILD)/examples/fisc

.PHONY: all release run check check-unit check-valgrind check-asan bench bench-batch clean

all: $(BUILD)/build.ninja
	meson compile -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

release:
	sh scripts/build-release $(RELEASE_BUILD)

# The main job: estimate the incentives of the bundled sample enterprise for 2023, explained.
run: all
	@echo '$$ fisc estimate examples/data/sample-enterprise.json --year 2023 --explain'
	@$(FISC) estimate examples/data/sample-enterprise.json --year 2023 --explain

# Every test: unit (cmocka), ABI, header, CLI and Python; then the unit tests under valgrind;
# then everything again in an address + undefined-behaviour sanitizer build, with a short
# bounded run of the fuzz harnesses (the 'slow' suite); its fisc batch and whatif read blocks
# of 7 rows, so that the CLI tests put rows at every block edge with several threads.
check: check-unit check-valgrind check-asan

check-unit: all
	meson test -C $(BUILD) --print-errorlogs

# Reconfigure first: the build may predate the valgrind install (make run, then make check).
check-valgrind: all
	meson setup --reconfigure $(BUILD) >/dev/null
	meson test -C $(BUILD) --setup=valgrind --print-errorlogs

check-asan:
	[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined \
		-Dfuzz=true -Dfuzz_seconds=15 -Dcli_block_rows=7
	meson compile -C $(ASAN_BUILD)
	# Python cannot load an ASan-instrumented library without preloading the runtime.
	meson test -C $(ASAN_BUILD) --print-errorlogs --no-suite python
	meson test -C $(ASAN_BUILD) --print-errorlogs --suite slow

bench: release
	$(RELEASE_BUILD)/bench/bench_decimal 1000000
	$(RELEASE_BUILD)/bench/bench_evaluate policies 200000
	$(RELEASE_BUILD)/bench/bench_tax policies 100000
	$(RELEASE_BUILD)/bench/bench_agreement policies 20000
	$(RELEASE_BUILD)/bench/bench_apportion 1000000

# Issue 7: fisc batch on 1,000,000 generated enterprises (CIT + R&D, --jobs 2) against Python's
# decimal; the input is generated once into bench/batch/cache/. Not part of any test suite.
bench-batch: release
	bench/batch/run.sh $(RELEASE_BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(RELEASE_BUILD)

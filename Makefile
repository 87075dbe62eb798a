# A thin layer over meson: `make`, `make run`, `make check`, `make bench`.
BUILD ?= build
ASAN_BUILD ?= build-asan
FISC = $(BUILD)/examples/fisc

.PHONY: all run check check-unit check-valgrind check-asan bench clean

all: $(BUILD)/build.ninja
	meson compile -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

# The main job for now: a short demo of the fisc CLI on the bundled sample.
run: all
	@echo '$$ fisc round 2.665 --places 2'
	@$(FISC) round 2.665 --places 2
	@echo '$$ fisc upper 1680.32 --rmb'
	@$(FISC) upper 1680.32 --rmb
	@echo '$$ fisc uscc 91440300708461136T'
	@$(FISC) uscc 91440300708461136T
	@echo '$$ fisc apportion examples/data/apportion-sample.csv --budget 800000.00'
	@$(FISC) apportion examples/data/apportion-sample.csv --budget 800000.00

# Every test: unit (cmocka), ABI, header, CLI and Python; then the unit tests under valgrind;
# then everything again in an address + undefined-behaviour sanitizer build.
check: check-unit check-valgrind check-asan

check-unit: all
	meson test -C $(BUILD) --print-errorlogs

# Reconfigure first: the build may predate the valgrind install (make run, then make check).
check-valgrind: all
	meson setup --reconfigure $(BUILD) >/dev/null
	meson test -C $(BUILD) --setup=valgrind --print-errorlogs

check-asan:
	[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined
	meson compile -C $(ASAN_BUILD)
	# Python cannot load an ASan-instrumented library without preloading the runtime.
	meson test -C $(ASAN_BUILD) --print-errorlogs --no-suite python

bench: all
	$(BUILD)/bench/bench_decimal 1000000

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

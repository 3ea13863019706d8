#!/usr/bin/env bash
# Builds the libFuzzer targets of handover's parsers and runs each for SECONDS from a fresh seed
# corpus. Fails (exit 1) when any target finds a crash, a leak, a timeout (-timeout=10), runs out
# of memory, or breaks one of the properties the targets check (see Targets/*.swift).
#
#   bash Tests/Fuzz/run.sh [SECONDS] [TARGET...]      SECONDS per target, default 60
#
# Targets: manifest tagfiles bundle inspector sshsig timestamp age zip (all by default).
# Environment: FUZZ_JOBS targets at once (default: the number of CPUs), FUZZ_SCRATCH the build
# folder (default .build-fuzz), FUZZ_OUT the corpus, logs and findings (default fuzz-out); both
# are git-ignored. The corpus grows across runs; findings are in $FUZZ_OUT/artifacts/TARGET/.
# Replay one:  SWIFT_BACKTRACE=enable=no .build-fuzz/fuzzers/TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
all=(manifest tagfiles bundle inspector sshsig timestamp age zip)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")
scratch="${FUZZ_SCRATCH:-.build-fuzz}"
out="${FUZZ_OUT:-fuzz-out}"
jobs="${FUZZ_JOBS:-$(nproc)}"
started=$SECONDS

# Swift's backtracer can take minutes to symbolicate a finding; libFuzzer reports it already.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"

# --- build: HandoverKit and its dependencies instrumented, then one executable per target ------
mkdir -p "$out/logs"
echo "== building HandoverKit with -sanitize=fuzzer,address in $scratch"
if ! swift build --scratch-path "$scratch" --target HandoverKit -Xswiftc -sanitize=fuzzer,address > "$out/logs/build.log" 2>&1; then
    tail -n 30 "$out/logs/build.log"
    exit 2
fi
debug="$scratch/debug"
# Every object of HandoverKit and its dependencies (the build made nothing else in this folder).
mapfile -t objects < <(find "$debug/" -path '*.build/*' -name '*.o' \
    -not -path '*/handover.build/*' -not -path '*/HandoverTests.build/*' -not -path '*ArgumentParser*' | sort)
# The C modules the Swift modules import: libarchive's, libcurl's, and those of the checked-out packages.
module_maps=(-Xcc "-fmodule-map-file=Sources/CArchive/module.modulemap" -Xcc "-fmodule-map-file=Sources/CCurl/module.modulemap")
while read -r map; do module_maps+=(-Xcc "-fmodule-map-file=$map"); done \
    < <(find "$scratch/checkouts" -path '*/Sources/*/include/module.modulemap')
# HandoverKit's formats are `package`: a target sees them only when compiled as part of the same
# package, so it takes the package name SwiftPM gave HandoverKit (from the checkout's folder name).
package_name="$(grep -m1 '"-module-name","HandoverKit"' "$scratch/debug.yaml" | grep -o '"-package-name","[^"]*"' | cut -d'"' -f4 || true)"
[ -n "$package_name" ] || { echo "cannot find the package name of HandoverKit in $scratch/debug.yaml"; exit 2; }
mkdir -p "$scratch/fuzzers"
for target in "${targets[@]}"; do
    source="Tests/Fuzz/Targets/$(tr '[:lower:]' '[:upper:]' <<< "${target:0:1}")${target:1}Fuzz.swift"
    case "$target" in
        tagfiles) source=Tests/Fuzz/Targets/TagFilesFuzz.swift ;;
        sshsig) source=Tests/Fuzz/Targets/SSHSigFuzz.swift ;;
    esac
    [ -f "$source" ] || { echo "unknown target $target (no $source)"; exit 2; }
    echo "== linking $scratch/fuzzers/$target"
    # (ld.gold warns about every ASan helper symbol; the log is shown only when linking fails.)
    if ! swiftc -sanitize=fuzzer,address -parse-as-library -g -module-name "Fuzz_$target" -package-name "$package_name" \
        -I "$debug/Modules" "${module_maps[@]}" \
        Tests/Fuzz/Targets/FuzzSupport.swift "$source" "${objects[@]}" \
        -larchive -lcurl -lstdc++ -o "$scratch/fuzzers/$target" > "$out/logs/link-$target.log" 2>&1; then
        grep -v "ld.gold: warning" "$out/logs/link-$target.log" | head -n 40
        exit 2
    fi
done
echo "== built in $((SECONDS - started)) s"

# --- seeds, then each target for SECONDS, JOBS at once -----------------------------------------
bash Tests/Fuzz/make-seeds.sh "$out/seeds" "$scratch/fuzzers"
max_len() {
    case "$1" in
        bundle) echo 65536 ;;
        # The end record is searched for in the last 64 KiB + 22 bytes: inputs a bit longer reach past it.
        zip) echo 70000 ;;
        age) echo 140000 ;;
        manifest) echo 16384 ;;
        *) echo 8192 ;;
    esac
}
run_target() {
    local target="$1" dict=()
    mkdir -p "$out/corpus/$target" "$out/artifacts/$target"
    [ -f "$out/seeds/$target.dict" ] && dict=(-dict="$out/seeds/$target.dict")
    "$scratch/fuzzers/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$target")" -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$out/artifacts/$target/" "$out/corpus/$target" "$out/seeds/$target" \
        > "$out/logs/$target.log" 2>&1
}
echo "== fuzzing ${targets[*]} for $seconds s each, $jobs at once"
running=0
for target in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
    # The status goes through a file: `wait -n` has already collected some of the jobs.
    (code=0; run_target "$target" || code=$?; echo "$code" > "$out/logs/$target.status") &
    running=$((running + 1))
done
wait
failed=0
for target in "${targets[@]}"; do
    code=$(cat "$out/logs/$target.status" 2>/dev/null || echo 1)
    log="$out/logs/$target.log"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    corpus=$(ls "$out/corpus/$target" | wc -l)
    if [ "$code" -eq 0 ]; then
        printf '%-10s ok      %9s runs in %s s, corpus %s\n' "$target" "${runs:-?}" "${time:-$seconds}" "$corpus"
    else
        failed=1
        printf '%-10s FAILED  exit %s after %s runs; see %s and %s\n' "$target" "$code" "${runs:-?}" "$log" "$out/artifacts/$target/"
        grep -E "^==[0-9]+==ERROR|^SUMMARY|fuzz property failed|Fatal error|ALARM|out-of-memory|Test unit written" "$log" | head -n 8 | sed 's/^/    /'
    fi
done
echo "== done in $((SECONDS - started)) s"
exit "$failed"

#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan+UBSan) in build-fuzz/, makes their seed corpora from the
# converted test models, and runs each target for SECONDS (default 60). Fails when a target finds a crash, a leak,
# undefined behaviour, a timeout or runs out of memory; the input is then in build-fuzz/artifacts/.
#
# Usage: scripts/fuzz.sh [SECONDS]   (needs build/ from scripts/build.sh for the CLI that converts the seeds)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
fuzz_build=build-fuzz
cli=build/bin/nnapi-convert
if [ ! -x "$cli" ]; then
  echo "fuzz: $cli is missing: run scripts/build.sh first (the seeds are models it converts)" >&2
  exit 2
fi
launcher=()
if command -v ccache > /dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$fuzz_build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DNNC_FUZZ=ON "${launcher[@]}" > /dev/null
targets=(fuzz_model_loader fuzz_nnapi_stream fuzz_inspect_partition)
cmake --build "$fuzz_build" -j"${NNC_JOBS:-$(nproc)}" --target "${targets[@]}" stream_seed

seeds=$fuzz_build/seeds
if [ ! -d "$seeds/model_loader" ] || [ -z "$(ls -A "$seeds/model_loader")" ]; then
  /usr/bin/python3 -B fuzz/make_seeds.py --cli "$cli" --stream-seed "$fuzz_build/bin/stream_seed" "$seeds"
fi

mkdir -p "$fuzz_build/artifacts"
total=0
for target in "${targets[@]}"; do
  corpus_name=${target#fuzz_}
  corpus=$fuzz_build/corpus/$corpus_name  # what the fuzzer finds; the seeds stay as made
  mkdir -p "$corpus"
  log=$fuzz_build/$target.log
  # One thread in the desktop NNAPI; stdout/stderr of the target closed (refusals print a line each), libFuzzer's
  # own report kept. A run over 20 s is a hang; over 4 GiB is a memory bug.
  if ! NNAPI_HOST_THREADS=1 "$fuzz_build/bin/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
      -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$fuzz_build/artifacts/$target-" \
      "$corpus" "$seeds/$corpus_name" > "$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $target failed; its input is in $fuzz_build/artifacts/, the log in $log" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz: $target: $runs runs in $seconds s, no crash, leak, undefined behaviour or hang"
  total=$((total + runs))
done
echo "fuzz: $total runs in all"

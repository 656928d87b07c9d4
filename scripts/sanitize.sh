#!/usr/bin/env bash
# Builds nnapi-convert with AddressSanitizer + UndefinedBehaviorSanitizer (gcc) in its own build directory and runs
# the whole test suite under it. Any report fails the test it happens in: UBSan does not recover, ASan halts, and
# LeakSanitizer checks every C++ process (the CLI, the Catch2 tests) at exit.
#
# Usage: scripts/sanitize.sh [ctest arguments...]   (build directory: $NNC_SANITIZE_BUILD, default build-sanitize)
#
# The end-to-end tests run Python (not instrumented) that loads our instrumented .so's with torch.ops.load_library
# and dlopen. The ASan runtime must then be the first library of the process, so Python runs through a wrapper that
# LD_PRELOADs gcc's libasan. Leak checking is off in those Python processes only: CPython deliberately leaves its
# interned objects and modules allocated at exit, and every allocation our code makes from Python has Python frames
# on its stack, so a suppression by module would hide our leaks too. Processes that Python starts inherit that
# setting; the CLI's leaks are checked by the tests that ctest runs it in directly (verify, error cases). No
# suppression file is used.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${NNC_SANITIZE_BUILD:-build-sanitize}
mkdir -p "$build"
build=$(cd "$build" && pwd)

# vptr (UBSan's dynamic-type check) is left out: it needs the typeinfo of libtorch's polymorphic classes, which
# libtorch does not export (c10::DynamicType), so nothing that includes its headers would link.
flags="-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all -fno-omit-frame-pointer -g1"
launcher=()
if command -v ccache > /dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

libasan=$(g++ -print-file-name=libasan.so)
if [ ! -e "$libasan" ]; then
  echo "sanitize: gcc's libasan.so not found (install libgcc-12-dev)" >&2
  exit 2
fi
# Preloaded after libasan: ASan finds the real __cxa_throw when it starts, and Python itself does not link libstdc++,
# so without it the first C++ exception (torch's own, in any test) stops the process with a failed ASan CHECK.
libstdcxx=$(g++ -print-file-name=libstdc++.so.6)
# The options every sanitized process gets (set here so they hold in ctest's children too).
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

python_wrapper=$build/python3-asan
cat > "$python_wrapper" << EOF
#!/bin/sh
# Python for the sanitized suite (written by scripts/sanitize.sh): preloads the ASan runtime so our instrumented
# .so's can be loaded, with leak checking off for the interpreter (see sanitize.sh).
export ASAN_OPTIONS="\$ASAN_OPTIONS:detect_leaks=0"
export LD_PRELOAD="$libasan:$libstdcxx\${LD_PRELOAD:+:\$LD_PRELOAD}"
exec /usr/bin/python3 "\$@"
EOF
chmod +x "$python_wrapper"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined -fno-sanitize=vptr" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined -fno-sanitize=vptr" \
  -DNNC_TEST_PYTHON="$python_wrapper"
cmake --build "$build" -j"${NNC_JOBS:-$(nproc)}"
start=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j"${NNC_JOBS:-$(nproc)}" "$@"
echo "sanitize: the suite passed under ASan+UBSan in $(($(date +%s) - start)) s"

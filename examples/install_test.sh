#!/usr/bin/env bash
# The installed package end to end (CTest install_user_method_example, labels
# install and slow): `cmake --install` of this build tree into a temporary
# prefix, then examples/user_method/ configured from a clean build folder
# against that prefix only, built, and run:
#   - verify_user_method --quick (the gate through the library API) passes;
#   - verify_user_method_broken --small (the same method with ∇μ of the
#     wrong sign) is rejected, exit 1, with violations of grad_loc;
#   - bench_user_method writes Google Benchmark JSON whose rows are named
#     score/user_llt/<p>/<sharing>/<output>/<dtype>/d:<d>/batch:<B>, without errors;
#   - the installed scorebench gates serve_user_method over the protocol
#     (verify --small --seeds 1..16 --external: 128 cases in seconds; the
#     quick sweep through the protocol takes about a minute more) and times
#     it (time --external);
#   - the installed package holds what a user needs and nothing internal;
#   - the installed scorebench runs its own highest variant the CPU runs
#     (--isa), and that loads the libtorch module installed beside it.
# Usage: install_test.sh BUILD_DIR EXAMPLE_DIR CXX_COMPILER GENERATOR [CXX_FLAGS [LINKER_FLAGS]]
# (the build's own CMAKE_CXX_FLAGS and CMAKE_EXE_LINKER_FLAGS: a sanitizer
# build installs instrumented libraries, which only link into code built the
# same way)
set -euo pipefail
build=$1 example=$2 cxx=$3 generator=$4 cxx_flags=${5:-} linker_flags=${6:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scorebench_install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*"; exit 1; }
started=$SECONDS
step() { echo "== [$((SECONDS - started)) s] $*"; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "install"; }
config_dir=$(dirname "$(find "$prefix" -name scorebench-config.cmake | head -n 1)")
[ -n "$config_dir" ] || fail "no scorebench-config.cmake installed"
for f in scorebench-config.cmake scorebench-config-version.cmake scorebench-targets.cmake; do
  [ -f "$config_dir/$f" ] || fail "$f is not installed"
done
for h in scorebench/method.hpp scorebench/registry.hpp scorebench/mc/estimator.hpp \
         scorebench/verification/gate.hpp scorebench/verification/serve.hpp; do
  [ -f "$prefix/include/$h" ] || fail "public header $h is not installed"
done
# Internal: the reports (and the results store), the warnings of the build.
[ ! -e "$prefix/include/scorebench/reports" ] || fail "the reports' headers are installed"
! find "$prefix" -name '*scorebench_reports*' | grep -q . || fail "scorebench_reports is installed"
source_root=$(cd "$example/../.." && pwd)
! grep -rqE "scorebench_warnings|Wconversion|$source_root" "$config_dir" ||
  fail "the package's targets name the source or build tree, or the build's warnings"
"$prefix/bin/scorebench" --version >"$tmp/version.txt" || fail "scorebench --version: exit status $?"
grep -qxE 'scorebench [0-9]+\.[0-9]+\.[0-9]+' "$tmp/version.txt" ||
  { cat "$tmp/version.txt"; fail "scorebench --version does not print the version"; }
"$prefix/bin/scorebench_benchmarks" --benchmark_list_tests >"$tmp/list.txt" ||
  fail "the installed scorebench_benchmarks does not run"
grep -q '^score/analytic/' "$tmp/list.txt" || fail "the installed scorebench_benchmarks lists no score rows"
# The installed scorebench runs the highest installed variant this CPU runs
# (README, "Instruction sets"), from its own prefix.
level=$("$prefix/bin/scorebench" --isa) || fail "scorebench --isa: exit status $?"
[ "$(SCOREBENCH_ISA=x86-64 "$prefix/bin/scorebench" --isa)" = x86-64 ] ||
  fail "SCOREBENCH_ISA=x86-64 does not run the installed baseline"
level_root=$prefix
if [ "$level" != x86-64 ]; then
  level_root=$prefix/libexec/scorebench/$level
  [ -x "$level_root/bin/scorebench" ] || fail "scorebench --isa says $level, but $level_root/bin/scorebench is not installed"
fi
installed_module=$(find "$level_root/lib" -name libscorebench_torch.so 2>/dev/null | head -n 1)
if [ -n "$installed_module" ]; then
  installed_module=$(realpath "$installed_module")  # as /proc/self/exe names it
  # The installed scorebench loads its own libtorch module (beside it), not the
  # build tree's, which a later rebuild may have changed.
  echo '{"cases": [{"loc": [0.5], "action": [1.25], "scale_diag": [2.0]}]}' >"$tmp/case.json"
  LD_DEBUG=files "$prefix/bin/scorebench" eval --method autodiff_reverse --input "$tmp/case.json" \
    >"$tmp/reverse.json" 2>"$tmp/reverse.trace" || { tail -5 "$tmp/reverse.trace"; fail "installed autodiff_reverse"; }
  grep -q "file=$installed_module " "$tmp/reverse.trace" ||
    fail "the installed scorebench did not load its own module $installed_module"
fi

step "configure $example against the prefix (clean build folder)"
cmake -S "$example" -B "$tmp/build" -G "$generator" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$cxx_flags" -DCMAKE_EXE_LINKER_FLAGS="$linker_flags" \
  -DCMAKE_PREFIX_PATH="$prefix" -DUSER_LLT_BROKEN=ON >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; fail "configure"; }
step "build"
cmake --build "$tmp/build" --parallel 2 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "build"; }
if grep -q 'warning:' "$tmp/build.log"; then cat "$tmp/build.log"; fail "the example builds with warnings"; fi

step "verify_user_method --quick (the gate through the library API)"
"$tmp/build/verify_user_method" --quick >"$tmp/verify.txt" || { cat "$tmp/verify.txt"; fail "verify_user_method: exit status $?"; }
cat "$tmp/verify.txt"
grep -q '^PASS: 0 violations' "$tmp/verify.txt" || fail "verify_user_method does not say PASS"

step "verify_user_method_broken --small (∇μ of the wrong sign) must be rejected"
status=0
"$tmp/build/verify_user_method_broken" --small >"$tmp/broken.txt" || status=$?
tail -n 3 "$tmp/broken.txt"
[ "$status" -eq 1 ] || { cat "$tmp/broken.txt"; fail "the broken method: exit status $status, not 1"; }
grep -q '^VIOLATION user_llt' "$tmp/broken.txt" && grep -q 'grad_loc: error' "$tmp/broken.txt" ||
  fail "the broken method's violations do not name grad_loc"

step "bench_user_method (Google Benchmark, briefly)"
"$tmp/build/bench_user_method" --benchmark_min_time=0.001 --benchmark_format=json \
  --benchmark_out="$tmp/bench.json" >/dev/null 2>"$tmp/bench.err" || { cat "$tmp/bench.err"; fail "bench_user_method"; }
python3 - "$tmp/bench.json" <<'PY' || fail "bench_user_method's rows"
import json, re, sys
rows = json.load(open(sys.argv[1]))["benchmarks"]
pattern = re.compile(r"score/user_llt/(scale_tril|covariance_matrix|precision_matrix|scale_diag)/"
                     r"(per_sample|shared)/(grads|sum)/(f64|f32)/d:[0-9]+/batch:[0-9]+")
bad = [r["name"] for r in rows if not pattern.fullmatch(r["name"]) or r.get("error_occurred")]
assert len(rows) == 28, f"{len(rows)} rows, not 28"
assert not bad, f"rows misnamed or in error: {bad}"
assert "score/user_llt/scale_tril/per_sample/grads/f64/d:64/batch:256" in {r["name"] for r in rows}
print(f"{len(rows)} rows, e.g. {rows[0]['name']}")
PY

step "scorebench verify --small --seeds 1..16 --external serve_user_method (the protocol)"
"$prefix/bin/scorebench" verify --small --seeds 1..16 --external "$tmp/build/serve_user_method" --json "$tmp/served.json" \
  >"$tmp/served.txt" 2>&1 || { cat "$tmp/served.txt"; fail "verify --external: exit status $?"; }
tail -n 3 "$tmp/served.txt"
grep -q '"external.user_llt"' "$tmp/served.json" || fail "the served method is not external.user_llt"

step "scorebench time --external serve_user_method"
"$prefix/bin/scorebench" time --external "$tmp/build/serve_user_method" --d 4 --batch 16 --repetitions 1 \
  --min-time 0.001 --out "$tmp/served_time.json" 2>"$tmp/time.err" || { cat "$tmp/time.err"; fail "time --external"; }
grep -q '"score/external.user_llt/scale_tril/per_sample/grads/f64/d:4/batch:16"' "$tmp/served_time.json" ||
  fail "time --external has no row score/external.user_llt/..."

step "ok"

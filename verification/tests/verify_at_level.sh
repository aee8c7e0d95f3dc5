#!/usr/bin/env bash
# verify_at_level.sh SCOREBENCH LEVEL ARGS...: `scorebench verify ARGS` run at
# the instruction-set level LEVEL (SCOREBENCH_ISA; the README's "Instruction
# sets"). Exit 77 (CTest: skipped) when this CPU does not run LEVEL; any other
# refusal (a level the build lacks) fails.
set -uo pipefail
exe=$1 level=$2
shift 2
if ! err=$(SCOREBENCH_ISA=$level "$exe" --isa 2>&1 >/dev/null); then
  case $err in
    *"does not run"*) echo "skipped: $err"; exit 77 ;;
  esac
  echo "$err" >&2
  exit 1
fi
SCOREBENCH_ISA=$level exec "$exe" verify "$@"

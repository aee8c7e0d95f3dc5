#!/bin/sh
# A violation's "reproduce:" line reruns exactly that case: the command it
# prints exits 1 and reports a violation of the same case.
# Usage: reproduce_line_test.sh SCOREBENCH
set -u
exe=$1
line=$("$exe" verify --small --seeds 7..7 --method mutant:symmetric_factor_two | grep -m1 'reproduce: ')
command=${line#*reproduce: scorebench }
case_id=${command#*--case }
if [ -z "$line" ] || [ "$case_id" = "$command" ]; then
  echo "no reproduce line with --case in the seed sweep's output"
  exit 1
fi
# shellcheck disable=SC2086  # the printed command is split into its words
out=$("$exe" $command 2>&1)
status=$?
if [ "$status" -ne 1 ]; then
  echo "'$command' exited $status, expected 1"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -q "VIOLATION .*(case $case_id)"; then
  echo "'$command' did not report a violation of case $case_id:"
  printf '%s\n' "$out"
  exit 1
fi
echo "reran $case_id: violation reproduced"

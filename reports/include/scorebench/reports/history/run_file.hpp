#pragma once
// What `scorebench record` stores of a run file: its kind, its measurements
// (row, metric, repetition, value) and its context.
//   Google Benchmark JSON (the benchmark sets): kind "benchmark", metrics
//     real_time and cpu_time (ns per iteration) and every user counter;
//   the instruction-count JSON (reports/instruction_gate.sh): kind
//     "instructions", metric "instructions" (per call);
//   scorebench.verify/1 (`scorebench verify --json`): kind "verify", rows
//     verify/<method>/<parameterization>/<dtype>, metrics worst_ratio (the
//     largest error / bound of the row's gated blocks) and violations.

#include <string>

#include "scorebench/reports/history/results_store.hpp"

namespace scorebench::reports::history {

// Fills everything but the commit and its date (the caller's to give):
// kind, measurements, context, content hash, and from the run's context where
// it has them the machine (host_name), the load at the start, cores, CPU
// model and build flags. Throws std::invalid_argument naming the file and the key for a
// file that is none of the kinds above.
RunRecord read_run_file(const std::string& path);

// FNV-1a (64 bits) of `text`, in hexadecimal: the identity of a run's content.
std::string content_hash(const std::string& text);

}  // namespace scorebench::reports::history

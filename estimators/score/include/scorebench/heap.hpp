#pragma once
// The heap policy of scorebench's executables (the CLI and the benchmark
// harness): freed memory stays in the process.
//
// By default glibc hands the top of the heap back to the kernel once more
// than 128 KiB of it is free (M_TRIM_THRESHOLD) and serves a block of
// 128 KiB or more by mmap, unmapped again on free. Work that allocates and
// frees the same working set over and over then faults in every page of it
// each time. autodiff_forward's d × d matrices of AutoDiffScalar allocate
// their derivative vectors one by one: one d = 32 case took 1.0 s (0.58 s
// of it in the kernel) and takes 0.07 s with this policy, the same results
// (`verify --full --case … --method autodiff_forward`). A benchmark's
// result buffers of hundreds of MB would time page faults, not kernels.

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace scorebench {

// No block is mmapped (so none is unmapped when freed), the heap's top is
// returned only beyond 1 GiB free, and the heap grows 64 MiB at a time.
// Results do not change; the resident memory no longer shrinks after a
// peak, which the documented size limits bound.
inline void keep_freed_memory() noexcept {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace scorebench

#pragma once
// libtorch on demand. The one method that needs it (autodiff_reverse) and
// libtorch's thread setting live in a module, libscorebench_torch.so, that
// is dlopen'ed the first time they are used: a process that never runs
// autodiff_reverse (`scorebench methods`, the analytic benchmarks, the
// tests of everything else) starts without libtorch's ~280 shared
// libraries, its 150 MB and its thread pools.
//
// The module is looked for at $SCOREBENCH_TORCH_MODULE, then beside the
// running executable as `cmake --install` lays them out
// (<bindir>/../<libdir>/scorebench/, so that an installed scorebench loads its
// own module, even when its prefix was moved or the build tree was rebuilt
// since), then where this build wrote it, then under the configured install
// prefix.

#include <string>

#include "scorebench/method.hpp"

namespace scorebench {

// What the module exports (C linkage, one symbol: the ABI is this struct).
struct TorchModule {
  int abi = 0;                    // kTorchModuleAbi of the module's build
  Method* (*make_method)();       // a new autodiff_reverse; the caller owns it
  void (*set_threads)(int);       // at::set_num_threads, when it differs
  const char* version = nullptr;  // TORCH_VERSION
};
inline constexpr int kTorchModuleAbi = 3;  // 3: Capabilities carries the cost model
#define SCOREBENCH_TORCH_MODULE_SYMBOL "scorebench_torch_module_v1"

// Whether this build has the module (libtorch was found), and where it would
// load it from; empty when it finds no file.
bool torch_module_built();
std::string torch_module_path();

// The module, loaded on the first call (thread-safe, once); throws
// std::runtime_error naming the path and dlopen's reason when it cannot be
// loaded, or when this build has no module.
const TorchModule& torch_module();

// libtorch's intra-op threads: applied now when the module is loaded,
// otherwise when it is.
void set_torch_threads(int threads);

// libtorch's version: the module's when loaded, else the one it was built
// against; "absent" without libtorch.
std::string torch_version();

}  // namespace scorebench

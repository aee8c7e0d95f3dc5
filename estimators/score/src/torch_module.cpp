#include "scorebench/torch_module.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "beside_executable.hpp"

namespace scorebench {
namespace {

bool is_file(const std::string& path) {
  struct stat s {};
  return !path.empty() && ::stat(path.c_str(), &s) == 0 && S_ISREG(s.st_mode);
}

std::mutex load_mutex;
std::atomic<const TorchModule*> loaded{nullptr};
std::atomic<int> requested_threads{0};  // 0: libtorch's default

}  // namespace

bool torch_module_built() {
#ifdef SCOREBENCH_TORCH_MODULE_BUILD_PATH
  return true;
#else
  return false;
#endif
}

std::string torch_module_path() {
  if (const char* env = std::getenv("SCOREBENCH_TORCH_MODULE")) return is_file(env) ? env : "";
#ifdef SCOREBENCH_TORCH_MODULE_BUILD_PATH
  // An installed executable's own module first: a build tree rebuilt since
  // the install may hold a module of another version.
  for (const std::string& path :
       {detail::beside_executable(SCOREBENCH_TORCH_MODULE_FROM_BINDIR).string(),
        std::string(SCOREBENCH_TORCH_MODULE_BUILD_PATH), std::string(SCOREBENCH_TORCH_MODULE_INSTALL_PATH)})
    if (is_file(path)) return path;
#endif
  return "";
}

const TorchModule& torch_module() {
  if (const TorchModule* m = loaded.load(std::memory_order_acquire)) return *m;
  const std::lock_guard<std::mutex> lock(load_mutex);
  if (const TorchModule* m = loaded.load(std::memory_order_acquire)) return *m;
  if (!torch_module_built())
    throw std::runtime_error("scorebench was built without libtorch (install libtorch-dev and reconfigure)");
  const std::string path = torch_module_path();
  if (path.empty())
    throw std::runtime_error(
        "the libtorch module libscorebench_torch.so is not where this build put it, nor installed, "
        "nor at $SCOREBENCH_TORCH_MODULE");
  // Kept loaded for the life of the process: libtorch does not unload.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw std::runtime_error("cannot load " + path + ": " + ::dlerror());
  using Entry = const TorchModule* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, SCOREBENCH_TORCH_MODULE_SYMBOL));
  if (!entry) throw std::runtime_error(path + " has no " SCOREBENCH_TORCH_MODULE_SYMBOL ": " + ::dlerror());
  const TorchModule* m = entry();
  if (!m || m->abi != kTorchModuleAbi)
    throw std::runtime_error(path + " is a module of another scorebench version (ABI " +
                             std::to_string(m ? m->abi : -1) + ", expected " +
                             std::to_string(kTorchModuleAbi) + ")");
  if (const int t = requested_threads.load()) m->set_threads(t);
  loaded.store(m, std::memory_order_release);
  return *m;
}

void set_torch_threads(int threads) {
  requested_threads.store(threads);
  if (const TorchModule* m = loaded.load(std::memory_order_acquire)) m->set_threads(threads);
}

std::string torch_version() {
  if (const TorchModule* m = loaded.load(std::memory_order_acquire)) return m->version;
#ifdef SCOREBENCH_TORCH_VERSION
  return SCOREBENCH_TORCH_VERSION;
#else
  return "absent (autodiff_reverse unavailable)";
#endif
}

}  // namespace scorebench

#pragma once
// Paths relative to the running executable (/proc/self/exe), where an
// installed scorebench finds what it installed beside itself, wherever its
// prefix was put: the libtorch module (torch_module.cpp) and the
// instruction-set variants (isa.cpp).

#include <filesystem>
#include <string>

namespace scorebench::detail {

// The directory of the running executable joined with `relative`, or empty
// when /proc/self/exe cannot be read.
inline std::filesystem::path beside_executable(const std::filesystem::path& relative) {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : (exe.parent_path() / relative).lexically_normal();
}

}  // namespace scorebench::detail

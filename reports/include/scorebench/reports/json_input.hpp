#pragma once
// Reading the JSON files that scorebench's commands take as input (eval
// cases, Google Benchmark runs, verify and mc runs): one place that turns
// every way a file can be unusable into a std::invalid_argument naming the
// file, and typed accessors whose messages name the key and the value.
//
// Why not std::ifstream + nlohmann::json::parse directly: that combination
// aborts or runs away on ordinary bad input. A directory opens as a stream
// and libstdc++'s filebuf then *throws* std::ios_base::failure from inside
// nlohmann's reader; a number beyond double range (1e400) throws
// json::out_of_range, not json::parse_error; /dev/zero is read forever; and
// a value nested a million levels deep overflows the stack in the recursive
// copy, comparison and dump of nlohmann::json. Every reader goes through
// read_file() / parse() instead, and reads values through the accessors
// below (a bare .get<T>() or .value(key, T) throws json::type_error on a
// value of the wrong type).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace scorebench::json_input {

// The largest input read (256 MiB): nlohmann's parsed form of a file of
// small numbers takes about 10× its size, so a larger input would need
// several GiB before a single value is looked at.
inline constexpr std::uintmax_t kMaxBytes = std::uintmax_t{256} << 20;
// The deepest nesting of lists and objects accepted. scorebench's own
// documents nest at most 5 levels; nlohmann's copy, comparison and dump
// recurse once per level.
inline constexpr std::size_t kMaxDepth = 64;

// An input that cannot be used at all: unreadable, a directory, too large,
// not JSON, a number beyond the range of a double, nested too deeply.
// what() starts with the file (the source) it is about.
struct Unusable : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// What parse() does with a number beyond the range of a double (1e400):
// reject  the whole input is Unusable ("SOURCE: /cases/0/loc/1 = 1e400 is
//         beyond the range of a double");
// keep_as_string  the number is kept as the JSON string "1e400", so that a
//         reader of a batch can fail the one element that holds it and
//         still use the others (see overflowed_number()).
enum class Overflow { reject, keep_as_string };

// The text of a regular file of at most kMaxBytes bytes.
std::string read_text(const std::string& path);
// text → JSON; `source` names the input in messages. Throws Unusable.
nlohmann::json parse(std::string_view text, const std::string& source, Overflow overflow = Overflow::reject);
// read_text then parse.
nlohmann::json read_file(const std::string& path, Overflow overflow = Overflow::reject);

// The number text of a value that parse(…, Overflow::keep_as_string) kept
// as a string because it is beyond the range of a double; nullopt for any
// other value.
std::optional<std::string> overflowed_number(const nlohmann::json& value);

// A short description of a value for a message: 5, "abc", true, null,
// a list of 3, an object of 2 keys. Never recursive, never long.
std::string describe(const nlohmann::json& value);

// Typed access to object[key]. `where` names the object in messages
// ("BASE.json: benchmarks[3]"). The *_or accessors return the fallback when
// the key is absent (or `object` is not an object) and throw
// std::invalid_argument when it is present with another type; the required
// ones also throw when it is absent. Numbers are finite doubles; an index
// is a non-negative integer.
std::string string_or(const nlohmann::json& object, const char* key, const std::string& fallback,
                      const std::string& where);
bool boolean_or(const nlohmann::json& object, const char* key, bool fallback, const std::string& where);
std::string required_string(const nlohmann::json& object, const char* key, const std::string& where);
double required_number(const nlohmann::json& object, const char* key, const std::string& where);
std::size_t required_index(const nlohmann::json& object, const char* key, const std::string& where);

}  // namespace scorebench::json_input

#include "scorebench/reports/json_input.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

namespace scorebench::json_input {

namespace {

using nlohmann::json;

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Whether a number token's value is beyond the range of a double. strtod
// returns ±HUGE_VAL with ERANGE exactly then (an underflow returns a value
// near 0, which nlohmann accepts as well).
bool overflows(const std::string& token) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && errno == ERANGE && std::isinf(v);
}

// The text with every number token beyond double range quoted ("1e400"):
// nlohmann's parser stops at the first such number, so a reader that wants
// to fail only the element holding it needs it to arrive as a value.
std::string quote_overflowing_numbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size())
        out += text[++i];
      else if (c == '"')
        in_string = false;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      ++i;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t end = i;
      while (end < text.size() && is_number_char(text[end])) ++end;
      const std::string token(text.substr(i, end - i));
      out += overflows(token) ? "\"" + token + "\"" : token;
      i = end;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// nlohmann's DOM builder, plus the JSON pointer of the value being read (for
// messages) and a limit on the nesting depth.
class Builder : public nlohmann::json_sax<json> {
 public:
  Builder(json& root, const std::string& source) : root_(root), source_(source) {}

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& v) override { return put(std::move(v)); }
  bool binary(binary_t&) override { return put(nullptr); }  // never produced by JSON text
  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    keys_.back() = k;
    return true;
  }

  bool parse_error(std::size_t, const std::string& token, const json::exception& e) override {
    // 406: a number the lexer read as ±inf. The other errors are syntax.
    if (e.id == 406)
      error_ = source_ + ": " + pointer() + " = " + token + " is beyond the range of a double";
    else
      error_ = source_ + " is not JSON: " + e.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  // Where the next value goes: the root, the end of a list, or under the
  // last key read.
  json* slot() {
    if (stack_.empty()) return &root_;
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(nullptr);
      return &top.back();
    }
    return &top[keys_.back()];
  }

  bool put(json&& v) {
    *slot() = std::move(v);
    return true;
  }

  bool open(json&& container) {
    if (stack_.size() >= kMaxDepth) {
      error_ = source_ + ": " + pointer() + ": nested deeper than " + std::to_string(kMaxDepth) + " levels";
      return false;
    }
    json* s = slot();
    *s = std::move(container);
    stack_.push_back(s);
    keys_.emplace_back();
    return true;
  }

  bool close() {
    stack_.pop_back();
    keys_.pop_back();
    return true;
  }

  // The JSON pointer of the value being read: each list contributes the
  // index of its next element, each object the last key read.
  std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i]->is_array()) {
        // Lists below the top hold the open child as their last element.
        const std::size_t n = stack_[i]->size();
        p += "/" + std::to_string(i + 1 < stack_.size() ? n - 1 : n);
      } else {
        p += "/" + keys_[i];
      }
    }
    return p.empty() ? "/" : p;
  }

  json& root_;
  const std::string& source_;
  std::vector<json*> stack_;
  std::vector<std::string> keys_;
  std::string error_;
};

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

[[noreturn]] void wrong_type(const char* key, const json& v, const char* expected, const std::string& where) {
  throw std::invalid_argument(where + ": \"" + key + "\" must be " + expected + ", got " + describe(v));
}

const json& required(const json& object, const char* key, const std::string& where) {
  if (const json* v = member(object, key)) return *v;
  throw std::invalid_argument(where + " has no \"" + key + "\"");
}

}  // namespace

std::string read_text(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec) throw Unusable("cannot read " + path + ": " + ec.message());
  if (fs::is_directory(status)) throw Unusable("cannot read " + path + ": it is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Unusable("cannot read " + path + ": " + std::strerror(errno));
  // Read in chunks up to the limit: the size of a FIFO or a device such as
  // /dev/zero is not known in advance. istream::read turns an exception of
  // the underlying filebuf into badbit.
  std::string text;
  std::vector<char> chunk(1 << 16);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxBytes)
      throw Unusable("cannot read " + path + ": it is larger than " + std::to_string(kMaxBytes >> 20) +
                     " MiB, the most a JSON input may hold");
  }
  if (in.bad()) throw Unusable("cannot read " + path + ": read error");
  return text;
}

json parse(std::string_view text, const std::string& source, Overflow overflow) {
  if (text.size() > kMaxBytes)
    throw Unusable(source + " is larger than " + std::to_string(kMaxBytes >> 20) +
                   " MiB, the most a JSON input may hold");
  json root;
  Builder builder(root, source);
  const bool ok = overflow == Overflow::keep_as_string
                      ? json::sax_parse(quote_overflowing_numbers(text), &builder)
                      : json::sax_parse(text, &builder);
  if (!ok) throw Unusable(builder.error());
  return root;
}

json read_file(const std::string& path, Overflow overflow) { return parse(read_text(path), path, overflow); }

std::optional<std::string> overflowed_number(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.empty() || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))) return std::nullopt;
  for (char c : s)
    if (!is_number_char(c)) return std::nullopt;
  if (!overflows(s)) return std::nullopt;
  return s;
}

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::array: return "a list of " + std::to_string(v.size());
    case json::value_t::object: return "an object of " + std::to_string(v.size()) + " keys";
    case json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      // A long string is cut (at a byte: dump() below escapes what is cut).
      return s.size() <= 40
                 ? json(s).dump(-1, ' ', false, json::error_handler_t::replace)
                 : json(s.substr(0, 40)).dump(-1, ' ', false, json::error_handler_t::replace) + "…";
    }
    default: return v.dump();  // a number, boolean, null or binary: short
  }
}

std::string string_or(const json& object, const char* key, const std::string& fallback,
                      const std::string& where) {
  const json* v = member(object, key);
  if (!v) return fallback;
  if (!v->is_string()) wrong_type(key, *v, "a string", where);
  return v->get<std::string>();
}

bool boolean_or(const json& object, const char* key, bool fallback, const std::string& where) {
  const json* v = member(object, key);
  if (!v) return fallback;
  if (!v->is_boolean()) wrong_type(key, *v, "true or false", where);
  return v->get<bool>();
}

std::string required_string(const json& object, const char* key, const std::string& where) {
  const json& v = required(object, key, where);
  if (!v.is_string()) wrong_type(key, v, "a string", where);
  return v.get<std::string>();
}

double required_number(const json& object, const char* key, const std::string& where) {
  const json& v = required(object, key, where);
  if (!v.is_number()) wrong_type(key, v, "a number", where);
  return v.get<double>();
}

std::size_t required_index(const json& object, const char* key, const std::string& where) {
  const json& v = required(object, key, where);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    wrong_type(key, v, "a non-negative integer", where);
  return static_cast<std::size_t>(v.get<std::uint64_t>());
}

}  // namespace scorebench::json_input

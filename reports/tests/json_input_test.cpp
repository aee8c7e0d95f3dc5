// json_input: every way an input file can be unusable is one
// std::invalid_argument naming the file (and, for a value, its JSON pointer
// and text), and the typed accessors name the key and the value.

#include "scorebench/reports/json_input.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scorebench/reports/benchmark_run.hpp"

namespace scorebench::json_input {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// The message of the Unusable that parse() throws for `text`.
std::string unusable(const std::string& text, Overflow overflow = Overflow::reject) {
  try {
    parse(text, "in.json", overflow);
  } catch (const Unusable& e) {
    return e.what();
  }
  ADD_FAILURE() << text << ": accepted";
  return "";
}

TEST(JsonInput, ANumberBeyondDoubleRangeIsNamedByItsPointer) {
  EXPECT_EQ(unusable(R"({"benchmarks": [{"name": "a"}, {"real_time": 1e400}]})"),
            "in.json: /benchmarks/1/real_time = 1e400 is beyond the range of a double");
  EXPECT_EQ(unusable("[-2e308]"), "in.json: /0 = -2e308 is beyond the range of a double");
  EXPECT_EQ(unusable("1" + std::string(400, '0')),
            "in.json: / = 1" + std::string(400, '0') + " is beyond the range of a double");
  // An underflow is a number near 0, not an error.
  EXPECT_EQ(parse("[1e-400]", "in.json")[0].get<double>(), 0.0);
}

TEST(JsonInput, KeepAsStringLetsTheReaderFailOneElement) {
  const json j =
      parse(R"({"a": [1, 1e400, "1e400", -1e999], "s": "x 1e400"})", "in.json", Overflow::keep_as_string);
  EXPECT_EQ(j["a"][0], 1);
  EXPECT_EQ(overflowed_number(j["a"][1]), "1e400");
  EXPECT_EQ(overflowed_number(j["a"][3]), "-1e999");
  EXPECT_EQ(j["s"], "x 1e400");  // strings are left alone
  EXPECT_EQ(overflowed_number(j["s"]), std::nullopt);
  EXPECT_EQ(overflowed_number(json("12")), std::nullopt);
  EXPECT_EQ(overflowed_number(json(5)), std::nullopt);
}

TEST(JsonInput, SyntaxErrorsAndDeepNestingAreUnusable) {
  EXPECT_THAT(unusable("{\"cases\": ["), HasSubstr("in.json is not JSON: [json.exception.parse_error.101]"));
  EXPECT_THAT(unusable(""), HasSubstr("in.json is not JSON"));
  EXPECT_NO_THROW(parse(std::string(64, '[') + std::string(64, ']'), "in.json"));  // 64 levels
  const std::string deep = unusable("{\"a\": " + std::string(64, '[') + std::string(64, ']') + "}");
  EXPECT_THAT(deep, ::testing::StartsWith("in.json: /a/0/0/0/"));
  EXPECT_THAT(deep, ::testing::EndsWith("/0: nested deeper than 64 levels"));
}

class JsonFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("scorebench_json_input_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(JsonFile, ReadsARegularFile) {
  std::ofstream(dir_ / "ok.json") << R"({"x": [1, 2.5]})";
  EXPECT_EQ(read_file((dir_ / "ok.json").string())["x"][1], 2.5);
}

TEST_F(JsonFile, AMissingFileADirectoryAndAnEndlessDeviceAreUnusable) {
  const std::string missing = (dir_ / "missing.json").string(), dir = dir_.string();
  EXPECT_THROW(read_file(missing), Unusable);
  try {
    read_file(dir);
    ADD_FAILURE() << "a directory was read";
  } catch (const Unusable& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + dir + ": it is a directory, not a file");
  }
  // /dev/zero never ends: reading stops at the limit.
  try {
    read_text("/dev/zero");
    ADD_FAILURE() << "/dev/zero was read";
  } catch (const Unusable& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read /dev/zero: it is larger than 256 MiB, the most a JSON input may hold");
  }
}

TEST(JsonInput, AccessorsNameTheKeyAndTheValue) {
  const json e = json::parse(R"({"s": "ns", "n": 5, "b": true, "l": [1, 2], "o": {"k": 1}, "neg": -1})");
  EXPECT_EQ(string_or(e, "s", "x", "w"), "ns");
  EXPECT_EQ(string_or(e, "absent", "x", "w"), "x");
  EXPECT_EQ(string_or(json(3), "s", "x", "w"), "x");  // not an object: the fallback
  EXPECT_TRUE(boolean_or(e, "b", false, "w"));
  EXPECT_EQ(required_number(e, "n", "w"), 5);
  EXPECT_EQ(required_index(e, "n", "w"), 5u);
  const auto message = [&](auto read) -> std::string {
    try {
      read();
    } catch (const std::invalid_argument& x) {
      return x.what();
    }
    return "accepted";
  };
  EXPECT_EQ(message([&] { string_or(e, "n", "x", "run.json: benchmarks[0]"); }),
            "run.json: benchmarks[0]: \"n\" must be a string, got 5");
  EXPECT_EQ(message([&] { boolean_or(e, "s", false, "w"); }), "w: \"s\" must be true or false, got \"ns\"");
  EXPECT_EQ(message([&] { required_number(e, "l", "w"); }), "w: \"l\" must be a number, got a list of 2");
  EXPECT_EQ(message([&] { required_string(e, "o", "w"); }),
            "w: \"o\" must be a string, got an object of 1 keys");
  EXPECT_EQ(message([&] { required_index(e, "neg", "w"); }),
            "w: \"neg\" must be a non-negative integer, got -1");
  EXPECT_EQ(message([&] { required_string(e, "absent", "w"); }), "w has no \"absent\"");
  EXPECT_EQ(describe(json(std::string(100, 'a'))), "\"" + std::string(40, 'a') + "\"…");
}

// The Google Benchmark reader through the accessors: a field of the wrong
// type or a time that is not one is an std::invalid_argument naming it.
TEST(BenchmarkRunReader, WrongTypesAndNonTimesNameTheEntryAndKey) {
  const auto message = [](const std::string& entry) -> std::string {
    try {
      reports::parse_benchmark_run(json::parse(R"({"benchmarks": [)" + entry + "]}"), "run.json");
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(message(R"({"name": "a", "real_time": 1, "cpu_time": 1, "time_unit": 5})"),
            "run.json: benchmarks[0] (a): \"time_unit\" must be a string, got 5");
  EXPECT_EQ(message(R"({"name": "a", "real_time": 1, "cpu_time": 1, "time_unit": null})"),
            "run.json: benchmarks[0] (a): \"time_unit\" must be a string, got null");
  EXPECT_EQ(message(R"({"name": "a", "run_name": 7, "real_time": 1, "cpu_time": 1})"),
            "run.json: benchmarks[0]: \"run_name\" must be a string, got 7");
  EXPECT_EQ(message(R"({"name": "a", "error_occurred": "yes"})"),
            "run.json: benchmarks[0]: \"error_occurred\" must be true or false, got \"yes\"");
  EXPECT_EQ(message(R"({"name": "a", "real_time": "1", "cpu_time": 1})"),
            "run.json: benchmarks[0] (a): \"real_time\" must be a number, got \"1\"");
  EXPECT_EQ(message(R"({"name": "a", "real_time": 1e300, "cpu_time": 1, "time_unit": "s"})"),
            "run.json: benchmarks[0] (a): \"real_time\" = 1e+300 s is not a time (negative, or beyond the "
            "range of a double in ns)");
  EXPECT_EQ(message(R"({"name": "a", "real_time": -1, "cpu_time": 1})"),
            "run.json: benchmarks[0] (a): \"real_time\" = -1 ns is not a time (negative, or beyond the range "
            "of a double in ns)");
  EXPECT_EQ(
      message(
          R"({"name": "a_median", "run_name": "a", "run_type": "aggregate", "aggregate_name": "median"})"),
      "run.json: benchmarks[0] (a_median) has no \"real_time\"");
  EXPECT_EQ(message("5"), "run.json: benchmarks[0] is 5, not an object");
}

TEST(BenchmarkRunReader, RefusesMoreRepetitionsThanCompareCanPair) {
  json benchmarks = json::array();
  for (std::size_t i = 0; i <= reports::kMaxRepetitions; ++i)
    benchmarks.push_back({{"name", "a"}, {"real_time", 1}, {"cpu_time", 1}});
  try {
    reports::parse_benchmark_run({{"benchmarks", benchmarks}}, "run.json");
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "run.json: benchmarks[4096] (a): more than 4096 repetitions of one benchmark (compare's "
              "Hodges–Lehmann interval takes n_BASE × n_NEW pairwise differences)");
  }
}

}  // namespace
}  // namespace scorebench::json_input

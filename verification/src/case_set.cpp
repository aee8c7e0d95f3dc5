#include "scorebench/verification/case_set.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "scorebench/reports/json_input.hpp"
#include "scorebench/verification/external_fault.hpp"
#include "scorebench/verification/external_method.hpp"
#include "scorebench/verification/external_protocol.hpp"

namespace scorebench::verification {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// ---------------------------------------------------------------- writing

std::string decimal(const mp50& x) {
  if (x == 0) return "0";
  return x.str(kCaseReferenceDigits, std::ios_base::fmtflags(0));
}

// A Result-shaped 50-digit block (laid out as in Result: log_prob 1 × n,
// vectors d × n, matrices d × (n·d)) in the answer's nesting: per sample
// (grads) or one (sum), a number, a list of d, or a list of d rows. The
// entries of sample `invalid` are written "NaN", as an answer must give them.
template <typename Write>
void write_block(std::ostream& out, const Mat<mp50>& m, bool sum, bool scalar, bool matrix, Index invalid,
                 Write write_entry) {
  const Index d = m.rows();
  const Index n = scalar ? m.cols() : matrix ? m.cols() / std::max<Index>(d, 1) : m.cols();
  const auto one = [&](Index b) {
    const auto write = [&](std::ostream& o, const mp50& x) {
      if (b == invalid)
        o << "\"NaN\"";
      else
        write_entry(o, x);
    };
    if (scalar) {
      write(out, m(0, b));
      return;
    }
    const auto vector = [&](Index col) {
      out << '[';
      for (Index i = 0; i < d; ++i) {
        if (i) out << ',';
        write(out, m(i, col));
      }
      out << ']';
    };
    if (!matrix) {
      vector(b);
      return;
    }
    out << '[';
    for (Index i = 0; i < d; ++i) {
      out << (i ? ",[" : "[");
      for (Index j = 0; j < d; ++j) {
        if (j) out << ',';
        write(out, m(i, b * d + j));
      }
      out << ']';
    }
    out << ']';
  };
  if (sum) {
    one(0);
    return;
  }
  out << '[';
  for (Index b = 0; b < n; ++b) {
    if (b) out << ',';
    one(b);
  }
  out << ']';
}

template <typename Write>
void write_reference(std::ostream& out, const Reference& ref, Parameterization p, bool sum, Write write) {
  out << '{';
  for (Block b : kAllBlocks) {
    if (b != Block::log_prob) out << ',';
    out << '"' << block_name(b, p) << "\":";
    write_block(out, ref[b].value, sum, b == Block::log_prob, b == Block::grad_param && is_matrix(p),
                sum ? -1 : ref.invalid_sample, write);
  }
  out << '}';
}

std::string number_text(double x) {
  std::string s;
  append_number(s, x);
  return s;
}

// The reference's norm ‖g‖, and the scale and ρ of the gate's error
// (accuracy.hpp, measure_block): ‖g‖ and ‖m‖/‖g‖, or ‖m‖ and 1 where g is 0.
struct BlockScale {
  double norm = 0, scale = 1, rho = 1;
};
BlockScale block_scale(const BlockReference& r) {
  BlockScale s;
  s.norm = static_cast<double>(r.value.norm());
  const double magnitude = static_cast<double>(r.magnitude.norm());
  s.scale = s.norm > 0 ? s.norm : magnitude > 0 ? magnitude : 1.0;
  s.rho = s.norm > 0 ? std::max(1.0, magnitude / s.norm) : 1.0;
  return s;
}

ordered_json contract_json(const AccuracyContract& c) {
  return {{"route", name(c.route)}, {"c", c.c}, {"kappa_max", c.kappa_max}};
}

ordered_json counts_json() {
  ordered_json out;
  for (Route r : {Route::own_factor, Route::through_sigma, Route::unknown})
    for (Parameterization p : kAllParameterizations) {
      ordered_json blocks;
      for (Block b : kAllBlocks) {
        const RoundingCount n = rounding_count(r, p, b);
        blocks[block_name(b, p)] = {
            {"a", n.kappa_per_d}, {"b", n.kappa_const}, {"e", n.final_per_d}, {"f", n.final_const}};
      }
      out[name(r)][name(p)] = {{"kappa_power", kappa_power(r, p)}, {"blocks", blocks}};
    }
  return out;
}

// Counts the bytes written through it.
struct CountingBuf : std::streambuf {
  explicit CountingBuf(std::streambuf* to) : to_(to) {}
  std::uintmax_t bytes = 0;

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    ++bytes;
    return to_->sputc(traits_type::to_char_type(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const std::streamsize w = to_->sputn(s, n);
    bytes += static_cast<std::uintmax_t>(std::max<std::streamsize>(w, 0));
    return w;
  }
  int sync() override { return to_->pubsync(); }

 private:
  std::streambuf* to_;
};

template <typename T>
void write_case_line(std::ostream& out, std::uint64_t id, const Case& c, const CaseInfo& info,
                     const Mode& mode, const Reference& ref, const AccuracyContract& contract) {
  const Parameterization p = c.spec.parameterization;
  const bool sum = mode.output == Output::sum;
  std::string request = score_request(id, mode_batch<T>(c, mode), mode_request<T>(c, mode, 1));
  request.pop_back();  // the closing brace: the case's own keys follow
  out << request;
  request.clear();
  request.shrink_to_fit();
  out << ",\"case\":" << json(info.id).dump() << ",\"mode\":\"" << mode.name()
      << "\",\"sweep_index\":" << info.sweep_index;
  if (ref.invalid_sample >= 0)
    out << ",\"invalid\":"
        << ordered_json{{"sample", ref.invalid_sample}, {"evidence", ref.invalid_evidence}}.dump();
  out << ",\"reference\":";
  write_reference(out, ref, p, sum, [](std::ostream& o, const mp50& x) { o << '"' << decimal(x) << '"'; });
  out << ",\"reference_double\":";
  write_reference(out, ref, p, sum,
                  [](std::ostream& o, const mp50& x) { o << number_text(static_cast<double>(x)); });
  const BoundShape shape = bound_shape(info, mode);
  ordered_json bound = {{"d", shape.dim},
                        {"kappa", shape.kappa},
                        {"kappa_prescribed", c.spec.kappa},
                        {"u", shape.unit_roundoff},
                        {"B", shape.summed}};
  for (Block b : kAllBlocks) {
    const BlockScale s = block_scale(ref[b]);
    bound["blocks"][block_name(b, p)] = {{"norm", s.norm},
                                         {"scale", s.scale},
                                         {"rho", s.rho},
                                         {"bound", contract.unit_bound(p, b, shape) * s.rho}};
  }
  bound["promised"] = contract.promises(p, c.spec.kappa, shape);
  out << ",\"bound\":" << bound.dump() << "}\n";
}

// ---------------------------------------------------------------- reading

// Records the scalar members of the top-level object; builds nothing else.
class TopLevelSax : public json::json_sax_t {
 public:
  explicit TopLevelSax(TopLevelScalars& out) : out_(out) {}
  bool null() override { return scalar(json(nullptr)); }
  bool boolean(bool v) override { return scalar(json(v)); }
  bool number_integer(number_integer_t v) override { return scalar(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return scalar(json(v)); }
  bool string(string_t& v) override { return scalar(json(v)); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_ == 0) out_.object = true;
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) key_ = k;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = "not JSON at byte " + std::to_string(position) + ": " + e.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool scalar(json v) {
    if (depth_ == 1 && out_.object) out_.members.emplace_back(key_, std::move(v));
    return true;
  }
  TopLevelScalars& out_;
  std::size_t depth_ = 0;
  std::string key_, error_;
};

struct AnswerLine {
  std::streamoff offset = 0;
  size_t line = 0;
};

std::string at_line(const std::string& source, size_t line) {
  return source + " line " + std::to_string(line);
}

bool has_key(const TopLevelScalars& s, const std::string& key) { return s.find(key) != nullptr; }

Sweep sweep_named(const std::string& s, const std::string& where) {
  if (s == "quick") return Sweep::quick;
  if (s == "full") return Sweep::full;
  if (s == "small") return Sweep::small;
  throw CheckInputError(where + ": sweep \"" + s + "\" (quick, full, small)");
}

std::optional<Mode> mode_named(const std::string& s) {
  for (const Mode& m : all_modes())
    if (m.name() == s) return m;
  return std::nullopt;
}

bool hello_covers(const Hello& h, Parameterization p, Dtype dtype, const Mode& mode) {
  const auto has = [](const auto& v, auto x) { return std::find(v.begin(), v.end(), x) != v.end(); };
  return has(h.parameterizations, p) && has(h.dtypes, dtype) && has(h.outputs, mode.output) &&
         (mode.shared ? h.shared : h.per_sample);
}

// Reads the line that starts at `offset`.
std::string line_at(std::istream& in, std::streamoff offset) {
  in.clear();
  in.seekg(offset);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

const nlohmann::json* TopLevelScalars::find(const std::string& key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

TopLevelScalars scan_top_level(std::string_view line) {
  TopLevelScalars out;
  TopLevelSax sax(out);
  bool ok = false;
  try {
    ok = json::sax_parse(line.data(), line.data() + line.size(), &sax);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("not JSON: ") + e.what());
  }
  if (!ok) throw std::invalid_argument(sax.error().empty() ? "not JSON" : sax.error());
  return out;
}

CasesSummary write_cases(std::ostream& to, const CasesOptions& options) {
  CountingBuf counter(to.rdbuf());
  std::ostream out(&counter);
  CasesSummary summary;
  const std::vector<CaseSpec> specs =
      options.specs.empty() ? sweep_specs(options.sweep, options.seed) : options.specs;
  // A first pass for the cases that do not survive rounding to their dtype:
  // the header lists them, so that a reader knows every case before the first line.
  // Ids count every case line of the unsharded file, so a shard's lines keep theirs.
  ordered_json skipped = ordered_json::array();
  std::vector<bool> is_skipped(specs.size());
  size_t shard_cases = 0;
  for (size_t i = 0; i < specs.size(); ++i) {
    const Case c = make_case(specs[i]);
    shard_cases += options.shard.takes(i);
    if (!c.skipped) continue;
    is_skipped[i] = true;
    if (options.shard.takes(i))
      skipped.push_back({{"case", c.id()}, {"sweep_index", i}, {"reason", *c.skipped}});
  }
  summary.cases = shard_cases;
  summary.skipped = skipped.size();
  ordered_json header = {
      {"schema", kCasesSchema},
      {"scorebench_version", options.version.empty() ? "unknown" : options.version},
      {"protocol", kProtocolVersion},
      {"sweep", options.specs.empty() ? name(options.sweep) : "cases"},
      {"seed", options.seed},
      {"cases", specs.size()},
      {"lines", (shard_cases - skipped.size()) * all_modes().size()},
      {"modes", {"per_sample/grads", "per_sample/sum", "shared/grads", "shared/sum"}},
      {"reference_digits", kCaseReferenceDigits},
      {"error",
       "||answer - reference||_F / scale, per block (scale = ||reference||_F, or ||m||_F where the "
       "reference is exactly 0)"},
      {"bound", "c * u * ((a*d + b + B) * kappa^p + e*d + f) * rho"},
      {"max_promised_error", kMaxPromisedError},
      {"contract", contract_json(options.contract)},
      {"counts", counts_json()},
      {"skipped", skipped},
      {"doc", "verification/CASES.md"}};
  if (options.shard.count > 1)
    header["shard"] = {
        {"index", options.shard.index}, {"count", options.shard.count}, {"cases", shard_cases}};
  out << header.dump() << "\n";
  std::uint64_t id = 0;
  for (size_t index = 0; index < specs.size(); ++index) {
    if (is_skipped[index]) continue;
    if (!options.shard.takes(index)) {
      id += all_modes().size();
      continue;
    }
    const Case c = make_case(specs[index]);
    const CaseInfo info{c.spec, c.id(), c.kappa, c.skipped, index};
    CaseReference reference(c);
    for (const Mode& mode : all_modes()) {
      // The case set gives the action, never the noise.
      const Reference ref = reference.reference(mode, false, false);
      const std::uintmax_t before = counter.bytes;
      if (c.spec.dtype == Dtype::f64)
        write_case_line<double>(out, ++id, c, info, mode, ref, options.contract);
      else
        write_case_line<float>(out, ++id, c, info, mode, ref, options.contract);
      summary.largest_line = std::max(summary.largest_line, counter.bytes - before);
      ++summary.lines;
    }
    if (options.progress) options.progress(info.id, index + 1, specs.size());
  }
  out.flush();
  summary.bytes = counter.bytes;
  if (!out || !to) throw std::runtime_error("cannot write the cases");
  return summary;
}

VerifyReport check_answers(std::istream& cases, std::istream& answers, const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const std::string& cs = options.cases_source;
  const std::string& as = options.answers_source;
  VerifyReport report;

  // The header.
  std::string line;
  if (!std::getline(cases, line))
    throw CheckInputError(cs + ": empty; expected a " + kCasesSchema + " header");
  json header;
  try {
    header = json_input::parse(line, at_line(cs, 1));
    if (!header.is_object()) throw std::invalid_argument(at_line(cs, 1) + " is not a JSON object");
    const std::string schema = json_input::string_or(header, "schema", "", at_line(cs, 1));
    if (schema != kCasesSchema)
      throw std::invalid_argument(at_line(cs, 1) + ": schema \"" + schema + "\"; expected " + kCasesSchema +
                                  " (written by scorebench cases)");
    const std::string sweep = json_input::required_string(header, "sweep", at_line(cs, 1));
    report.sweep = sweep == "cases" ? Sweep::quick : sweep_named(sweep, at_line(cs, 1));
    if (!header.contains("seed") || !header["seed"].is_number_unsigned())
      throw std::invalid_argument(at_line(cs, 1) + ": no whole-number seed");
    report.seed = header["seed"].get<std::uint64_t>();
    if (header.contains("shard")) {
      const json& shard = header["shard"];
      const size_t index = json_input::required_index(shard, "index", at_line(cs, 1) + ": shard"),
                   count = json_input::required_index(shard, "count", at_line(cs, 1) + ": shard");
      if (count == 0 || index >= count || count > kMaxShards)
        throw std::invalid_argument(at_line(cs, 1) + ": shard " + std::to_string(index) + "/" +
                                    std::to_string(count) +
                                    " is not a shard I/N with 0 <= I < N <= " + std::to_string(kMaxShards));
      report.shard = Shard{index, count};
    }
  } catch (const CheckInputError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw CheckInputError(e.what());
  }
  size_t expected_lines = 0, expected_cases = 0;
  std::vector<CaseInfo> skipped;
  try {
    expected_lines = json_input::required_index(header, "lines", at_line(cs, 1));
    expected_cases = json_input::required_index(header, "cases", at_line(cs, 1));
    if (header.contains("skipped")) {
      const json& list = header["skipped"];
      if (!list.is_array()) throw std::invalid_argument(at_line(cs, 1) + ": skipped is not a list");
      for (const json& s : list) {
        const std::string where = at_line(cs, 1) + ": skipped";
        CaseInfo info;
        info.id = json_input::required_string(s, "case", where);
        info.spec = parse_case_id(info.id);
        info.sweep_index = json_input::required_index(s, "sweep_index", where);
        info.kappa = info.spec.kappa;
        info.skipped = json_input::required_string(s, "reason", where);
        skipped.push_back(info);
      }
    }
  } catch (const std::invalid_argument& e) {
    throw CheckInputError(e.what());
  }

  // The answers, indexed by id (each line's offset), and the hello.
  std::optional<Hello> hello;
  std::map<std::uint64_t, std::vector<AnswerLine>> index;
  std::vector<std::pair<size_t, std::string>> unusable;  // (line, why): JSON, but no answer to anything
  {
    size_t number = 0;
    bool first = true;
    while (true) {
      const std::streamoff offset = answers.tellg();
      if (!std::getline(answers, line)) break;
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      TopLevelScalars top;
      try {
        top = scan_top_level(line);
      } catch (const std::invalid_argument& e) {
        throw CheckInputError(at_line(as, number) + ": " + e.what() + ": " + truncated(line, 80) +
                              " (an answers file is JSON Lines: one JSON object per line)");
      }
      const bool is_first = first;
      first = false;
      if (is_first && top.object && has_key(top, "protocol")) {
        try {
          hello = parse_hello(line);
        } catch (const ExternalFault& e) {
          throw CheckInputError(at_line(as, number) + ": " + e.what());
        }
        continue;
      }
      const json* id = top.find("id");
      if (!top.object)
        unusable.emplace_back(number, "is not a JSON object: " + truncated(line, 80));
      else if (!id || !id->is_number_unsigned())
        unusable.emplace_back(number, "has no whole-number \"id\" (" +
                                          (id ? json_input::describe(*id) : std::string("none")) +
                                          "): " + truncated(line, 80));
      else
        index[id->get<std::uint64_t>()].push_back({offset, number});
    }
    if (answers.bad()) throw CheckInputError(as + ": read error");
  }

  // The method: named and held to a contract like an external one.
  const std::string method = kExternalPrefix + (!options.name.empty() ? options.name
                                                : hello               ? hello->name
                                                                      : std::string("answers"));
  report.methods.push_back(method);
  // Not the files' names: the shards of one case set, graded from
  // different files, are one implementation to `scorebench merge`.
  report.origins[method] = "answers to scorebench cases, graded by scorebench check";
  const auto contract_of_p = [&](Parameterization p) {
    if (options.contract) return *options.contract;
    if (hello) return hello->contract_for(p);
    AccuracyContract c;
    c.rationale = "no contract declared: route unknown, c = 1, every κ";
    return c;
  };
  for (Parameterization p : kAllParameterizations) report.declared_contracts[{method, p}] = contract_of_p(p);

  // The case lines, each graded as it comes.
  std::set<std::uint64_t> requests;  // ids of every case line, covered or not
  std::optional<Case> current;
  std::optional<CaseReference> reference;
  std::vector<CaseInfo> infos;  // the cases with lines, in file order
  size_t number = 1, lines = 0;
  while (std::getline(cases, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = at_line(cs, number);
    TopLevelScalars top;
    std::uint64_t id = 0;
    std::string case_id;
    std::optional<Mode> mode;
    size_t sweep_index = 0;
    try {
      top = scan_top_level(line);
      if (!top.object) throw std::invalid_argument("not a JSON object");
      const json* j_id = top.find("id");
      const json* j_case = top.find("case");
      const json* j_mode = top.find("mode");
      const json* j_index = top.find("sweep_index");
      if (!j_id || !j_id->is_number_unsigned()) throw std::invalid_argument("no whole-number \"id\"");
      if (!j_case || !j_case->is_string()) throw std::invalid_argument("no \"case\" id");
      if (!j_mode || !j_mode->is_string() || !(mode = mode_named(j_mode->get<std::string>())))
        throw std::invalid_argument(
            "no \"mode\" of per_sample/grads, per_sample/sum, shared/grads, shared/sum");
      if (!j_index || !j_index->is_number_unsigned()) throw std::invalid_argument("no \"sweep_index\"");
      id = j_id->get<std::uint64_t>();
      case_id = j_case->get<std::string>();
      sweep_index = j_index->get<size_t>();
      if (!requests.insert(id).second)
        throw std::invalid_argument("request id " + std::to_string(id) + " repeated");
      if (!current || current->id() != case_id) {
        const CaseSpec spec = parse_case_id(case_id);
        current = make_case(spec);
        if (current->id() != case_id)
          throw std::invalid_argument("case id \"" + case_id + "\" is not in its canonical form \"" +
                                      current->id() + "\"");
        if (current->skipped)
          throw std::invalid_argument("case " + case_id + " is skipped: " + *current->skipped);
        reference.emplace(*current);
        infos.push_back(CaseInfo{current->spec, case_id, current->kappa, std::nullopt, sweep_index});
        if (options.progress) options.progress(case_id, sweep_index + 1, expected_cases);
      }
    } catch (const CheckInputError&) {
      throw;
    } catch (const std::invalid_argument& e) {
      throw CheckInputError(where + ": " + e.what());
    }
    ++lines;
    const Case& c = *current;
    const CaseInfo& info = infos.back();
    const Parameterization p = c.spec.parameterization;
    if (hello && !hello_covers(*hello, p, c.spec.dtype, *mode)) continue;  // as verify skips it
    const size_t ci = infos.size() - 1;  // renumbered below, with the skipped cases
    const Reference ref = reference->reference(*mode, false, false);
    const AccuracyContract contract = contract_of_p(p);
    const auto evidence = [&](const std::string& what) {
      return method + ": " + what + ": request " + std::to_string(id) + " (" + where + ")";
    };
    const auto found = index.find(id);
    const auto grade_line = [&](auto tag) -> Evaluation {
      using T = decltype(tag);
      // A missing or repeated answer fails wherever it happens, as a broken
      // protocol does in verify.
      if (found == index.end()) {
        const std::string m = evidence("missing") + ": no answer in " + as;
        return grade<T>(info, ci, method, contract, *mode, 1, ref, Answer<T>{nullptr, m, true, "\n    " + m});
      }
      if (found->second.size() > 1) {
        std::string where_all;
        for (const AnswerLine& a : found->second)
          where_all += (where_all.empty() ? "" : ", ") + std::to_string(a.line);
        const std::string m = evidence("duplicate") + ": " + std::to_string(found->second.size()) +
                              " answers, " + as + " lines " + where_all;
        return grade<T>(info, ci, method, contract, *mode, 1, ref, Answer<T>{nullptr, m, true, "\n    " + m});
      }
      const AnswerLine& a = found->second.front();
      const std::string text = line_at(answers, a.offset);
      const Batch<T> batch = mode_batch<T>(c, *mode);
      const Request<T> request = mode_request<T>(c, *mode, 1);
      std::optional<std::string> refusal;
      try {
        const Result<T> r = parse_score_answer<T>(text, id, batch, request, refusal);
        if (refusal)
          return grade<T>(
              info, ci, method, contract, *mode, 1, ref,
              Answer<T>{nullptr,
                        "threw: " + method + " refused request " + std::to_string(id) + ": " + *refusal,
                        false, ""});
        return grade<T>(info, ci, method, contract, *mode, 1, ref, Answer<T>{&r, "", false, ""});
      } catch (const ExternalFault& e) {
        const std::string m = method + ": " + name(e.fault) + ": request " + std::to_string(id) + " (" + as +
                              " line " + std::to_string(a.line) + "): " + e.what();
        return grade<T>(info, ci, method, contract, *mode, 1, ref,
                        Answer<T>{nullptr, m, e.always_fails(), e.always_fails() ? "\n    " + m : ""});
      }
    };
    Evaluation e = c.spec.dtype == Dtype::f64 ? grade_line(double{}) : grade_line(float{});
    report.evaluations.push_back(std::move(e));
  }
  if (cases.bad()) throw CheckInputError(cs + ": read error");
  if (lines != expected_lines)
    throw CheckInputError(cs + ": " + std::to_string(lines) + " case lines; its header says " +
                          std::to_string(expected_lines) + " (a truncated or edited file?)");

  // Answers to nothing, and lines that answer nothing.
  for (const auto& entry : index)
    if (!requests.count(entry.first))
      for (const AnswerLine& a : entry.second)
        report.answer_findings.push_back(at_line(as, a.line) + ": an answer to request " +
                                         std::to_string(entry.first) + ", which is no case line of " + cs);
  for (const auto& u : unusable) report.answer_findings.push_back(at_line(as, u.first) + " " + u.second);

  // The cases in sweep order, the skipped ones included, as verify lists them.
  std::vector<size_t> order(infos.size() + skipped.size());
  std::vector<CaseInfo> all = infos;
  all.insert(all.end(), skipped.begin(), skipped.end());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return all[x].sweep_index < all[y].sweep_index; });
  std::vector<size_t> position(all.size());
  for (size_t i = 0; i < order.size(); ++i) {
    position[order[i]] = i;
    report.cases.push_back(all[order[i]]);
  }
  for (Evaluation& e : report.evaluations) e.case_index = position[e.case_index];
  std::stable_sort(report.evaluations.begin(), report.evaluations.end(),
                   [](const Evaluation& x, const Evaluation& y) { return x.case_index < y.case_index; });
  for (const Evaluation& e : report.evaluations)
    if (e.status == Status::violation) report.violations.push_back(e.message);
  for (const std::string& f : report.answer_findings) report.violations.push_back(f);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace scorebench::verification

#include "eval_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <new>
#include <sstream>
#include <stdexcept>

#include "command.hpp"
#include "external_args.hpp"
#include "json_io.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/reports/json_input.hpp"
#include "scorebench/resources.hpp"
#include "scorebench/verification/external_method.hpp"

namespace scorebench::cli {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// A case is a batch of one: drop the library's "sample 0: " prefix.
ordered_json error_json(std::string message) {
  const std::string prefix = "sample 0: ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  return ordered_json{{"error", message}};
}

// A case whose score would need more memory than the machine can give
// (scorebench/resources.hpp): refused with the estimate, before any of it
// is allocated.
template <typename T>
void refuse_if_too_large(const Method& method, const Batch<T>& batch) {
  const Index d = batch.loc.rows();
  const Capabilities facts = method.capabilities();
  const double bytes = score_sample_bytes(facts, batch.parameterization, d, sizeof(T));
  if (const auto excess = exceeds_memory(bytes, physical_memory_bytes()))
    throw std::invalid_argument("d = " + std::to_string(d) + " is too large for " + method.name() + " with " +
                                std::string(name(batch.parameterization)) + ": one sample needs " + *excess +
                                (facts.carries_every_derivative
                                     ? " (forward-mode AD carries every derivative through every "
                                       "intermediate: O(d⁴) memory and O(d⁵) time for a matrix parameter)"
                                     : ""));
}

// An external implementation is asked only what its hello says it takes.
template <typename T>
void refuse_if_not_covered(const Method& method, const Batch<T>& batch) {
  const verification::Dtype dtype =
      std::is_same_v<T, float> ? verification::Dtype::f32 : verification::Dtype::f64;
  const verification::Mode mode{batch.shared_param() && batch.size() > 1, Output::grads};
  if (!verification::covers(method, batch.parameterization, dtype, mode))
    throw std::invalid_argument(method.name() + " does not take " +
                                std::string(name(batch.parameterization)) + " in " +
                                std::string(verification::name(dtype)) + " with " +
                                (mode.shared ? "a shared" : "a per-sample") + " parameter (its hello)");
}

template <typename T>
ordered_json evaluate_case(const Method& method, const json& c) {
  try {
    const Batch<T> batch = batch_from_case<T>(c);
    refuse_if_too_large(method, batch);
    refuse_if_not_covered(method, batch);
    const Result<T> result = method.evaluate(batch, Request<T>{});
    if (!result.ok()) return error_json(result.errors.front().message);
    return json_from_result(result);
  } catch (const std::invalid_argument& e) {
    return error_json(e.what());
  } catch (const std::domain_error& e) {
    return error_json(e.what());
  } catch (const verification::ExternalFault& e) {
    return error_json(e.what());
  } catch (const std::bad_alloc&) {
    // Beyond the model of refuse_if_too_large (other processes took the
    // memory): this case fails, the others are still computed.
    return error_json("out of memory while evaluating this case");
  }
}

}  // namespace

ordered_json evaluate_cases(const Method& method, const std::string& dtype, const json& input,
                            bool& any_failed) {
  if (!input.is_object() || !input.contains("cases") || !input["cases"].is_array())
    throw std::invalid_argument("input must be an object {\"cases\": [...]}");
  const Capabilities caps = method.capabilities();
  if (!caps.available)
    throw std::invalid_argument("method " + method.name() + " is unavailable: " + caps.unavailable_reason);
  ordered_json results = ordered_json::array();
  any_failed = false;
  for (const json& c : input["cases"]) {
    ordered_json r = dtype == "float" ? evaluate_case<float>(method, c) : evaluate_case<double>(method, c);
    any_failed = any_failed || r.contains("error");
    results.push_back(std::move(r));
  }
  return ordered_json{{"method", method.name()}, {"dtype", dtype}, {"results", std::move(results)}};
}

ordered_json evaluate_cases(const std::string& method, const std::string& dtype, const json& input,
                            bool& any_failed) {
  return evaluate_cases(registry().get(method), dtype, input, any_failed);
}

int run_eval(const EvalOptions& options, std::ostream& err) {
  if (options.method.empty() == options.external.empty()) {
    err << "scorebench eval: give exactly one of --method and --external\n";
    return 2;
  }
  json input;
  try {
    input = read_eval_input(options.input);
  } catch (const json_input::Unusable& e) {
    err << "scorebench eval: --input: " << e.what() << "\n";
    return 2;
  }
  ordered_json output;
  bool any_failed = false;
  try {
    std::unique_ptr<verification::ExternalMethod> external;
    if (!options.external.empty()) {
      external = std::make_unique<verification::ExternalMethod>(
          parse_external(options.external, options.external_timeout));
      if (external->hello_fault()) err << "FAULT " << *external->hello_fault() << "\n";
    }
    const Method& method = external ? *external : registry().get(options.method);
    output = evaluate_cases(method, options.dtype, input, any_failed);
  } catch (const std::invalid_argument& e) {
    err << "scorebench eval: " << e.what() << "\n";
    return 2;
  }
  const std::string text = dump_readable(output);
  if (options.output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(options.output);
    if (!(out << text)) {
      err << "scorebench eval: cannot write --output " << options.output << "\n";
      return 2;
    }
  }
  if (any_failed) {
    int index = 0;
    for (const ordered_json& r : output["results"]) {
      if (r.contains("error")) err << "case " << index << ": " << r["error"].get<std::string>() << "\n";
      ++index;
    }
  }
  return any_failed ? 1 : 0;
}

Command add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* eval =
      app.add_subcommand("eval", "Evaluate log p and its gradients for every case of a JSON file");
  eval->add_option("--method", options->method, "Method name (see `scorebench methods`)")
      ->check(CLI::IsMember(registry().names()));
  eval->add_option(
      "--external", options->external,
      "[NAME=]COMMAND: an implementation that speaks scorebench.external/1, instead of --method");
  eval->add_option("--external-timeout", options->external_timeout,
                   "Seconds an external implementation may take per case")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  eval->add_option("--dtype", options->dtype, "Arithmetic: double or float")
      ->check(CLI::IsMember({"double", "float"}))
      ->capture_default_str();
  eval->add_option("--input", options->input, "Cases: {\"cases\": [...]}")->required();
  eval->add_option("--output", options->output, "Results file (default: stdout)");
  return {eval, [options] { return run_eval(*options, std::cerr); }};
}

}  // namespace scorebench::cli

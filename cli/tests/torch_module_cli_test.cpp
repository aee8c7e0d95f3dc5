// libtorch is loaded by the first autodiff_reverse evaluation only
// (estimators/score/include/scorebench/torch_module.hpp): the dynamic loader's
// trace (LD_DEBUG=files) names every library a run opens.

#include "cli_test_support.hpp"
#include "scorebench/torch_module.hpp"

namespace scorebench::cli::testing {
namespace {

using TorchModuleCli = CliTest;

TEST_F(TorchModuleCli, OnlyAnAutodiffReverseEvaluationLoadsLibtorch) {
  if (!torch_module_built()) GTEST_SKIP() << "built without libtorch";
  const ProcessRun methods = scorebench({"methods"}, "LD_DEBUG=files");
  ASSERT_EQ(methods.status, 0) << methods.err;
  EXPECT_NE(methods.out.find("autodiff_reverse"), std::string::npos) << "listed without loading it";
  EXPECT_EQ(methods.err.find("libtorch"), std::string::npos) << "scorebench methods opened libtorch";
  EXPECT_NE(methods.err.find("libstdc++"), std::string::npos) << "the trace is there";

  const auto cases = write("cases.json", R"({"cases": [
    {"loc": [0.5, -1.0], "action": [1.25, 0.5], "scale_tril": [[2.0, 0.0], [0.5, 1.5]]}]})");
  const ProcessRun analytic =
      scorebench({"eval", "--method", "analytic", "--input", cases.string()}, "LD_DEBUG=files");
  ASSERT_EQ(analytic.status, 0) << analytic.err;
  EXPECT_EQ(analytic.err.find("libtorch"), std::string::npos) << "an analytic eval opened libtorch";

  const ProcessRun reverse =
      scorebench({"eval", "--method", "autodiff_reverse", "--input", cases.string()}, "LD_DEBUG=files");
  ASSERT_EQ(reverse.status, 0) << reverse.err;
  EXPECT_NE(reverse.err.find("libscorebench_torch"), std::string::npos) << "the module was not loaded";
  EXPECT_NE(reverse.err.find("libtorch"), std::string::npos);
}

TEST_F(TorchModuleCli, AMissingModuleIsAClearError) {
  if (!torch_module_built()) GTEST_SKIP() << "built without libtorch";
  const auto cases = write("cases.json", R"({"cases": [
    {"loc": [0.5], "action": [1.25], "scale_diag": [2.0]}]})");
  const ProcessRun r = scorebench({"eval", "--method", "autodiff_reverse", "--input", cases.string()},
                                  "SCOREBENCH_TORCH_MODULE=/nonexistent/libscorebench_torch.so");
  EXPECT_NE(r.status, 0);
  EXPECT_NE((r.out + r.err).find("libscorebench_torch.so"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace scorebench::cli::testing

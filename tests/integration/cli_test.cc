// The hubspot-imports command-line client against the real gateway.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/json.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-cli-test-token";

class CliTest : public FakeAndGatewayTest {
 protected:
  void SetUp() override {
    StartFakeAndGateway(kToken, "",
                        absl::StrCat(R"("upload": {"spoolDirectory": ")",
                                     dir_.path(), R"("},)"));
  }

  // Runs `hubspot-imports upload`; its exit code and everything it printed.
  std::pair<int, std::string> Run(std::vector<std::string> args) {
    args.insert(args.begin(), "upload");
    return RunCommand(std::move(args), gateway_->address());
  }

  std::pair<int, std::string> RunCommand(std::vector<std::string> args,
                                         const std::string& gateway) {
    args.insert(args.begin(), {CLI_BINARY_FOR_TESTS,
                               absl::StrCat("--gateway=", gateway)});
    auto process = Subprocess::Start(args);
    EXPECT_TRUE(process.ok());
    absl::StatusOr<int> code = (*process)->Wait(absl::Seconds(60));
    EXPECT_TRUE(code.ok());
    return {code.ok() ? *code : -1, (*process)->Output()};
  }
};

TEST_F(CliTest, UploadsFilesAndPrintsTheImport) {
  const std::string request = dir_.Write("request.json", R"({
      "name": "from the cli",
      "files": [{"fileName": "a.csv", "fileFormat": "CSV"},
                {"fileName": "b.csv", "fileFormat": "CSV"}]})");
  const std::string a = dir_.Write("a.csv", "email\nann@example.com\n");
  const std::string b = dir_.Write("b.csv", "email\nbo@example.com\n");
  auto [code, output] =
      Run({absl::StrCat("--request=", request), "--sha256", a, b});
  ASSERT_EQ(code, 0) << output;
  auto import = ParseJsonObject(output);
  ASSERT_TRUE(import.ok()) << output;
  EXPECT_EQ(import->fields().at("importName").string_value(), "from the cli");
  EXPECT_EQ(import->fields().at("state").string_value(),
            "IMPORT_STATE_STARTED");
  const auto uploads =
      fake_->Control("stats").fields().at("uploads").list_value();
  ASSERT_EQ(uploads.values_size(), 1);
  EXPECT_EQ(uploads.values(0)
                .struct_value()
                .fields()
                .at("files")
                .list_value()
                .values_size(),
            2);
}

TEST_F(CliTest, RunAgainWithTheSameIdempotencyKeyPrintsTheSameImport) {
  const std::string request = dir_.Write("request.json", R"({
      "name": "retried", "files": [{"fileName": "a.csv", "fileFormat": "CSV"}]})");
  const std::string a = dir_.Write("a.csv", "email\nann@example.com\n");
  auto [code, first] = Run({absl::StrCat("--request=", request),
                            "--idempotency_key=nightly-2026-11-29", a});
  ASSERT_EQ(code, 0) << first;
  auto [code2, second] = Run({absl::StrCat("--request=", request),
                              "--idempotency_key=nightly-2026-11-29", a});
  ASSERT_EQ(code2, 0) << second;
  auto one = ParseJsonObject(first);
  auto two = ParseJsonObject(second);
  ASSERT_TRUE(one.ok() && two.ok()) << first << second;
  EXPECT_EQ(one->fields().at("id").string_value(),
            two->fields().at("id").string_value());
  EXPECT_EQ(
      fake_->Control("stats").fields().at("uploads").list_value().values_size(),
      1);
}

TEST_F(CliTest, ReportsTheGatewaysRefusal) {
  const std::string request = dir_.Write(
      "request.json",
      R"({"name": "x", "files": [{"fileName": "other.csv", "fileFormat": "CSV"}]})");
  const std::string a = dir_.Write("a.csv", "email\nann@example.com\n");
  auto [code, output] = Run({absl::StrCat("--request=", request), a});
  EXPECT_EQ(code, 2);
  EXPECT_THAT(output, HasSubstr("StartImport failed"));
  EXPECT_THAT(output, HasSubstr("a.csv"));
}

TEST_F(CliTest, MissingFileIsAClearError) {
  const std::string request = dir_.Write("request.json", R"({"name": "x"})");
  auto [code, output] =
      Run({absl::StrCat("--request=", request), dir_.path() + "/missing.csv"});
  EXPECT_EQ(code, 2);
  EXPECT_THAT(output, HasSubstr("cannot read"));
}

TEST_F(CliTest, HealthExitsZeroOnlyWhenServing) {
  auto [code, output] = RunCommand({"health"}, gateway_->address());
  EXPECT_EQ(code, 0) << output;
  EXPECT_EQ(output, "SERVING\n");
  auto [hubspot_code, hubspot_output] =
      RunCommand({"health", "--service=hubspot"}, gateway_->address());
  EXPECT_EQ(hubspot_code, 0) << hubspot_output;

  auto [unknown_code, unknown_output] =
      RunCommand({"health", "--service=no-such-service"}, gateway_->address());
  EXPECT_NE(unknown_code, 0);
  EXPECT_THAT(unknown_output, HasSubstr("health check failed (5)"));
}

TEST_F(CliTest, HealthFailsWhenNothingListens) {
  auto [code, output] = RunCommand({"health", "--timeout=1s"},
                                   absl::StrCat("127.0.0.1:", FreePort()));
  EXPECT_NE(code, 0);
  EXPECT_THAT(output, HasSubstr("health check failed (14)"));
}

}  // namespace
}  // namespace hubspot_gateway::testing

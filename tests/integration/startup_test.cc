// A bad configuration stops start-up with one line that names the field and
// the fix, exit code 2, and never a secret's value.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct StartResult {
  int exit_code = -1;
  std::string output;
};

StartResult StartWith(const TempDir& dir, absl::string_view config,
                      const std::map<std::string, std::string>& env = {}) {
  const std::string path = dir.Write("gateway.json", config);
  auto process = Subprocess::Start(
      {GATEWAY_BINARY_FOR_TESTS, absl::StrCat("--config=", path)}, env);
  EXPECT_TRUE(process.ok());
  StartResult result;
  absl::StatusOr<int> code = (*process)->Wait(absl::Seconds(30));
  EXPECT_TRUE(code.ok()) << "the gateway did not stop on a bad configuration";
  result.exit_code = code.ok() ? *code : -1;
  result.output = (*process)->Output();
  return result;
}

TEST(StartupTest, BadConfigurationsNameTheFieldAndExitTwo) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"listenAdress": "x"})", "listenAdress"},
      {R"({"hubspot": {"baseUrl": "ftp://example.com",
            "credentials": {"privateAppToken": {"env": "T"}}}})",
       "hubspot.baseUrl"},
      {R"({"hubspot": {}})", "hubspot.credentials"},
      {R"({"hubspot": {"credentials": {"privateAppToken": {"file": "/nonexistent/token"}}}})",
       "hubspot.credentials.privateAppToken"},
      {R"({"hubspot": {"timeout": "0s", "credentials": {"privateAppToken": {"env": "T"}}}})",
       "hubspot.timeout"},
      {R"({"listenAddress": "nowhere", "hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})",
       "listenAddress"},
      {R"({"metricsListenAddress": "9464", "hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})",
       "is not HOST:PORT (e.g. 0.0.0.0:9464)"},
      // Exposure: neither TLS nor plaintext asked for; nobody may call.
      {R"({"hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})",
       "listenerTls: not set"},
      {R"({"allowPlaintext": true, "hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})",
       "access: no callers"},
      {R"({"allowPlaintext": true, "access": {"callers": [{"name": "etl",
            "tokenSha256": ["abc"], "permissions": ["PERMISSION_READ"]}]},
           "hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})",
       "access.callers[0].tokenSha256[0]"},
      {R"({"listenerTls": {"certFile": "/nonexistent/cert.pem", "keyFile": "/nonexistent/key.pem"},
           "access": {"anonymousPermissions": ["PERMISSION_READ"]},
           "hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})",
       "listenerTls.certFile"},
  };
  for (const auto& [config, field] : cases) {
    StartResult r = StartWith(dir, config, {{"T", "pat-secret-value"}});
    EXPECT_EQ(r.exit_code, 2) << config;
    EXPECT_THAT(r.output, HasSubstr(field)) << config;
    EXPECT_THAT(r.output, HasSubstr("cannot start")) << config;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1)
        << r.output;
    EXPECT_THAT(r.output, Not(HasSubstr("pat-secret-value")));
  }
}

TEST(StartupTest, PortInUseIsReportedNotCrashed) {
  TempDir dir;
  auto first =
      Gateway::Start(dir,
                     GatewayConfig("http://127.0.0.1:1",
                                   R"({"privateAppToken": {"env": "T"}})"),
                     {{"T", "x"}});
  ASSERT_NE(first, nullptr);
  StartResult r = StartWith(
      dir,
      absl::StrCat(
          R"({"listenAddress": ")", first->address(),
          R"(", "allowPlaintext": true, )"
          R"("access": {"anonymousPermissions": ["PERMISSION_READ"]}, )"
          R"("hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})"),
      {{"T", "x"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("listenAddress"));
}

TEST(StartupTest, MetricsPortInUseIsReported) {
  TempDir dir;
  auto first =
      Gateway::Start(dir,
                     GatewayConfig("http://127.0.0.1:1",
                                   R"({"privateAppToken": {"env": "T"}})"),
                     {{"T", "x"}});
  ASSERT_NE(first, nullptr);
  ASSERT_FALSE(first->metrics_address().empty());
  StartResult r = StartWith(
      dir,
      absl::StrCat(
          R"({"listenAddress": "127.0.0.1:0", "metricsListenAddress": ")",
          first->metrics_address(),
          R"(", "allowPlaintext": true, )"
          R"("access": {"anonymousPermissions": ["PERMISSION_READ"]}, )"
          R"("hubspot": {"credentials": {"privateAppToken": {"env": "T"}}}})"),
      {{"T", "x"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("metricsListenAddress: cannot serve on"));
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1)
      << r.output;
}

}  // namespace
}  // namespace hubspot_gateway::testing

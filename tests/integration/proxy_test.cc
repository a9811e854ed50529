// hubspot.proxyUrl: calls reach HubSpot through an HTTP CONNECT proxy (a real
// tinyproxy), which never sees the credentials; a dead proxy is UNAVAILABLE.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "pat-na1-proxy-test-token";

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeHubSpot::Options options;
    options.access_token = kToken;
    fake_ = FakeHubSpot::Start(options);
    ASSERT_NE(fake_, nullptr);
  }

  std::unique_ptr<Gateway> StartGateway(int proxy_port) {
    return Gateway::Start(
        dir_,
        GatewayConfig(fake_->base_url(),
                      R"({"privateAppToken": {"env": "HS_TOKEN"}})",
                      absl::StrCat(R"("proxyUrl": "http://127.0.0.1:)",
                                   proxy_port, R"(",)")),
        {{"HS_TOKEN", kToken}});
  }

  TempDir dir_;
  std::unique_ptr<FakeHubSpot> fake_;
};

TEST_F(ProxyTest, CallsTunnelThroughTheProxy) {
  const int port = FreePort();
  const std::string conf = dir_.Write(
      "tinyproxy.conf",
      absl::StrCat("Port ", port,
                   "\nListen 127.0.0.1\nTimeout 60\nAllow 127.0.0.1\n"
                   "LogLevel Info\n"));
  auto proxy = Subprocess::Start({"/usr/bin/tinyproxy", "-d", "-c", conf});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  ASSERT_TRUE(
      (*proxy)->WaitForOutput("Accepting connections", absl::Seconds(30)))
      << (*proxy)->Output();
  auto gateway = StartGateway(port);
  ASSERT_NE(gateway, nullptr);

  grpc::Status status = gateway->GetImport(103);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The proxy carried a CONNECT tunnel and saw nothing inside it.
  ASSERT_TRUE((*proxy)->WaitForOutput("CONNECT 127.0.0.1", absl::Seconds(30)))
      << (*proxy)->Output();
  EXPECT_THAT((*proxy)->Output(), Not(HasSubstr(kToken)));
}

TEST_F(ProxyTest, DeadProxyIsUnavailable) {
  auto gateway = StartGateway(FreePort());
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("HTTP transfer to HubSpot failed"));
  EXPECT_EQ(fake_->Control("stats")
                .fields()
                .at("requests")
                .list_value()
                .values_size(),
            0);
}

TEST_F(ProxyTest, EnvironmentProxySettingsAreIgnored) {
  // Only hubspot.proxyUrl chooses a proxy: these point nowhere.
  auto gateway = Gateway::Start(
      dir_,
      GatewayConfig(fake_->base_url(),
                    R"({"privateAppToken": {"env": "HS_TOKEN"}})"),
      {{"HS_TOKEN", kToken},
       {"http_proxy", "http://127.0.0.1:1"},
       {"HTTP_PROXY", "http://127.0.0.1:1"},
       {"https_proxy", "http://127.0.0.1:1"},
       {"all_proxy", "http://127.0.0.1:1"},
       {"no_proxy", ""}});
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(103);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace hubspot_gateway::testing

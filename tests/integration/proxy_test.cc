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

// tinyproxy asking for HTTP Basic credentials.
std::unique_ptr<Subprocess> StartAuthProxy(const TempDir& dir, int port) {
  const std::string conf = dir.Write(
      "tinyproxy-auth.conf",
      absl::StrCat("Port ", port,
                   "\nListen 127.0.0.1\nTimeout 60\nAllow 127.0.0.1\n"
                   "LogLevel Info\nBasicAuth proxyuser proxy-secret-42\n"));
  auto proxy = Subprocess::Start({"/usr/bin/tinyproxy", "-d", "-c", conf});
  EXPECT_TRUE(proxy.ok()) << proxy.status();
  if (!proxy.ok()) return nullptr;
  EXPECT_TRUE(
      (*proxy)->WaitForOutput("Accepting connections", absl::Seconds(30)))
      << (*proxy)->Output();
  return *std::move(proxy);
}

TEST_F(ProxyTest, ProxyCredentialsComeFromASecret) {
  const int port = FreePort();
  auto proxy = StartAuthProxy(dir_, port);
  ASSERT_NE(proxy, nullptr);
  auto start = [&](absl::string_view credentials_file) {
    std::string extra = absl::StrCat(R"("proxyUrl": "http://127.0.0.1:)", port,
                                     R"(",)");
    if (!credentials_file.empty()) {
      absl::StrAppend(&extra, R"("proxyCredentials": {"file": ")",
                      credentials_file, R"("},)");
    }
    return Gateway::Start(
        dir_,
        GatewayConfig(fake_->base_url(),
                      R"({"privateAppToken": {"env": "HS_TOKEN"}})", extra),
        {{"HS_TOKEN", kToken}});
  };
  // Without credentials, or with wrong ones, the proxy refuses the tunnel.
  auto anonymous = start("");
  ASSERT_NE(anonymous, nullptr);
  grpc::Status status = anonymous->GetImport(103);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("407"));
  auto wrong = start(dir_.Write("wrong", "proxyuser:not-it\n"));
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->GetImport(103).error_code(), grpc::StatusCode::UNAVAILABLE);
  // With them, calls go through.
  auto right = start(dir_.Write("right", "proxyuser:proxy-secret-42\n"));
  ASSERT_NE(right, nullptr);
  status = right->GetImport(103);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (Gateway* g : {anonymous.get(), wrong.get(), right.get()}) {
    EXPECT_THAT(g->Log(), Not(HasSubstr("proxy-secret-42")));
  }
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

// HTTP/2 to HubSpot by default, negotiated by ALPN against a real HTTP/2
// server (nginx), with calls multiplexed on few connections; HTTP/1.1 when
// configured.

#include <set>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

// Sends `n` GetImport calls at once and expects all to succeed.
void ConcurrentGets(Gateway& gateway, int n) {
  for (const auto& r :
       gateway.ConcurrentGetImports(std::vector<int64_t>(n, 103))) {
    EXPECT_TRUE(r.status.ok()) << r.status.error_message();
    EXPECT_EQ(r.import.state(), v1::IMPORT_STATE_DONE);
  }
}

struct Served {
  std::set<std::string> protocols;
  std::set<std::string> connections;
  int requests = 0;
};

Served Summarize(const std::vector<std::string>& log) {
  Served s;
  for (const std::string& line : log) {
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    if (parts.size() != 2) continue;
    s.protocols.insert(parts[0]);
    s.connections.insert(parts[1]);
    ++s.requests;
  }
  return s;
}

class Http2Test : public ::testing::Test {
 protected:
  void Start(absl::string_view extra_hubspot) {
    certs_ = MakeCertificates(dir_, "localhost");
    nginx_ = Nginx::Start(dir_, certs_);
    ASSERT_NE(nginx_, nullptr);
    gateway_ = Gateway::Start(
        dir_,
        GatewayConfig(nginx_->base_url(),
                      R"({"privateAppToken": {"env": "HS_TOKEN"}})",
                      absl::StrCat(extra_hubspot, R"("tls": {"caFile": ")",
                                   certs_.ca_file, R"("},)")),
        {{"HS_TOKEN", "pat-http2-test"}});
    ASSERT_NE(gateway_, nullptr);
  }

  TempDir dir_;
  Certificates certs_;
  std::unique_ptr<Nginx> nginx_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(Http2Test, DefaultIsHttp2WithCallsMultiplexed) {
  Start("");
  ConcurrentGets(*gateway_, 1);  // sets up the connection
  ConcurrentGets(*gateway_, 100);
  const Served served = Summarize(nginx_->AccessLog(101));
  EXPECT_EQ(served.requests, 101);
  EXPECT_THAT(served.protocols, ::testing::ElementsAre("HTTP/2.0"));
  // 101 calls, most of them at once, over very few connections.
  EXPECT_LE(served.connections.size(), 2u);
}

TEST_F(Http2Test, Http11WhenConfigured) {
  Start(R"("httpVersion": "HTTP_VERSION_1_1",)");
  ConcurrentGets(*gateway_, 20);
  const Served served = Summarize(nginx_->AccessLog(20));
  EXPECT_EQ(served.requests, 20);
  EXPECT_THAT(served.protocols, ::testing::ElementsAre("HTTP/1.1"));
}

}  // namespace
}  // namespace hubspot_gateway::testing

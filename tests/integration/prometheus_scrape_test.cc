// A real scrape: Debian's Prometheus server scrapes a running gateway every
// second while the test drives calls (successes and errors), and its HTTP
// API must show the counters moving as the calls did.

#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/json.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

constexpr char kToken[] = "pat-prometheus-test-token-c41d";
constexpr char kPrometheus[] = "/usr/bin/prometheus";

std::string UrlEncode(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

class PrometheusScrapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    gateway_ = StartGatewayFor(dir_, *emulator_, kToken);
    ASSERT_NE(gateway_, nullptr);

    const int port = FreePort();
    prometheus_url_ = absl::StrCat("http://127.0.0.1:", port);
    const std::string config = dir_.Write(
        "prometheus.yml",
        absl::StrCat("global:\n  scrape_interval: 1s\n"
                     "  evaluation_interval: 1s\n"
                     "scrape_configs:\n"
                     "  - job_name: hubspot-imports-gateway\n"
                     "    static_configs:\n"
                     "      - targets: ['",
                     gateway_->metrics_address(), "']\n"));
    auto prometheus = Subprocess::Start(
        {kPrometheus, absl::StrCat("--config.file=", config),
         absl::StrCat("--storage.tsdb.path=", dir_.path(), "/tsdb"),
         absl::StrCat("--web.listen-address=127.0.0.1:", port),
         "--log.level=warn"});
    ASSERT_TRUE(prometheus.ok()) << prometheus.status();
    prometheus_ = *std::move(prometheus);
  }

  // The value of the instant query `promql` once it equals `want`, or its
  // last value when `timeout` passes first (Prometheus scrapes every
  // second; the test cannot make it scrape sooner).
  double QueryUntil(const std::string& promql, double want,
                    absl::Duration timeout = absl::Seconds(60)) {
    const absl::Time give_up = absl::Now() + timeout;
    double value = -1;
    while (true) {
      std::string body;
      const long status =
          HttpGet(absl::StrCat(prometheus_url_, "/api/v1/query?query=",
                               UrlEncode(promql)),
                  &body);
      if (status == 200) {
        auto answer = ParseJsonObject(body);
        if (answer.ok()) {
          const auto& result = answer->fields()
                                   .at("data")
                                   .struct_value()
                                   .fields()
                                   .at("result")
                                   .list_value();
          if (result.values_size() == 1) {
            const std::string& text = result.values(0)
                                          .struct_value()
                                          .fields()
                                          .at("value")
                                          .list_value()
                                          .values(1)
                                          .string_value();
            absl::SimpleAtod(text, &value);
            if (value == want) return value;
          }
        }
      }
      if (absl::Now() > give_up) return value;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<Subprocess> prometheus_;
  std::string prometheus_url_;
};

TEST_F(PrometheusScrapeTest, CountersMoveAsCallsAreMade) {
  ASSERT_EQ(QueryUntil(R"(up{job="hubspot-imports-gateway"})", 1), 1)
      << prometheus_->Output();
  for (int id : {11, 12, 13}) {
    EXPECT_EQ(gateway_->GetImport(id).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(gateway_->GetImport(-1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  const std::string csv = Csv(5);
  v1::Import import;
  ASSERT_TRUE(SendStartImport(gateway_->stub(),
                              {Start({"contacts.csv"}, {csv}, true),
                               Chunk(0, csv), End()},
                              &import)
                  .ok());

  EXPECT_EQ(
      QueryUntil(
          R"(grpc_server_handled_total{job="hubspot-imports-gateway",grpc_method="GetImport",grpc_code="NOT_FOUND"})",
          3),
      3);
  EXPECT_EQ(
      QueryUntil(
          R"(grpc_server_handled_total{grpc_method="GetImport",grpc_code="INVALID_ARGUMENT"})",
          1),
      1);
  EXPECT_EQ(
      QueryUntil(
          R"(sum(hubspot_gateway_hubspot_requests_total{endpoint="get_import",status="404"}))",
          3),
      3);
  EXPECT_EQ(
      QueryUntil(
          R"(hubspot_gateway_imports_started_total{account="default",result="ok"})",
          1),
      1);
  EXPECT_EQ(
      QueryUntil(R"(hubspot_gateway_upload_received_bytes_total)",
                 static_cast<double>(csv.size())),
      static_cast<double>(csv.size()));
  // Histograms are usable as such.
  EXPECT_EQ(
      QueryUntil(
          R"(sum(grpc_server_handling_seconds_count{grpc_method="GetImport"}))",
          4),
      4);
  EXPECT_EQ(
      QueryUntil(R"(hubspot_gateway_circuit_breaker_state{state="closed"})", 1),
      1);
}

}  // namespace
}  // namespace hubspot_gateway::testing

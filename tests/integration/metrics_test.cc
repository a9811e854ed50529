// The gateway's Prometheus endpoint: what calls, HubSpot's answers,
// retries, token refreshes, the rate budget and uploads do to the metrics,
// that the exposition passes Debian's `promtool check metrics`, and that
// callers cannot add label values.

#include <algorithm>
#include <fstream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "pat-metrics-test-token-3e9b";
constexpr char kClientId[] = "metrics-client-id";
constexpr char kClientSecret[] = "metrics-client-secret-77aa";
constexpr char kRefreshToken[] = "metrics-refresh-token-91c2";

// The value of the sample `series` (name and labels exactly as exposed),
// or -1 when the scrape has none.
double Sample(const std::string& scrape, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(scrape, '\n')) {
    if (absl::StartsWith(line, series) && line.size() > series.size() &&
        line[series.size()] == ' ') {
      double value = 0;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) {
        return value;
      }
    }
  }
  return -1;
}

class MetricsTest : public ::testing::Test {
 protected:
  void StartAll(absl::string_view extra_hubspot = "") {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    gateway_ = StartGatewayFor(dir_, *emulator_, kToken, extra_hubspot);
    ASSERT_NE(gateway_, nullptr);
    ASSERT_FALSE(gateway_->metrics_address().empty());
  }

  grpc::Status Upload(const std::string& csv) {
    v1::Import import;
    return SendStartImport(gateway_->stub(),
                           {Start({"contacts.csv"}, {csv}, true),
                            Chunk(0, csv), End()},
                           &import);
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(MetricsTest, CallsAndHubSpotAnswersAreCounted) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  EXPECT_EQ(gateway_->GetImport(404404).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const std::string csv = Csv(20);
  ASSERT_TRUE(Upload(csv).ok());
  // A malformed request never reaches HubSpot.
  EXPECT_EQ(gateway_->GetImport(0).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const std::string m = gateway_->Metrics();
  const std::string get =
      R"(grpc_type="unary",grpc_service="hubspot.crm.imports.v1.ImportService",grpc_method="GetImport")";
  EXPECT_EQ(Sample(m, absl::StrCat("grpc_server_started_total{", get, "}")),
            2);
  EXPECT_EQ(Sample(m, absl::StrCat("grpc_server_handled_total{", get,
                                   R"(,grpc_code="NOT_FOUND"})")),
            1);
  EXPECT_EQ(Sample(m, absl::StrCat("grpc_server_handled_total{", get,
                                   R"(,grpc_code="INVALID_ARGUMENT"})")),
            1);
  EXPECT_EQ(Sample(m, absl::StrCat("grpc_server_handling_seconds_count{", get,
                                   "}")),
            2);
  EXPECT_EQ(
      Sample(m,
             R"(grpc_server_handled_total{grpc_type="client_stream",grpc_service="hubspot.crm.imports.v1.ImportService",grpc_method="StartImport",grpc_code="OK"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_hubspot_requests_total{account="default",endpoint="get_import",status="404"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_hubspot_requests_total{account="default",endpoint="start_import",status="200"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_hubspot_request_duration_seconds_count{account="default",endpoint="start_import"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_imports_started_total{account="default",result="ok"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_upload_received_bytes_total{account="default"})"),
      static_cast<double>(csv.size()));
  // The body HubSpot got: the file and its multipart framing.
  EXPECT_GT(
      Sample(m, R"(hubspot_gateway_upload_sent_bytes_total{account="default"})"),
      static_cast<double>(csv.size()));
  // The emulator sends HubSpot's rate-limit headers.
  EXPECT_GT(
      Sample(m,
             R"(hubspot_gateway_hubspot_rate_limit_remaining{account="default",window="daily"})"),
      0);
  EXPECT_EQ(Sample(m, "hubspot_gateway_uploads_in_flight"), 0);
  EXPECT_EQ(Sample(m, "hubspot_gateway_spool_bytes"), 0);
  EXPECT_GT(Sample(m, "hubspot_gateway_spool_filesystem_size_bytes"), 0);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_circuit_breaker_state{account="default",state="closed"})"),
      1);
  EXPECT_THAT(m, HasSubstr("hubspot_gateway_build_info{version=\""));
  EXPECT_GT(Sample(m, "process_resident_memory_bytes"), 0);
  EXPECT_THAT(m, Not(HasSubstr(kToken)));

  // Debian's promtool reads it as Prometheus would, and lints it.
  const std::string file = dir_.Write("scrape.txt", m);
  auto promtool = Subprocess::Start(
      {"/bin/sh", "-c", absl::StrCat("promtool check metrics < ", file)});
  ASSERT_TRUE(promtool.ok()) << promtool.status();
  absl::StatusOr<int> code = (*promtool)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0) << (*promtool)->Output();
  EXPECT_EQ((*promtool)->Output(), "");
}

// "name type" of each "# TYPE" line.
std::set<std::string> Families(const std::string& exposition) {
  std::set<std::string> families;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (absl::ConsumePrefix(&line, "# TYPE ")) families.emplace(line);
  }
  return families;
}

// "name{label,label}" of each sample line, label names sorted, le left out.
std::set<std::string> LabelSets(const std::string& exposition) {
  std::set<std::string> sets;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t brace = line.find('{');
    const size_t end = line.find(brace == absl::string_view::npos ? ' ' : '}');
    std::string name(line.substr(0, std::min(brace, line.find(' '))));
    std::set<std::string> labels;
    if (brace != absl::string_view::npos) {
      for (absl::string_view pair : absl::StrSplit(
               line.substr(brace + 1, end - brace - 1), "\",", absl::SkipEmpty())) {
        std::string label(pair.substr(0, pair.find('=')));
        if (label != "le") labels.insert(label);
      }
    }
    sets.insert(absl::StrCat(name, "{", absl::StrJoin(labels, ","), "}"));
  }
  return sets;
}

// The dashboards and alerts (k8s/monitoring/) are checked against
// metrics-sample.prom; it must be what the gateway really exposes.
TEST_F(MetricsTest, TheMonitoringContractIsWhatTheGatewayExposes) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  EXPECT_EQ(gateway_->GetImport(404404).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const std::string csv = Csv(3);
  ASSERT_TRUE(Upload(csv).ok());
  const std::string real = gateway_->Metrics();
  const std::string contract =
      ReadFile(absl::StrCat(MONITORING_DIR, "/metrics-sample.prom"));
  ASSERT_FALSE(contract.empty());
  EXPECT_EQ(Families(real), Families(contract));
  // Every label set the gateway showed here is one the contract has.
  const std::set<std::string> promised = LabelSets(contract);
  for (const std::string& set : LabelSets(real)) {
    EXPECT_TRUE(promised.count(set)) << set << " is not in metrics-sample.prom";
  }
}

TEST_F(MetricsTest, CallersCannotAddLabelValues) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  // A method the gateway does not serve, named by the caller.
  grpc::GenericStub generic(grpc::CreateChannel(
      gateway_->address(), grpc::InsecureChannelCredentials()));
  for (const char* method : {"/hubspot.crm.imports.v1.ImportService/Drop",
                             "/x.Evil/Label\"Injection"}) {
    auto context = ContextWithTimeout();
    grpc::Slice empty(std::string{});
    grpc::ByteBuffer request(&empty, 1), response;
    grpc::Status status;
    absl::Notification done;
    generic.UnaryCall(context.get(), method, grpc::StubOptions(), &request,
                      &response, [&](grpc::Status s) {
                        status = std::move(s);
                        done.Notify();
                      });
    done.WaitForNotification();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << method;
  }
  const std::string m = gateway_->Metrics();
  EXPECT_THAT(m, Not(HasSubstr("Drop")));
  EXPECT_THAT(m, Not(HasSubstr("Evil")));
  // gRPC answers unknown methods itself; whatever reaches the gateway's
  // interceptor is labelled with a method it serves, or "unknown".
  for (absl::string_view line : absl::StrSplit(m, '\n')) {
    const size_t at = line.find("grpc_service=\"");
    if (at == absl::string_view::npos) continue;
    const absl::string_view service = line.substr(at + 14);
    EXPECT_TRUE(absl::StartsWith(service, "hubspot.crm.imports.v1.ImportService\"") ||
                absl::StartsWith(service, "grpc.health.v1.Health\"") ||
                absl::StartsWith(service, "grpc.reflection.") ||
                absl::StartsWith(service, "unknown\""))
        << line;
  }
}

TEST_F(MetricsTest, RetriesAndShedCallsAreCounted) {
  ASSERT_NO_FATAL_FAILURE(StartAll(
      R"("retry": {"count": 1, "interval": "0.01s"},
         "circuitBreaker": {"enabled": false},
         "rateLimit": {"requestsPerInterval": 10, "interval": "3600s",
                       "maxWait": "0s"},)"));
  emulator_->Control("faults", R"({"errorRatio": 1, "errorStatus": 503})");
  // The first call takes the burst's one token; its retry waits for
  // another, which the budget refuses.
  EXPECT_EQ(gateway_->GetImport(7).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  const std::string m = gateway_->Metrics();
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_hubspot_requests_total{account="default",endpoint="get_import",status="503"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_hubspot_retries_total{account="default",endpoint="get_import"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_rate_limit_shed_total{account="default"})"),
      1);
  EXPECT_EQ(Sample(m, R"(hubspot_gateway_rate_limit_capacity{account="default"})"),
            10);
  EXPECT_LT(Sample(m, R"(hubspot_gateway_rate_limit_tokens{account="default"})"),
            1);
}

TEST(MetricsOAuthTest, TokenRefreshesAreCounted) {
  TempDir dir;
  FakeHubSpot::Options options;
  options.client_id = kClientId;
  options.client_secret = kClientSecret;
  options.refresh_token = kRefreshToken;
  auto fake = FakeHubSpot::Start(options);
  ASSERT_NE(fake, nullptr);
  auto gateway = Gateway::Start(
      dir,
      GatewayConfig(fake->base_url(),
                    absl::StrCat(R"({"oauth": {"tokenUrl": ")",
                                 fake->base_url(), R"(/oauth/v1/token",
                      "clientId": {"env": "CLIENT_ID"},
                      "clientSecret": {"file": ")",
                                 dir.Write("client_secret", kClientSecret),
                                 R"("}, "refreshToken": {"file": ")",
                                 dir.Write("refresh_token", kRefreshToken),
                                 R"("}}})")),
      {{"CLIENT_ID", kClientId}});
  ASSERT_NE(gateway, nullptr);
  const grpc::StatusCode first = gateway->GetImport(101).error_code();
  EXPECT_EQ(gateway->GetImport(102).error_code(), first);
  fake->Control("expire-access-tokens");
  fake->Control("revoke-refresh-token");
  EXPECT_EQ(gateway->GetImport(3).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string m = gateway->Metrics();
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_token_refreshes_total{account="default",result="ok"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_token_refreshes_total{account="default",result="error"})"),
      1);
  EXPECT_EQ(
      Sample(m,
             R"(hubspot_gateway_hubspot_requests_total{account="default",endpoint="token",status="200"})"),
      1);
  EXPECT_THAT(m, Not(HasSubstr(kRefreshToken)));
  EXPECT_THAT(m, Not(HasSubstr(kClientSecret)));
}

TEST_F(MetricsTest, OnlyGetMetricsIsServed) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  const std::string base = absl::StrCat("http://", gateway_->metrics_address());
  std::string body;
  EXPECT_EQ(HttpGet(absl::StrCat(base, "/"), &body), 404);
  EXPECT_EQ(HttpGet(absl::StrCat(base, "/metrics?x=1"), &body), 200);
  body.clear();
  EXPECT_EQ(HttpGet(absl::StrCat(base, "/metricsx"), &body), 404);
}

}  // namespace
}  // namespace hubspot_gateway::testing

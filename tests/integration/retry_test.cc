// Retries towards HubSpot for calls that are safe to repeat: passing
// failures are retried after a back-off, others are not, and neither the
// caller's deadline nor the retry budget is ever exceeded.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-retry-test-token";
constexpr char kPath[] = "/crm/v3/imports/101";

std::string ErrorBody(int status, absl::string_view extra = "") {
  return absl::StrCat(R"({"status":"error","message":"scripted )", status,
                      R"(","correlationId":"corr-)", status,
                      R"(","category":"CAT")", extra, "}");
}

class RetryTest : public FakeAndGatewayTest {
 protected:
  // Short back-offs keep the tests quick; `extra` goes into "retry".
  void StartWithRetry(absl::string_view extra = "") {
    StartFakeAndGateway(kToken,
                        absl::StrCat(R"("retry": {"interval": "0.01s", )",
                                     extra, R"("maxWaitInterval": "0.05s"},)"));
  }

  // Requests the stand-in received for `path`.
  int RequestsTo(absl::string_view path) {
    int n = 0;
    const google::protobuf::Struct stats = fake_->Control("stats");
    for (const auto& r : stats.fields().at("requests").list_value().values()) {
      n += r.struct_value().fields().at("path").string_value() == path;
    }
    return n;
  }
};

TEST_F(RetryTest, PassingFailuresAreRetriedAndLoggedWithCorrelationId) {
  StartWithRetry();
  fake_->Respond(kPath, 503, ErrorBody(503), {}, /*times=*/2);
  v1::Import import;
  grpc::Status status = gateway_->GetImport(101, &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(import.id(), 101);
  EXPECT_EQ(RequestsTo(kPath), 3);
  EXPECT_TRUE(gateway_->process().WaitForOutput("corr-503", absl::Seconds(10)).has_value());
  EXPECT_THAT(gateway_->Log(), HasSubstr("retrying HubSpot call"));
}

TEST_F(RetryTest, DroppedConnectionIsRetried) {
  StartWithRetry();
  fake_->Control("respond", absl::StrCat(R"({"path":")", kPath,
                                         R"(","drop":true,"times":1})"));
  grpc::Status status = gateway_->GetImport(101);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(RequestsTo(kPath), 2);
}

TEST_F(RetryTest, CancelIsRetried) {
  StartWithRetry();
  const std::string path = "/crm/v3/imports/101/cancel";
  fake_->Respond(path, 502, ErrorBody(502));
  v1::CancelImportRequest request;
  request.set_import_id(101);
  v1::CancelImportResponse response;
  auto context = ContextWithTimeout();
  grpc::Status status =
      gateway_->stub().CancelImport(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(RequestsTo(path), 2);
}

TEST_F(RetryTest, ClientErrorsAreNotRetried) {
  StartWithRetry();
  fake_->Respond(kPath, 400, ErrorBody(400), {}, /*times=*/5);
  EXPECT_EQ(gateway_->GetImport(101).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(RequestsTo(kPath), 1);
}

TEST_F(RetryTest, RetriesStopAfterTheConfiguredCount) {
  StartWithRetry(R"("count": 2, )");
  fake_->Respond(kPath, 503, ErrorBody(503), {}, /*times=*/10);
  grpc::Status status = gateway_->GetImport(101);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("scripted 503"));
  EXPECT_EQ(RequestsTo(kPath), 3);
}

TEST_F(RetryTest, RetryAfterBeyondTheDeadlineFailsAtOnceWithHubSpotsAnswer) {
  StartWithRetry();
  fake_->Respond(kPath, 429,
                 ErrorBody(429, R"(,"policyName":"TEN_SECONDLY_ROLLING")"),
                 {{"Retry-After", "60"}}, /*times=*/5);
  v1::GetImportRequest request;
  request.set_import_id(101);
  v1::Import import;
  auto context = ContextWithTimeout(absl::Seconds(20));
  grpc::Status status =
      gateway_->stub().GetImport(context.get(), request, &import);
  // Not DEADLINE_EXCEEDED: waiting could not help, so the caller hears
  // HubSpot's answer (with its RetryInfo) right away.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("TEN_SECONDLY_ROLLING"));
  EXPECT_EQ(RequestsTo(kPath), 1);
}

TEST_F(RetryTest, SpentDailyLimitIsNotRetried) {
  StartWithRetry();
  fake_->Respond(kPath, 429, ErrorBody(429, R"(,"policyName":"DAILY")"),
                 {{"X-HubSpot-RateLimit-Daily-Remaining", "0"}}, /*times=*/5);
  EXPECT_EQ(gateway_->GetImport(101).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(RequestsTo(kPath), 1);
}

TEST_F(RetryTest, BudgetStopsRetriesDuringAnOutage) {
  // 4 tokens: the first failure leaves 3 (> half: retry), its retry 2 (no
  // more retries); every later call is tried once.
  StartWithRetry(R"("budgetMaxTokens": 4, )");
  fake_->Respond(kPath, 503, ErrorBody(503), {}, /*times=*/100);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(gateway_->GetImport(101).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_EQ(RequestsTo(kPath), 6);
  EXPECT_THAT(gateway_->Log(), HasSubstr("retry budget spent"));
}

TEST_F(RetryTest, ZeroCountDisablesRetries) {
  StartWithRetry(R"("count": 0, )");
  fake_->Respond(kPath, 503, ErrorBody(503));
  EXPECT_EQ(gateway_->GetImport(101).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(RequestsTo(kPath), 1);
}

}  // namespace
}  // namespace hubspot_gateway::testing

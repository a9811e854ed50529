// HubSpot's failures as callers see them: codes, messages, details, and
// broken bodies that must give a clear error rather than a crash.

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "hubspot/crm/imports/v1/hubspot_error.pb.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-errors-test-token";
constexpr char kPath[] = "/crm/v3/imports/101";

class ErrorMappingTest : public FakeAndGatewayTest {
 protected:
  // Retries would hide the single scripted answer; they have tests of
  // their own.
  void SetUp() override {
    StartFakeAndGateway(kToken, R"("retry": {"count": 0},)");
  }

  grpc::Status Get() { return gateway_->GetImport(101); }

  static google::rpc::Status Details(const grpc::Status& status) {
    google::rpc::Status details;
    EXPECT_TRUE(details.ParseFromString(status.error_details()));
    return details;
  }
};

TEST_F(ErrorMappingTest, HttpStatusesMapToTheCodesCallersExpect) {
  const std::vector<std::pair<int, grpc::StatusCode>> cases = {
      {400, grpc::StatusCode::INVALID_ARGUMENT},
      {403, grpc::StatusCode::PERMISSION_DENIED},
      {404, grpc::StatusCode::NOT_FOUND},
      {409, grpc::StatusCode::FAILED_PRECONDITION},
      {412, grpc::StatusCode::FAILED_PRECONDITION},
      {429, grpc::StatusCode::RESOURCE_EXHAUSTED},
      {500, grpc::StatusCode::UNAVAILABLE},
      {502, grpc::StatusCode::UNAVAILABLE},
      {503, grpc::StatusCode::UNAVAILABLE},
  };
  for (const auto& [http, code] : cases) {
    fake_->Respond(kPath, http,
                   absl::StrCat(R"({"status":"error","message":"scripted )",
                                http, R"(","correlationId":"corr-)", http,
                                R"(","category":"CAT_)", http, R"("})"));
    grpc::Status status = Get();
    EXPECT_EQ(status.error_code(), code) << http;
    EXPECT_THAT(status.error_message(),
                HasSubstr(absl::StrCat("scripted ", http)));
    EXPECT_THAT(status.error_message(), HasSubstr(absl::StrCat("corr-", http)));
  }
}

TEST_F(ErrorMappingTest, DetailsCarryHubSpotsErrorBody) {
  fake_->Respond(kPath, 403, R"({
      "status": "error", "message": "This app lacks the crm.import scope",
      "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
      "category": "MISSING_SCOPES", "subCategory": "Scopes.MISSING",
      "context": {"missingScopes": ["crm.import"]},
      "links": {"scopes": "https://developers.hubspot.com/scopes"},
      "errors": [{"message": "missing", "in": "scope", "code": "MISSING"}]})");
  grpc::Status status = Get();
  ASSERT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  google::rpc::Status details = Details(status);
  google::rpc::ErrorInfo info;
  v1::HubSpotError error;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) any.UnpackTo(&info);
    if (any.Is<v1::HubSpotError>()) any.UnpackTo(&error);
  }
  EXPECT_EQ(info.reason(), "MISSING_SCOPES");
  EXPECT_EQ(info.metadata().at("correlationId"),
            "aeb5f871-7f07-4993-9211-075dc63e7cbf");
  EXPECT_EQ(info.metadata().at("subCategory"), "Scopes.MISSING");
  EXPECT_EQ(error.http_status(), 403);
  EXPECT_EQ(error.context().at("missingScopes").values(0), "crm.import");
  EXPECT_EQ(error.links().at("scopes"),
            "https://developers.hubspot.com/scopes");
  EXPECT_EQ(error.errors(0).in(), "scope");
}

TEST_F(ErrorMappingTest, RateLimitCarriesRetryInfo) {
  fake_->Respond(kPath, 429, R"({
      "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
      "errorType": "RATE_LIMIT", "correlationId": "c-429",
      "policyName": "TEN_SECONDLY_ROLLING", "category": "RATE_LIMITS"})",
                 {{"Retry-After", "7"},
                  {"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"},
                  {"X-HubSpot-RateLimit-Remaining", "0"}});
  grpc::Status status = Get();
  ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("TEN_SECONDLY_ROLLING"));
  google::rpc::RetryInfo retry;
  const google::rpc::Status details = Details(status);
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::RetryInfo>()) any.UnpackTo(&retry);
  }
  EXPECT_EQ(retry.retry_delay().seconds(), 7);
}

TEST_F(ErrorMappingTest, MalformedBodiesGiveAClearError) {
  fake_->Control("respond", R"({"path": "/crm/v3/imports/101", "status": 200,
                                "raw": "{\"id\": \"101\", \"state\": "})");
  grpc::Status status = Get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("invalid answer to GetImport"));

  fake_->Respond(kPath, 200, R"({"id": "101", "state": 5})");
  status = Get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("field state"));

  fake_->Control("respond", R"({"path": "/crm/v3/imports/101", "status": 200,
                                "raw": "[1, 2]"})");
  status = Get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("not a JSON object"));

  // The gateway still serves well-formed answers afterwards.
  EXPECT_TRUE(Get().ok());
}

TEST_F(ErrorMappingTest, TruncatedBodyAndDroppedConnectionAreUnavailable) {
  fake_->Control("respond", R"({"path": "/crm/v3/imports/101", "status": 200,
                                "raw": "{\"id\": \"101\"", "content_length": 500})");
  grpc::Status status = Get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(),
              HasSubstr("HTTP transfer to HubSpot failed"));

  fake_->Control("respond", R"({"path": "/crm/v3/imports/101", "drop": true})");
  status = Get();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);

  EXPECT_TRUE(Get().ok());
}

TEST(UnreachableHubSpotTest, ConnectionRefusedIsUnavailable) {
  TempDir dir;
  // Port 1 on loopback: nothing listens there.
  auto gateway = Gateway::Start(
      dir,
      GatewayConfig("http://127.0.0.1:1",
                    R"({"privateAppToken": {"env": "HS_TOKEN"}})"),
      {{"HS_TOKEN", kToken}});
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(101);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("connect"));
}

}  // namespace
}  // namespace hubspot_gateway::testing

// OAuth refresh-token grant end to end: one token request however many calls
// wait, refresh after HubSpot expires the token, revoked and rotated tokens.

#include <atomic>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kClientId[] = "client-id-0001";
constexpr char kClientSecret[] = "client-secret-9f8e7d6c5b4a";
constexpr char kRefreshToken[] = "refresh-token-1a2b3c4d5e6f";

class OAuthTest : public ::testing::Test {
 protected:
  void StartAll(bool rotate = false) {
    FakeHubSpot::Options options;
    options.client_id = kClientId;
    options.client_secret = kClientSecret;
    options.refresh_token = kRefreshToken;
    options.rotate_refresh_token = rotate;
    fake_ = FakeHubSpot::Start(options);
    ASSERT_NE(fake_, nullptr);
    const std::string credentials = absl::StrCat(
        R"({"oauth": {"tokenUrl": ")", fake_->base_url(), R"(/oauth/v1/token",
             "clientId": {"env": "HS_CLIENT_ID"},
             "clientSecret": {"file": ")",
        dir_.Write("client_secret", kClientSecret), R"("},
             "refreshToken": {"file": ")",
        dir_.Write("refresh_token", kRefreshToken), R"("}}})");
    gateway_ =
        Gateway::Start(dir_, GatewayConfig(fake_->base_url(), credentials),
                       {{"HS_CLIENT_ID", kClientId}});
    ASSERT_NE(gateway_, nullptr);
  }

  void TearDown() override {
    if (gateway_ == nullptr) return;
    const std::string log = gateway_->Log();
    for (const char* secret : {kClientSecret, kRefreshToken, "at-"}) {
      EXPECT_THAT(log, Not(HasSubstr(secret)));
    }
  }

  // Sends `n` GetImport calls at once; returns how many succeeded.
  int ConcurrentGets(int n) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) ids.push_back(101 + i % 3);
    int ok = 0;
    for (const auto& r : gateway_->ConcurrentGetImports(ids)) {
      if (r.status.ok()) {
        ++ok;
      } else {
        ADD_FAILURE() << r.status.error_code() << " "
                      << r.status.error_message();
      }
    }
    return ok;
  }

  grpc::Status GetOne() { return gateway_->GetImport(101); }

  TempDir dir_;
  std::unique_ptr<FakeHubSpot> fake_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(OAuthTest, ConcurrentCallsWithoutATokenCauseExactlyOneTokenRequest) {
  StartAll();
  EXPECT_EQ(ConcurrentGets(200), 200);
  EXPECT_EQ(fake_->TokenRequests(), 1);
  // The cached token serves later calls without another request.
  EXPECT_TRUE(GetOne().ok());
  EXPECT_EQ(fake_->TokenRequests(), 1);
}

TEST_F(OAuthTest, ConcurrentCallsOnAnExpiredTokenCauseExactlyOneRefresh) {
  StartAll();
  ASSERT_TRUE(GetOne().ok());
  ASSERT_EQ(fake_->TokenRequests(), 1);
  // HubSpot now answers 401 to the token the gateway holds.
  fake_->Control("expire-access-tokens");
  EXPECT_EQ(ConcurrentGets(200), 200);
  EXPECT_EQ(fake_->TokenRequests(), 2);
}

TEST_F(OAuthTest, RevokedRefreshTokenIsUnauthenticatedWithAnActionableMessage) {
  StartAll();
  ASSERT_TRUE(GetOne().ok());
  fake_->Control("expire-access-tokens");
  fake_->Control("revoke-refresh-token");
  grpc::Status status = GetOne();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("BAD_REFRESH_TOKEN"));
  EXPECT_THAT(status.error_message(), HasSubstr("re-authorize the app"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(kRefreshToken)));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(kClientSecret)));
  // Callers that follow get the same answer without hammering HubSpot.
  const int requests = fake_->TokenRequests();
  EXPECT_EQ(GetOne().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(fake_->TokenRequests(), requests);
}

TEST_F(OAuthTest, PersistentUnauthorizedIsRetriedOnceAfterOneRefresh) {
  StartAll();
  ASSERT_TRUE(GetOne().ok());
  fake_->Control("reset");
  // HubSpot refuses the call whatever the token (e.g. the app lost access).
  fake_->Respond(
      "/crm/v3/imports/101", 401,
      R"({"status":"error","message":"Authentication credentials not found.",
                     "correlationId":"c-401","category":"INVALID_AUTHENTICATION"})",
      {}, /*times=*/5);
  grpc::Status status = GetOne();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("c-401"));
  google::protobuf::Struct stats = fake_->Control("stats");
  EXPECT_EQ(stats.fields().at("token_requests").number_value(), 1);
  int api_calls = 0;
  for (const auto& r : stats.fields().at("requests").list_value().values()) {
    api_calls += r.struct_value().fields().at("path").string_value() ==
                 "/crm/v3/imports/101";
  }
  EXPECT_EQ(api_calls, 2);
}

TEST_F(OAuthTest, RotatedRefreshTokenIsUsedFromThenOn) {
  StartAll(/*rotate=*/true);
  ASSERT_TRUE(GetOne().ok());
  // The fake only accepts the newest refresh token from now on.
  for (int round = 0; round < 3; ++round) {
    fake_->Control("expire-access-tokens");
    grpc::Status status = GetOne();
    ASSERT_TRUE(status.ok()) << round << ": " << status.error_message();
  }
  EXPECT_EQ(fake_->TokenRequests(), 4);
}

}  // namespace
}  // namespace hubspot_gateway::testing

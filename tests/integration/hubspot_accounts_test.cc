// Several HubSpot accounts behind one gateway: two emulators, "sales" (a
// private app token) and "marketing" (OAuth). Calls go to the account they
// name in x-hubspot-account, or to their caller's default; a caller naming
// an account it was not given is refused before any HubSpot traffic; each
// account has its own credentials and token cache, circuit breaker and
// rate budget, so that one account's trouble leaves the other alone.

#include <filesystem>
#include <fstream>
#include <optional>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "server/common/json.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

constexpr char kSalesToken[] = "pat-accounts-test-sales-7d1e";
constexpr char kClientId[] = "marketing-client-id";
constexpr char kClientSecret[] = "marketing-client-secret-0b9a";
constexpr char kRefreshToken[] = "marketing-refresh-token-44c1";
// Callers: "sales-app" may use sales only; "ops" every account, marketing
// by default.
constexpr char kSalesAppToken[] = "caller-token-sales-app-61f0";
constexpr char kOpsToken[] = "caller-token-ops-2a7d";

class HubSpotAccountsTest : public ::testing::Test {
 protected:
  // `sales_extra` is spliced into the sales account's object.
  void StartAll(absl::string_view sales_extra = "") {
    Emulator::Options sales;
    sales.private_app_tokens = {kSalesToken};
    sales_ = Emulator::Start(sales_dir_, sales);
    ASSERT_NE(sales_, nullptr);
    Emulator::Options marketing;
    marketing.client_id = kClientId;
    marketing.client_secret = kClientSecret;
    marketing.refresh_tokens = {kRefreshToken};
    marketing_ = Emulator::Start(marketing_dir_, marketing);
    ASSERT_NE(marketing_, nullptr);

    audit_path_ = dir_.path() + "/audit.jsonl";
    const std::string all =
        R"(["PERMISSION_READ", "PERMISSION_START", "PERMISSION_CANCEL"])";
    gateway_ = Gateway::Start(
        dir_,
        absl::StrCat(
            R"({"listenAddress": "127.0.0.1:0", "allowPlaintext": true,
                "audit": {"path": ")", audit_path_, R"("},
                "access": {"callers": [
                  {"name": "sales-app", "tokenSha256": [")",
            Hex(Sha256(kSalesAppToken)), R"("], "permissions": )", all,
            R"(, "hubspotAccounts": ["sales"]},
                  {"name": "ops", "tokenSha256": [")",
            Hex(Sha256(kOpsToken)), R"("], "permissions": )", all,
            R"(, "hubspotAccounts": ["*"], "defaultHubspotAccount": "marketing"}]},
                "defaultHubspotAccount": "sales",
                "hubspotAccounts": {
                  "sales": {"baseUrl": ")", sales_->base_url(), R"(", )",
            sales_extra, R"(
                    "credentials": {"privateAppToken": {"env": "SALES_TOKEN"}}},
                  "marketing": {"baseUrl": ")", marketing_->base_url(),
            R"(", "rateLimit": {"requestsPerInterval": 0},
                    "credentials": {"oauth": {
                      "tokenUrl": ")", marketing_->base_url(),
            R"(/oauth/v1/token",
                      "clientId": {"env": "MARKETING_CLIENT_ID"},
                      "clientSecret": {"file": ")",
            dir_.Write("client_secret", kClientSecret), R"("},
                      "refreshToken": {"file": ")",
            dir_.Write("refresh_token", kRefreshToken), R"("}}}}}})"),
        {{"SALES_TOKEN", kSalesToken}, {"MARKETING_CLIENT_ID", kClientId}});
    ASSERT_NE(gateway_, nullptr);
    channel_ = grpc::CreateChannel(gateway_->address(),
                                   grpc::InsecureChannelCredentials());
  }

  // A call's context: the caller's token and, when given, the account.
  static std::unique_ptr<grpc::ClientContext> As(
      absl::string_view token, std::optional<std::string> account) {
    auto context = ContextWithTimeout();
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    if (account.has_value()) context->AddMetadata("x-hubspot-account", *account);
    return context;
  }

  grpc::Status Get(absl::string_view token, std::optional<std::string> account,
                   int64_t id, v1::Import* import = nullptr) {
    v1::Import ignored;
    v1::GetImportRequest request;
    request.set_import_id(id);
    return v1::ImportService::NewStub(channel_)->GetImport(
        As(token, std::move(account)).get(), request,
        import != nullptr ? import : &ignored);
  }

  grpc::Status Start(absl::string_view token,
                     std::optional<std::string> account, v1::Import* import) {
    const std::string csv = Csv(3);
    auto context = As(token, std::move(account));
    auto writer = v1::ImportService::NewStub(channel_)->StartImport(
        context.get(), import);
    for (const v1::StartImportRequest& message :
         {::hubspot_gateway::testing::Start({"contacts.csv"}, {csv}, true),
          Chunk(0, csv), End()}) {
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  static double Field(Emulator& emulator, const char* name) {
    return emulator.State().fields().at(name).number_value();
  }

  HealthCheckResponse::ServingStatus Health(const std::string& service) {
    auto context = ContextWithTimeout();
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    grpc::Status status = grpc::health::v1::Health::NewStub(channel_)->Check(
        context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
    return response.status();
  }

  std::vector<google::protobuf::Struct> AuditLines() {
    return ::hubspot_gateway::testing::AuditLines(audit_path_);
  }

  TempDir dir_, sales_dir_, marketing_dir_;
  std::unique_ptr<Emulator> sales_, marketing_;
  std::unique_ptr<Gateway> gateway_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string audit_path_;
};

TEST_F(HubSpotAccountsTest, CallsGoToTheNamedOrDefaultAccount) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  // sales-app's only account.
  v1::Import sales_import;
  ASSERT_TRUE(Start(kSalesAppToken, std::nullopt, &sales_import).ok());
  EXPECT_EQ(Field(*sales_, "imports"), 1);
  EXPECT_EQ(Field(*marketing_, "imports"), 0);

  // ops' default is marketing, which does not know the sales import...
  EXPECT_EQ(Get(kOpsToken, std::nullopt, sales_import.id()).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // ...until the call names sales.
  v1::Import got;
  grpc::Status named = Get(kOpsToken, "sales", sales_import.id(), &got);
  ASSERT_TRUE(named.ok()) << named.error_message();
  EXPECT_EQ(got.id(), sales_import.id());

  v1::Import marketing_import;
  ASSERT_TRUE(Start(kOpsToken, std::nullopt, &marketing_import).ok());
  EXPECT_EQ(Field(*sales_, "imports"), 1);
  EXPECT_EQ(Field(*marketing_, "imports"), 1);

  // Each account used its own credentials: only marketing's HubSpot issued
  // an OAuth token, once (the cache serves the later calls), and the sales
  // token never reached it (the calls there would have failed).
  EXPECT_EQ(Field(*marketing_, "tokensIssued"), 1);
  EXPECT_EQ(Field(*sales_, "tokensIssued"), 0);

  std::vector<std::string> accounts;
  for (const auto& line : AuditLines()) {
    if (line.fields().at("rpc").string_value() == "StartImport") {
      accounts.push_back(line.fields().at("account").string_value());
    }
  }
  EXPECT_EQ(accounts, (std::vector<std::string>{"sales", "marketing"}));
}

TEST_F(HubSpotAccountsTest, TokenForAnotherAccountIsDenied) {
  ASSERT_NO_FATAL_FAILURE(StartAll());
  const double sales_before = Field(*sales_, "requests");
  const double marketing_before = Field(*marketing_, "requests");

  grpc::Status denied = Get(kSalesAppToken, "marketing", 1);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message(),
            "caller \"sales-app\" may not use HubSpot account \"marketing\": "
            "its access.callers entry's hubspotAccounts do not list it (it may "
            "use sales)");
  v1::Import import;
  grpc::Status upload = Start(kSalesAppToken, "marketing", &import);
  EXPECT_EQ(upload.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  grpc::Status unknown = Get(kOpsToken, "support", 1);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(unknown.error_message(),
              HasSubstr("this gateway has no HubSpot account \"support\""));

  auto twice = As(kOpsToken, "sales");
  twice->AddMetadata("x-hubspot-account", "marketing");
  v1::GetImportRequest request;
  request.set_import_id(1);
  grpc::Status ambiguous = v1::ImportService::NewStub(channel_)->GetImport(
      twice.get(), request, &import);
  EXPECT_EQ(ambiguous.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ambiguous.error_message(), HasSubstr("more than once"));

  // No HubSpot saw any of it (the State() calls count themselves).
  EXPECT_EQ(Field(*sales_, "requests"), sales_before + 1);
  EXPECT_EQ(Field(*marketing_, "requests"), marketing_before + 1);
  EXPECT_EQ(Field(*marketing_, "tokensIssued"), 0);

  // The refusals are audited with the account asked for.
  const std::vector<google::protobuf::Struct> lines = AuditLines();
  ASSERT_GE(lines.size(), 2u) << ReadFile(audit_path_);
  EXPECT_EQ(lines[0].fields().at("rpc").string_value(), "GetImport");
  EXPECT_EQ(lines[0].fields().at("caller").string_value(), "sales-app");
  EXPECT_EQ(lines[0].fields().at("account").string_value(), "marketing");
  EXPECT_EQ(lines[0].fields().at("outcome").string_value(), "PERMISSION_DENIED");
  EXPECT_EQ(lines[1].fields().at("rpc").string_value(), "StartImport");
  EXPECT_EQ(lines[1].fields().at("account").string_value(), "marketing");
}

TEST_F(HubSpotAccountsTest, EachAccountHasItsOwnCircuitBreaker) {
  ASSERT_NO_FATAL_FAILURE(StartAll(
      R"("retry": {"count": 0}, "rateLimit": {"requestsPerInterval": 0},
         "circuitBreaker": {"rollingWindow": {"requestVolumeThreshold": 2},
                            "resetTime": "3600s"},)"));
  EXPECT_EQ(Health("hubspot/sales"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("hubspot/marketing"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("hubspot"), HealthCheckResponse::SERVING);

  sales_->Control("faults", R"({"errorRatio": 1, "errorStatus": 503})");
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Get(kOpsToken, "sales", 1).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  grpc::Status open = Get(kOpsToken, "sales", 1);
  EXPECT_EQ(open.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(open.error_message(), HasSubstr("circuit breaker open"));
  EXPECT_EQ(Health("hubspot/sales"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health("hubspot"), HealthCheckResponse::NOT_SERVING);

  // Marketing goes on: its calls reach its HubSpot (which has no import 1).
  EXPECT_EQ(Health("hubspot/marketing"), HealthCheckResponse::SERVING);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Get(kOpsToken, "marketing", 1).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING);
}

TEST_F(HubSpotAccountsTest, EachAccountHasItsOwnRateBudget) {
  // 10 calls an hour: a burst of one.
  ASSERT_NO_FATAL_FAILURE(
      StartAll(R"("rateLimit": {"requestsPerInterval": 10, "interval": "3600s",
                                "maxWait": "0s"},)"));
  EXPECT_EQ(Get(kSalesAppToken, std::nullopt, 1).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::Status shed = Get(kSalesAppToken, std::nullopt, 1);
  EXPECT_EQ(shed.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Marketing's budget (unlimited here) is its own.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Get(kOpsToken, "marketing", 1).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
}

}  // namespace
}  // namespace hubspot_gateway::testing

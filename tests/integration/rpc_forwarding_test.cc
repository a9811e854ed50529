// Every RPC end to end: gateway binary -> fake HubSpot, static credentials.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "pat-na1-11111111-2222-3333-4444-555555555555";
constexpr char kLegacyKey[] = "legacy-key-aaaabbbbccccdddd";

FakeHubSpot::Options TokenOptions() {
  FakeHubSpot::Options o;
  o.access_token = kToken;
  return o;
}

FakeHubSpot::Options LegacyKeyOptions() {
  FakeHubSpot::Options o;
  o.legacy_key = kLegacyKey;
  return o;
}

class RpcForwardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ = FakeHubSpot::Start(TokenOptions());
    ASSERT_NE(fake_, nullptr);
    const std::string token_file =
        dir_.Write("token", std::string(kToken) + "\n");
    gateway_ = Gateway::Start(
        dir_, GatewayConfig(fake_->base_url(),
                            absl::StrCat(R"({"privateAppToken": {"file": ")",
                                         token_file, R"("}})")));
    ASSERT_NE(gateway_, nullptr);
  }
  void TearDown() override {
    if (gateway_ != nullptr) {
      EXPECT_THAT(gateway_->Log(), Not(HasSubstr(kToken)));
    }
  }

  TempDir dir_;
  std::unique_ptr<FakeHubSpot> fake_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(RpcForwardingTest, GetImportReturnsHubSpotsImport) {
  v1::Import import;
  grpc::Status status = gateway_->GetImport(103, &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(import.id(), 103);
  EXPECT_EQ(import.state(), v1::IMPORT_STATE_DONE);
  EXPECT_EQ(import.state_raw(), "DONE");
  EXPECT_EQ(import.import_name(), "third");
  EXPECT_EQ(import.import_source(), v1::IMPORT_SOURCE_API);
  EXPECT_EQ(import.metadata().counters().at("TOTAL_ROWS"), 3);
  EXPECT_EQ(import.metadata().object_lists(0).list_id(), "3");
  EXPECT_EQ(import.created_at().seconds(), 1705272300);
  EXPECT_EQ(import.created_at().nanos(), 153000000);
  EXPECT_EQ(import.import_request_json().fields().at("name").string_value(),
            "contacts");
  EXPECT_EQ(import.import_template().template_type(),
            v1::IMPORT_TEMPLATE_TYPE_USER_FILE);
  EXPECT_THAT(import.mapped_object_type_ids(), ::testing::ElementsAre("0-1"));

  google::protobuf::Struct stats = fake_->Control("stats");
  const auto& sent = stats.fields().at("requests").list_value().values(0);
  EXPECT_EQ(sent.struct_value().fields().at("path").string_value(),
            "/crm/v3/imports/103");
  EXPECT_EQ(sent.struct_value().fields().at("authorization").string_value(),
            absl::StrCat("Bearer ", kToken));
}

TEST_F(RpcForwardingTest, ListImportsPagesThroughActiveImports) {
  v1::ListImportsRequest request;
  request.set_limit(1);
  v1::ListImportsResponse page1;
  ASSERT_TRUE(gateway_->stub()
                  .ListImports(ContextWithTimeout().get(), request, &page1)
                  .ok());
  ASSERT_EQ(page1.results_size(), 1);
  EXPECT_EQ(page1.results(0).id(), 101);
  ASSERT_FALSE(page1.paging().next().after().empty());

  request.set_after(page1.paging().next().after());
  v1::ListImportsResponse page2;
  ASSERT_TRUE(gateway_->stub()
                  .ListImports(ContextWithTimeout().get(), request, &page2)
                  .ok());
  ASSERT_EQ(page2.results_size(), 1);
  EXPECT_EQ(page2.results(0).id(), 102);
  EXPECT_EQ(page2.results(0).state(), v1::IMPORT_STATE_PROCESSING);
  EXPECT_FALSE(page2.paging().has_next());
}

TEST_F(RpcForwardingTest, ListImportErrorsForwardsFlagsAndKeepsUnknownTypes) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(103);
  request.set_include_error_message(true);
  request.set_include_row_data(true);
  v1::ListImportErrorsResponse response;
  grpc::Status status = gateway_->stub().ListImportErrors(
      ContextWithTimeout().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 2);
  const v1::ImportError& first = response.results(0);
  EXPECT_EQ(first.error_type(), v1::IMPORT_ERROR_TYPE_INVALID_EMAIL);
  EXPECT_EQ(first.object_type(), v1::OBJECT_TYPE_CONTACT);
  EXPECT_EQ(first.error_message(), "Invalid email address");
  EXPECT_EQ(first.source_data().line_number(), 3);
  EXPECT_THAT(first.source_data().row_data(),
              ::testing::ElementsAre("Ann", "not-an-email"));
  EXPECT_EQ(first.created_at().seconds(), 1705272300);
  // A type HubSpot added later: not an error, and not lost.
  EXPECT_EQ(response.results(1).error_type(),
            v1::IMPORT_ERROR_TYPE_UNSPECIFIED);
  EXPECT_EQ(response.results(1).error_type_raw(), "SOME_FUTURE_ERROR_TYPE");

  google::protobuf::Struct stats = fake_->Control("stats");
  const auto& sent = stats.fields().at("requests").list_value().values(0);
  EXPECT_EQ(sent.struct_value().fields().at("query").string_value(),
            "includeErrorMessage=true&includeRowData=true");
}

TEST_F(RpcForwardingTest, CancelImportMirrorsActionResponse) {
  v1::CancelImportRequest request;
  request.set_import_id(101);
  v1::CancelImportResponse response;
  grpc::Status status = gateway_->stub().CancelImport(
      ContextWithTimeout().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), v1::ACTION_STATUS_COMPLETE);
  EXPECT_EQ(response.completed_at().nanos(), 250000000);
  EXPECT_EQ(response.links().at("import"), "/crm/v3/imports/101");

  // Cancelling a finished import is HubSpot's 409: FAILED_PRECONDITION.
  request.set_import_id(103);
  status = gateway_->stub().CancelImport(ContextWithTimeout().get(), request,
                                         &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("cannot be canceled"));
  EXPECT_THAT(status.error_message(), HasSubstr("correlationId"));
}

TEST_F(RpcForwardingTest, UnknownImportIsNotFound) {
  grpc::Status status = gateway_->GetImport(999);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("Import 999 not found"));
}

TEST_F(RpcForwardingTest, InvalidRequestsNeverReachHubSpot) {
  grpc::Status status = gateway_->GetImport(0);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("import_id"));

  v1::ListImportsRequest list;
  list.set_limit(101);
  v1::ListImportsResponse page;
  status =
      gateway_->stub().ListImports(ContextWithTimeout().get(), list, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("limit"));

  google::protobuf::Struct stats = fake_->Control("stats");
  EXPECT_EQ(stats.fields().at("requests").list_value().values_size(), 0);
}

TEST(LegacyKeyTest, SendsThePrivateAppLegacyHeader) {
  TempDir dir;
  auto fake = FakeHubSpot::Start(LegacyKeyOptions());
  ASSERT_NE(fake, nullptr);
  auto gateway = Gateway::Start(
      dir,
      GatewayConfig(fake->base_url(),
                    R"({"privateAppLegacyKey": {"env": "LEGACY_KEY"}})"),
      {{"LEGACY_KEY", kLegacyKey}});
  ASSERT_NE(gateway, nullptr);
  v1::Import import;
  grpc::Status status = gateway->GetImport(101, &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(import.state(), v1::IMPORT_STATE_STARTED);
  google::protobuf::Struct stats = fake->Control("stats");
  const auto& sent =
      stats.fields().at("requests").list_value().values(0).struct_value();
  EXPECT_EQ(sent.fields().at("legacy").string_value(), kLegacyKey);
  EXPECT_EQ(sent.fields().at("authorization").string_value(), "");
  EXPECT_THAT(gateway->Log(), Not(HasSubstr(kLegacyKey)));
}

TEST(StaticTokenTest, RejectedTokenIsUnauthenticatedWithoutRetry) {
  TempDir dir;
  auto fake = FakeHubSpot::Start(TokenOptions());
  ASSERT_NE(fake, nullptr);
  auto gateway = Gateway::Start(
      dir,
      GatewayConfig(fake->base_url(),
                    R"({"privateAppToken": {"env": "HS_TOKEN"}})"),
      {{"HS_TOKEN", "pat-wrong-token"}});
  ASSERT_NE(gateway, nullptr);
  grpc::Status status = gateway->GetImport(101);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("INVALID_AUTHENTICATION"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("pat-wrong-token")));
  google::protobuf::Struct stats = fake->Control("stats");
  EXPECT_EQ(stats.fields().at("requests").list_value().values_size(), 1);
}

}  // namespace
}  // namespace hubspot_gateway::testing

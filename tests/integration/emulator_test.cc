// The gateway against the project's HubSpot emulator: the README's
// walkthrough (upload the sample CSV, watch it finish, read its errors,
// cancel another import) and the emulator's HubSpot behaviours as the
// gateway sees them: OAuth, expired tokens, rate limits, faults, HTTPS.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "pat-emulator-integration-token";

// StartImport of `csv` named contacts.csv with `request_json`.
grpc::Status Upload(v1::ImportService::Stub& stub,
                    const std::string& request_json, const std::string& csv,
                    v1::Import* import) {
  v1::StartImportRequest start;
  start.mutable_start()->set_import_request_json(request_json);
  v1::UploadFile* file = start.mutable_start()->add_files();
  file->set_file_name("contacts.csv");
  file->set_content_type("text/csv");
  return SendStartImport(stub, {start, Chunk(0, csv), End()}, import);
}

class EmulatorTest : public ::testing::Test {
 protected:
  void StartBoth(const std::vector<std::string>& flags = {},
                 absl::string_view extra_hubspot = "") {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    options.flags = flags;
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    gateway_ = StartGatewayFor(dir_, *emulator_, kToken, extra_hubspot);
    ASSERT_NE(gateway_, nullptr);
  }

  v1::Import Get(int64_t id) {
    v1::Import import;
    grpc::Status status = gateway_->GetImport(id, &import);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return import;
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(EmulatorTest, SampleImportRunsToDoneWithItsErrors) {
  StartBoth({"--started_for=1h", "--processing_for=1h"});
  v1::Import import;
  grpc::Status status =
      Upload(gateway_->stub(), ReadSample("contacts.import.json"),
             ReadSample("contacts.csv"), &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(import.state(), v1::IMPORT_STATE_STARTED);
  EXPECT_EQ(import.import_name(), "Pioneers of computing");
  ASSERT_EQ(import.metadata().file_ids_size(), 1);
  EXPECT_EQ(import.mapped_object_type_ids(0), "0-1");

  emulator_->Control("advance", R"({"by": "1h"})");
  EXPECT_EQ(Get(import.id()).state(), v1::IMPORT_STATE_PROCESSING);
  emulator_->Control("advance", R"({"by": "1h"})");
  const v1::Import done = Get(import.id());
  EXPECT_EQ(done.state(), v1::IMPORT_STATE_DONE);
  const auto& counters = done.metadata().counters();
  EXPECT_EQ(counters.at("TOTAL_ROWS"), 12);
  EXPECT_EQ(counters.at("CREATED_OBJECTS"), 9);
  EXPECT_EQ(counters.at("UPDATED_OBJECTS"), 1);
  EXPECT_EQ(counters.at("ERRORS"), 4);
  ASSERT_EQ(done.metadata().object_lists_size(), 1);
  EXPECT_EQ(done.metadata().object_lists(0).object_type(), "contacts");

  // The errors, two to a page, with messages and rows.
  std::vector<v1::ImportError> errors;
  std::string after;
  for (int page = 0; page < 5; ++page) {
    auto context = ContextWithTimeout();
    v1::ListImportErrorsRequest request;
    request.set_import_id(import.id());
    request.set_limit(2);
    request.set_after(after);
    request.set_include_error_message(true);
    request.set_include_row_data(true);
    v1::ListImportErrorsResponse response;
    status = gateway_->stub().ListImportErrors(context.get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    errors.insert(errors.end(), response.results().begin(),
                  response.results().end());
    after = response.paging().next().after();
    if (after.empty()) break;
  }
  ASSERT_EQ(errors.size(), 4u);
  std::map<int, v1::ImportError> by_line;
  for (const v1::ImportError& e : errors) {
    by_line[e.source_data().line_number()] = e;
    EXPECT_EQ(e.object_type_id(), "0-1");
    EXPECT_FALSE(e.error_message().empty());
    EXPECT_EQ(std::to_string(e.source_data().file_id()),
              done.metadata().file_ids(0));
  }
  EXPECT_EQ(by_line[6].error_type(), v1::IMPORT_ERROR_TYPE_INVALID_EMAIL);
  EXPECT_EQ(by_line[6].source_data().row_data(0), "edsger.dijkstra@example");
  EXPECT_EQ(by_line[9].error_type_raw(), "INVALID_ENUMERATION_OPTION");
  EXPECT_EQ(by_line[9].invalid_value(), "champion");
  EXPECT_EQ(by_line[10].error_type_raw(), "INCORRECT_NUMBER_OF_COLUMNS");
  EXPECT_EQ(by_line[11].error_type_raw(), "COULD_NOT_PARSE_DATE");
}

TEST_F(EmulatorTest, ActiveImportsAreListedAndCanBeCanceled) {
  StartBoth({"--started_for=1h", "--processing_for=1h"});
  const std::string request = ReadSample("contacts.import.json");
  const std::string csv = ReadSample("contacts.csv");
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    v1::Import import;
    ASSERT_TRUE(Upload(gateway_->stub(), request, csv, &import).ok());
    ids.push_back(import.id());
  }
  auto context = ContextWithTimeout();
  v1::ListImportsRequest list;
  list.set_limit(2);
  v1::ListImportsResponse page;
  ASSERT_TRUE(gateway_->stub().ListImports(context.get(), list, &page).ok());
  ASSERT_EQ(page.results_size(), 2);
  EXPECT_EQ(page.results(0).id(), ids[0]);
  ASSERT_FALSE(page.paging().next().after().empty());

  auto cancel = [this](int64_t id, v1::CancelImportResponse* out) {
    auto context = ContextWithTimeout();
    v1::CancelImportRequest request;
    request.set_import_id(id);
    return gateway_->stub().CancelImport(context.get(), request, out);
  };
  v1::CancelImportResponse canceled;
  grpc::Status status = cancel(ids[1], &canceled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(canceled.status_raw(), "COMPLETE");
  EXPECT_EQ(Get(ids[1]).state(), v1::IMPORT_STATE_CANCELED);
  // Canceled imports are no longer active, and cannot be canceled again.
  context = ContextWithTimeout();
  list.set_limit(10);
  ASSERT_TRUE(gateway_->stub().ListImports(context.get(), list, &page).ok());
  EXPECT_EQ(page.results_size(), 2);
  status = cancel(ids[1], &canceled);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("CANCELED"));
  // A finished import cannot be canceled either.
  emulator_->Control("advance", R"({"by": "3h"})");
  status = cancel(ids[0], &canceled);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("DONE"));
}

TEST_F(EmulatorTest, UnknownImportIsNotFound) {
  StartBoth();
  v1::Import import;
  EXPECT_EQ(gateway_->GetImport(777, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(EmulatorTest, InvalidImportRequestIsRefusedByTheEmulatorToo) {
  // The gateway checks the request first; the emulator checks what the
  // gateway lets through the way HubSpot does (an unknown property is the
  // row's problem, an unknown object type the request's).
  StartBoth();
  v1::Import import;
  const std::string request = R"({"name": "x", "files": [{"fileName":
      "contacts.csv", "fileFormat": "CSV", "fileImportPage": {"hasHeader":
      true, "columnMappings": [{"columnName": "Email", "propertyName":
      "nosuchproperty", "columnObjectTypeId": "0-1"}]}}]})";
  ASSERT_TRUE(Upload(gateway_->stub(), request, "Email\na@example.com\n",
                     &import)
                  .ok());
  emulator_->Control("advance", R"({"by": "1m"})");
  const v1::Import done = Get(import.id());
  EXPECT_EQ(done.metadata().counters().at("ERRORS"), 1);
}

TEST_F(EmulatorTest, RateLimitIsHubSpots429) {
  StartBoth({"--ten_secondly_limit=2"}, R"("retry": {"count": 0},)");
  v1::Import import;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  grpc::Status limited = gateway_->GetImport(1, &import);
  EXPECT_EQ(limited.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(limited.error_message(), HasSubstr("ten_secondly_rolling"));
  // Ten seconds later the window has room again.
  emulator_->Control("advance", R"({"by": "10s"})");
  EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(emulator_->State().fields().at("rateLimited").number_value(), 1);
}

TEST_F(EmulatorTest, InjectedFaultsReachTheCallerAsUnavailable) {
  StartBoth({}, R"("retry": {"count": 0},)");
  v1::Import import;
  emulator_->Control("faults", R"({"errorRatio": 1, "errorStatus": 503})");
  EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  emulator_->Control("faults", R"({"dropRatio": 1})");
  EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  emulator_->Control("faults", R"({"truncateRatio": 1})");
  EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  emulator_->Control("faults", "{}");
  EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(EmulatorTest, RetriesRideOutA503) {
  // One 503 in two, replayably: the gateway's retries get through (with a
  // retry budget large enough not to stop them, and no circuit breaker,
  // which would rightly open at half the calls failing).
  StartBoth({"--fault_seed=7"},
            R"("retry": {"count": 8, "interval": "0.01s", "maxWaitInterval":)"
            R"( "0.02s", "budgetMaxTokens": 1000},)"
            R"("circuitBreaker": {"enabled": false},)");
  emulator_->Control("faults", R"({"errorRatio": 0.5})");
  v1::Import import;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_GT(emulator_->State().fields().at("faultsInjected").number_value(), 0);
}

TEST(EmulatorOAuthTest, GatewayRefreshesAndRecoversFromExpiredTokens) {
  TempDir dir;
  Emulator::Options options;
  options.client_id = "emulator-client";
  options.client_secret = "emulator-client-secret-value";
  options.refresh_tokens = {"emulator-refresh-token-value"};
  std::unique_ptr<Emulator> emulator = Emulator::Start(dir, options);
  ASSERT_NE(emulator, nullptr);
  const std::string credentials = absl::StrCat(
      R"({"oauth": {"tokenUrl": ")", emulator->base_url(),
      R"(/oauth/v1/token", "clientId": {"env": "HS_CLIENT_ID"},
         "clientSecret": {"file": ")",
      dir.Write("secret", options.client_secret), R"("},
         "refreshToken": {"file": ")",
      dir.Write("refresh", options.refresh_tokens[0]), R"("}}})");
  auto gateway =
      Gateway::Start(dir, GatewayConfig(emulator->base_url(), credentials),
                     {{"HS_CLIENT_ID", options.client_id}});
  ASSERT_NE(gateway, nullptr);
  v1::Import import;
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(emulator->State().fields().at("tokensIssued").number_value(), 1);
  // HubSpot's 401 for an expired token makes the gateway fetch another.
  emulator->Control("expire-access-tokens");
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(emulator->State().fields().at("tokensIssued").number_value(), 2);
  // A revoked refresh token ends it: the caller hears why.
  std::string answer;
  EXPECT_EQ(emulator->Call("DELETE",
                           "/oauth/v1/refresh-tokens/emulator-refresh-token-value",
                           "", &answer),
            204);
  emulator->Control("expire-access-tokens");
  grpc::Status status = gateway->GetImport(1, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << status.error_message();
  EXPECT_THAT(gateway->Log(), Not(HasSubstr("emulator-client-secret-value")));
  EXPECT_THAT(gateway->Log(), Not(HasSubstr("emulator-refresh-token-value")));
}

TEST(EmulatorTlsTest, GatewayReachesTheEmulatorOverHttps) {
  TempDir dir;
  const Certificates certs = MakeCertificates(dir, "localhost");
  Emulator::Options options;
  options.private_app_tokens = {kToken};
  options.tls = &certs;
  std::unique_ptr<Emulator> emulator = Emulator::Start(dir, options);
  ASSERT_NE(emulator, nullptr);
  auto gateway = StartGatewayFor(
      dir, *emulator, kToken,
      absl::StrCat(R"("tls": {"caFile": ")", certs.ca_file, R"("},)"));
  ASSERT_NE(gateway, nullptr);
  v1::Import import;
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace hubspot_gateway::testing

#include "server/hubspot/imports_api.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The field named by the google.rpc.BadRequest detail of `status`.
std::string BadRequestField(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "<no details>";
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad) && bad.field_violations_size() > 0) {
      return bad.field_violations(0).field();
    }
  }
  return "<no BadRequest>";
}

void ExpectInvalidField(const grpc::Status& status, const std::string& field) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith(field + ":"));
  EXPECT_EQ(BadRequestField(status), field);
}

// --- ListImports -----------------------------------------------------------

TEST(BuildListImportsTest, NoParametersGivesBarePath) {
  HubSpotCall call;
  ASSERT_TRUE(BuildListImports(v1::ListImportsRequest(), &call).ok());
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports");
  EXPECT_EQ(call.body, "");
}

TEST(BuildListImportsTest, AllParametersInOrder) {
  v1::ListImportsRequest request;
  request.set_after("A1");
  request.set_before("B2");
  request.set_limit(25);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImports(request, &call).ok());
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports?after=A1&before=B2&limit=25");
}

TEST(BuildListImportsTest, OnlyLimit) {
  v1::ListImportsRequest request;
  request.set_limit(100);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImports(request, &call).ok());
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports?limit=100");
}

TEST(BuildListImportsTest, OnlyBefore) {
  v1::ListImportsRequest request;
  request.set_before("xyz");
  HubSpotCall call;
  ASSERT_TRUE(BuildListImports(request, &call).ok());
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports?before=xyz");
}

TEST(BuildListImportsTest, PercentEncodesCursors) {
  v1::ListImportsRequest request;
  request.set_after("a b&c=d/e+f");
  request.set_before("\xC3\xA9?#");
  HubSpotCall call;
  ASSERT_TRUE(BuildListImports(request, &call).ok());
  EXPECT_EQ(call.path_and_query,
            "/crm/v3/imports?after=a%20b%26c%3Dd%2Fe%2Bf&before=%C3%A9%3F%23");
}

TEST(BuildListImportsTest, ZeroLimitIsLeftOut) {
  v1::ListImportsRequest request;
  request.set_after("x");
  request.set_limit(0);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImports(request, &call).ok());
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports?after=x");
}

TEST(BuildListImportsTest, NegativeLimitIsRefused) {
  v1::ListImportsRequest request;
  request.set_limit(-1);
  HubSpotCall call;
  ExpectInvalidField(BuildListImports(request, &call), "limit");
}

TEST(BuildListImportsTest, LimitAbove100IsRefused) {
  v1::ListImportsRequest request;
  request.set_limit(101);
  HubSpotCall call;
  const grpc::Status status = BuildListImports(request, &call);
  ExpectInvalidField(status, "limit");
  EXPECT_THAT(status.error_message(), HasSubstr("101"));
}

TEST(BuildListImportsTest, CursorOfMaxLengthIsAccepted) {
  v1::ListImportsRequest request;
  request.set_after(std::string(kMaxCursorBytes, 'a'));
  HubSpotCall call;
  EXPECT_TRUE(BuildListImports(request, &call).ok());
}

TEST(BuildListImportsTest, TooLongAfterIsRefused) {
  v1::ListImportsRequest request;
  request.set_after(std::string(kMaxCursorBytes + 1, 'a'));
  HubSpotCall call;
  ExpectInvalidField(BuildListImports(request, &call), "after");
}

TEST(BuildListImportsTest, TooLongBeforeIsRefused) {
  v1::ListImportsRequest request;
  request.set_before(std::string(kMaxCursorBytes + 1, 'b'));
  HubSpotCall call;
  ExpectInvalidField(BuildListImports(request, &call), "before");
}

TEST(BuildListImportsTest, ControlCharacterInAfterIsRefused) {
  v1::ListImportsRequest request;
  request.set_after("abc\ndef");
  HubSpotCall call;
  ExpectInvalidField(BuildListImports(request, &call), "after");
}

TEST(BuildListImportsTest, DelCharacterInBeforeIsRefused) {
  v1::ListImportsRequest request;
  request.set_before("abc\x7f");
  HubSpotCall call;
  ExpectInvalidField(BuildListImports(request, &call), "before");
}

TEST(BuildListImportsTest, NulInCursorIsRefused) {
  v1::ListImportsRequest request;
  request.set_after(std::string("a\0b", 3));
  HubSpotCall call;
  ExpectInvalidField(BuildListImports(request, &call), "after");
}

TEST(BuildListImportsTest, FailedValidationLeavesCallUntouched) {
  v1::ListImportsRequest request;
  request.set_limit(1000);
  HubSpotCall call;
  call.method = "UNCHANGED";
  call.path_and_query = "/unchanged";
  ASSERT_FALSE(BuildListImports(request, &call).ok());
  EXPECT_EQ(call.method, "UNCHANGED");
  EXPECT_EQ(call.path_and_query, "/unchanged");
}

// --- GetImport -------------------------------------------------------------

TEST(BuildGetImportTest, PathHoldsTheId) {
  v1::GetImportRequest request;
  request.set_import_id(1471);
  HubSpotCall call;
  ASSERT_TRUE(BuildGetImport(request, &call).ok());
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports/1471");
}

TEST(BuildGetImportTest, LargeInt64Id) {
  v1::GetImportRequest request;
  request.set_import_id(INT64_MAX);
  HubSpotCall call;
  ASSERT_TRUE(BuildGetImport(request, &call).ok());
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports/9223372036854775807");
}

TEST(BuildGetImportTest, ZeroIdIsRefused) {
  HubSpotCall call;
  ExpectInvalidField(BuildGetImport(v1::GetImportRequest(), &call),
                     "import_id");
}

TEST(BuildGetImportTest, NegativeIdIsRefused) {
  v1::GetImportRequest request;
  request.set_import_id(-5);
  HubSpotCall call;
  const grpc::Status status = BuildGetImport(request, &call);
  ExpectInvalidField(status, "import_id");
  EXPECT_THAT(status.error_message(), HasSubstr("-5"));
}

// --- ListImportErrors ------------------------------------------------------

TEST(BuildListImportErrorsTest, NoOptionalParameters) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImportErrors(request, &call).ok());
  EXPECT_EQ(call.method, "GET");
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports/7/errors");
}

TEST(BuildListImportErrorsTest, AllParametersTrue) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_after("c");
  request.set_limit(10);
  request.set_include_error_message(true);
  request.set_include_row_data(true);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImportErrors(request, &call).ok());
  EXPECT_EQ(call.path_and_query,
            "/crm/v3/imports/7/errors?after=c&limit=10&"
            "includeErrorMessage=true&includeRowData=true");
}

TEST(BuildListImportErrorsTest, ExplicitFalseIsSent) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_include_error_message(false);
  request.set_include_row_data(false);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImportErrors(request, &call).ok());
  EXPECT_EQ(call.path_and_query,
            "/crm/v3/imports/7/errors?includeErrorMessage=false&"
            "includeRowData=false");
}

TEST(BuildListImportErrorsTest, OnlyIncludeRowData) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_include_row_data(true);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImportErrors(request, &call).ok());
  EXPECT_EQ(call.path_and_query,
            "/crm/v3/imports/7/errors?includeRowData=true");
}

TEST(BuildListImportErrorsTest, OnlyIncludeErrorMessage) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_include_error_message(true);
  HubSpotCall call;
  ASSERT_TRUE(BuildListImportErrors(request, &call).ok());
  EXPECT_EQ(call.path_and_query,
            "/crm/v3/imports/7/errors?includeErrorMessage=true");
}

TEST(BuildListImportErrorsTest, PercentEncodesAfter) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_after("x=y z");
  HubSpotCall call;
  ASSERT_TRUE(BuildListImportErrors(request, &call).ok());
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports/7/errors?after=x%3Dy%20z");
}

TEST(BuildListImportErrorsTest, ZeroIdIsRefused) {
  v1::ListImportErrorsRequest request;
  HubSpotCall call;
  ExpectInvalidField(BuildListImportErrors(request, &call), "import_id");
}

TEST(BuildListImportErrorsTest, NegativeIdIsRefused) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(-1);
  HubSpotCall call;
  ExpectInvalidField(BuildListImportErrors(request, &call), "import_id");
}

TEST(BuildListImportErrorsTest, LimitOutOfRangeIsRefused) {
  for (int limit : {-1, 101}) {
    v1::ListImportErrorsRequest request;
    request.set_import_id(7);
    request.set_limit(limit);
    HubSpotCall call;
    SCOPED_TRACE(limit);
    ExpectInvalidField(BuildListImportErrors(request, &call), "limit");
  }
}

TEST(BuildListImportErrorsTest, TooLongAfterIsRefused) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_after(std::string(kMaxCursorBytes + 1, 'a'));
  HubSpotCall call;
  ExpectInvalidField(BuildListImportErrors(request, &call), "after");
}

TEST(BuildListImportErrorsTest, ControlCharacterInAfterIsRefused) {
  v1::ListImportErrorsRequest request;
  request.set_import_id(7);
  request.set_after("a\tb");
  HubSpotCall call;
  ExpectInvalidField(BuildListImportErrors(request, &call), "after");
}

// --- CancelImport ----------------------------------------------------------

TEST(BuildCancelImportTest, PostsToCancelPath) {
  v1::CancelImportRequest request;
  request.set_import_id(99);
  HubSpotCall call;
  ASSERT_TRUE(BuildCancelImport(request, &call).ok());
  EXPECT_EQ(call.method, "POST");
  EXPECT_EQ(call.path_and_query, "/crm/v3/imports/99/cancel");
}

TEST(BuildCancelImportTest, ZeroIdIsRefused) {
  HubSpotCall call;
  ExpectInvalidField(BuildCancelImport(v1::CancelImportRequest(), &call),
                     "import_id");
}

TEST(BuildCancelImportTest, NegativeIdIsRefused) {
  v1::CancelImportRequest request;
  request.set_import_id(INT64_MIN);
  HubSpotCall call;
  ExpectInvalidField(BuildCancelImport(request, &call), "import_id");
}

}  // namespace
}  // namespace hubspot_gateway

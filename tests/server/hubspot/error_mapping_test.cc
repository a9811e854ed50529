#include "server/hubspot/error_mapping.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "hubspot/crm/imports/v1/hubspot_error.pb.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::Not;

HttpResponse Answer(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

constexpr char kValidationBody[] = R"({
  "status": "error",
  "message": "Property values were not valid",
  "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
  "category": "VALIDATION_ERROR",
  "subCategory": "IMPORT_INVALID",
  "context": {"invalidPropertyName": ["foo"]},
  "links": {"knowledge-base": "https://www.hubspot.com/kb"},
  "errors": [{"message": "bad foo", "code": "INVALID", "in": "foo"}]
})";

constexpr char kRateLimitBody[] = R"({
  "status": "error",
  "message": "You have reached your secondly limit.",
  "errorType": "RATE_LIMIT",
  "correlationId": "c-429",
  "policyName": "SECONDLY",
  "category": "RATE_LIMITS"
})";

// The google.rpc.Status in a gRPC status's binary details.
google::rpc::Status Details(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()))
      << "error_details is not a google.rpc.Status";
  return details;
}

template <typename T>
bool FindDetail(const google::rpc::Status& details, T* out) {
  for (const google::protobuf::Any& any : details.details()) {
    if (any.Is<T>()) return any.UnpackTo(out);
  }
  return false;
}

template <typename T>
int CountDetails(const google::rpc::Status& details) {
  int n = 0;
  for (const google::protobuf::Any& any : details.details()) n += any.Is<T>();
  return n;
}

// --- GrpcCodeForHttpStatus -------------------------------------------------

struct CodeCase {
  int http;
  grpc::StatusCode grpc;
};

class GrpcCodeForHttpStatusTest : public ::testing::TestWithParam<CodeCase> {};

TEST_P(GrpcCodeForHttpStatusTest, Maps) {
  EXPECT_EQ(GrpcCodeForHttpStatus(GetParam().http), GetParam().grpc)
      << "HTTP " << GetParam().http;
}

INSTANTIATE_TEST_SUITE_P(
    AllStatuses, GrpcCodeForHttpStatusTest,
    ::testing::Values(CodeCase{400, grpc::StatusCode::INVALID_ARGUMENT},
                      CodeCase{401, grpc::StatusCode::UNAUTHENTICATED},
                      CodeCase{403, grpc::StatusCode::PERMISSION_DENIED},
                      CodeCase{404, grpc::StatusCode::NOT_FOUND},
                      CodeCase{408, grpc::StatusCode::DEADLINE_EXCEEDED},
                      CodeCase{409, grpc::StatusCode::FAILED_PRECONDITION},
                      CodeCase{412, grpc::StatusCode::FAILED_PRECONDITION},
                      CodeCase{413, grpc::StatusCode::INVALID_ARGUMENT},
                      CodeCase{415, grpc::StatusCode::INVALID_ARGUMENT},
                      CodeCase{422, grpc::StatusCode::INVALID_ARGUMENT},
                      CodeCase{429, grpc::StatusCode::RESOURCE_EXHAUSTED},
                      CodeCase{500, grpc::StatusCode::UNAVAILABLE},
                      CodeCase{502, grpc::StatusCode::UNAVAILABLE},
                      CodeCase{503, grpc::StatusCode::UNAVAILABLE},
                      CodeCase{504, grpc::StatusCode::DEADLINE_EXCEEDED},
                      CodeCase{599, grpc::StatusCode::UNAVAILABLE},
                      CodeCase{405, grpc::StatusCode::FAILED_PRECONDITION},
                      CodeCase{418, grpc::StatusCode::FAILED_PRECONDITION},
                      CodeCase{301, grpc::StatusCode::UNAVAILABLE},
                      CodeCase{302, grpc::StatusCode::UNAVAILABLE},
                      CodeCase{100, grpc::StatusCode::UNAVAILABLE}),
    [](const ::testing::TestParamInfo<CodeCase>& info) {
      return "Http" + std::to_string(info.param.http);
    });

// --- StatusFromHubSpotAnswer: message ----------------------------------------

TEST(StatusFromHubSpotAnswerTest, CodeFollowsHttpStatus) {
  EXPECT_EQ(StatusFromHubSpotAnswer(Answer(400, kValidationBody)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(StatusFromHubSpotAnswer(Answer(404, "{}")).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(StatusFromHubSpotAnswer(Answer(429, kRateLimitBody)).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(StatusFromHubSpotAnswerTest,
     MessageHasHubSpotMessageCategoryAndCorrelationId) {
  const grpc::Status status =
      StatusFromHubSpotAnswer(Answer(400, kValidationBody));
  EXPECT_THAT(status.error_message(), HasSubstr("HTTP 400"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("Property values were not valid"));
  EXPECT_THAT(status.error_message(), HasSubstr("VALIDATION_ERROR"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("aeb5f871-7f07-4993-9211-075dc63e7cbf"));
  EXPECT_THAT(status.error_message(), HasSubstr("IMPORT_INVALID"));
}

TEST(StatusFromHubSpotAnswerTest, MessageHasPolicyNameFor429) {
  const grpc::Status status =
      StatusFromHubSpotAnswer(Answer(429, kRateLimitBody));
  EXPECT_THAT(status.error_message(), HasSubstr("SECONDLY"));
  EXPECT_THAT(status.error_message(), HasSubstr("RATE_LIMITS"));
  EXPECT_THAT(status.error_message(), HasSubstr("c-429"));
}

TEST(StatusFromHubSpotAnswerTest, RedirectMessagePointsAtBaseUrl) {
  const grpc::Status status = StatusFromHubSpotAnswer(Answer(301, ""));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("baseUrl"));
}

// --- StatusFromHubSpotAnswer: details ----------------------------------------

TEST(StatusFromHubSpotAnswerTest, DetailsAreARpcStatusWithSameCodeAndMessage) {
  const grpc::Status status =
      StatusFromHubSpotAnswer(Answer(404, kValidationBody));
  const google::rpc::Status details = Details(status);
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(details.message(), status.error_message());
}

TEST(StatusFromHubSpotAnswerTest, ErrorInfoHasCategoryAndMetadata) {
  const google::rpc::Status details =
      Details(StatusFromHubSpotAnswer(Answer(400, kValidationBody)));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(FindDetail(details, &info));
  EXPECT_EQ(info.reason(), "VALIDATION_ERROR");
  EXPECT_EQ(info.domain(), "api.hubapi.com");
  EXPECT_EQ(info.metadata().at("correlationId"),
            "aeb5f871-7f07-4993-9211-075dc63e7cbf");
  EXPECT_EQ(info.metadata().at("httpStatus"), "400");
  EXPECT_EQ(info.metadata().at("subCategory"), "IMPORT_INVALID");
  EXPECT_EQ(CountDetails<google::rpc::ErrorInfo>(details), 1);
}

TEST(StatusFromHubSpotAnswerTest, ErrorInfoHasPolicyNameFor429) {
  const google::rpc::Status details =
      Details(StatusFromHubSpotAnswer(Answer(429, kRateLimitBody)));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(FindDetail(details, &info));
  EXPECT_EQ(info.reason(), "RATE_LIMITS");
  EXPECT_EQ(info.metadata().at("policyName"), "SECONDLY");
}

TEST(StatusFromHubSpotAnswerTest, HubSpotErrorCarriesTheWholeBody) {
  const google::rpc::Status details =
      Details(StatusFromHubSpotAnswer(Answer(400, kValidationBody)));
  v1::HubSpotError error;
  ASSERT_TRUE(FindDetail(details, &error));
  EXPECT_EQ(error.http_status(), 400);
  EXPECT_EQ(error.message(), "Property values were not valid");
  EXPECT_EQ(error.category(), "VALIDATION_ERROR");
  EXPECT_EQ(error.sub_category(), "IMPORT_INVALID");
  EXPECT_EQ(error.correlation_id(), "aeb5f871-7f07-4993-9211-075dc63e7cbf");
  ASSERT_EQ(error.context().count("invalidPropertyName"), 1u);
  EXPECT_THAT(error.context().at("invalidPropertyName").values(),
              ::testing::ElementsAre("foo"));
  EXPECT_EQ(error.links().at("knowledge-base"), "https://www.hubspot.com/kb");
  ASSERT_EQ(error.errors_size(), 1);
  EXPECT_EQ(error.errors(0).message(), "bad foo");
  EXPECT_EQ(error.errors(0).code(), "INVALID");
  EXPECT_EQ(error.errors(0).in(), "foo");
}

TEST(StatusFromHubSpotAnswerTest, NoRetryInfoForAClientError) {
  const google::rpc::Status details =
      Details(StatusFromHubSpotAnswer(Answer(400, kValidationBody)));
  EXPECT_EQ(CountDetails<google::rpc::RetryInfo>(details), 0);
}

// --- RetryInfo -------------------------------------------------------------

google::rpc::RetryInfo RetryInfoOf(const HttpResponse& response) {
  google::rpc::RetryInfo retry;
  EXPECT_TRUE(FindDetail(Details(StatusFromHubSpotAnswer(response)), &retry))
      << "no RetryInfo";
  return retry;
}

TEST(RetryInfoTest, UsesRetryAfterSeconds) {
  HttpResponse r = Answer(429, kRateLimitBody);
  r.headers["retry-after"] = "7";
  r.headers["x-hubspot-ratelimit-interval-milliseconds"] = "10000";
  const google::rpc::RetryInfo retry = RetryInfoOf(r);
  EXPECT_EQ(retry.retry_delay().seconds(), 7);
  EXPECT_EQ(retry.retry_delay().nanos(), 0);
}

TEST(RetryInfoTest, FallsBackToRateLimitInterval) {
  HttpResponse r = Answer(429, kRateLimitBody);
  r.headers["x-hubspot-ratelimit-interval-milliseconds"] = "2500";
  const google::rpc::RetryInfo retry = RetryInfoOf(r);
  EXPECT_EQ(retry.retry_delay().seconds(), 2);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
}

TEST(RetryInfoTest, FallsBackToRateLimitIntervalWhenRetryAfterIsNotSeconds) {
  HttpResponse r = Answer(429, kRateLimitBody);
  r.headers["retry-after"] = "Wed, 21 Oct 2015 07:28:00 GMT";
  r.headers["x-hubspot-ratelimit-interval-milliseconds"] = "1000";
  EXPECT_EQ(RetryInfoOf(r).retry_delay().seconds(), 1);
  EXPECT_EQ(RetryDelay(r), absl::Seconds(1));
}

TEST(RetryInfoTest, DefaultsToOneSecond) {
  const google::rpc::RetryInfo retry = RetryInfoOf(Answer(429, kRateLimitBody));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 0);
}

TEST(RetryInfoTest, DefaultsToOneSecondWhenIntervalIsZero) {
  HttpResponse r = Answer(429, kRateLimitBody);
  r.headers["x-hubspot-ratelimit-interval-milliseconds"] = "0";
  EXPECT_EQ(RetryDelay(r), absl::Seconds(1));
}

TEST(RetryInfoTest, PresentFor503) {
  HttpResponse r = Answer(503, "");
  r.headers["retry-after"] = "3";
  EXPECT_EQ(RetryInfoOf(r).retry_delay().seconds(), 3);
}

TEST(RetryInfoTest, ExactlyOneRetryInfo) {
  HttpResponse r = Answer(429, kRateLimitBody);
  r.headers["retry-after"] = "2";
  EXPECT_EQ(
      CountDetails<google::rpc::RetryInfo>(Details(StatusFromHubSpotAnswer(r))),
      1);
}

TEST(RetryDelayTest, RetryAfterIsCappedAtOneHour) {
  HttpResponse r = Answer(429);
  r.headers["retry-after"] = "99999";
  EXPECT_EQ(RetryDelay(r), absl::Hours(1));
}

TEST(RetryDelayTest, NegativeRetryAfterIsIgnored) {
  HttpResponse r = Answer(429);
  r.headers["retry-after"] = "-3";
  r.headers["x-hubspot-ratelimit-interval-milliseconds"] = "400";
  EXPECT_EQ(RetryDelay(r), absl::Milliseconds(400));
}

TEST(RetryDelayTest, ZeroRetryAfterMeansNow) {
  HttpResponse r = Answer(429);
  r.headers["retry-after"] = "0";
  EXPECT_EQ(RetryDelay(r), absl::ZeroDuration());
}

// --- Bodies that are not HubSpot's Error schema -----------------------------

TEST(StatusFromHubSpotAnswerTest, NonJsonBodyStillMapsToTheRightCode) {
  const grpc::Status status =
      StatusFromHubSpotAnswer(Answer(502, "<html>Bad Gateway</html>"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("HTTP 502"));
  const google::rpc::Status details = Details(status);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(FindDetail(details, &info));
  EXPECT_EQ(info.reason(), "HTTP_502");
  EXPECT_EQ(info.metadata().at("httpStatus"), "502");
  EXPECT_EQ(info.metadata().count("correlationId"), 0u);
  v1::HubSpotError error;
  ASSERT_TRUE(FindDetail(details, &error));
  EXPECT_EQ(error.http_status(), 502);
  EXPECT_EQ(error.message(), "");
}

TEST(StatusFromHubSpotAnswerTest, EmptyBodyStillMapsToTheRightCode) {
  const grpc::Status status = StatusFromHubSpotAnswer(Answer(403, ""));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "HubSpot answered HTTP 403");
}

TEST(StatusFromHubSpotAnswerTest, NonJson429StillHasRetryInfo) {
  HttpResponse r = Answer(429, "Too Many Requests");
  r.headers["retry-after"] = "4";
  const grpc::Status status = StatusFromHubSpotAnswer(r);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(RetryInfoOf(r).retry_delay().seconds(), 4);
}

TEST(StatusFromHubSpotAnswerTest, WrongTypedFieldsKeepTheRest) {
  const grpc::Status status = StatusFromHubSpotAnswer(Answer(
      409,
      R"({"message": "Conflict", "category": 7, "correlationId": "cid"})"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("Conflict"));
  EXPECT_THAT(status.error_message(), HasSubstr("cid"));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(FindDetail(Details(status), &info));
  EXPECT_EQ(info.reason(), "HTTP_409");
  EXPECT_EQ(info.metadata().at("correlationId"), "cid");
}

// --- ToGrpcStatus ------------------------------------------------------------

TEST(ToGrpcStatusTest, KeepsCodeAndMessage) {
  const grpc::Status status =
      ToGrpcStatus(absl::UnavailableError("token endpoint down"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "token endpoint down");
}

TEST(ToGrpcStatusTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

// --- InvalidField
// --------------------------------------------------------------

TEST(InvalidFieldTest, GivesInvalidArgumentWithBadRequest) {
  const grpc::Status status = InvalidField("limit", "must be at most 100");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "limit: must be at most 100");
  const google::rpc::Status details = Details(status);
  EXPECT_EQ(details.code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(FindDetail(details, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "limit");
  EXPECT_EQ(bad.field_violations(0).description(), "must be at most 100");
  EXPECT_THAT(status.error_message(), Not(HasSubstr("HubSpot")));
}

}  // namespace
}  // namespace hubspot_gateway

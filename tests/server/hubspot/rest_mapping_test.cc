#include "server/hubspot/rest_mapping.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// 2020-01-14T22:45:00Z and 2020-01-15T08:00:00Z.
constexpr int64_t kJan14 = 1579041900;
constexpr int64_t kJan15 = 1579075200;

google::protobuf::Struct StructFromJson(const std::string& json) {
  google::protobuf::Struct s;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &s).ok())
      << json;
  return s;
}

// A non-OK INVALID_ARGUMENT status whose message names `path`.
void ExpectFieldError(const absl::Status& status, const std::string& path) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(path + ":"));
}

// ---------------------------------------------------------------------------
// PublicImportResponse
// ---------------------------------------------------------------------------

constexpr char kFullImport[] = R"({
  "id": "1471",
  "state": "DONE",
  "importName": "Q1 contacts",
  "importSource": "API",
  "createdAt": "2020-01-14T22:45:00.153+00:00",
  "updatedAt": "2020-01-15T08:00:00Z",
  "metadata": {
    "counters": {"TOTAL_ROWS": 2, "CREATED_OBJECTS": 1, "UPDATED_OBJECTS": 1,
                 "ERRORS": 0, "SOME_FUTURE_COUNTER": "7"},
    "fileIds": ["3579849", "42"],
    "objectLists": [{"listId": "3", "objectType": "contacts"},
                    {"listId": "4", "objectType": "companies"}]
  },
  "importRequestJson": {
    "name": "Q1 contacts",
    "files": [{"fileName": "q1.csv", "fileFormat": "CSV"}],
    "extra": {"n": 1.5, "b": true, "z": null}
  },
  "optOutImport": true,
  "mappedObjectTypeIds": ["0-1", "0-2"],
  "importTemplate": {"templateId": 12, "templateType": "admin_defined"}
})";

TEST(ParseImportTest, MapsEveryField) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(kFullImport, &in).ok());
  EXPECT_EQ(in.id(), 1471);
  EXPECT_EQ(in.state(), v1::IMPORT_STATE_DONE);
  EXPECT_EQ(in.state_raw(), "DONE");
  EXPECT_EQ(in.import_name(), "Q1 contacts");
  EXPECT_EQ(in.import_source(), v1::IMPORT_SOURCE_API);
  EXPECT_EQ(in.import_source_raw(), "API");
  EXPECT_EQ(in.created_at().seconds(), kJan14);
  EXPECT_EQ(in.created_at().nanos(), 153000000);
  EXPECT_EQ(in.updated_at().seconds(), kJan15);
  EXPECT_EQ(in.updated_at().nanos(), 0);
  EXPECT_TRUE(in.opt_out_import());
  EXPECT_THAT(in.mapped_object_type_ids(), ElementsAre("0-1", "0-2"));
  ASSERT_TRUE(in.has_import_template());
  EXPECT_EQ(in.import_template().template_id(), 12);
  EXPECT_EQ(in.import_template().template_type(),
            v1::IMPORT_TEMPLATE_TYPE_ADMIN_DEFINED);
  EXPECT_EQ(in.import_template().template_type_raw(), "admin_defined");
}

TEST(ParseImportTest, MapsMetadata) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(kFullImport, &in).ok());
  const v1::ImportMetadata& m = in.metadata();
  EXPECT_THAT(
      m.counters(),
      UnorderedElementsAre(Pair("TOTAL_ROWS", 2), Pair("CREATED_OBJECTS", 1),
                           Pair("UPDATED_OBJECTS", 1), Pair("ERRORS", 0),
                           Pair("SOME_FUTURE_COUNTER", 7)));
  EXPECT_THAT(m.file_ids(), ElementsAre("3579849", "42"));
  ASSERT_EQ(m.object_lists_size(), 2);
  EXPECT_EQ(m.object_lists(0).list_id(), "3");
  EXPECT_EQ(m.object_lists(0).object_type(), "contacts");
  EXPECT_EQ(m.object_lists(1).list_id(), "4");
  EXPECT_EQ(m.object_lists(1).object_type(), "companies");
}

TEST(ParseImportTest, KeepsImportRequestJsonAsStruct) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(kFullImport, &in).ok());
  const google::protobuf::Struct expected = StructFromJson(R"({
    "name": "Q1 contacts",
    "files": [{"fileName": "q1.csv", "fileFormat": "CSV"}],
    "extra": {"n": 1.5, "b": true, "z": null}
  })");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      in.import_request_json(), expected))
      << in.import_request_json().DebugString();
}

TEST(ParseImportTest, MissingOptionalFieldsLeaveDefaults) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(R"({"id": "5", "state": "STARTED"})", &in).ok());
  EXPECT_EQ(in.id(), 5);
  EXPECT_EQ(in.state(), v1::IMPORT_STATE_STARTED);
  EXPECT_EQ(in.import_name(), "");
  EXPECT_EQ(in.import_source(), v1::IMPORT_SOURCE_UNSPECIFIED);
  EXPECT_EQ(in.import_source_raw(), "");
  EXPECT_FALSE(in.has_created_at());
  EXPECT_FALSE(in.has_updated_at());
  EXPECT_FALSE(in.has_metadata());
  EXPECT_FALSE(in.has_import_request_json());
  EXPECT_FALSE(in.opt_out_import());
  EXPECT_EQ(in.mapped_object_type_ids_size(), 0);
  EXPECT_FALSE(in.has_import_template());
}

TEST(ParseImportTest, EmptyObjectIsAnEmptyImport) {
  v1::Import in;
  ASSERT_TRUE(ParseImport("{}", &in).ok());
  EXPECT_EQ(in.id(), 0);
  EXPECT_EQ(in.state(), v1::IMPORT_STATE_UNSPECIFIED);
  EXPECT_EQ(in.state_raw(), "");
}

TEST(ParseImportTest, NullFieldsLeaveDefaults) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(R"({"id": "5", "importName": null, "createdAt": null,
                              "metadata": null, "optOutImport": null,
                              "importTemplate": null})",
                          &in)
                  .ok());
  EXPECT_EQ(in.import_name(), "");
  EXPECT_FALSE(in.has_created_at());
  EXPECT_FALSE(in.has_metadata());
  EXPECT_FALSE(in.opt_out_import());
  EXPECT_FALSE(in.has_import_template());
}

TEST(ParseImportTest, UnknownFieldsAreIgnored) {
  v1::Import in;
  ASSERT_TRUE(
      ParseImport(R"({"id": "5", "brandNewField": {"x": [1, 2]}})", &in).ok());
  EXPECT_EQ(in.id(), 5);
}

TEST(ParseImportTest, EmptyMetadataListsAndCounters) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(R"({"metadata": {"counters": {}, "fileIds": [],
                                           "objectLists": []}})",
                          &in)
                  .ok());
  EXPECT_TRUE(in.has_metadata());
  EXPECT_TRUE(in.metadata().counters().empty());
  EXPECT_EQ(in.metadata().file_ids_size(), 0);
  EXPECT_EQ(in.metadata().object_lists_size(), 0);
}

TEST(ParseImportTest, IdAsNumberIsAccepted) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(R"({"id": 1471})", &in).ok());
  EXPECT_EQ(in.id(), 1471);
}

TEST(ParseImportTest, IdStringKeepsFullInt64Precision) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(R"({"id": "9223372036854775807"})", &in).ok());
  EXPECT_EQ(in.id(), INT64_MAX);
}

// --- Enums -------------------------------------------------------------------

struct StateCase {
  const char* literal;
  v1::ImportState state;
};

class ImportStateTest : public ::testing::TestWithParam<StateCase> {};

TEST_P(ImportStateTest, MapsLiteral) {
  v1::Import in;
  ASSERT_TRUE(
      ParseImport(absl::StrCat(R"({"state": ")", GetParam().literal, R"("})"),
                  &in)
          .ok());
  EXPECT_EQ(in.state(), GetParam().state);
  EXPECT_EQ(in.state_raw(), GetParam().literal);
}

INSTANTIATE_TEST_SUITE_P(
    AllStates, ImportStateTest,
    ::testing::Values(StateCase{"STARTED", v1::IMPORT_STATE_STARTED},
                      StateCase{"PROCESSING", v1::IMPORT_STATE_PROCESSING},
                      StateCase{"DONE", v1::IMPORT_STATE_DONE},
                      StateCase{"FAILED", v1::IMPORT_STATE_FAILED},
                      StateCase{"CANCELED", v1::IMPORT_STATE_CANCELED},
                      StateCase{"DEFERRED", v1::IMPORT_STATE_DEFERRED},
                      StateCase{"REVERTED", v1::IMPORT_STATE_REVERTED},
                      StateCase{"ARCHIVED", v1::IMPORT_STATE_UNSPECIFIED}),
    [](const ::testing::TestParamInfo<StateCase>& info) {
      return std::string(info.param.literal);
    });

struct SourceCase {
  const char* literal;
  v1::ImportSource source;
};

class ImportSourceTest : public ::testing::TestWithParam<SourceCase> {};

TEST_P(ImportSourceTest, MapsLiteral) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(absl::StrCat(R"({"importSource": ")",
                                       GetParam().literal, R"("})"),
                          &in)
                  .ok());
  EXPECT_EQ(in.import_source(), GetParam().source);
  EXPECT_EQ(in.import_source_raw(), GetParam().literal);
}

INSTANTIATE_TEST_SUITE_P(
    AllSources, ImportSourceTest,
    ::testing::Values(SourceCase{"API", v1::IMPORT_SOURCE_API},
                      SourceCase{"CRM_UI", v1::IMPORT_SOURCE_CRM_UI},
                      SourceCase{"IMPORT", v1::IMPORT_SOURCE_IMPORT},
                      SourceCase{"MOBILE_ANDROID",
                                 v1::IMPORT_SOURCE_MOBILE_ANDROID},
                      SourceCase{"MOBILE_IOS", v1::IMPORT_SOURCE_MOBILE_IOS},
                      SourceCase{"SALESFORCE", v1::IMPORT_SOURCE_SALESFORCE},
                      SourceCase{"ZAPIER", v1::IMPORT_SOURCE_UNSPECIFIED}),
    [](const ::testing::TestParamInfo<SourceCase>& info) {
      return std::string(info.param.literal);
    });

struct TemplateTypeCase {
  const char* literal;
  v1::ImportTemplateType type;
};

class ImportTemplateTypeTest
    : public ::testing::TestWithParam<TemplateTypeCase> {};

TEST_P(ImportTemplateTypeTest, MapsLowerCaseLiteral) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(absl::StrCat(R"({"importTemplate": {"templateId": 1,
                                           "templateType": ")",
                                       GetParam().literal, R"("}})"),
                          &in)
                  .ok());
  EXPECT_EQ(in.import_template().template_type(), GetParam().type);
  EXPECT_EQ(in.import_template().template_type_raw(), GetParam().literal);
}

INSTANTIATE_TEST_SUITE_P(
    AllTemplateTypes, ImportTemplateTypeTest,
    ::testing::Values(
        TemplateTypeCase{"admin_defined",
                         v1::IMPORT_TEMPLATE_TYPE_ADMIN_DEFINED},
        TemplateTypeCase{"previous_import",
                         v1::IMPORT_TEMPLATE_TYPE_PREVIOUS_IMPORT},
        TemplateTypeCase{"user_file", v1::IMPORT_TEMPLATE_TYPE_USER_FILE},
        TemplateTypeCase{"shared_template",
                         v1::IMPORT_TEMPLATE_TYPE_UNSPECIFIED}),
    [](const ::testing::TestParamInfo<TemplateTypeCase>& info) {
      return std::string(info.param.literal);
    });

TEST(ParseImportTest, UnknownStateKeepsLiteralAndDoesNotFail) {
  v1::Import in;
  ASSERT_TRUE(
      ParseImport(R"({"id": "1", "state": "QUEUED_FOR_REVIEW"})", &in).ok());
  EXPECT_EQ(in.state(), v1::IMPORT_STATE_UNSPECIFIED);
  EXPECT_EQ(in.state_raw(), "QUEUED_FOR_REVIEW");
  EXPECT_EQ(in.id(), 1);
}

TEST(ParseImportTest, UnspecifiedLiteralIsNotAKnownValue) {
  v1::Import in;
  ASSERT_TRUE(ParseImport(R"({"state": "UNSPECIFIED"})", &in).ok());
  EXPECT_EQ(in.state(), v1::IMPORT_STATE_UNSPECIFIED);
  EXPECT_EQ(in.state_raw(), "UNSPECIFIED");
}

// --- Timestamps
// ----------------------------------------------------------------

struct TimeCase {
  const char* name;
  const char* text;
  int64_t seconds;
  int32_t nanos;
};

class Rfc3339Test : public ::testing::TestWithParam<TimeCase> {};

TEST_P(Rfc3339Test, Parses) {
  v1::Import in;
  ASSERT_TRUE(
      ParseImport(absl::StrCat(R"({"createdAt": ")", GetParam().text, R"("})"),
                  &in)
          .ok())
      << GetParam().text;
  EXPECT_EQ(in.created_at().seconds(), GetParam().seconds);
  EXPECT_EQ(in.created_at().nanos(), GetParam().nanos);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, Rfc3339Test,
    ::testing::Values(
        TimeCase{"Zulu", "2020-01-14T22:45:00Z", kJan14, 0},
        TimeCase{"ZeroOffset", "2020-01-14T22:45:00+00:00", kJan14, 0},
        TimeCase{"MillisZeroOffset", "2020-01-14T22:45:00.153+00:00", kJan14,
                 153000000},
        TimeCase{"MillisZulu", "2020-01-14T22:45:00.153Z", kJan14, 153000000},
        TimeCase{"Nanos", "2020-01-14T22:45:00.123456789Z", kJan14, 123456789},
        TimeCase{"Micros", "2020-01-14T22:45:00.000001Z", kJan14, 1000},
        TimeCase{"PositiveOffset", "2020-01-15T00:45:00+02:00", kJan14, 0},
        TimeCase{"NegativeOffset", "2020-01-14T17:45:00-05:00", kJan14, 0},
        TimeCase{"Epoch", "1970-01-01T00:00:00Z", 0, 0},
        TimeCase{"LowerCaseTAndZ", "2020-01-14t22:45:00z", kJan14, 0},
        TimeCase{"NanosBeyondNineDigitsTruncated",
                 "2020-01-14T22:45:00.1234567891Z", kJan14, 123456789},
        TimeCase{"LeapDay", "2024-02-29T00:00:00Z", 1709164800, 0},
        TimeCase{"LargestOffset", "2020-01-15T22:44:00+23:59", kJan14, 0},
        TimeCase{"BeforeEpochWithFraction", "1969-12-31T23:59:59.5Z", -1,
                 500000000}),
    [](const ::testing::TestParamInfo<TimeCase>& info) {
      return std::string(info.param.name);
    });

TEST(ParseImportTest, DateThatIsNotRfc3339FailsNamingTheField) {
  for (const char* text :
       {"2020-01-14 22:45:00", "2020-01-14T22:45:00", "2020-01-14", "yesterday",
        "1579041900", "2020-13-01T00:00:00Z", "2020-01-14T25:00:00Z",
        "2020-01-14T22:45:00+25:00", "2023-02-29T00:00:00Z",
        "2020-02-30T00:00:00Z", "2020-04-31T00:00:00Z", "2020-01-00T00:00:00Z",
        "2020-00-14T00:00:00Z", "2020-01-14T22:60:00Z", "2020-01-14T22:45:00.Z",
        "2020-01-14T22:45:00Zjunk", "2020-01-14X22:45:00Z"}) {
    SCOPED_TRACE(text);
    v1::Import in;
    ExpectFieldError(
        ParseImport(absl::StrCat(R"({"createdAt": ")", text, R"("})"), &in),
        "createdAt");
  }
}

TEST(ParseImportTest, DateOutsideTimestampRangeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"updatedAt": "0000-12-31T23:59:59Z"})", &in),
                   "updatedAt");
}

TEST(ParseImportTest, DateAsNumberFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"createdAt": 1579041900000})", &in),
                   "createdAt");
}

// --- Garbage
// -------------------------------------------------------------------

TEST(ParseImportTest, EmptyBodyFails) {
  v1::Import in;
  EXPECT_EQ(ParseImport("", &in).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseImport("  \n", &in).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, NotJsonFails) {
  v1::Import in;
  EXPECT_EQ(ParseImport("<html>502 Bad Gateway</html>", &in).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseImport("{not json}", &in).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, ArrayRootFails) {
  v1::Import in;
  EXPECT_EQ(ParseImport(R"([{"id": "1"}])", &in).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, ScalarRootFails) {
  v1::Import in;
  EXPECT_EQ(ParseImport("42", &in).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseImport("\"x\"", &in).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseImport("null", &in).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, TruncatedJsonFails) {
  v1::Import in;
  EXPECT_EQ(ParseImport(R"({"id": "1", "state": "DO)", &in).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseImport(R"({"id": "1", "metadata": {"counters": {)", &in).code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, TrailingDataAfterTheObjectFails) {
  v1::Import in;
  EXPECT_EQ(ParseImport(R"({"id": "1"} {"id": "2"})", &in).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseImport(R"({"id": "1"}])", &in).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, InvalidUtf8Fails) {
  v1::Import in;
  EXPECT_EQ(ParseImport("{\"importName\": \"\xff\xfe\"}", &in).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, DeeplyNestedJsonFailsWithoutCrashing) {
  const std::string nested =
      std::string(100000, '[') + std::string(100000, ']');
  v1::Import in;
  EXPECT_EQ(
      ParseImport(absl::StrCat(R"({"importRequestJson": {"x": )", nested, "}}"),
                  &in)
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(ParseImportTest, EscapedStringsAreDecoded) {
  v1::Import in;
  ASSERT_TRUE(
      ParseImport(R"({"importName": "a\"b\\c\u00e9\ud83d\ude00\n"})", &in)
          .ok());
  EXPECT_EQ(in.import_name(), "a\"b\\c\xC3\xA9\xF0\x9F\x98\x80\n");
}

// JSON leaves duplicate names to the implementation; taking one of the values
// or refusing the body are both fine, but not a mix of the two values.
TEST(ParseImportTest, DuplicateKeyDoesNotMixTheValues) {
  v1::Import in;
  const absl::Status status =
      ParseImport(R"({"state": "DONE", "state": "FAILED"})", &in);
  if (status.ok()) {
    EXPECT_THAT(in.state_raw(), ::testing::AnyOf("DONE", "FAILED"));
  }
  v1::Import list;
  const absl::Status list_status = ParseImport(
      R"({"mappedObjectTypeIds": ["0-1"], "mappedObjectTypeIds": ["0-2"]})",
      &list);
  if (list_status.ok()) {
    EXPECT_EQ(list.mapped_object_type_ids_size(), 1);
  }
}

TEST(ParseImportTest, StateOfWrongTypeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"state": 5})", &in), "state");
}

TEST(ParseImportTest, IdNotNumericFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"id": "abc"})", &in), "id");
}

TEST(ParseImportTest, IdNegativeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"id": "-3"})", &in), "id");
}

TEST(ParseImportTest, IdFractionalFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"id": 1.5})", &in), "id");
}

TEST(ParseImportTest, IdBeyondInt64Fails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"id": "9223372036854775808"})", &in), "id");
}

TEST(ParseImportTest, IdOfWrongTypeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"id": true})", &in), "id");
}

TEST(ParseImportTest, CounterNotAnIntegerFails) {
  v1::Import in;
  ExpectFieldError(
      ParseImport(R"({"metadata": {"counters": {"TOTAL_ROWS": "x"}}})", &in),
      "metadata.counters.TOTAL_ROWS");
}

TEST(ParseImportTest, CountersOfWrongTypeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"metadata": {"counters": [1, 2]}})", &in),
                   "metadata.counters");
}

TEST(ParseImportTest, MetadataOfWrongTypeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"metadata": "none"})", &in), "metadata");
}

TEST(ParseImportTest, FileIdNotAStringFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"metadata": {"fileIds": ["1", 2]}})", &in),
                   "metadata.fileIds[1]");
}

TEST(ParseImportTest, ObjectListNotAnObjectFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"metadata": {"objectLists": ["3"]}})", &in),
                   "metadata.objectLists[0]");
}

TEST(ParseImportTest, ObjectListFieldOfWrongTypeFails) {
  v1::Import in;
  ExpectFieldError(
      ParseImport(R"({"metadata": {"objectLists": [{"listId": 3}]}})", &in),
      "metadata.objectLists[0].listId");
}

TEST(ParseImportTest, ImportRequestJsonNotAnObjectFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"importRequestJson": "{}"})", &in),
                   "importRequestJson");
}

TEST(ParseImportTest, OptOutImportNotABooleanFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"optOutImport": "false"})", &in),
                   "optOutImport");
}

TEST(ParseImportTest, MappedObjectTypeIdsNotAnArrayFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"mappedObjectTypeIds": "0-1"})", &in),
                   "mappedObjectTypeIds");
}

TEST(ParseImportTest, TemplateIdBeyondInt32Fails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"importTemplate": {"templateId": 2147483648,
                                       "templateType": "user_file"}})",
                               &in),
                   "importTemplate.templateId");
}

TEST(ParseImportTest, TemplateIdAtInt32LimitsIsAccepted) {
  v1::Import in;
  ASSERT_TRUE(
      ParseImport(R"({"importTemplate": {"templateId": -2147483648}})", &in)
          .ok());
  EXPECT_EQ(in.import_template().template_id(), INT32_MIN);
  ASSERT_TRUE(
      ParseImport(R"({"importTemplate": {"templateId": "2147483647"}})", &in)
          .ok());
  EXPECT_EQ(in.import_template().template_id(), INT32_MAX);
}

TEST(ParseImportTest, ImportNameOfWrongTypeFails) {
  v1::Import in;
  ExpectFieldError(ParseImport(R"({"importName": {"x": 1}})", &in),
                   "importName");
}

// ---------------------------------------------------------------------------
// CollectionResponsePublicImportResponse
// ---------------------------------------------------------------------------

TEST(ParseListImportsResponseTest, MapsResultsAndPaging) {
  v1::ListImportsResponse out;
  ASSERT_TRUE(ParseListImportsResponse(
                  absl::StrCat(R"({"results": [)", kFullImport,
                               R"(, {"id": "2", "state": "PROCESSING"}],
                    "paging": {
                      "next": {"after": "MTA=", "link": "https://api.hubapi.com/crm/v3/imports?after=MTA="},
                      "prev": {"before": "MA==", "link": "https://api.hubapi.com/crm/v3/imports?before=MA=="}
                    }})"),
                  &out)
                  .ok());
  ASSERT_EQ(out.results_size(), 2);
  EXPECT_EQ(out.results(0).id(), 1471);
  EXPECT_EQ(out.results(0).metadata().counters().at("TOTAL_ROWS"), 2);
  EXPECT_EQ(out.results(0).import_template().template_id(), 12);
  EXPECT_EQ(out.results(1).id(), 2);
  EXPECT_EQ(out.results(1).state(), v1::IMPORT_STATE_PROCESSING);
  ASSERT_TRUE(out.paging().has_next());
  EXPECT_EQ(out.paging().next().after(), "MTA=");
  EXPECT_EQ(out.paging().next().link(),
            "https://api.hubapi.com/crm/v3/imports?after=MTA=");
  ASSERT_TRUE(out.paging().has_prev());
  EXPECT_EQ(out.paging().prev().before(), "MA==");
  EXPECT_EQ(out.paging().prev().link(),
            "https://api.hubapi.com/crm/v3/imports?before=MA==");
}

TEST(ParseListImportsResponseTest, EmptyResultsWithoutPaging) {
  v1::ListImportsResponse out;
  ASSERT_TRUE(ParseListImportsResponse(R"({"results": []})", &out).ok());
  EXPECT_EQ(out.results_size(), 0);
  EXPECT_FALSE(out.paging().has_next());
  EXPECT_FALSE(out.paging().has_prev());
}

TEST(ParseListImportsResponseTest, NextWithoutLink) {
  v1::ListImportsResponse out;
  ASSERT_TRUE(
      ParseListImportsResponse(
          R"({"results": [], "paging": {"next": {"after": "x"}}})", &out)
          .ok());
  EXPECT_EQ(out.paging().next().after(), "x");
  EXPECT_EQ(out.paging().next().link(), "");
  EXPECT_FALSE(out.paging().has_prev());
}

TEST(ParseListImportsResponseTest, UnknownEnumsInResultsDoNotFail) {
  v1::ListImportsResponse out;
  ASSERT_TRUE(ParseListImportsResponse(
                  R"({"results": [{"id": "1", "state": "PAUSED",
                                   "importSource": "ZAPIER",
                                   "importTemplate": {"templateType": "shared"}}]})",
                  &out)
                  .ok());
  const v1::Import& in = out.results(0);
  EXPECT_EQ(in.state(), v1::IMPORT_STATE_UNSPECIFIED);
  EXPECT_EQ(in.state_raw(), "PAUSED");
  EXPECT_EQ(in.import_source(), v1::IMPORT_SOURCE_UNSPECIFIED);
  EXPECT_EQ(in.import_source_raw(), "ZAPIER");
  EXPECT_EQ(in.import_template().template_type(),
            v1::IMPORT_TEMPLATE_TYPE_UNSPECIFIED);
  EXPECT_EQ(in.import_template().template_type_raw(), "shared");
}

TEST(ParseListImportsResponseTest, MissingResultsFails) {
  v1::ListImportsResponse out;
  ExpectFieldError(ParseListImportsResponse(R"({"paging": {}})", &out),
                   "results");
}

TEST(ParseListImportsResponseTest, ResultsAsObjectFails) {
  v1::ListImportsResponse out;
  ExpectFieldError(ParseListImportsResponse(R"({"results": {}})", &out),
                   "results");
}

TEST(ParseListImportsResponseTest, ResultNotAnObjectFails) {
  v1::ListImportsResponse out;
  ExpectFieldError(ParseListImportsResponse(R"({"results": [{}, 5]})", &out),
                   "results[1]");
}

TEST(ParseListImportsResponseTest, StateOfWrongTypeNamesThePath) {
  v1::ListImportsResponse out;
  ExpectFieldError(ParseListImportsResponse(
                       R"({"results": [{"id": "1", "state": 5}]})", &out),
                   "results[0].state");
}

TEST(ParseListImportsResponseTest, CounterNotAnIntegerNamesThePath) {
  v1::ListImportsResponse out;
  ExpectFieldError(
      ParseListImportsResponse(
          R"({"results": [{}, {"metadata": {"counters": {"ERRORS": "x"}}}]})",
          &out),
      "results[1].metadata.counters.ERRORS");
}

TEST(ParseListImportsResponseTest, BadDateNamesThePath) {
  v1::ListImportsResponse out;
  ExpectFieldError(
      ParseListImportsResponse(
          R"({"results": [{"updatedAt": "2020-01-14T22:45"}]})", &out),
      "results[0].updatedAt");
}

TEST(ParseListImportsResponseTest, PagingAfterOfWrongTypeFails) {
  v1::ListImportsResponse out;
  ExpectFieldError(
      ParseListImportsResponse(
          R"({"results": [], "paging": {"next": {"after": 10}}})", &out),
      "paging.next.after");
}

TEST(ParseListImportsResponseTest, PagingOfWrongTypeFails) {
  v1::ListImportsResponse out;
  ExpectFieldError(
      ParseListImportsResponse(R"({"results": [], "paging": []})", &out),
      "paging");
}

TEST(ParseListImportsResponseTest, GarbageFails) {
  for (const char* body : {"", "not json", "[]", R"({"results": [)"}) {
    SCOPED_TRACE(body);
    v1::ListImportsResponse out;
    EXPECT_EQ(ParseListImportsResponse(body, &out).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------
// CollectionResponsePublicImportErrorForwardPaging
// ---------------------------------------------------------------------------

constexpr char kFullErrors[] = R"json({
  "results": [{
    "id": "err-1",
    "createdAt": 1700000000123,
    "errorType": "INVALID_EMAIL",
    "objectType": "CONTACT",
    "objectTypeId": "0-1",
    "errorMessage": "Email is not valid",
    "invalidValue": "not-an-email",
    "invalidValueToDisplay": "not-an-email (shown)",
    "extraContext": "column 2",
    "knownColumnNumber": 2,
    "sourceData": {
      "rowData": ["Ada", "not-an-email"],
      "lineNumber": 5,
      "pageName": "Sheet1",
      "fileId": 77,
      "containsEncryptedProperties": true
    },
    "invalidPropertyValue": {
      "name": "email",
      "value": "not-an-email",
      "source": "IMPORT",
      "sourceId": "src-1",
      "sourceLabel": "Import",
      "sourceMetadata": "{\"k\":1}",
      "sourceVid": [1, 4503599627370496, "9223372036854775807"],
      "requestId": "req-9",
      "unit": "kg",
      "timestamp": 1700000000123,
      "persistenceTimestamp": "1700000001000",
      "selectedByUserTimestamp": 1700000002999,
      "useTimestampAsPersistenceTimestamp": true,
      "selectedByUser": true,
      "updatedByUserId": 12345,
      "isEncrypted": true,
      "isLargeValue": true,
      "dataSensitivity": "high"
    }
  }],
  "paging": {"next": {"after": "abc", "link": "https://api.hubapi.com/crm/v3/imports/7/errors?after=abc"}}
})json";

TEST(ParseListImportErrorsResponseTest, MapsEveryErrorField) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(ParseListImportErrorsResponse(kFullErrors, &out).ok());
  ASSERT_EQ(out.results_size(), 1);
  const v1::ImportError& e = out.results(0);
  EXPECT_EQ(e.id(), "err-1");
  EXPECT_EQ(e.created_at().seconds(), 1700000000);
  EXPECT_EQ(e.created_at().nanos(), 123000000);
  EXPECT_EQ(e.error_type(), v1::IMPORT_ERROR_TYPE_INVALID_EMAIL);
  EXPECT_EQ(e.error_type_raw(), "INVALID_EMAIL");
  EXPECT_EQ(e.object_type(), v1::OBJECT_TYPE_CONTACT);
  EXPECT_EQ(e.object_type_raw(), "CONTACT");
  EXPECT_EQ(e.object_type_id(), "0-1");
  EXPECT_EQ(e.error_message(), "Email is not valid");
  EXPECT_EQ(e.invalid_value(), "not-an-email");
  EXPECT_EQ(e.invalid_value_to_display(), "not-an-email (shown)");
  EXPECT_EQ(e.extra_context(), "column 2");
  EXPECT_EQ(e.known_column_number(), 2);
  EXPECT_EQ(out.paging().next().after(), "abc");
  EXPECT_EQ(out.paging().next().link(),
            "https://api.hubapi.com/crm/v3/imports/7/errors?after=abc");
}

TEST(ParseListImportErrorsResponseTest, MapsSourceData) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(ParseListImportErrorsResponse(kFullErrors, &out).ok());
  const v1::ImportRow& row = out.results(0).source_data();
  EXPECT_THAT(row.row_data(), ElementsAre("Ada", "not-an-email"));
  EXPECT_EQ(row.line_number(), 5);
  EXPECT_EQ(row.page_name(), "Sheet1");
  EXPECT_EQ(row.file_id(), 77);
  EXPECT_TRUE(row.contains_encrypted_properties());
}

TEST(ParseListImportErrorsResponseTest, MapsInvalidPropertyValue) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(ParseListImportErrorsResponse(kFullErrors, &out).ok());
  ASSERT_TRUE(out.results(0).has_invalid_property_value());
  const v1::PropertyValue& p = out.results(0).invalid_property_value();
  EXPECT_EQ(p.name(), "email");
  EXPECT_EQ(p.value(), "not-an-email");
  EXPECT_EQ(p.source(), v1::PROPERTY_SOURCE_IMPORT);
  EXPECT_EQ(p.source_raw(), "IMPORT");
  EXPECT_EQ(p.source_id(), "src-1");
  EXPECT_EQ(p.source_label(), "Import");
  EXPECT_EQ(p.source_metadata(), "{\"k\":1}");
  EXPECT_THAT(p.source_vid(), ElementsAre(1, 4503599627370496LL, INT64_MAX));
  EXPECT_EQ(p.request_id(), "req-9");
  EXPECT_EQ(p.unit(), "kg");
  EXPECT_EQ(p.timestamp().seconds(), 1700000000);
  EXPECT_EQ(p.timestamp().nanos(), 123000000);
  EXPECT_EQ(p.persistence_timestamp().seconds(), 1700000001);
  EXPECT_EQ(p.persistence_timestamp().nanos(), 0);
  EXPECT_EQ(p.selected_by_user_timestamp().seconds(), 1700000002);
  EXPECT_EQ(p.selected_by_user_timestamp().nanos(), 999000000);
  EXPECT_TRUE(p.use_timestamp_as_persistence_timestamp());
  EXPECT_TRUE(p.selected_by_user());
  EXPECT_EQ(p.updated_by_user_id(), 12345);
  EXPECT_TRUE(p.is_encrypted());
  EXPECT_TRUE(p.is_large_value());
  EXPECT_EQ(p.data_sensitivity(), v1::DATA_SENSITIVITY_HIGH);
  EXPECT_EQ(p.data_sensitivity_raw(), "high");
}

TEST(ParseListImportErrorsResponseTest, MapsLowerCaseDataSensitivity) {
  for (const auto& [literal, value] :
       {std::pair<const char*, v1::DataSensitivity>{"none",
                                                    v1::DATA_SENSITIVITY_NONE},
        {"standard", v1::DATA_SENSITIVITY_STANDARD},
        {"high", v1::DATA_SENSITIVITY_HIGH},
        {"extreme", v1::DATA_SENSITIVITY_UNSPECIFIED}}) {
    SCOPED_TRACE(literal);
    v1::ListImportErrorsResponse out;
    ASSERT_TRUE(ParseListImportErrorsResponse(
                    absl::StrCat(R"({"results": [{"invalidPropertyValue":
                                     {"dataSensitivity": ")",
                                 literal, R"("}}]})"),
                    &out)
                    .ok());
    EXPECT_EQ(out.results(0).invalid_property_value().data_sensitivity(),
              value);
    EXPECT_EQ(out.results(0).invalid_property_value().data_sensitivity_raw(),
              literal);
  }
}

TEST(ParseListImportErrorsResponseTest, EpochMillisBeforeEpoch) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(
      ParseListImportErrorsResponse(R"({"results": [{"createdAt": -1}]})", &out)
          .ok());
  EXPECT_EQ(out.results(0).created_at().seconds(), -1);
  EXPECT_EQ(out.results(0).created_at().nanos(), 999000000);
}

TEST(ParseListImportErrorsResponseTest, EpochMillisZeroIsSet) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(
      ParseListImportErrorsResponse(R"({"results": [{"createdAt": 0}]})", &out)
          .ok());
  EXPECT_TRUE(out.results(0).has_created_at());
  EXPECT_EQ(out.results(0).created_at().seconds(), 0);
}

TEST(ParseListImportErrorsResponseTest, KnownEnumLiterals) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(ParseListImportErrorsResponse(
                  R"({"results": [
                    {"errorType": "INCORRECT_NUMBER_OF_COLUMNS", "objectType": "LINE_ITEM",
                     "invalidPropertyValue": {"source": "CRM_UI"}},
                    {"errorType": "MANY_ERRORS_IN_ROW", "objectType": "UNKNOWN",
                     "invalidPropertyValue": {"source": "PROSPECTING_AGENT"}}]})",
                  &out)
                  .ok());
  EXPECT_EQ(out.results(0).error_type(),
            v1::IMPORT_ERROR_TYPE_INCORRECT_NUMBER_OF_COLUMNS);
  EXPECT_EQ(out.results(0).object_type(), v1::OBJECT_TYPE_LINE_ITEM);
  EXPECT_EQ(out.results(0).invalid_property_value().source(),
            v1::PROPERTY_SOURCE_CRM_UI);
  EXPECT_EQ(out.results(1).error_type(),
            v1::IMPORT_ERROR_TYPE_MANY_ERRORS_IN_ROW);
  EXPECT_EQ(out.results(1).object_type(), v1::OBJECT_TYPE_UNKNOWN);
  EXPECT_EQ(out.results(1).invalid_property_value().source(),
            v1::PROPERTY_SOURCE_PROSPECTING_AGENT);
}

TEST(ParseListImportErrorsResponseTest, UnknownEnumsKeepLiteralsAndDoNotFail) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(ParseListImportErrorsResponse(
                  R"({"results": [{"id": "e", "errorType": "BRAND_NEW_ERROR",
                                   "objectType": "SPACESHIP",
                                   "invalidPropertyValue": {"source": "TELEPATHY"}}]})",
                  &out)
                  .ok());
  const v1::ImportError& e = out.results(0);
  EXPECT_EQ(e.error_type(), v1::IMPORT_ERROR_TYPE_UNSPECIFIED);
  EXPECT_EQ(e.error_type_raw(), "BRAND_NEW_ERROR");
  EXPECT_EQ(e.object_type(), v1::OBJECT_TYPE_UNSPECIFIED);
  EXPECT_EQ(e.object_type_raw(), "SPACESHIP");
  EXPECT_EQ(e.invalid_property_value().source(),
            v1::PROPERTY_SOURCE_UNSPECIFIED);
  EXPECT_EQ(e.invalid_property_value().source_raw(), "TELEPATHY");
  EXPECT_EQ(e.id(), "e");
}

TEST(ParseListImportErrorsResponseTest, MissingOptionalFieldsLeaveDefaults) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(ParseListImportErrorsResponse(
                  R"({"results": [{"id": "e", "errorType": "INVALID_EMAIL",
                                   "sourceData": {"lineNumber": 2}}]})",
                  &out)
                  .ok());
  const v1::ImportError& e = out.results(0);
  EXPECT_FALSE(e.has_created_at());
  EXPECT_EQ(e.object_type(), v1::OBJECT_TYPE_UNSPECIFIED);
  EXPECT_EQ(e.object_type_raw(), "");
  EXPECT_EQ(e.error_message(), "");
  EXPECT_EQ(e.known_column_number(), 0);
  EXPECT_FALSE(e.has_invalid_property_value());
  EXPECT_EQ(e.source_data().line_number(), 2);
  EXPECT_EQ(e.source_data().row_data_size(), 0);
  EXPECT_EQ(e.source_data().page_name(), "");
  EXPECT_FALSE(e.source_data().contains_encrypted_properties());
  EXPECT_FALSE(out.paging().has_next());
}

TEST(ParseListImportErrorsResponseTest, PropertyValueDefaults) {
  v1::ListImportErrorsResponse out;
  ASSERT_TRUE(
      ParseListImportErrorsResponse(
          R"({"results": [{"invalidPropertyValue": {"name": "n"}}]})", &out)
          .ok());
  const v1::PropertyValue& p = out.results(0).invalid_property_value();
  EXPECT_EQ(p.name(), "n");
  EXPECT_EQ(p.source(), v1::PROPERTY_SOURCE_UNSPECIFIED);
  EXPECT_EQ(p.source_vid_size(), 0);
  EXPECT_FALSE(p.has_timestamp());
  EXPECT_FALSE(p.has_persistence_timestamp());
  EXPECT_FALSE(p.has_selected_by_user_timestamp());
  EXPECT_EQ(p.data_sensitivity(), v1::DATA_SENSITIVITY_UNSPECIFIED);
  EXPECT_EQ(p.data_sensitivity_raw(), "");
}

TEST(ParseListImportErrorsResponseTest, MissingResultsFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse("{}", &out), "results");
}

TEST(ParseListImportErrorsResponseTest, ResultsAsObjectFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(R"({"results": {}})", &out),
                   "results");
}

TEST(ParseListImportErrorsResponseTest, CreatedAtAsDateStringFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(
      ParseListImportErrorsResponse(
          R"({"results": [{"createdAt": "2020-01-14T22:45:00Z"}]})", &out),
      "results[0].createdAt");
}

TEST(ParseListImportErrorsResponseTest, CreatedAtFractionalFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"createdAt": 1.5}]})", &out),
                   "results[0].createdAt");
}

TEST(ParseListImportErrorsResponseTest, EpochMillisOutOfTimestampRangeFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"invalidPropertyValue":
                             {"timestamp": "253402300800000"}}]})",
                       &out),
                   "results[0].invalidPropertyValue.timestamp");
}

TEST(ParseListImportErrorsResponseTest, ErrorTypeOfWrongTypeFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"errorType": ["X"]}]})", &out),
                   "results[0].errorType");
}

TEST(ParseListImportErrorsResponseTest, IdOfWrongTypeFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(
      ParseListImportErrorsResponse(R"({"results": [{"id": 12}]})", &out),
      "results[0].id");
}

TEST(ParseListImportErrorsResponseTest, KnownColumnNumberBeyondInt32Fails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(
      ParseListImportErrorsResponse(
          R"({"results": [{"knownColumnNumber": -2147483649}]})", &out),
      "results[0].knownColumnNumber");
}

TEST(ParseListImportErrorsResponseTest, LineNumberBeyondInt32Fails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(
      ParseListImportErrorsResponse(
          R"({"results": [{"sourceData": {"lineNumber": 3000000000}}]})", &out),
      "results[0].sourceData.lineNumber");
}

TEST(ParseListImportErrorsResponseTest, FileIdNotNumericFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(
      ParseListImportErrorsResponse(
          R"({"results": [{"sourceData": {"fileId": "f-1"}}]})", &out),
      "results[0].sourceData.fileId");
}

TEST(ParseListImportErrorsResponseTest, RowDataCellNotAStringFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(
      ParseListImportErrorsResponse(
          R"({"results": [{"sourceData": {"rowData": ["a", 1]}}]})", &out),
      "results[0].sourceData.rowData[1]");
}

TEST(ParseListImportErrorsResponseTest, UpdatedByUserIdBeyondInt32Fails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"invalidPropertyValue":
                             {"updatedByUserId": 2147483648}}]})",
                       &out),
                   "results[0].invalidPropertyValue.updatedByUserId");
}

TEST(ParseListImportErrorsResponseTest, SourceVidNotAnIntegerFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"invalidPropertyValue":
                             {"sourceVid": [1, "x"]}}]})",
                       &out),
                   "results[0].invalidPropertyValue.sourceVid[1]");
}

TEST(ParseListImportErrorsResponseTest, BooleanOfWrongTypeFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"invalidPropertyValue":
                             {"isEncrypted": 1}}]})",
                       &out),
                   "results[0].invalidPropertyValue.isEncrypted");
}

TEST(ParseListImportErrorsResponseTest, SourceDataOfWrongTypeFails) {
  v1::ListImportErrorsResponse out;
  ExpectFieldError(ParseListImportErrorsResponse(
                       R"({"results": [{"sourceData": "row"}]})", &out),
                   "results[0].sourceData");
}

TEST(ParseListImportErrorsResponseTest, GarbageFails) {
  for (const char* body : {"", "<html></html>", R"([{"results": []}])",
                           R"({"results": [{"id": )"}) {
    SCOPED_TRACE(body);
    v1::ListImportErrorsResponse out;
    EXPECT_EQ(ParseListImportErrorsResponse(body, &out).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------
// ActionResponse
// ---------------------------------------------------------------------------

TEST(ParseCancelImportResponseTest, MapsEveryField) {
  v1::CancelImportResponse out;
  ASSERT_TRUE(ParseCancelImportResponse(R"({
      "status": "COMPLETE",
      "requestedAt": "2020-01-14T22:45:00Z",
      "startedAt": "2020-01-14T22:45:00.5+00:00",
      "completedAt": "2020-01-15T08:00:00.000Z",
      "links": {"self": "https://api.hubapi.com/crm/v3/imports/1", "docs": "https://developers.hubspot.com"}
    })",
                                        &out)
                  .ok());
  EXPECT_EQ(out.status(), v1::ACTION_STATUS_COMPLETE);
  EXPECT_EQ(out.status_raw(), "COMPLETE");
  EXPECT_EQ(out.requested_at().seconds(), kJan14);
  EXPECT_EQ(out.started_at().seconds(), kJan14);
  EXPECT_EQ(out.started_at().nanos(), 500000000);
  EXPECT_EQ(out.completed_at().seconds(), kJan15);
  EXPECT_EQ(out.completed_at().nanos(), 0);
  EXPECT_THAT(out.links(),
              UnorderedElementsAre(
                  Pair("self", "https://api.hubapi.com/crm/v3/imports/1"),
                  Pair("docs", "https://developers.hubspot.com")));
}

TEST(ParseCancelImportResponseTest, MapsEveryStatus) {
  for (const auto& [literal, value] :
       {std::pair<const char*, v1::ActionStatus>{"PENDING",
                                                 v1::ACTION_STATUS_PENDING},
        {"PROCESSING", v1::ACTION_STATUS_PROCESSING},
        {"CANCELED", v1::ACTION_STATUS_CANCELED},
        {"COMPLETE", v1::ACTION_STATUS_COMPLETE}}) {
    SCOPED_TRACE(literal);
    v1::CancelImportResponse out;
    ASSERT_TRUE(ParseCancelImportResponse(
                    absl::StrCat(R"({"status": ")", literal, R"("})"), &out)
                    .ok());
    EXPECT_EQ(out.status(), value);
    EXPECT_EQ(out.status_raw(), literal);
  }
}

TEST(ParseCancelImportResponseTest, UnknownStatusKeepsLiteral) {
  v1::CancelImportResponse out;
  ASSERT_TRUE(
      ParseCancelImportResponse(
          R"({"status": "ROLLING_BACK", "startedAt": "2020-01-14T22:45:00Z"})",
          &out)
          .ok());
  EXPECT_EQ(out.status(), v1::ACTION_STATUS_UNSPECIFIED);
  EXPECT_EQ(out.status_raw(), "ROLLING_BACK");
  EXPECT_EQ(out.started_at().seconds(), kJan14);
}

TEST(ParseCancelImportResponseTest, MissingOptionalFieldsLeaveDefaults) {
  v1::CancelImportResponse out;
  ASSERT_TRUE(ParseCancelImportResponse(R"({"status": "PENDING"})", &out).ok());
  EXPECT_FALSE(out.has_requested_at());
  EXPECT_FALSE(out.has_started_at());
  EXPECT_FALSE(out.has_completed_at());
  EXPECT_TRUE(out.links().empty());
}

TEST(ParseCancelImportResponseTest, BadDateFails) {
  v1::CancelImportResponse out;
  ExpectFieldError(ParseCancelImportResponse(
                       R"({"status": "PENDING", "requestedAt": "now"})", &out),
                   "requestedAt");
}

TEST(ParseCancelImportResponseTest, StatusOfWrongTypeFails) {
  v1::CancelImportResponse out;
  ExpectFieldError(ParseCancelImportResponse(R"({"status": true})", &out),
                   "status");
}

TEST(ParseCancelImportResponseTest, LinkOfWrongTypeFails) {
  v1::CancelImportResponse out;
  ExpectFieldError(ParseCancelImportResponse(R"({"links": {"self": 1}})", &out),
                   "links.self");
}

TEST(ParseCancelImportResponseTest, GarbageFails) {
  for (const char* body : {"", "OK", "[]", R"({"status": "PEND)"}) {
    SCOPED_TRACE(body);
    v1::CancelImportResponse out;
    EXPECT_EQ(ParseCancelImportResponse(body, &out).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------
// Error
// ---------------------------------------------------------------------------

TEST(ParseHubSpotErrorTest, MapsEveryField) {
  const v1::HubSpotError e = ParseHubSpotError(429, R"({
    "status": "error",
    "message": "You have reached your secondly limit.",
    "category": "RATE_LIMITS",
    "subCategory": "SECONDLY_LIMIT",
    "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
    "policyName": "SECONDLY",
    "context": {"missingScopes": ["scope1", "scope2"], "empty": []},
    "links": {"knowledge-base": "https://www.hubspot.com/kb"},
    "errors": [
      {"message": "first", "code": "C1", "in": "limit", "subCategory": "S1",
       "context": {"allowed": ["1", "100"]}},
      {"message": "second"}
    ]
  })");
  EXPECT_EQ(e.http_status(), 429);
  EXPECT_EQ(e.message(), "You have reached your secondly limit.");
  EXPECT_EQ(e.category(), "RATE_LIMITS");
  EXPECT_EQ(e.sub_category(), "SECONDLY_LIMIT");
  EXPECT_EQ(e.correlation_id(), "aeb5f871-7f07-4993-9211-075dc63e7cbf");
  EXPECT_EQ(e.policy_name(), "SECONDLY");
  ASSERT_EQ(e.context().size(), 2u);
  EXPECT_THAT(e.context().at("missingScopes").values(),
              ElementsAre("scope1", "scope2"));
  EXPECT_EQ(e.context().at("empty").values_size(), 0);
  EXPECT_THAT(e.links(), UnorderedElementsAre(Pair(
                             "knowledge-base", "https://www.hubspot.com/kb")));
  ASSERT_EQ(e.errors_size(), 2);
  EXPECT_EQ(e.errors(0).message(), "first");
  EXPECT_EQ(e.errors(0).code(), "C1");
  EXPECT_EQ(e.errors(0).in(), "limit");
  EXPECT_EQ(e.errors(0).sub_category(), "S1");
  EXPECT_THAT(e.errors(0).context().at("allowed").values(),
              ElementsAre("1", "100"));
  EXPECT_EQ(e.errors(1).message(), "second");
  EXPECT_EQ(e.errors(1).code(), "");
  EXPECT_TRUE(e.errors(1).context().empty());
}

TEST(ParseHubSpotErrorTest, EmptyBodyKeepsHttpStatus) {
  const v1::HubSpotError e = ParseHubSpotError(502, "");
  EXPECT_EQ(e.http_status(), 502);
  EXPECT_EQ(e.message(), "");
  EXPECT_EQ(e.category(), "");
}

TEST(ParseHubSpotErrorTest, NonJsonBodyKeepsHttpStatus) {
  const v1::HubSpotError e =
      ParseHubSpotError(503, "<html><body>Service Unavailable</body></html>");
  EXPECT_EQ(e.http_status(), 503);
  EXPECT_EQ(e.message(), "");
}

TEST(ParseHubSpotErrorTest, ArrayRootKeepsHttpStatus) {
  const v1::HubSpotError e = ParseHubSpotError(400, R"([{"message": "x"}])");
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_EQ(e.message(), "");
}

TEST(ParseHubSpotErrorTest, TruncatedJsonKeepsHttpStatus) {
  const v1::HubSpotError e =
      ParseHubSpotError(500, R"({"message": "Internal error", "categ)");
  EXPECT_EQ(e.http_status(), 500);
}

TEST(ParseHubSpotErrorTest, WrongTypedFieldsKeepTheRest) {
  const v1::HubSpotError e = ParseHubSpotError(400, R"({
    "message": "Invalid input",
    "category": 17,
    "correlationId": "cid-1",
    "context": "not a map",
    "links": {"good": "https://x", "bad": 3},
    "errors": [5, {"message": "kept"}]
  })");
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_EQ(e.message(), "Invalid input");
  EXPECT_EQ(e.category(), "");
  EXPECT_EQ(e.correlation_id(), "cid-1");
  EXPECT_TRUE(e.context().empty());
  EXPECT_EQ(e.links().at("good"), "https://x");
  ASSERT_EQ(e.errors_size(), 1);
  EXPECT_EQ(e.errors(0).message(), "kept");
}

TEST(ParseHubSpotErrorTest, MissingFieldsLeaveDefaults) {
  const v1::HubSpotError e =
      ParseHubSpotError(404, R"({"message": "Not found"})");
  EXPECT_EQ(e.http_status(), 404);
  EXPECT_EQ(e.message(), "Not found");
  EXPECT_EQ(e.category(), "");
  EXPECT_EQ(e.sub_category(), "");
  EXPECT_EQ(e.correlation_id(), "");
  EXPECT_EQ(e.policy_name(), "");
  EXPECT_TRUE(e.context().empty());
  EXPECT_TRUE(e.links().empty());
  EXPECT_EQ(e.errors_size(), 0);
}

}  // namespace
}  // namespace hubspot_gateway

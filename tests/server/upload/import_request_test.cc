#include "server/upload/import_request.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/common/json.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kXlsxType[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// --- helpers -----------------------------------------------------------------

Struct Parse(const std::string& json) {
  absl::StatusOr<Struct> parsed = ParseJsonObject(json);
  EXPECT_TRUE(parsed.ok()) << parsed.status() << " in " << json;
  return parsed.ok() ? *parsed : Struct();
}

// The value at `key`; a failure and a null value when it is missing.
const Value& At(const Struct& s, const std::string& key) {
  static const Value* const kMissing = new Value();
  auto it = s.fields().find(key);
  if (it == s.fields().end()) {
    ADD_FAILURE() << "no key \"" << key << "\" in " << s.ShortDebugString();
    return *kMissing;
  }
  return it->second;
}

bool Has(const Struct& s, const std::string& key) {
  return s.fields().count(key) > 0;
}

std::vector<std::string> Keys(const Struct& s) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : s.fields()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// The only file entry of `json`'s files array.
Struct OnlyFile(const std::string& json) {
  const Value files = At(Parse(json), "files");
  EXPECT_EQ(files.list_value().values_size(), 1) << json;
  if (files.list_value().values_size() != 1) return Struct();
  return files.list_value().values(0).struct_value();
}

v1::ImportFile* AddFile(v1::ImportRequest* request, const std::string& name,
                        v1::FileFormat format) {
  v1::ImportFile* file = request->add_files();
  file->set_file_name(name);
  file->set_file_format(format);
  return file;
}

v1::ImportRequest MinimalRequest() {
  v1::ImportRequest request;
  request.set_name("n");
  AddFile(&request, "a.csv", v1::FILE_FORMAT_CSV);
  return request;
}

v1::UploadFile Announced(const std::string& name,
                         const std::string& content_type = "",
                         std::optional<int64_t> size_bytes = std::nullopt,
                         const std::string& sha256 = "") {
  v1::UploadFile file;
  file.set_file_name(name);
  file.set_content_type(content_type);
  if (size_bytes.has_value()) file.set_size_bytes(*size_bytes);
  file.set_sha256(sha256);
  return file;
}

v1::StartImportHeader JsonHeader(const std::string& json,
                                 const std::vector<v1::UploadFile>& files) {
  v1::StartImportHeader header;
  header.set_import_request_json(json);
  for (const v1::UploadFile& f : files) *header.add_files() = f;
  return header;
}

grpc::Status Validate(const v1::StartImportHeader& header,
                      const UploadLimits& limits = UploadLimits()) {
  ValidatedStart out;
  return ValidateStartImportHeader(header, limits, &out);
}

// A request JSON with one CSV file per name.
std::string RequestJsonFor(const std::vector<std::string>& names) {
  std::string files;
  for (const std::string& name : names) {
    if (!files.empty()) files += ",";
    files += R"({"fileName":")" + name + R"(","fileFormat":"CSV"})";
  }
  return R"({"name":"import","files":[)" + files + "]}";
}

// Validates `json` with a single announced file "contacts.csv".
grpc::Status ValidateJson(const std::string& json) {
  return Validate(JsonHeader(json, {Announced("contacts.csv")}));
}

// INVALID_ARGUMENT whose message is "field: …" and whose details hold a
// google.rpc.BadRequest naming the same field.
::testing::AssertionResult IsInvalidField(const grpc::Status& status,
                                          const std::string& field) {
  if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return ::testing::AssertionFailure()
           << "code " << status.error_code() << " (" << status.error_message()
           << "), want INVALID_ARGUMENT";
  }
  if (status.error_message().rfind(field + ": ", 0) != 0) {
    return ::testing::AssertionFailure()
           << "message \"" << status.error_message() << "\" does not start "
           << "with \"" << field << ": \"";
  }
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) {
    return ::testing::AssertionFailure() << "details are not a rpc Status";
  }
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad) && bad.field_violations_size() == 1 &&
        bad.field_violations(0).field() == field) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no BadRequest naming " << field
                                       << " in " << details.ShortDebugString();
}

// =============================================================================
// ImportRequestToJson
// =============================================================================

TEST(ImportRequestToJsonTest, MinimalRequestGolden) {
  EXPECT_EQ(
      ImportRequestToJson(MinimalRequest()),
      R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"CSV"}]})");
}

TEST(ImportRequestToJsonTest, EmptyRequestIsAnObjectWithEmptyFiles) {
  const Struct json = Parse(ImportRequestToJson(v1::ImportRequest()));
  EXPECT_THAT(Keys(json), ElementsAre("files"));
  EXPECT_EQ(At(json, "files").list_value().values_size(), 0);
}

TEST(ImportRequestToJsonTest, NameIsEscaped) {
  v1::ImportRequest request = MinimalRequest();
  request.set_name("Q3 \"leads\" \\ new\nline");
  EXPECT_EQ(At(Parse(ImportRequestToJson(request)), "name").string_value(),
            "Q3 \"leads\" \\ new\nline");
}

TEST(ImportRequestToJsonTest, ImportOperationsUseHubSpotLiterals) {
  v1::ImportRequest request = MinimalRequest();
  (*request.mutable_import_operations())["0-1"] = v1::IMPORT_OPERATION_CREATE;
  (*request.mutable_import_operations())["0-2"] = v1::IMPORT_OPERATION_UPDATE;
  (*request.mutable_import_operations())["2-123"] = v1::IMPORT_OPERATION_UPSERT;
  const Struct ops = At(Parse(ImportRequestToJson(request)), "importOperations")
                         .struct_value();
  EXPECT_THAT(Keys(ops), ElementsAre("0-1", "0-2", "2-123"));
  EXPECT_EQ(At(ops, "0-1").string_value(), "CREATE");
  EXPECT_EQ(At(ops, "0-2").string_value(), "UPDATE");
  EXPECT_EQ(At(ops, "2-123").string_value(), "UPSERT");
}

TEST(ImportRequestToJsonTest, ImportOperationsAreSortedByKey) {
  v1::ImportRequest request = MinimalRequest();
  for (const char* key : {"2-9", "0-3", "0-10", "0-1"}) {
    (*request.mutable_import_operations())[key] = v1::IMPORT_OPERATION_CREATE;
  }
  const std::string json = ImportRequestToJson(request);
  const size_t k01 = json.find(R"("0-1":)");
  const size_t k010 = json.find(R"("0-10":)");
  const size_t k03 = json.find(R"("0-3":)");
  const size_t k29 = json.find(R"("2-9":)");
  ASSERT_NE(k29, std::string::npos) << json;
  EXPECT_LT(k01, k010) << json;
  EXPECT_LT(k010, k03) << json;
  EXPECT_LT(k03, k29) << json;
}

TEST(ImportRequestToJsonTest, SameRequestGivesSameBytesWhateverMapOrder) {
  v1::ImportRequest a = MinimalRequest();
  v1::ImportRequest b = MinimalRequest();
  const std::vector<std::string> keys = {"0-1", "0-2", "0-3", "0-5", "2-77"};
  for (auto it = keys.begin(); it != keys.end(); ++it) {
    (*a.mutable_import_operations())[*it] = v1::IMPORT_OPERATION_UPSERT;
  }
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
    (*b.mutable_import_operations())[*it] = v1::IMPORT_OPERATION_UPSERT;
  }
  EXPECT_EQ(ImportRequestToJson(a), ImportRequestToJson(b));
}

TEST(ImportRequestToJsonTest, NoImportOperationsKeyWhenEmpty) {
  EXPECT_FALSE(
      Has(Parse(ImportRequestToJson(MinimalRequest())), "importOperations"));
}

TEST(ImportRequestToJsonTest, DateFormatUsesHubSpotLiterals) {
  const std::pair<v1::DateFormat, const char*> cases[] = {
      {v1::DATE_FORMAT_MONTH_DAY_YEAR, "MONTH_DAY_YEAR"},
      {v1::DATE_FORMAT_DAY_MONTH_YEAR, "DAY_MONTH_YEAR"},
      {v1::DATE_FORMAT_YEAR_MONTH_DAY, "YEAR_MONTH_DAY"},
  };
  for (const auto& [format, literal] : cases) {
    v1::ImportRequest request = MinimalRequest();
    request.set_date_format(format);
    EXPECT_EQ(
        At(Parse(ImportRequestToJson(request)), "dateFormat").string_value(),
        literal);
  }
}

TEST(ImportRequestToJsonTest, NoDateFormatWhenUnspecified) {
  EXPECT_FALSE(Has(Parse(ImportRequestToJson(MinimalRequest())), "dateFormat"));
}

TEST(ImportRequestToJsonTest, FlagsAbsentWhenUnset) {
  const Struct json = Parse(ImportRequestToJson(MinimalRequest()));
  EXPECT_FALSE(Has(json, "marketableContactImport"));
  EXPECT_FALSE(Has(json, "createContactListFromImport"));
}

TEST(ImportRequestToJsonTest, FlagsWrittenWhenSetEvenToFalse) {
  for (bool value : {false, true}) {
    v1::ImportRequest request = MinimalRequest();
    request.set_marketable_contact_import(value);
    request.set_create_contact_list_from_import(!value);
    const Struct json = Parse(ImportRequestToJson(request));
    ASSERT_TRUE(At(json, "marketableContactImport").has_bool_value());
    EXPECT_EQ(At(json, "marketableContactImport").bool_value(), value);
    ASSERT_TRUE(At(json, "createContactListFromImport").has_bool_value());
    EXPECT_EQ(At(json, "createContactListFromImport").bool_value(), !value);
  }
}

TEST(ImportRequestToJsonTest, FilesKeepTheirOrderNameAndFormat) {
  v1::ImportRequest request;
  request.set_name("n");
  AddFile(&request, "contacts.csv", v1::FILE_FORMAT_CSV);
  AddFile(&request, "companies.xlsx", v1::FILE_FORMAT_SPREADSHEET);
  const Value files = At(Parse(ImportRequestToJson(request)), "files");
  ASSERT_EQ(files.list_value().values_size(), 2);
  const Struct& first = files.list_value().values(0).struct_value();
  const Struct& second = files.list_value().values(1).struct_value();
  EXPECT_EQ(At(first, "fileName").string_value(), "contacts.csv");
  EXPECT_EQ(At(first, "fileFormat").string_value(), "CSV");
  EXPECT_EQ(At(second, "fileName").string_value(), "companies.xlsx");
  EXPECT_EQ(At(second, "fileFormat").string_value(), "SPREADSHEET");
}

TEST(ImportRequestToJsonTest, NoFileImportPageWhenUnset) {
  EXPECT_THAT(Keys(OnlyFile(ImportRequestToJson(MinimalRequest()))),
              ElementsAre("fileFormat", "fileName"));
}

TEST(ImportRequestToJsonTest, FileImportPageHasHeaderAndEmptyMappings) {
  for (bool has_header : {false, true}) {
    v1::ImportRequest request = MinimalRequest();
    request.mutable_files(0)->mutable_file_import_page()->set_has_header(
        has_header);
    const Struct page =
        At(OnlyFile(ImportRequestToJson(request)), "fileImportPage")
            .struct_value();
    ASSERT_TRUE(At(page, "hasHeader").has_bool_value());
    EXPECT_EQ(At(page, "hasHeader").bool_value(), has_header);
    ASSERT_TRUE(At(page, "columnMappings").has_list_value());
    EXPECT_EQ(At(page, "columnMappings").list_value().values_size(), 0);
  }
}

TEST(ImportRequestToJsonTest, ColumnMappingHasEveryField) {
  v1::ImportRequest request = MinimalRequest();
  v1::ColumnMapping* m = request.mutable_files(0)
                             ->mutable_file_import_page()
                             ->add_column_mappings();
  m->set_column_name("Company ID");
  m->set_column_object_type_id("0-1");
  m->set_property_name("hs_object_id");
  m->set_column_type("HUBSPOT_ALTERNATE_ID");
  m->set_id_column_type("HUBSPOT_OBJECT_ID");
  m->set_to_column_object_type_id("0-2");
  m->mutable_foreign_key_type()->set_association_type_id(279);
  m->mutable_foreign_key_type()->set_association_category("HUBSPOT_DEFINED");
  m->set_association_identifier_column(true);

  const Struct page =
      At(OnlyFile(ImportRequestToJson(request)), "fileImportPage")
          .struct_value();
  const Value& mappings = At(page, "columnMappings");
  ASSERT_EQ(mappings.list_value().values_size(), 1);
  const Struct& c = mappings.list_value().values(0).struct_value();
  EXPECT_EQ(At(c, "columnName").string_value(), "Company ID");
  EXPECT_EQ(At(c, "columnObjectTypeId").string_value(), "0-1");
  EXPECT_EQ(At(c, "propertyName").string_value(), "hs_object_id");
  EXPECT_EQ(At(c, "columnType").string_value(), "HUBSPOT_ALTERNATE_ID");
  EXPECT_EQ(At(c, "idColumnType").string_value(), "HUBSPOT_OBJECT_ID");
  EXPECT_EQ(At(c, "toColumnObjectTypeId").string_value(), "0-2");
  const Struct& fk = At(c, "foreignKeyType").struct_value();
  ASSERT_TRUE(At(fk, "associationTypeId").has_number_value());
  EXPECT_EQ(At(fk, "associationTypeId").number_value(), 279);
  EXPECT_EQ(At(fk, "associationCategory").string_value(), "HUBSPOT_DEFINED");
  ASSERT_TRUE(At(c, "associationIdentifierColumn").has_bool_value());
  EXPECT_TRUE(At(c, "associationIdentifierColumn").bool_value());
  EXPECT_THAT(Keys(c), ElementsAre("associationIdentifierColumn", "columnName",
                                   "columnObjectTypeId", "columnType",
                                   "foreignKeyType", "idColumnType",
                                   "propertyName", "toColumnObjectTypeId"));
}

TEST(ImportRequestToJsonTest, ColumnMappingOmitsUnsetFields) {
  v1::ImportRequest request = MinimalRequest();
  request.mutable_files(0)
      ->mutable_file_import_page()
      ->add_column_mappings()
      ->set_column_name("Notes");
  const Struct page =
      At(OnlyFile(ImportRequestToJson(request)), "fileImportPage")
          .struct_value();
  const Value& mappings = At(page, "columnMappings");
  ASSERT_EQ(mappings.list_value().values_size(), 1);
  EXPECT_THAT(Keys(mappings.list_value().values(0).struct_value()),
              ElementsAre("columnName"));
}

TEST(ImportRequestToJsonTest, ColumnMappingsKeepFileOrder) {
  v1::ImportRequest request = MinimalRequest();
  v1::FileImportPage* page =
      request.mutable_files(0)->mutable_file_import_page();
  for (const char* name : {"Email", "First Name", "Amount"}) {
    page->add_column_mappings()->set_column_name(name);
  }
  const Value mappings =
      At(At(OnlyFile(ImportRequestToJson(request)), "fileImportPage")
             .struct_value(),
         "columnMappings");
  std::vector<std::string> names;
  for (const Value& v : mappings.list_value().values()) {
    names.push_back(At(v.struct_value(), "columnName").string_value());
  }
  EXPECT_THAT(names, ElementsAre("Email", "First Name", "Amount"));
}

TEST(ImportRequestToJsonTest, ForeignKeyTypeWithZeroIdKeepsTheNumber) {
  v1::ImportRequest request = MinimalRequest();
  request.mutable_files(0)
      ->mutable_file_import_page()
      ->add_column_mappings()
      ->mutable_foreign_key_type();
  const Struct page =
      At(OnlyFile(ImportRequestToJson(request)), "fileImportPage")
          .struct_value();
  const Struct& c =
      At(page, "columnMappings").list_value().values(0).struct_value();
  const Struct& fk = At(c, "foreignKeyType").struct_value();
  EXPECT_EQ(At(fk, "associationTypeId").number_value(), 0);
  EXPECT_FALSE(Has(fk, "associationCategory"));
}

// =============================================================================
// ValidateStartImportHeader: success
// =============================================================================

constexpr char kTwoFileJson[] = R"({
  "name": "Q3 leads",
  "dateFormat": "DAY_MONTH_YEAR",
  "marketableContactImport": false,
  "createContactListFromImport": true,
  "importOperations": {"0-1": "UPSERT", "0-2": "CREATE"},
  "files": [
    {"fileName": "contacts.csv", "fileFormat": "CSV",
     "fileImportPage": {"hasHeader": true, "columnMappings": [
       {"columnName": "Email", "columnObjectTypeId": "0-1",
        "propertyName": "email"}]}},
    {"fileName": "companies.xlsx", "fileFormat": "SPREADSHEET"}
  ]
})";

TEST(ValidateStartImportHeaderTest, ValidJsonWithTwoFilesPasses) {
  const std::string sha(32, '\x5a');
  const v1::StartImportHeader header = JsonHeader(
      kTwoFileJson,
      {Announced("companies.xlsx", "", 2048, sha), Announced("contacts.csv")});
  ValidatedStart out;
  const grpc::Status status =
      ValidateStartImportHeader(header, UploadLimits(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.import_request_json, kTwoFileJson);
  ASSERT_EQ(out.files.size(), 2u);
  // Stream order, not the request's order.
  EXPECT_EQ(out.files[0].file_name, "companies.xlsx");
  EXPECT_EQ(out.files[0].content_type, kXlsxType);
  EXPECT_EQ(out.files[0].size_bytes, std::optional<int64_t>(2048));
  EXPECT_EQ(out.files[0].sha256, sha);
  EXPECT_EQ(out.files[1].file_name, "contacts.csv");
  EXPECT_EQ(out.files[1].content_type, "text/csv");
  EXPECT_FALSE(out.files[1].size_bytes.has_value());
  EXPECT_EQ(out.files[1].sha256, "");
}

TEST(ValidateStartImportHeaderTest, GivenContentTypeIsKept) {
  ValidatedStart out;
  const grpc::Status status = ValidateStartImportHeader(
      JsonHeader(RequestJsonFor({"contacts.csv"}),
                 {Announced("contacts.csv", "text/plain; charset=utf-8")}),
      UploadLimits(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(out.files.size(), 1u);
  EXPECT_EQ(out.files[0].content_type, "text/plain; charset=utf-8");
}

struct DefaultTypeCase {
  const char* file_name;
  const char* file_format;
  const char* content_type;
};

class DefaultContentTypeTest
    : public ::testing::TestWithParam<DefaultTypeCase> {};

TEST_P(DefaultContentTypeTest, FollowsFormatAndExtension) {
  const DefaultTypeCase& c = GetParam();
  const std::string json =
      std::string(R"({"name":"n","files":[{"fileName":")") + c.file_name +
      R"(","fileFormat":")" + c.file_format + R"("}]})";
  ValidatedStart out;
  const grpc::Status status = ValidateStartImportHeader(
      JsonHeader(json, {Announced(c.file_name)}), UploadLimits(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(out.files.size(), 1u);
  EXPECT_EQ(out.files[0].content_type, c.content_type);
}

INSTANTIATE_TEST_SUITE_P(
    Defaults, DefaultContentTypeTest,
    ::testing::Values(
        DefaultTypeCase{"contacts.csv", "CSV", "text/csv"},
        DefaultTypeCase{"contacts.txt", "CSV", "text/csv"},
        DefaultTypeCase{"deals.xlsx", "SPREADSHEET", kXlsxType},
        DefaultTypeCase{"DEALS.XLSX", "SPREADSHEET", kXlsxType},
        DefaultTypeCase{"deals.xls", "SPREADSHEET", "application/vnd.ms-excel"},
        DefaultTypeCase{"deals.ods", "SPREADSHEET", "application/octet-stream"},
        DefaultTypeCase{"deals", "SPREADSHEET", "application/octet-stream"}),
    [](const ::testing::TestParamInfo<DefaultTypeCase>& info) {
      std::string name = std::string(info.param.file_format) + "_";
      for (const char* p = info.param.file_name; *p != '\0'; ++p) {
        name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
      }
      return name;
    });

TEST(ValidateStartImportHeaderTest, TypedRequestPassesAndGivesItsJson) {
  v1::StartImportHeader header;
  v1::ImportRequest* request = header.mutable_request();
  request->set_name("typed");
  request->set_date_format(v1::DATE_FORMAT_YEAR_MONTH_DAY);
  request->set_marketable_contact_import(true);
  (*request->mutable_import_operations())["0-1"] = v1::IMPORT_OPERATION_UPDATE;
  AddFile(request, "contacts.csv", v1::FILE_FORMAT_CSV)
      ->mutable_file_import_page()
      ->add_column_mappings()
      ->set_column_name("Email");
  AddFile(request, "deals.xls", v1::FILE_FORMAT_SPREADSHEET);
  *header.add_files() = Announced("contacts.csv", "", 10);
  *header.add_files() = Announced("deals.xls");

  ValidatedStart out;
  const grpc::Status status =
      ValidateStartImportHeader(header, UploadLimits(), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.import_request_json, ImportRequestToJson(header.request()));
  ASSERT_EQ(out.files.size(), 2u);
  EXPECT_EQ(out.files[0].content_type, "text/csv");
  EXPECT_EQ(out.files[1].content_type, "application/vnd.ms-excel");

  // The produced JSON, sent as JSON, passes too.
  EXPECT_TRUE(
      Validate(JsonHeader(out.import_request_json,
                          {Announced("deals.xls"), Announced("contacts.csv")}))
          .ok());
}

TEST(ValidateStartImportHeaderTest, TypedRequestWithoutNameNamesTheField) {
  v1::StartImportHeader header;
  AddFile(header.mutable_request(), "a.csv", v1::FILE_FORMAT_CSV);
  *header.add_files() = Announced("a.csv");
  EXPECT_TRUE(IsInvalidField(Validate(header), "start.import_request.name"));
}

TEST(ValidateStartImportHeaderTest,
     TypedRequestWithUnspecifiedFormatNamesTheField) {
  v1::StartImportHeader header;
  header.mutable_request()->set_name("n");
  AddFile(header.mutable_request(), "a.csv", v1::FILE_FORMAT_UNSPECIFIED);
  *header.add_files() = Announced("a.csv");
  EXPECT_TRUE(IsInvalidField(Validate(header),
                             "start.import_request.files[0].fileFormat"));
}

TEST(ValidateStartImportHeaderTest,
     TypedRequestWithUnspecifiedOperationNamesTheField) {
  v1::StartImportHeader header;
  *header.mutable_request() = MinimalRequest();
  (*header.mutable_request()->mutable_import_operations())["0-1"] =
      v1::IMPORT_OPERATION_UNSPECIFIED;
  *header.add_files() = Announced("a.csv");
  EXPECT_TRUE(IsInvalidField(
      Validate(header), R"(start.import_request.importOperations["0-1"])"));
}

TEST(ValidateStartImportHeaderTest,
     TypedRequestWithAnUnknownDateFormatNumberIsRefused) {
  v1::StartImportHeader header;
  *header.mutable_request() = MinimalRequest();
  header.mutable_request()->set_date_format(static_cast<v1::DateFormat>(99));
  *header.add_files() = Announced("a.csv");
  EXPECT_TRUE(
      IsInvalidField(Validate(header), "start.import_request.dateFormat"));
}

TEST(ValidateStartImportHeaderTest, OptionalFieldsMayBeNull) {
  EXPECT_TRUE(ValidateJson(R"({"name":"n","dateFormat":null,
      "importOperations":null,"marketableContactImport":null,
      "files":[{"fileName":"contacts.csv","fileFormat":"CSV",
                "fileImportPage":null}]})")
                  .ok());
}

TEST(ValidateStartImportHeaderTest, SizeAtTheLimitPasses) {
  UploadLimits limits;
  limits.max_file_bytes = 100;
  EXPECT_TRUE(Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                                  {Announced("contacts.csv", "", 100)}),
                       limits)
                  .ok());
}

TEST(ValidateStartImportHeaderTest, FileCountAtTheLimitPasses) {
  UploadLimits limits;
  limits.max_files = 2;
  EXPECT_TRUE(Validate(JsonHeader(RequestJsonFor({"a.csv", "b.csv"}),
                                  {Announced("a.csv"), Announced("b.csv")}),
                       limits)
                  .ok());
}

// =============================================================================
// ValidateStartImportHeader: the import request
// =============================================================================

TEST(ValidateStartImportHeaderTest, NoImportRequestIsInvalid) {
  v1::StartImportHeader header;
  *header.add_files() = Announced("contacts.csv");
  EXPECT_TRUE(IsInvalidField(Validate(header), "start.import_request"));
}

TEST(ValidateStartImportHeaderTest, UnparseableJsonIsInvalid) {
  EXPECT_TRUE(IsInvalidField(ValidateJson(R"({"name": "n", )"),
                             "start.import_request_json"));
  EXPECT_TRUE(IsInvalidField(ValidateJson(""), "start.import_request_json"));
  EXPECT_TRUE(
      IsInvalidField(ValidateJson("[1, 2]"), "start.import_request_json"));
}

struct RequestCase {
  const char* test_name;
  const char* json;
  const char* field;
};

class InvalidImportRequestTest : public ::testing::TestWithParam<RequestCase> {
};

TEST_P(InvalidImportRequestTest, NamesTheField) {
  EXPECT_TRUE(IsInvalidField(ValidateJson(GetParam().json), GetParam().field))
      << GetParam().json;
}

#define FILE_OK R"({"fileName":"contacts.csv","fileFormat":"CSV"})"

INSTANTIATE_TEST_SUITE_P(
    Schema, InvalidImportRequestTest,
    ::testing::Values(
        RequestCase{"NameMissing", R"({"files":[)" FILE_OK "]}",
                    "start.import_request.name"},
        RequestCase{"NameEmpty", R"({"name":"","files":[)" FILE_OK "]}",
                    "start.import_request.name"},
        RequestCase{"NameBlank", R"({"name":"  \t","files":[)" FILE_OK "]}",
                    "start.import_request.name"},
        RequestCase{"NameNotAString", R"({"name":42,"files":[)" FILE_OK "]}",
                    "start.import_request.name"},
        RequestCase{"DateFormatUnknown",
                    R"({"name":"n","dateFormat":"DD/MM/YYYY","files":[)" FILE_OK
                    "]}",
                    "start.import_request.dateFormat"},
        RequestCase{
            "DateFormatLowerCase",
            R"({"name":"n","dateFormat":"month_day_year","files":[)" FILE_OK
            "]}",
            "start.import_request.dateFormat"},
        RequestCase{"DateFormatNotAString",
                    R"({"name":"n","dateFormat":1,"files":[)" FILE_OK "]}",
                    "start.import_request.dateFormat"},
        RequestCase{
            "ImportOperationsArray",
            R"({"name":"n","importOperations":["CREATE"],"files":[)" FILE_OK
            "]}",
            "start.import_request.importOperations"},
        RequestCase{
            "ImportOperationsString",
            R"({"name":"n","importOperations":"CREATE","files":[)" FILE_OK "]}",
            "start.import_request.importOperations"},
        RequestCase{
            "ImportOperationUnknown",
            R"({"name":"n","importOperations":{"0-1":"DELETE"},"files":[)" FILE_OK
            "]}",
            R"(start.import_request.importOperations["0-1"])"},
        RequestCase{
            "ImportOperationNotAString",
            R"({"name":"n","importOperations":{"0-2":true},"files":[)" FILE_OK
            "]}",
            R"(start.import_request.importOperations["0-2"])"},
        RequestCase{
            "ImportOperationNull",
            R"({"name":"n","importOperations":{"0-3":null},"files":[)" FILE_OK
            "]}",
            R"(start.import_request.importOperations["0-3"])"},
        RequestCase{
            "MarketableContactImportString",
            R"({"name":"n","marketableContactImport":"true","files":[)" FILE_OK
            "]}",
            "start.import_request.marketableContactImport"},
        RequestCase{
            "MarketableContactImportNumber",
            R"({"name":"n","marketableContactImport":1,"files":[)" FILE_OK "]}",
            "start.import_request.marketableContactImport"},
        RequestCase{
            "CreateContactListFromImportString",
            R"({"name":"n","createContactListFromImport":"yes","files":[)" FILE_OK
            "]}",
            "start.import_request.createContactListFromImport"},
        RequestCase{"FilesMissing", R"({"name":"n"})",
                    "start.import_request.files"},
        RequestCase{"FilesEmpty", R"({"name":"n","files":[]})",
                    "start.import_request.files"},
        RequestCase{"FilesObject", R"({"name":"n","files":)" FILE_OK "}",
                    "start.import_request.files"},
        RequestCase{"FileNotAnObject",
                    R"({"name":"n","files":["contacts.csv"]})",
                    "start.import_request.files[0]"},
        RequestCase{"SecondFileNotAnObject",
                    R"({"name":"n","files":[)" FILE_OK ",null]}",
                    "start.import_request.files[1]"},
        RequestCase{"FileNameMissing",
                    R"({"name":"n","files":[{"fileFormat":"CSV"}]})",
                    "start.import_request.files[0].fileName"},
        RequestCase{
            "FileNameNotAString",
            R"({"name":"n","files":[{"fileName":7,"fileFormat":"CSV"}]})",
            "start.import_request.files[0].fileName"},
        RequestCase{
            "FileNameEmpty",
            R"({"name":"n","files":[{"fileName":"","fileFormat":"CSV"}]})",
            "start.import_request.files[0].fileName"},
        RequestCase{
            "FileNameWithQuote",
            R"({"name":"n","files":[{"fileName":"a\".csv","fileFormat":"CSV"}]})",
            "start.import_request.files[0].fileName"},
        RequestCase{
            "FileNameWithSlash",
            R"({"name":"n","files":[{"fileName":"dir/a.csv","fileFormat":"CSV"}]})",
            "start.import_request.files[0].fileName"},
        RequestCase{
            "FileNameWithBackslash",
            R"({"name":"n","files":[{"fileName":"dir\\a.csv","fileFormat":"CSV"}]})",
            "start.import_request.files[0].fileName"},
        RequestCase{
            "FileNameWithNewline",
            R"({"name":"n","files":[{"fileName":"a\r\nX: y.csv","fileFormat":"CSV"}]})",
            "start.import_request.files[0].fileName"},
        RequestCase{"FileFormatMissing",
                    R"({"name":"n","files":[{"fileName":"contacts.csv"}]})",
                    "start.import_request.files[0].fileFormat"},
        RequestCase{
            "FileFormatUnknown",
            R"({"name":"n","files":[{"fileName":"contacts.csv","fileFormat":"XLSX"}]})",
            "start.import_request.files[0].fileFormat"},
        RequestCase{
            "FileFormatLowerCase",
            R"({"name":"n","files":[{"fileName":"contacts.csv","fileFormat":"csv"}]})",
            "start.import_request.files[0].fileFormat"},
        RequestCase{
            "FileImportPageNotAnObject",
            R"({"name":"n","files":[{"fileName":"contacts.csv","fileFormat":"CSV","fileImportPage":[]}]})",
            "start.import_request.files[0].fileImportPage"},
        RequestCase{
            "ColumnMappingsNotAnArray",
            R"({"name":"n","files":[{"fileName":"contacts.csv","fileFormat":"CSV","fileImportPage":{"columnMappings":{}}}]})",
            "start.import_request.files[0].fileImportPage.columnMappings"},
        RequestCase{"DuplicateFileName",
                    R"({"name":"n","files":[)" FILE_OK "," FILE_OK "]}",
                    "start.import_request.files[1].fileName"}),
    [](const ::testing::TestParamInfo<RequestCase>& info) {
      return std::string(info.param.test_name);
    });

#undef FILE_OK

TEST(ValidateStartImportHeaderTest, FileNameUpTo255BytesPasses) {
  const std::string name = std::string(251, 'a') + ".csv";
  EXPECT_TRUE(
      Validate(JsonHeader(RequestJsonFor({name}), {Announced(name)})).ok());
}

TEST(ValidateStartImportHeaderTest, FileNameOver255BytesIsInvalid) {
  const std::string name = std::string(252, 'a') + ".csv";
  EXPECT_TRUE(IsInvalidField(
      Validate(JsonHeader(RequestJsonFor({name}), {Announced(name)})),
      "start.import_request.files[0].fileName"));
}

TEST(ValidateStartImportHeaderTest, DuplicateFileNameMessageQuotesTheName) {
  const grpc::Status status = ValidateJson(
      RequestJsonFor({"contacts.csv", "other.csv", "contacts.csv"}));
  ASSERT_TRUE(IsInvalidField(status, "start.import_request.files[2].fileName"));
  EXPECT_THAT(status.error_message(), HasSubstr("\"contacts.csv\""));
}

// =============================================================================
// ValidateStartImportHeader: the announced files
// =============================================================================

TEST(ValidateStartImportHeaderTest, NoAnnouncedFilesIsInvalid) {
  EXPECT_TRUE(
      IsInvalidField(Validate(JsonHeader(RequestJsonFor({"contacts.csv"}), {})),
                     "start.files"));
}

TEST(ValidateStartImportHeaderTest, AnnouncedFileNotInRequestIsInvalid) {
  const grpc::Status status =
      Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                          {Announced("contacts.csv"), Announced("extra.csv")}));
  ASSERT_TRUE(IsInvalidField(status, "start.files[1].file_name"));
  EXPECT_THAT(status.error_message(), HasSubstr("\"extra.csv\""));
}

TEST(ValidateStartImportHeaderTest, RequestFileNotAnnouncedIsInvalid) {
  const grpc::Status status =
      Validate(JsonHeader(RequestJsonFor({"contacts.csv", "missing.csv"}),
                          {Announced("contacts.csv")}));
  ASSERT_TRUE(IsInvalidField(status, "start.files"));
  EXPECT_THAT(status.error_message(), HasSubstr("\"missing.csv\""));
}

TEST(ValidateStartImportHeaderTest, FileNamesMatchExactly) {
  EXPECT_TRUE(
      IsInvalidField(Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                                         {Announced("Contacts.csv")})),
                     "start.files[0].file_name"));
}

TEST(ValidateStartImportHeaderTest, DuplicateAnnouncedNameIsInvalid) {
  const grpc::Status status = Validate(
      JsonHeader(RequestJsonFor({"contacts.csv"}),
                 {Announced("contacts.csv"), Announced("contacts.csv")}));
  ASSERT_TRUE(IsInvalidField(status, "start.files[1].file_name"));
  EXPECT_THAT(status.error_message(), HasSubstr("twice"));
}

TEST(ValidateStartImportHeaderTest, AnnouncedNameWithSlashIsInvalid) {
  EXPECT_TRUE(
      IsInvalidField(Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                                         {Announced("../contacts.csv")})),
                     "start.files[0].file_name"));
}

TEST(ValidateStartImportHeaderTest, TooManyFilesIsResourceExhausted) {
  UploadLimits limits;
  limits.max_files = 2;
  const grpc::Status status = Validate(
      JsonHeader(RequestJsonFor({"a.csv", "b.csv", "c.csv"}),
                 {Announced("a.csv"), Announced("b.csv"), Announced("c.csv")}),
      limits);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), StartsWith("start.files: "));
  EXPECT_THAT(status.error_message(), HasSubstr("upload.maxFiles"));
}

TEST(ValidateStartImportHeaderTest, ZeroSizeIsAnEmptyFile) {
  const grpc::Status status = Validate(JsonHeader(
      RequestJsonFor({"contacts.csv"}), {Announced("contacts.csv", "", 0)}));
  ASSERT_TRUE(IsInvalidField(status, "start.files[0].size_bytes"));
  EXPECT_THAT(status.error_message(), HasSubstr("empty"));
}

TEST(ValidateStartImportHeaderTest, NegativeSizeIsInvalid) {
  EXPECT_TRUE(
      IsInvalidField(Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                                         {Announced("contacts.csv", "", -5)})),
                     "start.files[0].size_bytes"));
}

TEST(ValidateStartImportHeaderTest, SizeOverTheLimitIsResourceExhausted) {
  UploadLimits limits;
  limits.max_file_bytes = 100;
  const grpc::Status status = Validate(
      JsonHeader(RequestJsonFor({"a.csv", "b.csv"}),
                 {Announced("a.csv", "", 5), Announced("b.csv", "", 101)}),
      limits);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(),
              StartsWith("start.files[1].size_bytes: "));
  EXPECT_THAT(status.error_message(), HasSubstr("upload.maxFileBytes"));
}

TEST(ValidateStartImportHeaderTest, DefaultLimitAllowsFourGiB) {
  EXPECT_TRUE(
      Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                          {Announced("contacts.csv", "", int64_t{4} << 30)}))
          .ok());
  EXPECT_EQ(Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                                {Announced("contacts.csv", "",
                                           (int64_t{4} << 30) + 1)}))
                .error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(ValidateStartImportHeaderTest, Sha256OfWrongLengthIsInvalid) {
  for (size_t length : {1u, 31u, 33u, 64u}) {
    const grpc::Status status =
        Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                            {Announced("contacts.csv", "", std::nullopt,
                                       std::string(length, 'a'))}));
    EXPECT_TRUE(IsInvalidField(status, "start.files[0].sha256"))
        << "length " << length;
  }
}

TEST(ValidateStartImportHeaderTest, BadContentTypeIsInvalid) {
  for (const char* content_type :
       {"csv", "/csv", "text/", "text/csv; charset=\"utf-8\"",
        "text/csv\r\nX-Injected: 1", "text/csv\n"}) {
    const grpc::Status status =
        Validate(JsonHeader(RequestJsonFor({"contacts.csv"}),
                            {Announced("contacts.csv", content_type)}));
    EXPECT_TRUE(IsInvalidField(status, "start.files[0].content_type"))
        << "content type " << content_type;
  }
}

}  // namespace
}  // namespace hubspot_gateway

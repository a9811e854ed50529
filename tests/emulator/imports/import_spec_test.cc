#include "emulator/imports/import_spec.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;

// The refusal's message; a failure if the request was accepted.
std::string Refusal(const std::string& json) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(json);
  EXPECT_FALSE(spec.ok()) << json;
  if (spec.ok()) return "";
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(spec.status().message());
}

// A request with one CSV file whose fileImportPage is `page`.
std::string WithPage(const std::string& page) {
  return R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"CSV",)"
         R"("fileImportPage":)" +
         page + "}]}";
}

TEST(ParseImportRequestTest, FullRequest) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(R"({
    "name": "Q3 contacts",
    "dateFormat": "DAY_MONTH_YEAR",
    "marketableContactImport": true,
    "createContactListFromImport": true,
    "importOperations": {"0-1": "UPDATE", "companies": "CREATE"},
    "someFutureField": {"x": [1, 2]},
    "files": [{
      "fileName": "contacts.csv",
      "fileFormat": "CSV",
      "fileImportPage": {
        "hasHeader": false,
        "columnMappings": [
          {"columnName": "Email", "propertyName": "email",
           "columnObjectTypeId": "0-1", "idColumnType": "HUBSPOT_ALTERNATE_ID",
           "columnType": "HUBSPOT_ALTERNATE_ID"},
          {"columnName": "Notes", "columnObjectTypeId": "0-1"},
          {"columnName": "Skip", "propertyName": "firstname",
           "columnObjectTypeId": "0-1", "ignored": true},
          {"columnName": "Id", "columnObjectTypeId": "0-3",
           "idColumnType": "HUBSPOT_OBJECT_ID"},
          {"columnName": "Company", "propertyName": "name",
           "columnObjectTypeId": "companies"}
        ]
      }
    }, {"fileName": "more.xlsx", "fileFormat": "SPREADSHEET"}]
  })");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name, "Q3 contacts");
  EXPECT_EQ(spec->date_format, "DAY_MONTH_YEAR");
  EXPECT_TRUE(spec->marketable_contact_import);
  EXPECT_TRUE(spec->create_contact_list_from_import);
  EXPECT_THAT(spec->import_operations,
              ElementsAre(Pair("0-1", "UPDATE"), Pair("0-2", "CREATE")));
  ASSERT_EQ(spec->files.size(), 2u);
  const FileSpec& f = spec->files[0];
  EXPECT_EQ(f.file_name, "contacts.csv");
  EXPECT_EQ(f.file_format, "CSV");
  EXPECT_FALSE(f.has_header);
  ASSERT_EQ(f.mappings.size(), 5u);  // ignored ones keep their position
  EXPECT_EQ(f.mappings[0].column_name, "Email");
  EXPECT_EQ(f.mappings[0].property_name, "email");
  EXPECT_EQ(f.mappings[0].object_type_id, "0-1");
  EXPECT_EQ(f.mappings[0].id_column_type, "HUBSPOT_ALTERNATE_ID");
  EXPECT_EQ(f.mappings[0].column_type, "HUBSPOT_ALTERNATE_ID");
  EXPECT_FALSE(f.mappings[0].ignored);
  EXPECT_TRUE(f.mappings[1].ignored);  // no propertyName
  EXPECT_TRUE(f.mappings[2].ignored);  // "ignored": true
  EXPECT_FALSE(f.mappings[3].ignored);
  EXPECT_EQ(f.mappings[3].property_name, "hs_object_id");
  EXPECT_EQ(f.mappings[3].object_type_id, "0-3");
  EXPECT_EQ(f.mappings[4].object_type_id, "0-2");  // name -> id
  EXPECT_EQ(spec->files[1].file_format, "SPREADSHEET");
  EXPECT_TRUE(spec->files[1].has_header);
  EXPECT_TRUE(spec->files[1].mappings.empty());
}

TEST(ParseImportRequestTest, Defaults) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(
      R"({"name":"n","dateFormat":null,"files":[{"fileName":"a.csv","fileFormat":"CSV"}]})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->date_format, "MONTH_DAY_YEAR");
  EXPECT_TRUE(spec->import_operations.empty());
  EXPECT_FALSE(spec->marketable_contact_import);
  EXPECT_TRUE(spec->files[0].has_header);
}

TEST(ParseImportRequestTest, RootErrors) {
  EXPECT_THAT(Refusal("not json"), StartsWith("importRequest: invalid JSON"));
  EXPECT_THAT(Refusal("[1]"), StartsWith("importRequest: "));
  EXPECT_EQ(Refusal(R"({"files":[]})"), "name: is required: the import's name");
  EXPECT_EQ(Refusal(R"({"name":7,"files":[]})"), "name: must be a string");
  EXPECT_EQ(Refusal(R"({"name":"  ","files":[]})"), "name: must not be empty");
  EXPECT_EQ(Refusal(R"({"name":"n"})"),
            "files: is required: one entry per file");
  EXPECT_EQ(Refusal(R"({"name":"n","files":{}})"), "files: must be an array");
  EXPECT_EQ(Refusal(R"({"name":"n","files":[]})"),
            "files: must name at least one file");
}

TEST(ParseImportRequestTest, OptionErrors) {
  const std::string files =
      R"("files":[{"fileName":"a.csv","fileFormat":"CSV"}])";
  EXPECT_EQ(Refusal(R"({"name":"n","dateFormat":"ISO",)" + files + "}"),
            "dateFormat: must be one of MONTH_DAY_YEAR, DAY_MONTH_YEAR, "
            "YEAR_MONTH_DAY");
  EXPECT_EQ(
      Refusal(R"({"name":"n","marketableContactImport":"yes",)" + files + "}"),
      "marketableContactImport: must be true or false");
  EXPECT_EQ(Refusal(R"({"name":"n","importOperations":[],)" + files + "}"),
            "importOperations: must be an object of object type id to CREATE, "
            "UPDATE or UPSERT");
  EXPECT_EQ(Refusal(R"({"name":"n","importOperations":{"0-1":"MERGE"},)" +
                    files + "}"),
            "importOperations[\"0-1\"]: must be one of CREATE, UPDATE, UPSERT");
  EXPECT_THAT(
      Refusal(R"({"name":"n","importOperations":{"2-99":"CREATE"},)" + files +
              "}"),
      StartsWith("importOperations[\"2-99\"]: unknown object type 2-99; "
                 "this portal has 0-1 (contacts), 0-2 (companies)"));
}

TEST(ParseImportRequestTest, FileErrors) {
  EXPECT_EQ(Refusal(R"({"name":"n","files":["a.csv"]})"),
            "files[0]: must be an object");
  EXPECT_EQ(Refusal(R"({"name":"n","files":[{"fileFormat":"CSV"}]})"),
            "files[0].fileName: is required");
  EXPECT_EQ(
      Refusal(R"({"name":"n","files":[{"fileName":3,"fileFormat":"CSV"}]})"),
      "files[0].fileName: must be a string");
  EXPECT_EQ(
      Refusal(R"({"name":"n","files":[{"fileName":"","fileFormat":"CSV"}]})"),
      "files[0].fileName: must not be empty");
  EXPECT_EQ(Refusal(R"({"name":"n","files":[{"fileName":"a.csv"}]})"),
            "files[0].fileFormat: is required (one of CSV, SPREADSHEET)");
  EXPECT_EQ(
      Refusal(
          R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"XML"}]})"),
      "files[0].fileFormat: must be one of CSV, SPREADSHEET");
  EXPECT_EQ(
      Refusal(R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"CSV"},)"
              R"({"fileName":"a.csv","fileFormat":"CSV"}]})"),
      "files[1].fileName: \"a.csv\" appears twice");
  EXPECT_EQ(
      Refusal(R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"CSV",)"
              R"("fileImportPage":[]}]})"),
      "files[0].fileImportPage: must be an object");
  EXPECT_EQ(Refusal(WithPage(R"({"hasHeader":"yes"})")),
            "files[0].fileImportPage.hasHeader: must be true or false");
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":{}})")),
            "files[0].fileImportPage.columnMappings: must be an array");
}

TEST(ParseImportRequestTest, ColumnMappingErrors) {
  const std::string at = "files[0].fileImportPage.columnMappings[1]";
  const std::string ok =
      R"({"columnName":"e","propertyName":"email","columnObjectTypeId":"0-1"})";
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":[)" + ok + R"(,"x"]})")),
            at + ": must be an object");
  EXPECT_EQ(
      Refusal(WithPage(R"({"columnMappings":[)" + ok +
                       R"(,{"columnName":"f","propertyName":"firstname"}]})")),
      at + ".columnObjectTypeId: is required: the object type the "
           "column's property belongs to, such as 0-1 for contacts");
  EXPECT_THAT(Refusal(WithPage(R"({"columnMappings":[)" + ok +
                               R"(,{"columnName":"f","propertyName":"x",)"
                               R"("columnObjectTypeId":"0-7"}]})")),
              StartsWith(at + ".columnObjectTypeId: unknown object type 0-7"));
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":[)" + ok +
                             R"(,{"propertyName":"firstname",)"
                             R"("columnObjectTypeId":"0-1"}]})")),
            at + ".columnName: is required when the file has a header row: "
                 "the column the mapping reads");
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":[)" + ok +
                             R"(,{"columnName":"f","propertyName":"email",)"
                             R"("columnObjectTypeId":"0-1"}]})")),
            at + ".propertyName: email of 0-1 is already mapped by "
                 "columnMappings[0]");
  EXPECT_EQ(
      Refusal(WithPage(R"({"columnMappings":[)" + ok +
                       R"(,{"columnName":"f","propertyName":"email",)"
                       R"("columnObjectTypeId":"0-1","idColumnType":"X"}]})")),
      at + ".idColumnType: must be one of HUBSPOT_OBJECT_ID, "
           "HUBSPOT_ALTERNATE_ID");
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":[)" + ok +
                             R"(,{"columnName":"f","propertyName":"dealname",)"
                             R"("columnObjectTypeId":"0-3",)"
                             R"("idColumnType":"HUBSPOT_OBJECT_ID"}]})")),
            at + ".idColumnType: a HUBSPOT_OBJECT_ID column is the record ID, "
                 "hs_object_id, not dealname");
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":[)" + ok +
                             R"(,{"columnName":5,"propertyName":"firstname",)"
                             R"("columnObjectTypeId":"0-1"}]})")),
            at + ".columnName: must be a string");
  EXPECT_EQ(Refusal(WithPage(R"({"columnMappings":[)" + ok +
                             R"(,{"columnName":"f","ignored":"no"}]})")),
            at + ".ignored: must be true or false");
}

TEST(ParseImportRequestTest, IgnoredMappingsNeedNoObjectTypeOrName) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(
      WithPage(R"({"columnMappings":[{"columnName":"x"},{"ignored":true,)"
               R"("propertyName":"email","columnObjectTypeId":"9-9"}]})"));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(spec->files[0].mappings[0].ignored);
  EXPECT_TRUE(spec->files[0].mappings[1].ignored);
}

TEST(ParseImportRequestTest, ColumnNameOptionalWithoutHeader) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(WithPage(
      R"({"hasHeader":false,"columnMappings":[{"propertyName":"email",)"
      R"("columnObjectTypeId":"0-1"}]})"));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->files[0].mappings[0].property_name, "email");
}

TEST(ParseImportRequestTest, SamePropertyOfDifferentTypesIsFine) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(WithPage(
      R"({"columnMappings":[)"
      R"({"columnName":"a","propertyName":"city","columnObjectTypeId":"0-1"},)"
      R"({"columnName":"b","propertyName":"city","columnObjectTypeId":"0-2"}]})"));
  ASSERT_TRUE(spec.ok()) << spec.status();
}

}  // namespace
}  // namespace hubspot_emulator

#include "emulator/imports/csv_import.h"

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// Counters as a map with every key, zeros included, for exact checks.
std::map<std::string, int64_t> AllCounters(const ImportOutcome& out) {
  std::map<std::string, int64_t> all = {{"TOTAL_ROWS", 0},
                                        {"CREATED_OBJECTS", 0},
                                        {"UPDATED_OBJECTS", 0},
                                        {"UNIQUE_OBJECTS_WRITTEN", 0},
                                        {"PROPERTY_VALUES_EMITTED", 0},
                                        {"ERRORS", 0}};
  for (const auto& [k, v] : out.counters) {
    EXPECT_TRUE(all.count(k)) << "unexpected counter " << k;
    EXPECT_NE(v, 0) << k << " is zero but present";
    all[k] = v;
  }
  return all;
}

std::vector<std::string> ErrorTypes(const ImportOutcome& out) {
  std::vector<std::string> types;
  for (const RowError& e : out.errors) types.push_back(e.error_type);
  return types;
}

std::string Mapping(const std::string& column, const std::string& property,
                    const std::string& type_id = "0-1",
                    const std::string& extra = "") {
  return absl::StrCat(R"({"columnName":")", column, R"(","propertyName":")",
                      property, R"(","columnObjectTypeId":")", type_id, "\"",
                      extra, "}");
}

struct FileArg {
  std::string mappings;  // the JSON array's contents
  std::string data;
  std::string format = "CSV";
  bool has_header = true;
};

class Importer {
 public:
  explicit Importer(CrmStore* crm) : crm_(crm) {}

  // `options`: extra top-level fields of the importRequest, with a
  // trailing comma.
  ImportOutcome Run(const std::vector<FileArg>& files,
                    const std::string& options = "",
                    ImportOptions import_options = ImportOptions()) {
    std::string json =
        absl::StrCat(R"({"name":"test",)", options, R"("files":[)");
    for (size_t i = 0; i < files.size(); ++i) {
      absl::StrAppend(&json, i ? "," : "", R"({"fileName":"f)", i,
                      R"(.csv","fileFormat":")", files[i].format,
                      R"(","fileImportPage":{"hasHeader":)",
                      files[i].has_header ? "true" : "false",
                      R"(,"columnMappings":[)", files[i].mappings, "]}}");
    }
    json += "]}";
    absl::StatusOr<ImportSpec> spec = ParseImportRequest(json);
    EXPECT_TRUE(spec.ok()) << spec.status() << "\n" << json;
    if (!spec.ok()) return {};
    data_.clear();
    for (const FileArg& f : files) data_.push_back(f.data);
    std::vector<ImportFile> uploaded;
    for (size_t i = 0; i < data_.size(); ++i) {
      uploaded.push_back(ImportFile{absl::StrCat(500 + i), data_[i]});
    }
    ImportOutcome out = RunImport(*spec, uploaded, crm_, import_options);
    CheckConsistency(out);
    return out;
  }

  ImportOutcome RunContacts(const std::string& data,
                            const std::string& options = "") {
    return Run({{ContactMappings(), data}}, options);
  }

  static std::string ContactMappings() {
    return absl::StrJoin(
        {Mapping("email", "email"), Mapping("first", "firstname"),
         Mapping("revenue", "annualrevenue")},
        ",");
  }

 private:
  static void CheckConsistency(const ImportOutcome& out) {
    std::map<std::string, int64_t> c = AllCounters(out);
    EXPECT_GE(c["ERRORS"], static_cast<int64_t>(out.errors.size()));
    EXPECT_LE(c["UNIQUE_OBJECTS_WRITTEN"],
              c["CREATED_OBJECTS"] + c["UPDATED_OBJECTS"]);
    EXPECT_GE(c["UNIQUE_OBJECTS_WRITTEN"], c["CREATED_OBJECTS"]);
    EXPECT_GE(c["PROPERTY_VALUES_EMITTED"],
              c["CREATED_OBJECTS"] + c["UPDATED_OBJECTS"]);
    EXPECT_EQ(out.failed, !out.failure.empty());
  }

  CrmStore* crm_;
  std::vector<std::string> data_;
};

std::string ContactFirstName(const CrmStore& crm, const std::string& email) {
  std::optional<CrmObject> c = crm.FindByUniqueValue("0-1", email);
  if (!c.has_value()) return "<missing>";
  auto it = c->properties.find("firstname");
  return it == c->properties.end() ? "<unset>" : it->second;
}

TEST(RunImportTest, CreatesContacts) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "ada@example.com,Ada,100\n"
      "bob@example.com,Bob,200.5\n"
      "cy@example.com,Cy,\n");
  EXPECT_FALSE(out.failed);
  EXPECT_THAT(out.errors, IsEmpty());
  EXPECT_THAT(out.counters, ElementsAre(Pair("CREATED_OBJECTS", 3),
                                        Pair("PROPERTY_VALUES_EMITTED", 8),
                                        Pair("TOTAL_ROWS", 3),
                                        Pair("UNIQUE_OBJECTS_WRITTEN", 3)));
  EXPECT_THAT(out.mapped_object_type_ids, ElementsAre("0-1"));
  EXPECT_EQ(crm.Count("0-1"), 3);
  EXPECT_EQ(ContactFirstName(crm, "bob@example.com"), "Bob");
  EXPECT_EQ(crm.FindByUniqueValue("0-1", "bob@example.com")
                ->properties.at("annualrevenue"),
            "200.5");
}

TEST(RunImportTest, HeaderMatchesByNameIgnoringCaseOrderAndExtraColumns) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "Notes, FIRST ,Revenue,EMAIL\n"
      "whatever,Ada,1,ada@example.com\n");
  EXPECT_THAT(out.errors, IsEmpty());
  EXPECT_EQ(ContactFirstName(crm, "ada@example.com"), "Ada");
}

TEST(RunImportTest, RepeatedKeysUpdateTheObjectCreatedEarlier) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "ada@example.com,Ada,1\n"
      "ADA@EXAMPLE.COM,Augusta,\n"
      "bob@example.com,Bob,\n");
  EXPECT_THAT(
      AllCounters(out),
      ElementsAre(Pair("CREATED_OBJECTS", 2), Pair("ERRORS", 0),
                  Pair("PROPERTY_VALUES_EMITTED", 3 + 2 + 2),
                  Pair("TOTAL_ROWS", 3), Pair("UNIQUE_OBJECTS_WRITTEN", 2),
                  Pair("UPDATED_OBJECTS", 1)));
  EXPECT_EQ(crm.Count("0-1"), 2);
  EXPECT_EQ(ContactFirstName(crm, "ada@example.com"), "Augusta");
  // An empty cell leaves the value as it was.
  EXPECT_EQ(crm.FindByUniqueValue("0-1", "ada@example.com")
                ->properties.at("annualrevenue"),
            "1");
}

TEST(RunImportTest, LaterImportsUpdateExistingObjects) {
  CrmStore crm;
  Importer importer(&crm);
  importer.RunContacts("email,first,revenue\nada@example.com,Ada,\n");
  ImportOutcome out =
      importer.RunContacts("email,first,revenue\nada@example.com,Lady Ada,\n");
  EXPECT_THAT(out.counters, ElementsAre(Pair("PROPERTY_VALUES_EMITTED", 2),
                                        Pair("TOTAL_ROWS", 1),
                                        Pair("UNIQUE_OBJECTS_WRITTEN", 1),
                                        Pair("UPDATED_OBJECTS", 1)));
  EXPECT_EQ(ContactFirstName(crm, "ada@example.com"), "Lady Ada");
}

TEST(RunImportTest, InvalidEmailSkipsTheContact) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "ada@example.com,Ada,1\n"
      "foo@,Foo,2\n");
  ASSERT_EQ(out.errors.size(), 1u);
  const RowError& e = out.errors[0];
  EXPECT_EQ(e.error_type, "INVALID_EMAIL");
  EXPECT_EQ(e.object_type_id, "0-1");
  EXPECT_EQ(e.object_type, "CONTACT");
  EXPECT_EQ(e.file_index, 0);
  EXPECT_EQ(e.line_number, 3);
  EXPECT_THAT(e.row_data, ElementsAre("foo@", "Foo", "2"));
  EXPECT_EQ(e.message, "Email address foo@ is invalid");
  EXPECT_EQ(e.invalid_value, "foo@");
  EXPECT_EQ(e.known_column_number, 1);
  EXPECT_EQ(crm.Count("0-1"), 1);
  EXPECT_THAT(
      AllCounters(out),
      ElementsAre(Pair("CREATED_OBJECTS", 1), Pair("ERRORS", 1),
                  Pair("PROPERTY_VALUES_EMITTED", 3), Pair("TOTAL_ROWS", 2),
                  Pair("UNIQUE_OBJECTS_WRITTEN", 1),
                  Pair("UPDATED_OBJECTS", 0)));
}

TEST(RunImportTest, ContactsWithoutEmailAreCreatedEachTime) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out =
      importer.RunContacts("email,first,revenue\n,Anon,\n,Anon,\n");
  EXPECT_THAT(out.errors, IsEmpty());
  EXPECT_EQ(out.counters.at("CREATED_OBJECTS"), 2);
  EXPECT_EQ(crm.Count("0-1"), 2);
}

TEST(RunImportTest, ValueErrorsSkipOnlyTheirValue) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.Run(
      {{absl::StrJoin(
            {Mapping("email", "email"), Mapping("revenue", "annualrevenue"),
             Mapping("stage", "lifecyclestage"),
             Mapping("born", "date_of_birth"), Mapping("phone", "phone"),
             Mapping("color", "favorite_color"), Mapping("first", "firstname")},
            ","),
        "email,revenue,stage,born,phone,color,first\n"
        "ada@example.com,lots,vip,1990-12-10,call me,blue,Ada\n"
        "bob@example.com,5,Customer,12/10/1990,+1 555 0100,,Bob\n"}});
  EXPECT_THAT(
      ErrorTypes(out),
      ElementsAre("COULD_NOT_PARSE_NUMBER", "INVALID_ENUMERATION_OPTION",
                  "COULD_NOT_PARSE_DATE", "FAILED_VALIDATION",
                  "PROPERTY_DEFINITION_NOT_FOUND"));
  for (const RowError& e : out.errors) EXPECT_EQ(e.line_number, 2);
  EXPECT_EQ(out.errors[0].known_column_number, 2);
  EXPECT_EQ(out.errors[0].invalid_value, "lots");
  EXPECT_EQ(out.errors[4].message,
            "Property favorite_color does not exist for contacts");
  EXPECT_EQ(out.errors[4].known_column_number, 6);
  // Both written; Ada with the values that were valid.
  EXPECT_EQ(crm.Count("0-1"), 2);
  EXPECT_THAT(
      crm.FindByUniqueValue("0-1", "ada@example.com")->properties,
      ElementsAre(Pair("email", "ada@example.com"), Pair("firstname", "Ada")));
  EXPECT_THAT(
      crm.FindByUniqueValue("0-1", "bob@example.com")->properties,
      ElementsAre(
          Pair("annualrevenue", "5"), Pair("date_of_birth", "1990-12-10"),
          Pair("email", "bob@example.com"), Pair("firstname", "Bob"),
          Pair("lifecyclestage", "customer"), Pair("phone", "+1 555 0100")));
  EXPECT_EQ(out.counters.at("PROPERTY_VALUES_EMITTED"), 2 + 6);
  EXPECT_EQ(out.counters.at("ERRORS"), 5);
}

TEST(RunImportTest, DateFormats) {
  const std::string mappings = absl::StrJoin(
      {Mapping("email", "email"), Mapping("born", "date_of_birth"),
       Mapping("created", "createdate")},
      ",");
  struct Case {
    const char* format;
    const char* born;
    const char* created;
  };
  for (const Case& c :
       {Case{"MONTH_DAY_YEAR", "01/31/1990", "01/31/2024 13:45"},
        Case{"DAY_MONTH_YEAR", "31/01/1990", "31/01/2024 13:45"},
        Case{"YEAR_MONTH_DAY", "1990-01-31", "2024-01-31 13:45"}}) {
    CrmStore crm;
    Importer importer(&crm);
    ImportOutcome out =
        importer.Run({{mappings, absl::StrCat("email,born,created\na@b.com,",
                                              c.born, ",", c.created, "\n")}},
                     absl::StrCat(R"("dateFormat":")", c.format, "\","));
    EXPECT_THAT(out.errors, IsEmpty()) << c.format;
    std::optional<CrmObject> a = crm.FindByUniqueValue("0-1", "a@b.com");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->properties["date_of_birth"], "1990-01-31") << c.format;
    EXPECT_EQ(a->properties["createdate"], "2024-01-31T13:45:00.000Z");
  }
  // The default is MONTH_DAY_YEAR: a day-first date does not parse.
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out =
      importer.Run({{mappings, "email,born,created\na@b.com,31/01/1990,\n"}});
  EXPECT_THAT(ErrorTypes(out), ElementsAre("COULD_NOT_PARSE_DATE"));
  EXPECT_THAT(out.errors[0].message, HasSubstr("MONTH_DAY_YEAR"));
  EXPECT_EQ(crm.Count("0-1"), 1);
}

TEST(RunImportTest, IncorrectNumberOfColumnsSkipsTheRow) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "short@example.com,Short\n"
      "long@example.com,Long,1,extra\n"
      "ok@example.com,Ok,1\n");
  EXPECT_THAT(ErrorTypes(out), ElementsAre("INCORRECT_NUMBER_OF_COLUMNS",
                                           "INCORRECT_NUMBER_OF_COLUMNS"));
  EXPECT_EQ(out.errors[0].line_number, 2);
  EXPECT_EQ(out.errors[0].message,
            "Row has 2 columns but the header row has 3");
  EXPECT_THAT(out.errors[0].row_data,
              ElementsAre("short@example.com", "Short"));
  EXPECT_EQ(out.errors[0].object_type, "CONTACT");
  EXPECT_EQ(out.errors[1].line_number, 3);
  EXPECT_EQ(crm.Count("0-1"), 1);
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), 3);
}

TEST(RunImportTest, UnparsableRows) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "a@b.com,caf\xE9,1\n"
      "\"c@d.com\"x,C,1\n"
      "e@f.com,E,1\n"
      "g@h.com,\"never closed,1\n"
      "i@j.com,I,1\n");
  EXPECT_THAT(ErrorTypes(out),
              ElementsAre("COULD_NOT_PARSE_ROW", "COULD_NOT_PARSE_ROW",
                          "COULD_NOT_PARSE_ROW"));
  EXPECT_EQ(out.errors[0].line_number, 2);
  EXPECT_EQ(out.errors[0].known_column_number, 2);
  EXPECT_THAT(out.errors[0].message, HasSubstr("not valid UTF-8"));
  EXPECT_EQ(out.errors[1].line_number, 3);
  EXPECT_THAT(out.errors[1].message, HasSubstr("after its closing quote"));
  EXPECT_EQ(out.errors[2].line_number, 5);
  EXPECT_THAT(out.errors[2].message, HasSubstr("never closed"));
  // Only e@f.com was written: the open quote swallowed the last line.
  EXPECT_EQ(crm.Count("0-1"), 1);
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), 4);
}

TEST(RunImportTest, LineNumbersCountLinesInsideQuotedCells) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\r\n"
      "a@b.com,\"two\r\nlines\",1\r\n"
      "c@d.com,\"three\nline\ncell\",x\r\n"
      "\r\n"
      "bad@,E,1\r\n");
  EXPECT_THAT(ErrorTypes(out),
              ElementsAre("COULD_NOT_PARSE_NUMBER", "INVALID_EMAIL"));
  EXPECT_EQ(out.errors[0].line_number, 4);
  EXPECT_EQ(out.errors[1].line_number, 8);
  EXPECT_EQ(ContactFirstName(crm, "a@b.com"), "two\r\nlines");
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), 3);  // the blank line is no row
}

TEST(RunImportTest, ByteOrderMarkAndCrLf) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      "\xEF\xBB\xBF"
      "email,first,revenue\r\na@b.com,A,1\r\n");
  EXPECT_THAT(out.errors, IsEmpty());
  EXPECT_EQ(ContactFirstName(crm, "a@b.com"), "A");
}

TEST(RunImportTest, RowsWithoutValues) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out =
      importer.Run({{absl::StrJoin({Mapping("email", "email"),
                                    Mapping("company", "name", "0-2")},
                                   ","),
                     "email,company,note\n"
                     ",,just a note\n"
                     "a@b.com,,\n"
                     ",Acme,\n"}});
  // Every mapped cell empty: one error per object type of the row.
  ASSERT_THAT(
      ErrorTypes(out),
      ElementsAre("FAILED_TO_PROCESS_OBJECT_WITH_EMPTY_PROPERTY_VALUES",
                  "FAILED_TO_PROCESS_OBJECT_WITH_EMPTY_PROPERTY_VALUES"));
  EXPECT_EQ(out.errors[0].object_type, "CONTACT");
  EXPECT_EQ(out.errors[1].object_type, "COMPANY");
  EXPECT_EQ(out.errors[0].line_number, 2);
  // Otherwise an object with no values is silently left out.
  EXPECT_EQ(crm.Count("0-1"), 1);
  EXPECT_EQ(crm.Count("0-2"), 1);
  EXPECT_EQ(out.counters.at("CREATED_OBJECTS"), 2);
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), 3);
}

TEST(RunImportTest, CreateOnly) {
  CrmStore crm;
  Importer importer(&crm);
  importer.RunContacts("email,first,revenue\nold@example.com,Old,\n");
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "old@example.com,Changed,\n"
      "new@example.com,New,\n"
      "new@example.com,Again,\n",
      R"("importOperations":{"0-1":"CREATE"},)");
  EXPECT_THAT(ErrorTypes(out),
              ElementsAre("CREATE_ONLY_IMPORT", "CREATE_ONLY_IMPORT"));
  EXPECT_EQ(out.errors[0].message,
            "A contact with email old@example.com already exists; this import "
            "only creates contacts");
  EXPECT_EQ(out.errors[0].line_number, 2);
  EXPECT_EQ(out.errors[0].known_column_number, 1);
  EXPECT_EQ(out.errors[1].line_number, 4);
  EXPECT_EQ(ContactFirstName(crm, "old@example.com"), "Old");
  EXPECT_EQ(ContactFirstName(crm, "new@example.com"), "New");
  EXPECT_THAT(
      AllCounters(out),
      ElementsAre(Pair("CREATED_OBJECTS", 1), Pair("ERRORS", 2),
                  Pair("PROPERTY_VALUES_EMITTED", 2), Pair("TOTAL_ROWS", 3),
                  Pair("UNIQUE_OBJECTS_WRITTEN", 1),
                  Pair("UPDATED_OBJECTS", 0)));
}

TEST(RunImportTest, UpdateOnly) {
  CrmStore crm;
  Importer importer(&crm);
  importer.RunContacts("email,first,revenue\nold@example.com,Old,\n");
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\n"
      "old@example.com,Changed,\n"
      "new@example.com,New,\n"
      ",Nobody,\n",
      R"("importOperations":{"0-1":"UPDATE"},)");
  EXPECT_THAT(ErrorTypes(out),
              ElementsAre("UPDATE_ONLY_IMPORT", "UPDATE_ONLY_IMPORT"));
  EXPECT_EQ(out.errors[0].message,
            "No contact with email new@example.com exists; this import only "
            "updates contacts");
  EXPECT_EQ(out.errors[1].message,
            "The row has no record ID or email to find the contact to update; "
            "this import only updates contacts");
  EXPECT_EQ(out.errors[1].known_column_number, -1);
  EXPECT_EQ(ContactFirstName(crm, "old@example.com"), "Changed");
  EXPECT_EQ(crm.Count("0-1"), 1);
  EXPECT_EQ(out.counters.at("UPDATED_OBJECTS"), 1);
  EXPECT_EQ(out.counters.count("CREATED_OBJECTS"), 0u);
}

TEST(RunImportTest, ExplicitUpsert) {
  CrmStore crm;
  Importer importer(&crm);
  importer.RunContacts("email,first,revenue\nold@example.com,Old,\n");
  ImportOutcome out = importer.RunContacts(
      "email,first,revenue\nold@example.com,Changed,\nnew@example.com,New,\n",
      R"("importOperations":{"0-1":"UPSERT"},)");
  EXPECT_THAT(out.errors, IsEmpty());
  EXPECT_EQ(out.counters.at("CREATED_OBJECTS"), 1);
  EXPECT_EQ(out.counters.at("UPDATED_OBJECTS"), 1);
}

TEST(RunImportTest, DealsByRecordId) {
  CrmStore crm;
  Importer importer(&crm);
  const std::string deal_mappings = absl::StrJoin(
      {Mapping("name", "dealname", "0-3"), Mapping("amount", "amount", "0-3"),
       Mapping("stage", "dealstage", "0-3"),
       Mapping("close", "closedate", "0-3")},
      ",");
  ImportOutcome first =
      importer.Run({{deal_mappings,
                     "name,amount,stage,close\nBig,1000,Closed Won,12/31/2024\n"
                     "Big,1000,closedwon,\n"}});
  EXPECT_THAT(first.errors, IsEmpty());
  // Without a record ID every row creates.
  EXPECT_EQ(first.counters.at("CREATED_OBJECTS"), 2);
  const std::vector<CrmObject> deals = crm.List("0-3", 0, 10);
  ASSERT_EQ(deals.size(), 2u);
  EXPECT_EQ(deals[0].properties.at("dealstage"), "closedwon");
  EXPECT_EQ(deals[0].properties.at("closedate"), "2024-12-31");

  const std::string with_id =
      absl::StrCat(R"({"columnName":"id","columnObjectTypeId":"0-3",)"
                   R"("idColumnType":"HUBSPOT_OBJECT_ID"},)",
                   Mapping("amount", "amount", "0-3"));
  ImportOutcome second =
      importer.Run({{with_id, absl::StrCat("id,amount\n", deals[0].id,
                                           ",2000\n999999,5\nnot-an-id,6\n")}});
  EXPECT_THAT(ErrorTypes(second),
              ElementsAre("INVALID_OBJECT_ID", "INVALID_OBJECT_ID"));
  EXPECT_EQ(second.errors[0].message, "No deal with record ID 999999 exists");
  EXPECT_EQ(second.errors[0].known_column_number, 1);
  EXPECT_EQ(second.errors[0].object_type, "DEAL");
  EXPECT_THAT(second.errors[1].message, HasSubstr("Record ID not-an-id"));
  EXPECT_EQ(second.counters.at("UPDATED_OBJECTS"), 1);
  EXPECT_EQ(second.counters.at("PROPERTY_VALUES_EMITTED"), 1);
  EXPECT_EQ(crm.Get("0-3", deals[0].id)->properties.at("amount"), "2000");
  EXPECT_EQ(crm.Get("0-3", deals[0].id)->properties.at("dealname"), "Big");
  EXPECT_EQ(crm.Count("0-3"), 2);
  EXPECT_THAT(second.mapped_object_type_ids, ElementsAre("0-3"));
}

TEST(RunImportTest, UpdateOnlyDealsNeedARecordId) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out =
      importer.Run({{Mapping("name", "dealname", "0-3"), "name\nBig\n"}},
                   R"("importOperations":{"0-3":"UPDATE"},)");
  ASSERT_THAT(ErrorTypes(out), ElementsAre("UPDATE_ONLY_IMPORT"));
  EXPECT_EQ(out.errors[0].message,
            "The row has no record ID to find the deal to update; this import "
            "only updates deals");
}

TEST(RunImportTest, TicketsEnumerationsAndCreateOnlyById) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.Run(
      {{absl::StrJoin({Mapping("subject", "subject", "0-5"),
                       Mapping("priority", "hs_ticket_priority", "0-5"),
                       Mapping("status", "hs_pipeline_stage", "0-5")},
                      ","),
        "subject,priority,status\nPrinter,urgent,New\nFax,someday,4\n"}});
  EXPECT_THAT(ErrorTypes(out), ElementsAre("INVALID_ENUMERATION_OPTION"));
  EXPECT_EQ(out.errors[0].object_type, "TICKET");
  EXPECT_THAT(out.errors[0].message,
              HasSubstr("valid options: LOW, MEDIUM, HIGH, URGENT"));
  const std::vector<CrmObject> tickets = crm.List("0-5", 0, 10);
  ASSERT_EQ(tickets.size(), 2u);
  EXPECT_EQ(tickets[0].properties.at("hs_ticket_priority"), "URGENT");
  EXPECT_EQ(tickets[0].properties.at("hs_pipeline_stage"), "1");

  ImportOutcome again = importer.Run(
      {{absl::StrCat(
            R"({"columnName":"id","propertyName":"hs_object_id",)"
            R"("columnObjectTypeId":"0-5","idColumnType":"HUBSPOT_OBJECT_ID"},)",
            Mapping("subject", "subject", "0-5")),
        absl::StrCat("id,subject\n", tickets[0].id, ",Renamed\n")}},
      R"("importOperations":{"0-5":"CREATE"},)");
  EXPECT_THAT(ErrorTypes(again), ElementsAre("CREATE_ONLY_IMPORT"));
  EXPECT_THAT(again.errors[0].message,
              HasSubstr(absl::StrCat("A ticket with record ID ", tickets[0].id,
                                     " already exists")));
}

TEST(RunImportTest, SeveralObjectTypesPerRow) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.Run(
      {{absl::StrJoin(
            {Mapping("company", "name", "0-2"), Mapping("email", "email"),
             Mapping("website", "domain", "0-2"), Mapping("first", "firstname"),
             Mapping("employees", "numberofemployees", "0-2")},
            ","),
        "company,email,website,first,employees\n"
        "Acme,ada@acme.com,https://www.acme.com/,Ada,50\n"
        "Acme,bob@acme.com,acme.com,Bob,\n"
        "Bad,cy@bad.com,not a domain,Cy,\n"}});
  EXPECT_THAT(out.mapped_object_type_ids, ElementsAre("0-2", "0-1"));
  EXPECT_THAT(ErrorTypes(out), ElementsAre("INVALID_DOMAIN"));
  EXPECT_EQ(out.errors[0].object_type, "COMPANY");
  EXPECT_EQ(out.errors[0].message, "Domain not a domain is invalid");
  EXPECT_EQ(out.errors[0].known_column_number, 3);
  // The contact of the row with a bad domain is still written.
  EXPECT_EQ(crm.Count("0-1"), 3);
  EXPECT_EQ(crm.Count("0-2"), 1);
  std::optional<CrmObject> acme = crm.FindByUniqueValue("0-2", "acme.com");
  ASSERT_TRUE(acme.has_value());
  EXPECT_EQ(acme->properties.at("numberofemployees"), "50");
  EXPECT_THAT(
      AllCounters(out),
      ElementsAre(Pair("CREATED_OBJECTS", 4), Pair("ERRORS", 1),
                  Pair("PROPERTY_VALUES_EMITTED", 3 + 2 + 2 + 2 + 2),
                  Pair("TOTAL_ROWS", 3), Pair("UNIQUE_OBJECTS_WRITTEN", 4),
                  Pair("UPDATED_OBJECTS", 1)));
}

TEST(RunImportTest, WithoutHeaderMappingsAreByPosition) {
  CrmStore crm;
  Importer importer(&crm);
  FileArg file;
  file.has_header = false;
  file.mappings =
      absl::StrJoin({std::string(R"({"columnName":"ignored"})"),
                     Mapping("", "email"), Mapping("", "firstname")},
                    ",");
  file.data = "x,ada@example.com,Ada\ny,bob@example.com,Bob,extra\nz,foo@,F\n";
  ImportOutcome out = importer.Run({file});
  EXPECT_THAT(ErrorTypes(out),
              ElementsAre("INCORRECT_NUMBER_OF_COLUMNS", "INVALID_EMAIL"));
  EXPECT_EQ(out.errors[0].line_number, 2);
  EXPECT_EQ(out.errors[0].message, "Row has 4 columns but the first row has 3");
  EXPECT_EQ(out.errors[1].line_number, 3);
  EXPECT_EQ(out.errors[1].known_column_number, 2);
  EXPECT_EQ(ContactFirstName(crm, "ada@example.com"), "Ada");
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), 3);
}

TEST(RunImportTest, SpreadsheetFailsTheImportAndWritesNothing) {
  CrmStore crm;
  Importer importer(&crm);
  FileArg csv{Importer::ContactMappings(), "email,first,revenue\na@b.com,A,\n"};
  FileArg xlsx{Importer::ContactMappings(), "PK\x03\x04...", "SPREADSHEET"};
  ImportOutcome out = importer.Run({csv, xlsx});
  EXPECT_TRUE(out.failed);
  EXPECT_THAT(out.failure, HasSubstr("files[1] \"f1.csv\""));
  EXPECT_THAT(out.failure, HasSubstr("cannot read spreadsheet files"));
  ASSERT_THAT(ErrorTypes(out), ElementsAre("INVALID_SPREADSHEET"));
  EXPECT_EQ(out.errors[0].file_index, 1);
  EXPECT_EQ(out.errors[0].object_type_id, "0-1");
  EXPECT_THAT(out.counters, ElementsAre(Pair("ERRORS", 1)));
  EXPECT_THAT(out.mapped_object_type_ids, ElementsAre("0-1"));
  EXPECT_EQ(crm.Count("0-1"), 0);
}

TEST(RunImportTest, BinaryDataDeclaredCsvFails) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome zip =
      importer.RunContacts(std::string("PK\x03\x04\x14\0\0", 7));
  EXPECT_TRUE(zip.failed);
  EXPECT_THAT(ErrorTypes(zip), ElementsAre("INVALID_FILE_TYPE"));
  EXPECT_THAT(zip.failure, HasSubstr("spreadsheet or an archive"));
  ImportOutcome utf16 = importer.RunContacts(std::string("\xFF\xFE" "e\0m\0", 6));
  EXPECT_THAT(utf16.failure, HasSubstr("UTF-16"));
  EXPECT_EQ(crm.Count("0-1"), 0);
  constexpr char kWithNul[] = "email,first,revenue\na\0b,c,d\n";
  ImportOutcome nul =
      importer.RunContacts(std::string(kWithNul, sizeof(kWithNul) - 1));
  EXPECT_TRUE(nul.failed);
  EXPECT_THAT(nul.failure, HasSubstr("binary data (NUL bytes)"));
}

TEST(RunImportTest, MappingOfAColumnNotInTheHeaderFails) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts("email,firstname\na@b.com,A\n");
  EXPECT_TRUE(out.failed);
  EXPECT_THAT(out.failure,
              HasSubstr("files[0] \"f0.csv\": columnMappings[1] reads column "
                        "\"first\", which is not in the header row"));
  ASSERT_THAT(ErrorTypes(out), ElementsAre("INVALID_COLUMN_CONFIGURATION"));
  EXPECT_EQ(out.errors[0].line_number, 1);
  EXPECT_EQ(crm.Count("0-1"), 0);
}

TEST(RunImportTest, UnreadableHeaderFails) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out =
      importer.RunContacts("email,\"first,revenue\na@b.com,A,1\n");
  EXPECT_TRUE(out.failed);
  EXPECT_THAT(out.failure, HasSubstr("cannot read the header row"));
  EXPECT_THAT(ErrorTypes(out), ElementsAre("COULD_NOT_PARSE_ROW"));
}

TEST(RunImportTest, EmptyFilesAreDoneWithNoRows) {
  for (const char* data : {"", "\xEF\xBB\xBF", "\n\n", "email,first,revenue\n",
                           "email,first,revenue"}) {
    CrmStore crm;
    Importer importer(&crm);
    ImportOutcome out = importer.RunContacts(data);
    EXPECT_FALSE(out.failed) << data;
    EXPECT_THAT(out.counters, IsEmpty()) << data;
    EXPECT_THAT(out.errors, IsEmpty());
    EXPECT_THAT(out.mapped_object_type_ids, ElementsAre("0-1"));
  }
}

TEST(RunImportTest, FileNotUploaded) {
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(
      R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"CSV"}]})");
  ASSERT_TRUE(spec.ok());
  CrmStore crm;
  ImportOutcome out = RunImport(*spec, {}, &crm);
  EXPECT_TRUE(out.failed);
  EXPECT_THAT(ErrorTypes(out), ElementsAre("FILE_NOT_FOUND"));
  EXPECT_THAT(out.failure, HasSubstr("files[0] \"a.csv\" was not uploaded"));
}

TEST(RunImportTest, SeveralFiles) {
  CrmStore crm;
  Importer importer(&crm);
  ImportOutcome out = importer.Run(
      {{Importer::ContactMappings(), "email,first,revenue\na@b.com,A,\n"},
       {Mapping("domain", "domain", "0-2"), "domain\nacme.com\nbad domain\n"}});
  ASSERT_THAT(ErrorTypes(out), ElementsAre("INVALID_DOMAIN"));
  EXPECT_EQ(out.errors[0].file_index, 1);
  EXPECT_EQ(out.errors[0].line_number, 3);
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), 3);
  EXPECT_EQ(out.counters.at("CREATED_OBJECTS"), 2);
  EXPECT_THAT(out.mapped_object_type_ids, ElementsAre("0-1", "0-2"));
}

TEST(RunImportTest, ErrorsKeptAreBoundedButAllCounted) {
  CrmStore crm;
  Importer importer(&crm);
  std::string data = "email,first,revenue\n";
  for (int i = 0; i < 50; ++i) absl::StrAppend(&data, "bad", i, "@,x,\n");
  ImportOptions options;
  options.max_errors_kept = 7;
  ImportOutcome out =
      importer.Run({{Importer::ContactMappings(), data}}, "", options);
  EXPECT_EQ(out.errors.size(), 7u);
  EXPECT_EQ(out.counters.at("ERRORS"), 50);
  EXPECT_EQ(out.errors[6].line_number, 8);
}

TEST(RunImportTest, ValuesTooLargeAndPortalLimits) {
  CrmLimits limits;
  limits.max_objects_per_type = 2;
  CrmStore crm(limits);
  Importer importer(&crm);
  ImportOutcome out = importer.RunContacts(
      absl::StrCat("email,first,revenue\na@b.com,", std::string(70000, 'x'),
                   ",\nc@d.com,C,\ne@f.com,E,\n"));
  EXPECT_THAT(ErrorTypes(out),
              ElementsAre("COLUMN_TOO_LARGE", "LIMIT_EXCEEDED"));
  EXPECT_EQ(out.errors[1].line_number, 4);
  EXPECT_EQ(out.errors[0].invalid_value.size(), 65536u);  // shown truncated
  EXPECT_EQ(crm.Count("0-1"), 2);
}

TEST(RunImportTest, TakingAnotherContactsEmailIsRefused) {
  CrmStore crm;
  Importer importer(&crm);
  importer.RunContacts("email,first,revenue\nada@x.com,Ada,\nbob@x.com,Bob,\n");
  const int64_t ada = crm.FindByUniqueValue("0-1", "ada@x.com")->id;
  ImportOutcome out = importer.Run(
      {{absl::StrCat(R"({"columnName":"id","columnObjectTypeId":"0-1",)"
                     R"("idColumnType":"HUBSPOT_OBJECT_ID"},)",
                     Mapping("email", "email")),
        absl::StrCat("id,email\n", ada, ",bob@x.com\n", ada,
                     ",ada2@x.com\n")}});
  EXPECT_THAT(ErrorTypes(out), ElementsAre("DUPLICATE_UNIQUE_PROPERTY_VALUE"));
  EXPECT_EQ(crm.Get("0-1", ada)->properties.at("email"), "ada2@x.com");
}

TEST(RunImportTest, ConcurrentImportsShareTheCrm) {
  CrmStore crm;
  std::string data = "email,first,revenue\n";
  for (int i = 0; i < 300; ++i) absl::StrAppend(&data, "p", i, "@x.com,P,\n");
  std::vector<std::thread> threads;
  std::vector<ImportOutcome> outs(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Importer importer(&crm);
      outs[t] = importer.RunContacts(data);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(crm.Count("0-1"), 300);
  int64_t created = 0, updated = 0;
  for (const ImportOutcome& o : outs) {
    created += o.counters.count("CREATED_OBJECTS")
                   ? o.counters.at("CREATED_OBJECTS")
                   : 0;
    updated += o.counters.count("UPDATED_OBJECTS")
                   ? o.counters.at("UPDATED_OBJECTS")
                   : 0;
  }
  EXPECT_EQ(created, 300);
  EXPECT_EQ(updated, 900);
}

TEST(RunImportTest, ManyRows) {
  CrmStore crm;
  Importer importer(&crm);
  std::string data = "email,first,revenue\n";
  constexpr int kRows = 100000;
  for (int i = 0; i < kRows; ++i) {
    absl::StrAppend(&data, "person", i, "@example.com,Person ", i, ",", i,
                    "\n");
  }
  ImportOutcome out = importer.RunContacts(data);
  EXPECT_THAT(out.errors, IsEmpty());
  EXPECT_EQ(out.counters.at("TOTAL_ROWS"), kRows);
  EXPECT_EQ(out.counters.at("UNIQUE_OBJECTS_WRITTEN"), kRows);
  EXPECT_EQ(crm.Count("0-1"), kRows);
}

TEST(MappedObjectTypeIdsTest, DistinctInFirstSeenOrderIgnoringIgnored) {
  ImportSpec spec;
  FileSpec a;
  a.mappings = {{"x", "", "0-5", "", "", true},
                {"y", "name", "0-2", "", "", false},
                {"z", "email", "0-1", "", "", false}};
  FileSpec b;
  b.mappings = {{"w", "domain", "0-2", "", "", false},
                {"v", "dealname", "0-3", "", "", false}};
  spec.files = {a, b};
  EXPECT_THAT(MappedObjectTypeIds(spec), ElementsAre("0-2", "0-1", "0-3"));
}

}  // namespace
}  // namespace hubspot_emulator

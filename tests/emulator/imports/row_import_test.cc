#include "emulator/imports/row_import.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// A plan for contacts: email (column 0), firstname (1), annualrevenue (2).
FilePlan ContactPlan(WriteMode mode = WriteMode::kUpsert) {
  const ObjectTypeDefinition* contacts = FindObjectType("0-1");
  FilePlan plan;
  plan.width = 3;
  plan.width_source = "the header row";
  ObjectPlan& o = plan.objects.emplace_back();
  o.type = contacts;
  o.mode = mode;
  for (const char* name : {"email", "firstname", "annualrevenue"}) {
    o.columns.push_back({o.columns.size(), name, contacts->FindProperty(name)});
  }
  return plan;
}

// Reads the single record of `csv`, line numbers as in a file whose header
// is line 1.
class OneRow {
 public:
  explicit OneRow(std::string csv)
      : data_("h\n" + std::move(csv)), reader_(data_) {
    reader_.Next(&record_);
    reader_.Next(&record_);
  }
  const CsvRecord& record() const { return record_; }

 private:
  std::string data_;
  CsvReader reader_;
  CsvRecord record_;
};

TEST(ImportTallyTest, CountersLeaveOutZeros) {
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  EXPECT_THAT(tally.Counters(), IsEmpty());
  tally.AddRow();
  tally.AddWrite({WriteStatus::kCreated, 7}, 3);
  tally.AddWrite({WriteStatus::kUpdated, 7}, 2);
  tally.AddWrite({WriteStatus::kUpdated, 8}, 1);
  EXPECT_THAT(tally.Counters(), ElementsAre(Pair("CREATED_OBJECTS", 1),
                                            Pair("PROPERTY_VALUES_EMITTED", 6),
                                            Pair("TOTAL_ROWS", 1),
                                            Pair("UNIQUE_OBJECTS_WRITTEN", 2),
                                            Pair("UPDATED_OBJECTS", 2)));
}

TEST(ImportTallyTest, KeepsAtMostTheLimitButCountsAll) {
  std::vector<RowError> errors;
  ImportTally tally(2, &errors);
  for (int i = 0; i < 5; ++i) tally.AddError(RowError{});
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_EQ(tally.errors(), 5);
  EXPECT_EQ(tally.Counters().at("ERRORS"), 5);
}

TEST(ImportRowTest, WritesTheObjectAndCounts) {
  CrmStore crm;
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  OneRow row("Ada@Example.com, Ada ,1000\n");
  ImportRow(ContactPlan(), 0, row.record(), &crm, &tally);
  EXPECT_THAT(errors, IsEmpty());
  std::optional<CrmObject> ada =
      crm.FindByUniqueValue("0-1", "ada@example.com");
  ASSERT_TRUE(ada.has_value());
  EXPECT_THAT(ada->properties, ElementsAre(Pair("annualrevenue", "1000"),
                                           Pair("email", "ada@example.com"),
                                           Pair("firstname", "Ada")));
  EXPECT_EQ(tally.Counters().at("PROPERTY_VALUES_EMITTED"), 3);
}

TEST(ImportRowTest, ValueErrorSkipsOnlyTheValue) {
  CrmStore crm;
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  OneRow row("a@b.com,Ada,lots\n");
  ImportRow(ContactPlan(), 2, row.record(), &crm, &tally);
  ASSERT_EQ(errors.size(), 1u);
  const RowError& e = errors[0];
  EXPECT_EQ(e.error_type, "COULD_NOT_PARSE_NUMBER");
  EXPECT_EQ(e.object_type_id, "0-1");
  EXPECT_EQ(e.object_type, "CONTACT");
  EXPECT_EQ(e.file_index, 2);
  EXPECT_EQ(e.line_number, 2);
  EXPECT_THAT(e.row_data, ElementsAre("a@b.com", "Ada", "lots"));
  EXPECT_EQ(e.invalid_value, "lots");
  EXPECT_EQ(e.known_column_number, 3);
  std::optional<CrmObject> c = crm.FindByUniqueValue("0-1", "a@b.com");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->properties.count("annualrevenue"), 0u);
  EXPECT_EQ(tally.Counters().at("PROPERTY_VALUES_EMITTED"), 2);
}

TEST(ImportRowTest, InvalidKeySkipsTheObject) {
  CrmStore crm;
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  OneRow row("foo@,Ada,lots\n");
  ImportRow(ContactPlan(), 0, row.record(), &crm, &tally);
  ASSERT_EQ(errors.size(), 2u);  // both problems are reported
  EXPECT_EQ(errors[0].error_type, "INVALID_EMAIL");
  EXPECT_EQ(errors[0].message, "Email address foo@ is invalid");
  EXPECT_EQ(errors[1].error_type, "COULD_NOT_PARSE_NUMBER");
  EXPECT_EQ(crm.Count("0-1"), 0);
  EXPECT_EQ(tally.Counters().count("CREATED_OBJECTS"), 0u);
}

TEST(ImportRowTest, RowLevelErrorsAreAttributedToTheFirstObjectType) {
  CrmStore crm;
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  OneRow row("a@b.com,Ada\n");
  ImportRow(ContactPlan(), 0, row.record(), &crm, &tally);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].error_type, "INCORRECT_NUMBER_OF_COLUMNS");
  EXPECT_EQ(errors[0].object_type, "CONTACT");
  EXPECT_EQ(errors[0].message, "Row has 2 columns but the header row has 3");
  EXPECT_EQ(errors[0].known_column_number, -1);
  EXPECT_EQ(crm.Count("0-1"), 0);
}

TEST(ImportRowTest, ErrorsShowValidUtf8) {
  CrmStore crm;
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  OneRow row("a@b.com,caf\xE9,1\n");
  ImportRow(ContactPlan(), 0, row.record(), &crm, &tally);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].error_type, "COULD_NOT_PARSE_ROW");
  EXPECT_EQ(errors[0].known_column_number, 2);
  EXPECT_EQ(errors[0].invalid_value, "caf\xEF\xBF\xBD");
  EXPECT_THAT(errors[0].row_data,
              ElementsAre("a@b.com", "caf\xEF\xBF\xBD", "1"));
  EXPECT_EQ(crm.Count("0-1"), 0);
}

TEST(ImportRowTest, RefusedWritesAreErrorsWithTheKeyColumn) {
  CrmStore crm;
  std::vector<RowError> errors;
  ImportTally tally(10, &errors);
  OneRow row("a@b.com,Ada,\n");
  ImportRow(ContactPlan(WriteMode::kUpdate), 0, row.record(), &crm, &tally);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].error_type, "UPDATE_ONLY_IMPORT");
  EXPECT_EQ(errors[0].message,
            "No contact with email a@b.com exists; this import only updates "
            "contacts");
  EXPECT_EQ(errors[0].known_column_number, 1);
  EXPECT_EQ(errors[0].invalid_value, "a@b.com");
}

}  // namespace
}  // namespace hubspot_emulator

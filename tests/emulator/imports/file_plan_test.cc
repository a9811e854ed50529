#include "emulator/imports/file_plan.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;

ColumnMapping Map(std::string column, std::string property, std::string type_id,
                  bool ignored = false) {
  ColumnMapping m;
  m.column_name = std::move(column);
  m.property_name = std::move(property);
  m.object_type_id = std::move(type_id);
  m.ignored = ignored;
  return m;
}

TEST(FilePlanTest, HeaderColumnsMatchIgnoringCaseAndSpaces) {
  ImportSpec spec;
  spec.date_format = "DAY_MONTH_YEAR";
  spec.import_operations["0-2"] = "CREATE";
  FileSpec file;
  file.mappings = {Map("Email", "email", "0-1"), Map("company", "name", "0-2"),
                   Map("First", "firstname", "0-1"),
                   Map("skip", "", "", /*ignored=*/true),
                   Map("Fav", "favorite_color", "0-1")};
  const std::vector<std::string> header = {"first ", "COMPANY", "x", " email",
                                           "fav"};
  absl::StatusOr<FilePlan> plan = PlanFile(spec, file, &header, header.size());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->width, 5u);
  EXPECT_STREQ(plan->width_source, "the header row");
  EXPECT_EQ(plan->date_order, DateOrder::kDayMonthYear);
  ASSERT_EQ(plan->objects.size(), 2u);
  const ObjectPlan& contacts = plan->objects[0];
  EXPECT_EQ(contacts.type->object_type_id, "0-1");
  EXPECT_EQ(contacts.mode, WriteMode::kUpsert);
  ASSERT_EQ(contacts.columns.size(), 3u);
  EXPECT_EQ(contacts.columns[0].column, 3u);
  EXPECT_EQ(contacts.columns[0].property->name, "email");
  EXPECT_EQ(contacts.columns[1].column, 0u);
  EXPECT_EQ(contacts.columns[2].column, 4u);
  EXPECT_EQ(contacts.columns[2].property, nullptr);  // no such property
  EXPECT_EQ(contacts.columns[2].property_name, "favorite_color");
  const ObjectPlan& companies = plan->objects[1];
  EXPECT_EQ(companies.type->object_type_id, "0-2");
  EXPECT_EQ(companies.mode, WriteMode::kCreate);
  EXPECT_EQ(companies.columns[0].column, 1u);
}

TEST(FilePlanTest, WithoutHeaderMappingsArePositions) {
  ImportSpec spec;
  FileSpec file;
  file.has_header = false;
  file.mappings = {Map("", "", "", true), Map("", "email", "0-1"),
                   Map("", "dealname", "0-3")};
  absl::StatusOr<FilePlan> plan = PlanFile(spec, file, nullptr, 3);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_STREQ(plan->width_source, "the first row");
  EXPECT_EQ(plan->date_order, DateOrder::kMonthDayYear);
  ASSERT_EQ(plan->objects.size(), 2u);
  EXPECT_EQ(plan->objects[0].columns[0].column, 1u);
  EXPECT_EQ(plan->objects[1].columns[0].column, 2u);
}

TEST(FilePlanTest, ColumnMissingFromTheHeader) {
  ImportSpec spec;
  FileSpec file;
  file.mappings = {Map("Email", "email", "0-1"), Map("Phone", "phone", "0-1")};
  const std::vector<std::string> header = {"email", "name"};
  absl::StatusOr<FilePlan> plan = PlanFile(spec, file, &header, 2);
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.status().message(),
              HasSubstr("columnMappings[1] reads column \"Phone\", which is "
                        "not in the header row"));
}

TEST(FilePlanTest, ColumnTwiceInTheHeader) {
  ImportSpec spec;
  FileSpec file;
  file.mappings = {Map("email", "email", "0-1")};
  const std::vector<std::string> header = {"Email", "EMAIL"};
  absl::StatusOr<FilePlan> plan = PlanFile(spec, file, &header, 2);
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.status().message(), HasSubstr("more than once"));
  // A duplicate no mapping reads is harmless.
  file.mappings = {Map("other", "firstname", "0-1")};
  const std::vector<std::string> header2 = {"Email", "EMAIL", "other"};
  EXPECT_TRUE(PlanFile(spec, file, &header2, 3).ok());
}

TEST(FilePlanTest, WriteModes) {
  ImportSpec spec;
  spec.import_operations = {
      {"0-1", "UPDATE"}, {"0-3", "CREATE"}, {"0-5", "UPSERT"}};
  EXPECT_EQ(WriteModeFor(spec, "0-1"), WriteMode::kUpdate);
  EXPECT_EQ(WriteModeFor(spec, "0-3"), WriteMode::kCreate);
  EXPECT_EQ(WriteModeFor(spec, "0-5"), WriteMode::kUpsert);
  EXPECT_EQ(WriteModeFor(spec, "0-2"), WriteMode::kUpsert);
}

}  // namespace
}  // namespace hubspot_emulator

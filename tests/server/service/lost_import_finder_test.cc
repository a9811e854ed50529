#include "server/service/lost_import_finder.h"

#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "server/common/json.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using google::protobuf::util::TimeUtil;

const absl::Time kSent = absl::FromUnixSeconds(1700000000);

v1::Import Import(absl::string_view request_json, absl::Time created) {
  v1::Import import;
  *import.mutable_import_request_json() = *ParseJsonObject(request_json);
  *import.mutable_created_at() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(created));
  return import;
}

LostUpload Upload() {
  LostUpload upload;
  upload.import_name = "Q3 leads";
  upload.file_names = {"a.csv", "b.csv"};
  upload.sent_at = kSent;
  return upload;
}

constexpr char kEcho[] =
    R"({"name":"Q3 leads","files":[{"fileName":"a.csv"},{"fileName":"b.csv"}]})";

TEST(LooksLikeTest, SameNameFilesAndTimeMatch) {
  EXPECT_TRUE(LooksLike(Import(kEcho, kSent + absl::Seconds(1)), Upload()));
  // HubSpot's clock may run a little behind the gateway's.
  EXPECT_TRUE(LooksLike(Import(kEcho, kSent - absl::Seconds(30)), Upload()));
}

TEST(LooksLikeTest, OlderImportsAreNotIt) {
  EXPECT_FALSE(LooksLike(Import(kEcho, kSent - absl::Minutes(5)), Upload()));
}

TEST(LooksLikeTest, OtherNameOrFilesAreNotIt) {
  EXPECT_FALSE(LooksLike(
      Import(R"({"name":"Q4 leads","files":[{"fileName":"a.csv"},{"fileName":"b.csv"}]})",
             kSent),
      Upload()));
  EXPECT_FALSE(LooksLike(
      Import(R"({"name":"Q3 leads","files":[{"fileName":"a.csv"}]})", kSent),
      Upload()));
  EXPECT_FALSE(LooksLike(
      Import(R"({"name":"Q3 leads","files":[{"fileName":"b.csv"},{"fileName":"a.csv"}]})",
             kSent),
      Upload()));
}

TEST(LooksLikeTest, WithoutCreationTimeItCannotBeTold) {
  v1::Import import = Import(kEcho, kSent);
  import.clear_created_at();
  EXPECT_FALSE(LooksLike(import, Upload()));
}

TEST(LooksLikeTest, NameFallsBackToImportName) {
  v1::Import import =
      Import(R"({"files":[{"fileName":"a.csv"},{"fileName":"b.csv"}]})", kSent);
  import.set_import_name("Q3 leads");
  EXPECT_TRUE(LooksLike(import, Upload()));
}

}  // namespace
}  // namespace hubspot_gateway

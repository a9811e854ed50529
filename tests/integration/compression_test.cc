// hubspot.compression as the emulator sees it on the wire: AUTO asks for
// compressed answers and decodes them, NEVER does not, ALWAYS also sends
// uploads gzip-compressed (Content-Encoding: gzip).

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

constexpr char kToken[] = "pat-compression-test-token";

class CompressionTest : public ::testing::Test {
 protected:
  void Start(absl::string_view compression) {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    options.flags = {"--started_for=0s", "--processing_for=1h"};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    gateway_ = StartGatewayFor(
        dir_, *emulator_, kToken,
        compression.empty()
            ? ""
            : absl::StrCat(R"("compression": ")", compression, R"(",)"));
    ASSERT_NE(gateway_, nullptr);
  }

  // Uploads the sample CSV; the import.
  v1::Import UploadSample() {
    v1::StartImportRequest start;
    start.mutable_start()->set_import_request_json(
        ReadSample("contacts.import.json"));
    start.mutable_start()->add_files()->set_file_name("contacts.csv");
    v1::Import import;
    grpc::Status status = SendStartImport(
        gateway_->stub(),
        {start, Chunk(0, ReadSample("contacts.csv")), End()}, &import);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return import;
  }

  double State(const std::string& field) {
    return emulator_->State().fields().at(field).number_value();
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(CompressionTest, AutoAsksForCompressedAnswersAndDecodesThem) {
  Start("");  // the default
  const v1::Import import = UploadSample();
  EXPECT_EQ(State("gzipRequests"), 0);
  v1::Import again;
  ASSERT_TRUE(gateway_->GetImport(import.id(), &again).ok());
  EXPECT_EQ(again.import_name(), "Pioneers of computing");
  // The upload's answer and GetImport's came gzip-compressed.
  EXPECT_GE(State("gzipResponses"), 2);
}

TEST_F(CompressionTest, NeverAsksForNothing) {
  Start("COMPRESSION_NEVER");
  const v1::Import import = UploadSample();
  v1::Import again;
  ASSERT_TRUE(gateway_->GetImport(import.id(), &again).ok());
  EXPECT_EQ(State("gzipResponses"), 0);
  EXPECT_EQ(State("gzipRequests"), 0);
}

TEST_F(CompressionTest, AlwaysSendsUploadsCompressed) {
  Start("COMPRESSION_ALWAYS");
  const v1::Import import = UploadSample();
  EXPECT_EQ(State("gzipRequests"), 1);
  EXPECT_GE(State("gzipResponses"), 1);
  // HubSpot (the emulator) read the rows through the compression.
  emulator_->Control("advance", R"({"by": "2h"})");
  v1::Import done;
  ASSERT_TRUE(gateway_->GetImport(import.id(), &done).ok());
  EXPECT_EQ(done.metadata().counters().at("TOTAL_ROWS"), 12);
  EXPECT_EQ(done.metadata().counters().at("ERRORS"), 4);
}

}  // namespace
}  // namespace hubspot_gateway::testing

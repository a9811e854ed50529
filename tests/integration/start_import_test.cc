// StartImport end to end: files stream through the gateway into HubSpot's
// multipart POST; HubSpot sees a complete upload only when the caller's
// stream completed and every file arrived whole.

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-upload-test-token";

// Spool files the gateway still has: names in `dir` and open descriptors of
// files there (anonymous spool files show as "<dir>/#… (deleted)").
int SpoolFiles(pid_t gateway, const std::string& dir) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind(".hubspot-upload-", 0) == 0) {
      ++count;
    }
  }
  for (const auto& fd : std::filesystem::directory_iterator(
           absl::StrCat("/proc/", gateway, "/fd"))) {
    std::error_code ignored;
    const std::string target =
        std::filesystem::read_symlink(fd.path(), ignored).string();
    if (target.rfind(dir + "/", 0) == 0) ++count;
  }
  return count;
}

// The largest of the gateway's open spool files, in bytes.
int64_t LargestSpoolFile(pid_t gateway, const std::string& dir) {
  int64_t largest = 0;
  for (const auto& fd : std::filesystem::directory_iterator(
           absl::StrCat("/proc/", gateway, "/fd"))) {
    std::error_code ignored;
    const std::string target =
        std::filesystem::read_symlink(fd.path(), ignored).string();
    if (target.rfind(dir + "/", 0) != 0) continue;
    struct stat st;
    if (stat(fd.path().c_str(), &st) == 0) {
      largest = std::max<int64_t>(largest, st.st_size);
    }
  }
  return largest;
}

// Uploads with limits: `upload_fields` go into the config's "upload" object.
class StartImportLimitTest : public FakeAndGatewayTest {
 protected:
  void StartWithUploadConfig(absl::string_view upload_fields) {
    StartFakeAndGateway(
        kToken, "",
        absl::StrCat(R"("upload": {)", upload_fields, R"("spoolDirectory": ")",
                     dir_.path(), R"("},)"));
  }
};

class StartImportTest : public FakeAndGatewayTest {
 protected:
  void SetUp() override {
    StartFakeAndGateway(kToken, "",
                        absl::StrCat(R"("upload": {"spoolDirectory": ")",
                                     dir_.path(), R"("},)"));
  }

  // Sends `messages` then half-closes; the call's status.
  grpc::Status Send(const std::vector<v1::StartImportRequest>& messages,
                    v1::Import* import) {
    return SendStartImport(gateway_->stub(), messages, import);
  }

  void TearDown() override {
    // No spool file is ever left with a name, whatever the outcome.
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      EXPECT_NE(entry.path().filename().string().rfind(".hubspot-upload-", 0),
                0u)
          << entry.path();
    }
  }

  // After a successful upload the spool file is closed before the caller
  // hears back.
  void ExpectSpoolClosed() {
    EXPECT_EQ(SpoolFiles(gateway_->process().pid(), dir_.path()), 0);
  }

  google::protobuf::ListValue Uploads() {
    return fake_->Control("stats").fields().at("uploads").list_value();
  }
};

TEST_F(StartImportTest, TwoFilesArriveWholeAsOneMultipartUpload) {
  const std::string a = Csv(2000);
  const std::string b = "email\nsolo@example.com\n";
  std::vector<v1::StartImportRequest> messages = {
      Start({"a.csv", "b.csv"}, {a, b}, /*declare_sizes_and_hashes=*/true)};
  for (size_t at = 0; at < a.size(); at += 7000) {
    messages.push_back(Chunk(0, absl::string_view(a).substr(at, 7000)));
  }
  messages.push_back(Chunk(1, b));
  messages.push_back(End());
  v1::Import import;
  grpc::Status status = Send(messages, &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectSpoolClosed();
  EXPECT_GE(import.id(), 1000);
  EXPECT_EQ(import.state(), v1::IMPORT_STATE_STARTED);
  EXPECT_EQ(import.import_name(), "contacts upload");

  const google::protobuf::ListValue uploads = Uploads();
  ASSERT_EQ(uploads.values_size(), 1);
  const auto& upload = uploads.values(0).struct_value().fields();
  EXPECT_EQ(
      upload.at("request").struct_value().fields().at("name").string_value(),
      "contacts upload");
  const auto& files = upload.at("files").list_value();
  ASSERT_EQ(files.values_size(), 2);
  const auto& f0 = files.values(0).struct_value().fields();
  EXPECT_EQ(f0.at("name").string_value(), "a.csv");
  EXPECT_EQ(f0.at("content_type").string_value(), "text/csv");
  EXPECT_EQ(f0.at("size").number_value(), a.size());
  EXPECT_EQ(f0.at("sha256").string_value(), Hex(Sha256(a)));
  EXPECT_EQ(files.values(1).struct_value().fields().at("sha256").string_value(),
            Hex(Sha256(b)));
}

TEST_F(StartImportTest, TypedRequestWithoutDeclaredSizesIsStreamedChunked) {
  v1::StartImportRequest start;
  v1::ImportRequest* request = start.mutable_start()->mutable_request();
  request->set_name("typed");
  (*request->mutable_import_operations())["0-1"] = v1::IMPORT_OPERATION_UPSERT;
  v1::ImportFile* file = request->add_files();
  file->set_file_name("typed.csv");
  file->set_file_format(v1::FILE_FORMAT_CSV);
  start.mutable_start()->add_files()->set_file_name("typed.csv");
  const std::string csv = Csv(100);
  v1::Import import;
  grpc::Status status = Send({start, Chunk(0, csv), End()}, &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectSpoolClosed();
  const auto uploads = Uploads();
  ASSERT_EQ(uploads.values_size(), 1);
  const auto& upload = uploads.values(0).struct_value().fields();
  EXPECT_EQ(upload.at("request")
                .struct_value()
                .fields()
                .at("importOperations")
                .struct_value()
                .fields()
                .at("0-1")
                .string_value(),
            "UPSERT");
  EXPECT_EQ(UploadedFile(uploads, 0, 0).at("sha256").string_value(),
            Hex(Sha256(csv)));
}

TEST_F(StartImportTest, ShortFileStartsNoImport) {
  const std::string a = Csv(50);
  v1::Import import;
  grpc::Status status = Send(
      {Start({"a.csv"}, {a}, true), Chunk(0, a.substr(0, a.size() / 2)), End()},
      &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("size_bytes"));
  // The body was never sealed, so no complete upload can arrive later: the
  // transfer may have been aborted mid-body or never started at all.
  EXPECT_EQ(Uploads().values_size(), 0);
}

TEST_F(StartImportTest, WrongChecksumStartsNoImport) {
  const std::string a = Csv(50);
  v1::StartImportRequest start = Start({"a.csv"}, {a}, true);
  start.mutable_start()->mutable_files(0)->set_sha256(Sha256("something else"));
  v1::Import import;
  grpc::Status status = Send({start, Chunk(0, a), End()}, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("sha256"));
  EXPECT_EQ(Uploads().values_size(), 0);
}

TEST_F(StartImportTest, MissingFileStartsNoImport) {
  const std::string a = Csv(10);
  const std::string b = Csv(10);
  v1::Import import;
  grpc::Status status = Send(
      {Start({"a.csv", "b.csv"}, {a, b}, false), Chunk(0, a), End()}, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("1 of 2 announced files"));
  EXPECT_EQ(Uploads().values_size(), 0);
}

TEST_F(StartImportTest, StreamEndingWithoutEndStartsNoImport) {
  // Every byte arrives, but the caller never confirms the upload.
  const std::string a = Csv(50);
  v1::Import import;
  grpc::Status status =
      Send({Start({"a.csv"}, {a}, true), Chunk(0, a)}, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("without `end`"));
  EXPECT_EQ(Uploads().values_size(), 0);
}

TEST_F(StartImportLimitTest, OversizedFileStartsNoImport) {
  StartWithUploadConfig(R"("maxFileBytes": 1000, )");
  const std::string a = Csv(100);  // > 1000 bytes, size not declared
  auto context = ContextWithTimeout(absl::Seconds(60));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  writer->Write(Start({"a.csv"}, {a}, false));
  writer->Write(Chunk(0, a));
  writer->Write(End());
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("upload.maxFileBytes"));
  EXPECT_EQ(
      fake_->Control("stats").fields().at("uploads").list_value().values_size(),
      0);
}

TEST_F(StartImportTest, DataBeforeTheRequestIsRefused) {
  v1::Import import;
  grpc::Status status = Send({Chunk(0, "email\n")}, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("first message"));
  EXPECT_EQ(fake_->Control("stats").fields().at("upload_bytes").number_value(),
            0);
}

TEST_F(StartImportTest, CallerCancellingMidStreamStartsNoImport) {
  const std::string a = Csv(1000);
  auto context = ContextWithTimeout(absl::Seconds(60));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  ASSERT_TRUE(writer->Write(Start({"a.csv"}, {a}, false)));
  ASSERT_TRUE(writer->Write(Chunk(0, a.substr(0, 5000))));
  // The first bytes reach HubSpot while the caller is still streaming.
  ASSERT_TRUE(fake_->Control("wait", R"({"upload_bytes": 5000})")
                  .fields()
                  .at("upload_bytes")
                  .number_value() >= 5000);
  // Its spool file exists while the upload runs.
  EXPECT_EQ(SpoolFiles(gateway_->process().pid(), dir_.path()), 1);
  context->TryCancel();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_GE(fake_->Control("wait", R"({"aborted_uploads": 1})")
                .fields()
                .at("aborted_uploads")
                .number_value(),
            1);
  EXPECT_EQ(Uploads().values_size(), 0);
}

TEST_F(StartImportLimitTest, UploadsBeyondTheConcurrencyLimitAreRefused) {
  StartWithUploadConfig(R"("maxConcurrentUploads": 1, )");
  const std::string a = Csv(100);

  auto first_context = ContextWithTimeout(absl::Seconds(60));
  v1::Import first_import;
  auto first = gateway_->stub().StartImport(first_context.get(), &first_import);
  ASSERT_TRUE(first->Write(Start({"a.csv"}, {a}, false)));
  ASSERT_TRUE(first->Write(Chunk(0, a)));
  fake_->Control("wait", R"({"upload_bytes": 1})");

  auto second_context = ContextWithTimeout(absl::Seconds(60));
  v1::Import second_import;
  auto second =
      gateway_->stub().StartImport(second_context.get(), &second_import);
  second->WritesDone();
  grpc::Status refused = second->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(),
              HasSubstr("upload.maxConcurrentUploads"));

  ASSERT_TRUE(first->Write(End()));
  first->WritesDone();
  grpc::Status status = first->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
}

constexpr char kWindow8MiB[] = R"("spoolWindowBytes": "8388608", )";

TEST_F(StartImportLimitTest, UploadLargerThanTheSpoolWindowArrivesWhole) {
  StartWithUploadConfig(kWindow8MiB);
  // 24 MiB in chunks that do not divide the window: the ring wraps mid-chunk.
  const std::string csv = Csv(700000);
  ASSERT_GT(csv.size(), size_t{24} << 20);
  auto context = ContextWithTimeout(absl::Seconds(120));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  ASSERT_TRUE(writer->Write(Start({"big.csv"}, {csv}, true)));
  const size_t step = 1000003;
  int64_t largest = 0;
  for (size_t at = 0; at < csv.size(); at += step) {
    ASSERT_TRUE(writer->Write(Chunk(0, csv.substr(at, step))));
    largest = std::max(largest,
                       LargestSpoolFile(gateway_->process().pid(), dir_.path()));
  }
  ASSERT_TRUE(writer->Write(End()));
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The disk held at most the window, never the file.
  EXPECT_GT(largest, 0);
  EXPECT_LE(largest, int64_t{8} << 20);
  const auto uploads =
      fake_->Control("stats").fields().at("uploads").list_value();
  ASSERT_EQ(uploads.values_size(), 1);
  EXPECT_EQ(UploadedFile(uploads, 0, 0).at("sha256").string_value(),
            Hex(Sha256(csv)));
}

TEST_F(StartImportLimitTest, RefusalAfterTheSpoolWindowMovedOnIsNotResent) {
  StartWithUploadConfig(kWindow8MiB);
  // HubSpot refuses once 12 MiB arrived: the body's start has left the
  // 8 MiB spool, so the gateway cannot send it again; nothing was created,
  // so the caller's own retry with the same key goes through.
  fake_->Control(
      "respond",
      R"({"path":"/crm/v3/imports","after_bytes":12582912,"status":429,)"
      R"("headers":{"Retry-After":"0"},"body":{"status":"error","message":)"
      R"("You have reached your secondly limit.","errorType":"RATE_LIMIT",)"
      R"("policyName":"TEN_SECONDLY_ROLLING"}})");
  const std::string csv = Csv(700000);
  auto upload = [&csv] {
    v1::StartImportRequest start = Start({"big.csv"}, {csv}, true);
    start.mutable_start()->set_idempotency_key("window-key");
    std::vector<v1::StartImportRequest> messages = {start};
    for (size_t at = 0; at < csv.size(); at += 1 << 20) {
      messages.push_back(Chunk(0, csv.substr(at, 1 << 20)));
    }
    messages.push_back(End());
    return messages;
  };
  v1::Import import;
  grpc::Status status = SendStartImport(gateway_->stub(), upload(), &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  auto stats = fake_->Control("stats").fields();
  EXPECT_EQ(stats.at("upload_attempts").number_value(), 1);
  EXPECT_EQ(stats.at("uploads").list_value().values_size(), 0);
  EXPECT_THAT(gateway_->Log(), HasSubstr("no longer in the spool window"));

  status = SendStartImport(gateway_->stub(), upload(), &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  stats = fake_->Control("stats").fields();
  EXPECT_EQ(stats.at("upload_attempts").number_value(), 2);
  EXPECT_EQ(stats.at("uploads").list_value().values_size(), 1);
}

int64_t PeakRssKiB(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

TEST_F(StartImportTest, LargeFileStreamsInBoundedMemory) {
  // 96 MiB in 1 MiB chunks, size unknown to the gateway.
  const std::string chunk(1 << 20, 'x');
  const int chunks = 96;
  const int64_t before = PeakRssKiB(gateway_->process().pid());
  auto context = ContextWithTimeout(absl::Seconds(120));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  ASSERT_TRUE(writer->Write(Start({"big.csv"}, {""}, false)));
  for (int i = 0; i < chunks; ++i) ASSERT_TRUE(writer->Write(Chunk(0, chunk)));
  ASSERT_TRUE(writer->Write(End()));
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  const int64_t after = PeakRssKiB(gateway_->process().pid());
#ifndef __SANITIZE_ADDRESS__
  // (AddressSanitizer keeps freed memory in quarantine: RSS says nothing.)
  EXPECT_LT(after - before, 40 * 1024)
      << "peak RSS grew from " << before << " KiB to " << after << " KiB";
#else
  (void)before;
  (void)after;
#endif
  const auto uploads = Uploads();
  ASSERT_EQ(uploads.values_size(), 1);
  EXPECT_EQ(UploadedFile(uploads, 0, 0).at("size").number_value(),
            static_cast<double>(chunks) * chunk.size());
}

}  // namespace
}  // namespace hubspot_gateway::testing

// StartImport sent again, or not: the gateway resends an upload from its own
// copy only when HubSpot cannot have created the import, never after an
// unknown outcome; an idempotency key makes a caller's own retry return the
// import already created.

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-upload-retry-token";

class StartImportRetryTest : public FakeAndGatewayTest {
 protected:
  void SetUp() override {
    StartFakeAndGateway(
        kToken, R"("retry": {"interval": "0.01s", "maxWaitInterval": "0.05s"},)",
        absl::StrCat(R"("upload": {"spoolDirectory": ")", dir_.path(),
                     R"("},)"));
  }

  // Scripts the next answer to an upload; `fields` as the stand-in's
  // /__control/respond takes them.
  void ScriptUpload(absl::string_view fields) {
    fake_->Control("respond", absl::StrCat(R"({"path":"/crm/v3/imports",)",
                                           fields, "}"));
  }

  grpc::Status Send(const std::vector<v1::StartImportRequest>& messages,
                    v1::Import* import) {
    return SendStartImport(gateway_->stub(), messages, import);
  }

  double Stat(absl::string_view name) {
    return fake_->Control("stats").fields().at(std::string(name)).number_value();
  }
  google::protobuf::ListValue Uploads() {
    return fake_->Control("stats").fields().at("uploads").list_value();
  }

  // Streams half of `csv`, lets the stand-in refuse that first attempt as
  // `script` says, and sees the gateway start over from its copy while the
  // caller is still streaming; then completes the upload.
  void ExpectResentMidStream(absl::string_view script) {
    ScriptUpload(script);
    const std::string csv = Csv(3000);
    auto context = ContextWithTimeout(absl::Seconds(60));
    v1::Import import;
    auto writer = gateway_->stub().StartImport(context.get(), &import);
    ASSERT_TRUE(writer->Write(Start({"a.csv"}, {csv}, true)));
    const size_t half = csv.size() / 2;
    ASSERT_TRUE(writer->Write(Chunk(0, csv.substr(0, half))));
    EXPECT_EQ(fake_->Control("wait", R"({"refused_uploads": 1})")
                  .fields()
                  .at("refused_uploads")
                  .number_value(),
              1);
    // While an HTTP/1.1 upload waits for the caller's bytes, libcurl learns
    // of the refusal only when it sends again (a closed connection may even
    // take a second send): small chunks until the second attempt starts.
    size_t sent = half;
    while (sent < csv.size() &&
           fake_->Control("wait", R"({"upload_attempts": 2, "timeout": 0.2})")
                   .fields()
                   .at("upload_attempts")
                   .number_value() < 2) {
      ASSERT_TRUE(writer->Write(Chunk(0, csv.substr(sent, 64))));
      sent += 64;
    }
    ASSERT_LT(sent, csv.size()) << "the upload was not resent mid-stream";
    ASSERT_TRUE(writer->Write(Chunk(0, csv.substr(sent))));
    ASSERT_TRUE(writer->Write(End()));
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    const auto uploads = Uploads();
    ASSERT_EQ(uploads.values_size(), 1);
    EXPECT_EQ(UploadedFile(uploads, 0, 0).at("sha256").string_value(),
              Hex(Sha256(csv)));
    EXPECT_EQ(Stat("upload_attempts"), 2);
    EXPECT_EQ(Stat("refused_uploads"), 1);
    EXPECT_THAT(gateway_->Log(), HasSubstr("retrying HubSpot call"));
  }
};

TEST_F(StartImportRetryTest, RateLimitedBeforeTheBodyIsResentFromTheCopy) {
  ExpectResentMidStream(
      R"("before_body":true,"status":429,"headers":{"Retry-After":"0"},)"
      R"("body":{"status":"error","message":"You have reached your )"
      R"(secondly limit.","errorType":"RATE_LIMIT","correlationId":"c-429",)"
      R"("policyName":"TEN_SECONDLY_ROLLING"})");
}

TEST_F(StartImportRetryTest, ConnectionLostBeforeTheBodyIsResentFromTheCopy) {
  ExpectResentMidStream(R"("before_body":true,"drop":true)");
}

TEST_F(StartImportRetryTest, RateLimitedCompleteUploadIsResent) {
  // HubSpot's 429 means it did not act on the request, even after reading
  // all of it.
  ScriptUpload(R"("status":429,"body":{"status":"error","message":"slow )"
               R"(down","policyName":"TEN_SECONDLY_ROLLING"})");
  const std::string csv = Csv(10);
  v1::Import import;
  grpc::Status status =
      Send({Start({"a.csv"}, {csv}, false), Chunk(0, csv), End()}, &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Stat("upload_attempts"), 2);
  EXPECT_EQ(Uploads().values_size(), 1);
}

TEST_F(StartImportRetryTest, UnknownOutcomeIsNotSentTwice) {
  // The whole body arrived and the connection died before an answer:
  // HubSpot may have created the import, so it is not sent again.
  ScriptUpload(R"("drop":true)");
  const std::string csv = Csv(10);
  v1::Import import;
  grpc::Status status =
      Send({Start({"a.csv"}, {csv}, false), Chunk(0, csv), End()}, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Stat("upload_attempts"), 1);
}

TEST_F(StartImportRetryTest, ServerErrorAfterTheWholeBodyIsNotSentTwice) {
  ScriptUpload(R"("status":503,"body":{"status":"error","message":"oops"})");
  const std::string csv = Csv(10);
  v1::Import import;
  grpc::Status status =
      Send({Start({"a.csv"}, {csv}, false), Chunk(0, csv), End()}, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Stat("upload_attempts"), 1);
}

std::vector<v1::StartImportRequest> KeyedUpload(absl::string_view key,
                                                const std::string& csv) {
  v1::StartImportRequest start = Start({"a.csv"}, {csv}, false);
  start.mutable_start()->set_idempotency_key(std::string(key));
  return {start, Chunk(0, csv), End()};
}

TEST_F(StartImportRetryTest, SameKeyAndContentReturnTheSameImport) {
  const std::string csv = Csv(100);
  v1::Import first;
  grpc::Status status = Send(KeyedUpload("key-1", csv), &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::Import second;
  status = Send(KeyedUpload("key-1", csv), &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(second.id(), first.id());
  EXPECT_EQ(second.import_name(), first.import_name());
  EXPECT_EQ(Uploads().values_size(), 1);
  EXPECT_EQ(Stat("upload_attempts"), 1);

  // Another key is another import.
  v1::Import third;
  ASSERT_TRUE(Send(KeyedUpload("key-2", csv), &third).ok());
  EXPECT_NE(third.id(), first.id());
  EXPECT_EQ(Uploads().values_size(), 2);
}

TEST_F(StartImportRetryTest, SameKeyWithOtherContentIsRefused) {
  v1::Import first;
  ASSERT_TRUE(Send(KeyedUpload("key-1", Csv(100)), &first).ok());
  v1::Import second;
  grpc::Status status = Send(KeyedUpload("key-1", Csv(101)), &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr("idempotency_key"));
  EXPECT_EQ(Uploads().values_size(), 1);
}

TEST_F(StartImportRetryTest, RepeatWhileTheFirstRunsGetsItsImport) {
  const std::string csv = Csv(500);
  auto context = ContextWithTimeout(absl::Seconds(60));
  v1::Import first;
  auto writer = gateway_->stub().StartImport(context.get(), &first);
  std::vector<v1::StartImportRequest> messages = KeyedUpload("key-r", csv);
  ASSERT_TRUE(writer->Write(messages[0]));
  ASSERT_TRUE(writer->Write(messages[1]));

  // The repeat arrives while the first is still streaming.
  v1::Import second;
  grpc::Status second_status;
  std::thread repeat([&] { second_status = Send(messages, &second); });
  EXPECT_TRUE(gateway_->process()
                  .WaitForOutput("StartImport repeats an idempotency key",
                                 absl::Seconds(10))
                  .has_value());

  ASSERT_TRUE(writer->Write(messages[2]));
  writer->WritesDone();
  grpc::Status first_status = writer->Finish();
  repeat.join();
  ASSERT_TRUE(first_status.ok()) << first_status.error_message();
  ASSERT_TRUE(second_status.ok()) << second_status.error_message();
  EXPECT_EQ(second.id(), first.id());
  EXPECT_EQ(Stat("upload_attempts"), 1);
}

TEST_F(StartImportRetryTest, KeyOfARefusedUploadCanBeUsedAgain) {
  ScriptUpload(R"("status":400,"body":{"status":"error","message":"bad )"
               R"(column mapping","category":"VALIDATION_ERROR"})");
  const std::string csv = Csv(10);
  v1::Import import;
  EXPECT_EQ(Send(KeyedUpload("key-x", csv), &import).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status status = Send(KeyedUpload("key-x", csv), &import);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Uploads().values_size(), 1);
}

TEST_F(StartImportRetryTest, KeyOfAnUnknownOutcomeIsNotUploadedAgain) {
  ScriptUpload(R"("drop":true)");
  const std::string csv = Csv(10);
  v1::Import import;
  EXPECT_EQ(Send(KeyedUpload("key-u", csv), &import).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  grpc::Status status = Send(KeyedUpload("key-u", csv), &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("ListImports"));
  EXPECT_EQ(Stat("upload_attempts"), 1);
}

TEST_F(StartImportRetryTest, MalformedKeyIsRefused) {
  v1::Import import;
  grpc::Status status = Send(KeyedUpload("two words", Csv(1)), &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("idempotency_key"));
  EXPECT_EQ(Stat("upload_attempts"), 0);
}

}  // namespace
}  // namespace hubspot_gateway::testing

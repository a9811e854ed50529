// Callers who hold resources: a StartImport stream that goes quiet or
// trickles is ended (upload.idleTimeout, minReceiveBytesPerSecond), and one
// caller's calls and uploads are bounded (maxConcurrentCalls/Uploads).

#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-hardening-test-token";

v1::StartImportRequest SampleStart() {
  v1::StartImportRequest start;
  start.mutable_start()->set_import_request_json(
      ReadSample("contacts.import.json"));
  start.mutable_start()->add_files()->set_file_name("contacts.csv");
  return start;
}

class HardeningTest : public ::testing::Test {
 protected:
  void StartBoth(absl::string_view upload_json, absl::string_view access_json) {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    gateway_ = Gateway::Start(
        dir_,
        absl::StrCat(
            R"({"listenAddress": "127.0.0.1:0", "allowPlaintext": true, )",
            R"("access": )", access_json, R"(, "upload": )", upload_json,
            R"(, "hubspot": {"baseUrl": ")", emulator_->base_url(),
            R"(", "rateLimit": {"requestsPerInterval": 0}, )",
            R"("credentials": {"privateAppToken": {"env": "HS"}}}})"),
        {{"HS", kToken}});
    ASSERT_NE(gateway_, nullptr);
  }

  double Imports() {
    return emulator_->State().fields().at("imports").number_value();
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
};

constexpr char kEveryone[] =
    R"({"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START",
        "PERMISSION_CANCEL"]})";

TEST_F(HardeningTest, QuietStreamIsEndedAfterTheIdleTimeout) {
  StartBoth(R"({"idleTimeout": "1s", "minReceiveBytesPerSecond": 0})",
            kEveryone);
  auto context = ContextWithTimeout(absl::Seconds(30));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  ASSERT_TRUE(writer->Write(SampleStart()));
  // And then nothing: the call ends on the gateway's side, long before the
  // caller's own 30 s deadline.
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(), HasSubstr("upload.idleTimeout"));
  EXPECT_EQ(Imports(), 0);
}

TEST_F(HardeningTest, TricklingStreamIsEnded) {
  StartBoth(R"({"idleTimeout": "1s", "minReceiveBytesPerSecond": 100000})",
            kEveryone);
  auto context = ContextWithTimeout(absl::Seconds(30));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  ASSERT_TRUE(writer->Write(SampleStart()));
  // A slow-loris caller: a few bytes every 50 ms, never long enough quiet
  // for the idle timeout. (The pause is the behaviour under test.)
  // The gateway ends the call after about a second; writes may go on
  // being accepted locally for a while, so the loop stops at 3 s.
  const std::string csv = ReadSample("contacts.csv");
  for (size_t at = 0; at < 60 * 8 && at < csv.size(); at += 8) {
    if (!writer->Write(Chunk(0, csv.substr(at, 8)))) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("upload.minReceiveBytesPerSecond"));
  EXPECT_EQ(Imports(), 0);
}

TEST_F(HardeningTest, CallersUploadsAndCallsAreBounded) {
  StartBoth("{}",
            R"({"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START"],
                "anonymousMaxConcurrentUploads": 1,
                "anonymousMaxConcurrentCalls": 2})");
  // One upload held open.
  auto held_context = ContextWithTimeout(absl::Seconds(30));
  v1::Import held_import;
  auto held = gateway_->stub().StartImport(held_context.get(), &held_import);
  ASSERT_TRUE(held->Write(SampleStart()));
  // A second upload is refused. (The held call takes its slot when the
  // gateway has received it, which the caller cannot observe: until then
  // the probe, an upload HubSpot would refuse, gets INVALID_ARGUMENT.)
  v1::Import import;
  v1::StartImportRequest invalid = SampleStart();
  invalid.mutable_start()->set_import_request_json("{}");
  grpc::Status second;
  const absl::Time held_by = absl::Now() + absl::Seconds(10);
  do {
    second = SendStartImport(gateway_->stub(), {invalid}, &import);
  } while (second.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED &&
           absl::Now() < held_by);
  EXPECT_EQ(second.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(second.error_message(),
              HasSubstr("1 uploads in progress "
                        "(access.anonymousMaxConcurrentUploads)"));
  // ...a read still fits (two calls)...
  EXPECT_EQ(gateway_->GetImport(1).error_code(), grpc::StatusCode::NOT_FOUND);
  // ...and once the held upload ends, uploads are possible again.
  held_context->TryCancel();
  EXPECT_EQ(held->Finish().error_code(), grpc::StatusCode::CANCELLED);
  grpc::Status again;
  // The gateway learns of the cancellation asynchronously: the slot frees
  // when that call's reactor is done.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  do {
    again = SendStartImport(gateway_->stub(),
                            {SampleStart(), Chunk(0, ReadSample("contacts.csv")),
                             End()},
                            &import);
  } while (again.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
           absl::Now() < give_up);
  EXPECT_TRUE(again.ok()) << again.error_code() << ": " << again.error_message();
}

TEST_F(HardeningTest, CallsBeyondTheCallersLimitAreRefused) {
  StartBoth("{}",
            R"({"anonymousPermissions": ["PERMISSION_READ", "PERMISSION_START"],
                "anonymousMaxConcurrentCalls": 1})");
  auto held_context = ContextWithTimeout(absl::Seconds(30));
  v1::Import held_import;
  auto held = gateway_->stub().StartImport(held_context.get(), &held_import);
  ASSERT_TRUE(held->Write(SampleStart()));
  // Until the gateway has received the held call, reads still pass.
  grpc::Status status;
  const absl::Time held_by = absl::Now() + absl::Seconds(10);
  do {
    status = gateway_->GetImport(1);
  } while (status.error_code() == grpc::StatusCode::NOT_FOUND &&
           absl::Now() < held_by);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("1 calls in progress "
                        "(access.anonymousMaxConcurrentCalls)"));
  held_context->TryCancel();
  held->Finish();
}

}  // namespace
}  // namespace hubspot_gateway::testing

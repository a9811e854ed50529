// Time and cancellation: the caller's deadline and the configured timeout
// bound a HubSpot call, a cancelled RPC aborts its transfer, and SIGTERM
// drains in-flight calls before the gateway exits 0.

#include <signal.h>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-na1-lifecycle-token";
constexpr char kPath[] = "/crm/v3/imports/101";

class LifecycleTest : public FakeAndGatewayTest {
 protected:
  void Start(absl::string_view extra_hubspot = "",
             absl::string_view extra_top = "") {
    StartFakeAndGateway(kToken, extra_hubspot, extra_top);
  }

  // Starts GetImport(101) without waiting for it.
  struct PendingCall {
    grpc::ClientContext context;
    v1::GetImportRequest request;
    v1::Import response;
    grpc::Status status;
    absl::Notification done;
  };
  std::unique_ptr<PendingCall> StartGet(absl::Duration timeout) {
    auto call = std::make_unique<PendingCall>();
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    call->request.set_import_id(101);
    PendingCall* raw = call.get();
    gateway_->stub().async()->GetImport(&raw->context, &raw->request,
                                        &raw->response, [raw](grpc::Status s) {
                                          raw->status = std::move(s);
                                          raw->done.Notify();
                                        });
    return call;
  }
};

TEST_F(LifecycleTest, CallersDeadlineBoundsTheHubSpotCall) {
  Start();
  fake_->Hang(kPath);
  auto call = StartGet(absl::Milliseconds(500));
  ASSERT_TRUE(call->done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ(call->status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The gateway gave up on HubSpot too: the held request was abandoned.
  EXPECT_TRUE(fake_->WaitFor(/*held=*/1, /*aborted=*/1));
}

TEST_F(LifecycleTest, ConfiguredTimeoutBoundsCallsWithoutADeadline) {
  Start(R"("timeout": "0.3s",)");
  fake_->Hang(kPath);
  v1::GetImportRequest request;
  request.set_import_id(101);
  v1::Import import;
  grpc::ClientContext context;  // no deadline
  grpc::Status status = gateway_->stub().GetImport(&context, request, &import);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(), HasSubstr("did not answer in time"));
  EXPECT_TRUE(fake_->WaitFor(1, 1));
}

TEST_F(LifecycleTest, CancelledRpcAbortsItsTransfer) {
  Start();
  fake_->Hang(kPath);
  auto call = StartGet(absl::Seconds(60));
  ASSERT_TRUE(fake_->WaitFor(/*held=*/1, /*aborted=*/0));
  call->context.TryCancel();
  ASSERT_TRUE(call->done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ(call->status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(fake_->WaitFor(1, 1));
  // The gateway goes on serving.
  auto next = StartGet(absl::Seconds(30));
  ASSERT_TRUE(next->done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_TRUE(next->status.ok()) << next->status.error_message();
}

TEST_F(LifecycleTest, SigtermLetsInFlightCallsFinishThenExitsZero) {
  Start("", R"("shutdownGracePeriod": "20s",)");
  fake_->Hang(kPath);
  auto call = StartGet(absl::Seconds(60));
  ASSERT_TRUE(fake_->WaitFor(1, 0));
  gateway_->process().Signal(SIGTERM);
  ASSERT_TRUE(
      gateway_->process().WaitForOutput("shutting down", absl::Seconds(30)));
  fake_->Control("release");
  ASSERT_TRUE(call->done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_TRUE(call->status.ok()) << call->status.error_message();
  EXPECT_EQ(call->response.id(), 101);
  absl::StatusOr<int> exit_code = gateway_->process().Wait(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok());
  EXPECT_EQ(*exit_code, 0) << gateway_->Log();
  EXPECT_TRUE(gateway_->process().WaitForOutput("\"msg\":\"stopped\"",
                                                absl::ZeroDuration()));
}

TEST_F(LifecycleTest, SigtermCancelsCallsThatOutliveTheGracePeriod) {
  Start("", R"("shutdownGracePeriod": "0.2s",)");
  fake_->Hang(kPath);
  auto call = StartGet(absl::Seconds(60));
  ASSERT_TRUE(fake_->WaitFor(1, 0));
  gateway_->process().Signal(SIGTERM);
  ASSERT_TRUE(call->done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_FALSE(call->status.ok());
  absl::StatusOr<int> exit_code = gateway_->process().Wait(absl::Seconds(30));
  ASSERT_TRUE(exit_code.ok());
  EXPECT_EQ(*exit_code, 0) << gateway_->Log();
  EXPECT_TRUE(fake_->WaitFor(1, 1));
}

}  // namespace
}  // namespace hubspot_gateway::testing

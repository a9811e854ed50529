// The circuit breaker between the gateway and HubSpot: it opens when the
// emulator fails, refuses calls without reaching HubSpot, reports itself on
// the health service, and closes again after a successful probe.

#include <thread>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-breaker-test-token";

class CircuitBreakerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    gateway_ = StartGatewayFor(
        dir_, *emulator_, kToken,
        R"("retry": {"count": 0}, "circuitBreaker": {
             "rollingWindow": {"requestVolumeThreshold": 3},
             "failureThreshold": 0.5, "resetTime": "0.3s"},)");
    ASSERT_NE(gateway_, nullptr);
    health_ = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
        gateway_->address(), grpc::InsecureChannelCredentials()));
  }

  HealthCheckResponse::ServingStatus Health(const std::string& service) {
    auto context = ContextWithTimeout();
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    EXPECT_TRUE(health_->Check(context.get(), request, &response).ok());
    return response.status();
  }

  double EmulatorRequests() {
    return emulator_->State().fields().at("requests").number_value();
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(CircuitBreakerTest, OpensFailsFastReportsAndRecovers) {
  EXPECT_EQ(Health("hubspot"), HealthCheckResponse::SERVING);
  emulator_->Control("faults", R"({"errorRatio": 1, "errorStatus": 503})");
  v1::Import import;
  for (int i = 0; i < 3; ++i) {
    grpc::Status s = gateway_->GetImport(1, &import);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_THAT(s.error_message(), HasSubstr("HTTP 503"));
  }
  EXPECT_EQ(Health("hubspot"), HealthCheckResponse::NOT_SERVING);
  // The gateway itself stays up: liveness does not depend on HubSpot.
  EXPECT_EQ(Health(""), HealthCheckResponse::SERVING);

  // Open: calls fail at once, HubSpot sees none of them (the state request
  // itself is one).
  const double before = EmulatorRequests();
  grpc::Status refused = gateway_->GetImport(1, &import);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(refused.error_message(), HasSubstr("circuit breaker open"));
  EXPECT_THAT(refused.error_message(), HasSubstr("3 of 3"));
  EXPECT_EQ(EmulatorRequests(), before + 1);

  // HubSpot recovers; after resetTime the next call is the probe that
  // closes the circuit. (Waiting for the configured reset time is the
  // behaviour under test.)
  emulator_->Control("faults", "{}");
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  grpc::Status status;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = gateway_->GetImport(1, &import);
  } while (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
           absl::Now() < give_up);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
  EXPECT_EQ(Health("hubspot"), HealthCheckResponse::SERVING);
  // The breaker logs its change on the thread that closed it, which may be
  // just after the caller heard back.
  EXPECT_THAT(gateway_->Log(), HasSubstr("\"state\":\"open\""));
  EXPECT_TRUE(gateway_->process()
                  .WaitForOutput("\"state\":\"closed\"", absl::Seconds(10))
                  .has_value())
      << gateway_->Log();
}

TEST_F(CircuitBreakerTest, ClientErrorsDoNotOpenIt) {
  v1::Import import;
  // 404s are HubSpot answering: the circuit stays closed.
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(gateway_->GetImport(1, &import).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(Health("hubspot"), HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace hubspot_gateway::testing

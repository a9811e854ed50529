// Credentials rotated as Kubernetes rotates a mounted Secret (the files
// swapped behind "..data"), with the gateway running: the next calls use
// the new values, without a restart, and no value reaches the log.

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/emulator.h"
#include "tests/support/secret_volume.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOldToken[] = "pat-rotation-old-token-value";
constexpr char kNewToken[] = "pat-rotation-new-token-value";

class SecretRotationTest : public ::testing::Test {
 protected:
  SecretRotationTest() : volume_(MakeVolumeDir(dir_)) {}

  static std::string MakeVolumeDir(const TempDir& dir) {
    const std::string path = dir.path() + "/secrets";
    std::filesystem::create_directory(path);
    return path;
  }

  TempDir dir_;
  SecretVolume volume_;
};

TEST_F(SecretRotationTest, PrivateAppTokenRotatesWithoutRestart) {
  // HubSpot knows only the new token: the old one was revoked.
  Emulator::Options options;
  options.private_app_tokens = {kNewToken};
  auto emulator = Emulator::Start(dir_, options);
  ASSERT_NE(emulator, nullptr);
  volume_.Publish({{"private-app-token", kOldToken}});
  auto gateway = Gateway::Start(
      dir_, GatewayConfig(emulator->base_url(),
                          absl::StrCat(R"({"privateAppToken": {"file": ")",
                                       volume_.PathOf("private-app-token"),
                                       R"("}})")));
  ASSERT_NE(gateway, nullptr);
  v1::Import import;
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  volume_.Publish({{"private-app-token", kNewToken}});
  // HubSpot's 401 makes the gateway look at the file at once.
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(gateway->GetImport(2, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(gateway->Log(),
              HasSubstr("secret file changed; using the new value"));
  EXPECT_THAT(gateway->Log(), Not(HasSubstr(kOldToken)));
  EXPECT_THAT(gateway->Log(), Not(HasSubstr(kNewToken)));
}

TEST_F(SecretRotationTest, OAuthRefreshTokenRotatesWithoutRestart) {
  Emulator::Options options;
  options.client_id = "rotation-client";
  options.client_secret = "rotation-client-secret-value";
  options.refresh_tokens = {"rt-rotation-first-value",
                            "rt-rotation-second-value"};
  auto emulator = Emulator::Start(dir_, options);
  ASSERT_NE(emulator, nullptr);
  volume_.Publish({{"client-id", options.client_id},
                   {"client-secret", options.client_secret},
                   {"refresh-token", options.refresh_tokens[0]}});
  const std::string credentials = absl::StrCat(
      R"({"oauth": {"tokenUrl": ")", emulator->base_url(),
      R"(/oauth/v1/token", "clientId": {"file": ")",
      volume_.PathOf("client-id"), R"("}, "clientSecret": {"file": ")",
      volume_.PathOf("client-secret"), R"("}, "refreshToken": {"file": ")",
      volume_.PathOf("refresh-token"), R"("}}})");
  auto gateway =
      Gateway::Start(dir_, GatewayConfig(emulator->base_url(), credentials));
  ASSERT_NE(gateway, nullptr);
  v1::Import import;
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The app's first refresh token is revoked and its access tokens die.
  std::string answer;
  ASSERT_EQ(emulator->Call("DELETE",
                           "/oauth/v1/refresh-tokens/rt-rotation-first-value",
                           "", &answer),
            204);
  emulator->Control("expire-access-tokens");
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // The operator updates the Secret with the re-authorized app's token.
  volume_.Publish({{"client-id", options.client_id},
                   {"client-secret", options.client_secret},
                   {"refresh-token", options.refresh_tokens[1]}});
  EXPECT_EQ(gateway->GetImport(1, &import).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(emulator->State().fields().at("tokensIssued").number_value(), 2);
  for (const std::string& secret :
       {options.client_secret, options.refresh_tokens[0],
        options.refresh_tokens[1]}) {
    EXPECT_THAT(gateway->Log(), Not(HasSubstr(secret)));
  }
}

}  // namespace
}  // namespace hubspot_gateway::testing

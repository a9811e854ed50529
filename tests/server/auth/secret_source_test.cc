#include "server/auth/secret_source.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/static_credentials.h"
#include "server/common/log.h"
#include "tests/support/secret_volume.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway {
namespace {

using ::hubspot_gateway::testing::SecretVolume;
using ::hubspot_gateway::testing::TempDir;
using ::testing::HasSubstr;

class FileSecretTest : public ::testing::Test {
 protected:
  FileSecretTest() : volume_(dir_.path()) {
    SetMinLogLevel(LogLevel::kError);
    volume_.Publish({{"token", "pat-first\n"}});
  }

  std::shared_ptr<FileSecret> Open() {
    auto secret = FileSecret::Open(volume_.PathOf("token"), "test.token",
                                   &clock_, absl::Seconds(1));
    EXPECT_TRUE(secret.ok()) << secret.status();
    return secret.ok() ? *secret : nullptr;
  }

  TempDir dir_;
  SecretVolume volume_;
  FakeClock clock_;
};

TEST_F(FileSecretTest, ReadsTheFileWithoutSurroundingWhiteSpace) {
  auto secret = Open();
  EXPECT_EQ(secret->Current().value, "pat-first");
}

TEST_F(FileSecretTest, MissingFileIsAnErrorNamingTheField) {
  auto secret = FileSecret::Open(dir_.path() + "/absent", "hubspot.x",
                                 &clock_);
  ASSERT_FALSE(secret.ok());
  EXPECT_THAT(secret.status().message(), HasSubstr("hubspot.x"));
}

TEST_F(FileSecretTest, TakesAnUpdatedVolumeAtTheNextCheck) {
  auto secret = Open();
  const SecretValue first = secret->Current();
  volume_.Publish({{"token", "pat-second"}});
  // Not looked at before the interval has passed: one stat a second at most.
  EXPECT_EQ(secret->Current().value, "pat-first");
  clock_.Advance(absl::Seconds(1));
  const SecretValue second = secret->Current();
  EXPECT_EQ(second.value, "pat-second");
  EXPECT_NE(second.version, first.version);
}

TEST_F(FileSecretTest, ChangedSinceLooksAtOnce) {
  auto secret = Open();
  const uint64_t version = secret->Current().version;
  EXPECT_FALSE(secret->ChangedSince(version));
  volume_.Publish({{"token", "pat-second"}});
  EXPECT_TRUE(secret->ChangedSince(version));
  EXPECT_EQ(secret->Current().value, "pat-second");
}

TEST_F(FileSecretTest, SameValueRewrittenKeepsTheVersion) {
  auto secret = Open();
  const uint64_t version = secret->Current().version;
  volume_.Publish({{"token", "pat-first"}});
  EXPECT_FALSE(secret->ChangedSince(version));
}

TEST_F(FileSecretTest, UnusableReplacementKeepsThePreviousValue) {
  auto secret = Open();
  const uint64_t version = secret->Current().version;
  volume_.Publish({{"token", "  \n"}});
  EXPECT_FALSE(secret->ChangedSince(version));
  EXPECT_EQ(secret->Current().value, "pat-first");
  // And a good one after it is taken.
  volume_.Publish({{"token", "pat-third"}});
  EXPECT_TRUE(secret->ChangedSince(version));
  EXPECT_EQ(secret->Current().value, "pat-third");
}

TEST_F(FileSecretTest, FileEditedInPlaceIsNoticed) {
  const std::string path = dir_.Write("plain", "key-one");
  auto secret = FileSecret::Open(path, "test.plain", &clock_);
  ASSERT_TRUE(secret.ok());
  const uint64_t version = (*secret)->Current().version;
  std::ofstream(path, std::ios::trunc) << "key-two-longer";
  EXPECT_TRUE((*secret)->ChangedSince(version));
  EXPECT_EQ((*secret)->Current().value, "key-two-longer");
}

TEST(FixedSecretTest, NeverChanges) {
  auto secret = FixedSecret("from-env");
  const SecretValue value = secret->Current();
  EXPECT_EQ(value.value, "from-env");
  EXPECT_FALSE(secret->ChangedSince(value.version));
}

TEST_F(FileSecretTest, PrivateAppTokenFollowsTheFile) {
  auto credentials = StaticCredentials::PrivateAppToken(Open());
  AuthHeader used;
  credentials->GetAuthHeader([&](absl::StatusOr<AuthHeader> h) {
    ASSERT_TRUE(h.ok());
    used = *h;
  });
  EXPECT_EQ(used.line, "Authorization: Bearer pat-first");
  // HubSpot's 401 on an unchanged token: retrying cannot help.
  EXPECT_FALSE(credentials->Invalidate(used));
  volume_.Publish({{"token", "pat-second"}});
  // On a rotated one it can, with the new token.
  EXPECT_TRUE(credentials->Invalidate(used));
  credentials->GetAuthHeader([&](absl::StatusOr<AuthHeader> h) {
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->line, "Authorization: Bearer pat-second");
    EXPECT_NE(h->generation, used.generation);
  });
}

}  // namespace
}  // namespace hubspot_gateway

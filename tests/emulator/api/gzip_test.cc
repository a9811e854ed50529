#include "emulator/api/gzip.h"

#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

TEST(GzipTest, RoundTrips) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "email,firstname\n";
  const std::string packed = Gzip(text);
  EXPECT_LT(packed.size(), text.size() / 10);
  absl::StatusOr<std::string> back = Gunzip(packed, 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, text);
}

TEST(GzipTest, RefusesGarbageTruncationAndBombs) {
  EXPECT_EQ(Gunzip("not gzip", 1000).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::string packed = Gzip(std::string(100000, 'x'));
  EXPECT_EQ(Gunzip(packed.substr(0, packed.size() / 2), 1 << 20).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Gunzip(packed, 1000).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(GzipTest, AcceptEncoding) {
  EXPECT_TRUE(AcceptsGzip("deflate, gzip, br, zstd"));
  EXPECT_TRUE(AcceptsGzip("GZIP;q=0.5"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip(""));
}

}  // namespace
}  // namespace hubspot_emulator

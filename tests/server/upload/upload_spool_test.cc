#include "server/upload/upload_spool.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

constexpr char kJson[] = R"({"name":"spool test"})";

std::vector<UploadFileSpec> Files(int count) {
  std::vector<UploadFileSpec> files;
  for (int i = 0; i < count; ++i) {
    files.push_back({"file" + std::to_string(i) + ".csv", "text/csv", {}, ""});
  }
  return files;
}

// Distinct bytes, so that a byte read from the wrong place shows.
std::string Bytes(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    s[i] = static_cast<char>('A' + (i * 7 + static_cast<size_t>(seed)) % 53);
  }
  return s;
}

class UploadSpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/spool-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { rmdir(directory_.c_str()); }

  std::shared_ptr<UploadSpool> Spool(int files, int64_t window) {
    absl::StatusOr<std::shared_ptr<UploadSpool>> spool =
        UploadSpool::Create(directory_, kJson, Files(files), window);
    EXPECT_TRUE(spool.ok()) << spool.status();
    return spool.ok() ? *spool : nullptr;
  }

  // Reads what is readable now, `step` bytes at a time at most; sets
  // `ended` when the body's end was read.
  static std::string Drain(UploadSpool& spool, size_t step,
                           bool* ended = nullptr) {
    std::string out;
    std::vector<char> buffer(step);
    for (;;) {
      const size_t n = spool.Read(buffer.data(), buffer.size());
      if (n == BodySource::kWouldBlock) break;
      if (n == 0) {
        if (ended != nullptr) *ended = true;
        break;
      }
      out.append(buffer.data(), n);
    }
    return out;
  }

  std::string directory_;
};

TEST_F(UploadSpoolTest, BodyIsFramingAroundTheFilesAndEndsOnlyWhenSealed) {
  std::shared_ptr<UploadSpool> spool = Spool(2, /*window=*/0);
  const MultipartFraming& framing = spool->framing();
  const std::string a = Bytes(1000, 1), b = Bytes(333, 2);
  ASSERT_TRUE(spool->Append(a).ok());
  spool->NextFile();
  ASSERT_TRUE(spool->Append(b).ok());
  bool ended = false;
  std::string body = Drain(*spool, 64, &ended);
  EXPECT_FALSE(ended);
  spool->Seal();
  body += Drain(*spool, 64, &ended);
  EXPECT_TRUE(ended);
  EXPECT_EQ(body, framing.Opening(kJson, Files(2)[0]) + a +
                      framing.Between(Files(2)[1]) + b + framing.Closing());
}

TEST_F(UploadSpoolTest, WithoutWindowRoomIsUnboundedAndRewindAlwaysWorks) {
  std::shared_ptr<UploadSpool> spool = Spool(1, 0);
  ASSERT_TRUE(spool->Append(Bytes(100000, 3)).ok());
  EXPECT_TRUE(spool->WaitForRoom(int64_t{1} << 40, [] {}));
  Drain(*spool, 4096);
  EXPECT_TRUE(spool->Rewindable());
  EXPECT_TRUE(spool->Rewind());
}

TEST_F(UploadSpoolTest, RingWrapsAndKeepsEveryByteInOrder) {
  constexpr int64_t kWindow = 1000;
  std::shared_ptr<UploadSpool> spool = Spool(1, kWindow);
  std::string sent, body;
  // Chunk sizes that do not divide the window, so that writes and reads
  // straddle its end.
  for (int i = 0; i < 40; ++i) {
    const std::string chunk = Bytes(371, i);
    ASSERT_GE(spool->Room(), static_cast<int64_t>(chunk.size()));
    ASSERT_TRUE(spool->Append(chunk).ok());
    sent += chunk;
    body += Drain(*spool, 97);
  }
  spool->Seal();
  bool ended = false;
  body += Drain(*spool, 97, &ended);
  ASSERT_TRUE(ended);
  const std::string opening = spool->framing().Opening(kJson, Files(1)[0]);
  EXPECT_EQ(body, opening + sent + spool->framing().Closing());
}

TEST_F(UploadSpoolTest, AppendBeyondTheRoomIsRefused) {
  std::shared_ptr<UploadSpool> spool = Spool(1, 100);
  ASSERT_TRUE(spool->Append(Bytes(80, 0)).ok());
  EXPECT_EQ(spool->Room(), 20);
  EXPECT_EQ(spool->Append(Bytes(21, 0)).code(), absl::StatusCode::kInternal);
}

TEST_F(UploadSpoolTest, WaitForRoomFiresOnceTheReaderFreedEnough) {
  std::shared_ptr<UploadSpool> spool = Spool(1, 100);
  ASSERT_TRUE(spool->Append(Bytes(90, 0)).ok());
  int fired = 0;
  EXPECT_FALSE(spool->WaitForRoom(50, [&fired] { ++fired; }));
  std::vector<char> buffer(1000);
  // The framing first: no file byte read, no room.
  const size_t opening = spool->framing().Opening(kJson, Files(1)[0]).size();
  ASSERT_EQ(spool->Read(buffer.data(), opening), opening);
  EXPECT_EQ(fired, 0);
  ASSERT_EQ(spool->Read(buffer.data(), 30), 30u);  // room 40
  EXPECT_EQ(fired, 0);
  ASSERT_EQ(spool->Read(buffer.data(), 10), 10u);  // room 50
  EXPECT_EQ(fired, 1);
  ASSERT_EQ(spool->Read(buffer.data(), 10), 10u);
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(spool->WaitForRoom(50, [&fired] { ++fired; }));
}

TEST_F(UploadSpoolTest, CancelWaitTakesThePendingCallbackBack) {
  std::shared_ptr<UploadSpool> spool = Spool(1, 100);
  ASSERT_TRUE(spool->Append(Bytes(100, 0)).ok());
  int fired = 0;
  EXPECT_FALSE(spool->WaitForRoom(10, [&fired] { ++fired; }));
  absl::AnyInvocable<void()> taken = spool->CancelWait();
  EXPECT_TRUE(taken != nullptr);
  EXPECT_TRUE(spool->CancelWait() == nullptr);
  Drain(*spool, 1000);
  EXPECT_EQ(fired, 0);
}

TEST_F(UploadSpoolTest, RewindWorksUntilTheFirstByteIsOverwritten) {
  std::shared_ptr<UploadSpool> spool = Spool(1, 100);
  const std::string first = Bytes(100, 5);
  ASSERT_TRUE(spool->Append(first).ok());
  const std::string body = Drain(*spool, 33);
  // A refused attempt: the whole window is still there to send again, and
  // the rewind takes the room back so that nothing overwrites it.
  ASSERT_TRUE(spool->Rewind());
  EXPECT_EQ(spool->Room(), 0);
  EXPECT_EQ(Drain(*spool, 33), body);
  ASSERT_TRUE(spool->Append(Bytes(1, 6)).ok());
  EXPECT_FALSE(spool->Rewindable());
  EXPECT_FALSE(spool->Rewind());
}

TEST_F(UploadSpoolTest, SpoolFileIsNotInTheDirectory) {
  std::shared_ptr<UploadSpool> spool = Spool(1, 0);
  ASSERT_TRUE(spool->Append("x").ok());
  // Unnamed (or unlinked at once): nothing for another user to open, and
  // nothing left behind by a crash.
  std::vector<std::string> names;
  DIR* dir = opendir(directory_.c_str());
  ASSERT_NE(dir, nullptr);
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  EXPECT_THAT(names, ::testing::IsEmpty());
}

}  // namespace
}  // namespace hubspot_gateway

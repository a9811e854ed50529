#include "server/http/gzip_body_source.h"

#include <zlib.h>

#include <cstring>
#include <deque>
#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

// Hands out scripted pieces; an empty piece is "nothing ready yet".
class PiecesBody final : public BodySource {
 public:
  explicit PiecesBody(std::deque<std::string> pieces)
      : script_(pieces), pieces_(std::move(pieces)) {}
  size_t Read(char* buffer, size_t n) override {
    if (pieces_.empty()) return 0;
    std::string& front = pieces_.front();
    if (front.empty()) {
      pieces_.pop_front();
      return kWouldBlock;
    }
    const size_t count = std::min(n, front.size());
    std::memcpy(buffer, front.data(), count);
    front.erase(0, count);
    if (front.empty()) pieces_.pop_front();
    return count;
  }
  int64_t Length() const override { return -1; }
  bool Rewindable() const override { return true; }
  bool Rewind() override {
    pieces_ = script_;
    return true;
  }
  void SetWaker(absl::AnyInvocable<void()>) override {}

 private:
  const std::deque<std::string> script_;
  std::deque<std::string> pieces_;
};

std::string Gunzip(const std::string& data) {
  z_stream s;
  std::memset(&s, 0, sizeof(s));
  inflateInit2(&s, 15 + 16);
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[4096];
  int rc = Z_OK;
  while (rc == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(buffer);
    s.avail_out = sizeof(buffer);
    rc = inflate(&s, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - s.avail_out);
    if (rc == Z_BUF_ERROR) break;
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&s);
  return out;
}

// Everything the source gives, `step` bytes at a time, counting pauses.
std::string Drain(BodySource& body, size_t step, int* pauses) {
  std::string out(step, '\0');
  std::string all;
  for (int guard = 0; guard < 100000; ++guard) {
    const size_t n = body.Read(out.data(), step);
    if (n == BodySource::kWouldBlock) {
      ++*pauses;
      continue;
    }
    if (n == 0) break;
    all.append(out.data(), n);
  }
  return all;
}

TEST(GzipBodySourceTest, CompressesWhatTheInnerSourceGives) {
  std::string csv;
  for (int i = 0; i < 20000; ++i) csv += "someone@example.com,Someone\n";
  std::deque<std::string> pieces;
  for (size_t at = 0; at < csv.size(); at += 100000) {
    pieces.push_back(csv.substr(at, 100000));
    pieces.push_back("");  // a pause between the caller's chunks
  }
  auto inner = std::make_shared<PiecesBody>(pieces);
  GzipBodySource gzip(inner);
  EXPECT_EQ(gzip.Length(), -1);
  int pauses = 0;
  const std::string packed = Drain(gzip, 1000, &pauses);
  EXPECT_GT(pauses, 0);
  char after[8];
  EXPECT_EQ(gzip.Read(after, sizeof(after)), 0u) << "stays at its end";
  EXPECT_LT(packed.size(), csv.size() / 5);
  EXPECT_EQ(Gunzip(packed), csv);
}

TEST(GzipBodySourceTest, RewindStartsANewStream) {
  auto inner = std::make_shared<PiecesBody>(
      std::deque<std::string>{"a,b\n", "1,2\n"});
  GzipBodySource gzip(inner);
  int pauses = 0;
  const std::string first = Drain(gzip, 7, &pauses);
  ASSERT_TRUE(gzip.Rewind());
  EXPECT_EQ(Gunzip(Drain(gzip, 7, &pauses)), "a,b\n1,2\n");
  EXPECT_EQ(Gunzip(first), "a,b\n1,2\n");
}

TEST(GzipBodySourceTest, EndsOnlyAfterTheTrailerWentOut) {
  auto inner = std::make_shared<PiecesBody>(
      std::deque<std::string>{std::string(5000, 'x')});
  GzipBodySource gzip(inner);
  char buffer[8];
  // A few bytes out: the inner source may be read to its end, but the gzip
  // stream is not.
  ASSERT_EQ(gzip.Read(buffer, sizeof(buffer)), sizeof(buffer));
  EXPECT_GT(gzip.Read(buffer, sizeof(buffer)), 0u);
}

}  // namespace
}  // namespace hubspot_gateway

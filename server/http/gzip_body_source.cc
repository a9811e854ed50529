#include "server/http/gzip_body_source.h"

#include <cstring>
#include <utility>

namespace hubspot_gateway {
namespace {

constexpr size_t kInputChunk = 256 * 1024;
// windowBits 15 + 16: a gzip header and trailer around the deflate data.
constexpr int kGzipWindowBits = 15 + 16;
// Level 1: CSV shrinks several times already, at a fraction of the CPU of
// the default level.
constexpr int kLevel = 1;

}  // namespace

GzipBodySource::GzipBodySource(std::shared_ptr<BodySource> inner)
    : inner_(std::move(inner)) {
  absl::MutexLock lock(&mu_);
  std::memset(&stream_, 0, sizeof(stream_));
  deflateInit2(&stream_, kLevel, Z_DEFLATED, kGzipWindowBits, 8,
               Z_DEFAULT_STRATEGY);
}

GzipBodySource::~GzipBodySource() {
  absl::MutexLock lock(&mu_);
  deflateEnd(&stream_);
}

void GzipBodySource::ResetStream() {
  deflateReset(&stream_);
  input_.clear();
  input_ended_ = false;
  finished_ = false;
}

size_t GzipBodySource::Read(char* buffer, size_t n) {
  absl::MutexLock lock(&mu_);
  if (finished_) return 0;
  stream_.next_out = reinterpret_cast<Bytef*>(buffer);
  stream_.avail_out = static_cast<uInt>(n);
  for (;;) {
    if (stream_.avail_in == 0 && !input_ended_) {
      input_.resize(kInputChunk);
      const size_t got = inner_->Read(input_.data(), input_.size());
      if (got == kWouldBlock) {
        input_.clear();
        // Whatever deflate produced so far goes out; else wait.
        const size_t produced = n - stream_.avail_out;
        return produced > 0 ? produced : kWouldBlock;
      }
      input_.resize(got);
      input_ended_ = got == 0;
      stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
      stream_.avail_in = static_cast<uInt>(got);
    }
    const int rc =
        deflate(&stream_, input_ended_ ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      finished_ = true;
      return n - stream_.avail_out;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) return 0;  // Ends the body short.
    if (stream_.avail_out == 0) return n;
  }
}

bool GzipBodySource::Rewindable() const { return inner_->Rewindable(); }

bool GzipBodySource::Rewind() {
  if (!inner_->Rewind()) return false;
  absl::MutexLock lock(&mu_);
  ResetStream();
  return true;
}

void GzipBodySource::SetWaker(absl::AnyInvocable<void()> waker) {
  inner_->SetWaker(std::move(waker));
}

}  // namespace hubspot_gateway

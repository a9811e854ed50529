#ifndef HUBSPOT_GATEWAY_HTTP_GZIP_BODY_SOURCE_H_
#define HUBSPOT_GATEWAY_HTTP_GZIP_BODY_SOURCE_H_

#include <zlib.h>

#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/http/body_source.h"

namespace hubspot_gateway {

// Another body source's bytes, gzip-compressed as they are read (for
// Content-Encoding: gzip). Its length is unknown, so the request goes out
// chunked. It pauses when the inner source does, and ends only once the
// gzip trailer went out.
class GzipBodySource final : public BodySource {
 public:
  explicit GzipBodySource(std::shared_ptr<BodySource> inner);
  ~GzipBodySource() override;

  size_t Read(char* buffer, size_t n) override;
  int64_t Length() const override { return -1; }
  bool Rewindable() const override;
  bool Rewind() override;
  void SetWaker(absl::AnyInvocable<void()> waker) override;

 private:
  void ResetStream() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<BodySource> inner_;
  mutable absl::Mutex mu_;
  z_stream stream_ ABSL_GUARDED_BY(mu_);
  // Bytes read from `inner_` that deflate has not taken yet.
  std::vector<char> input_ ABSL_GUARDED_BY(mu_);
  bool input_ended_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HTTP_GZIP_BODY_SOURCE_H_

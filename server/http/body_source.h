#ifndef HUBSPOT_GATEWAY_HTTP_BODY_SOURCE_H_
#define HUBSPOT_GATEWAY_HTTP_BODY_SOURCE_H_

#include <cstddef>
#include <cstdint>

#include "absl/functional/any_invocable.h"

namespace hubspot_gateway {

// A request body produced while the request is already being sent (an
// upload streamed in by a caller). Read runs on the HTTP upstream's thread;
// the producer side runs elsewhere, so implementations are thread-safe.
class BodySource {
 public:
  // Read's answer when no byte is ready yet: the transfer pauses until the
  // source calls its waker.
  static constexpr size_t kWouldBlock = static_cast<size_t>(-1);

  virtual ~BodySource() = default;
  // Copies up to `n` bytes into `buffer`: the count, 0 at the end of the
  // body, or kWouldBlock.
  virtual size_t Read(char* buffer, size_t n) = 0;
  // The body's length in bytes, or -1 when unknown (chunked encoding).
  virtual int64_t Length() const = 0;
  // Whether Rewind can succeed.
  virtual bool Rewindable() const = 0;
  // Starts again from the first byte, for one more attempt; false when the
  // source cannot.
  virtual bool Rewind() = 0;
  // Installed by the upstream before the first Read. The source calls it,
  // from any thread, once after Read returned kWouldBlock and bytes (or the
  // end) are ready again.
  virtual void SetWaker(absl::AnyInvocable<void()> waker) = 0;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HTTP_BODY_SOURCE_H_

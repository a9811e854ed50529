#ifndef HUBSPOT_GATEWAY_HUBSPOT_ATTEMPT_EFFECT_H_
#define HUBSPOT_GATEWAY_HUBSPOT_ATTEMPT_EFFECT_H_

#include "absl/status/statusor.h"
#include "server/http/http_upstream.h"

namespace hubspot_gateway {

// What one attempt of a call can have done at HubSpot.
enum class AttemptEffect {
  // HubSpot cannot have acted: the request never reached it whole, or it
  // answered that it did not act (a 429, or another 4xx refusal).
  kNone,
  // HubSpot acted: it answered 2xx (even if the answer was then cut).
  kApplied,
  // Nobody knows: the whole request went out and no telling answer came
  // back (a 5xx, a reset, an empty reply, a time-out, a cancellation).
  // Such an attempt is never sent again when sending twice would do twice.
  kUnknown,
};

const char* AttemptEffectName(AttemptEffect effect);

// Decides from what the transport saw, never from timing or error text:
//  - not issued on a connection (DNS, TCP, TLS, proxy failure): kNone;
//  - issued, body not handed over whole: kNone, whatever came back, since
//    HubSpot cannot act on a request it did not receive whole (an answer
//    that came before the end of the body included);
//  - whole, then a status line: 2xx kApplied; 429 and other 4xx kNone;
//    anything else (5xx, 1xx, 3xx) kUnknown;
//  - whole, no status line (reset, empty reply, time-out, cancelled, a
//    resend libcurl was refused): kUnknown.
// A cut answer counts by its status line: a 2xx whose body was truncated
// is kApplied, and the caller must find out what was created.
AttemptEffect ClassifyAttempt(const absl::StatusOr<HttpResponse>& result,
                              const TransferFacts& facts);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_ATTEMPT_EFFECT_H_

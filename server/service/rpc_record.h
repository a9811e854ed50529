#ifndef HUBSPOT_GATEWAY_SERVICE_RPC_RECORD_H_
#define HUBSPOT_GATEWAY_SERVICE_RPC_RECORD_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "server/common/trace_context.h"

namespace hubspot_gateway {

// The response metadata key of a call's request id.
inline constexpr char kRequestIdMetadataKey[] = "x-request-id";
// Trailing metadata of a call whose HubSpot answer was lost after HubSpot
// may have acted: "recovered" when the gateway learnt what HubSpot did (the
// answer is the real outcome), "unknown" when it could not.
inline constexpr char kOutcomeMetadataKey[] = "x-hubspot-outcome";
// With "unknown": imports that may be the one the call created, ids comma-
// separated (also in the status details).
inline constexpr char kCandidatesMetadataKey[] = "x-hubspot-import-candidates";

// One ImportService call as operators see it: its trace context and
// request id from the moment it arrives, what it turned out to be (caller,
// account, import, bytes, HubSpot's answer), and at its end one log line
// with all of it. Never a token, secret or file content.
struct RpcRecord {
  std::string method;
  absl::Time started;
  // Random, 16 hex digits; sent back to the caller as x-request-id so that
  // support can find the log line.
  std::string request_id;
  TraceContext trace;
  std::string caller;
  std::string account;
  int64_t import_id = 0;
  // File bytes received (StartImport).
  int64_t bytes = 0;
  int hubspot_status = 0;
  std::string hubspot_correlation_id;
  // "recovered" or "unknown" after a lost answer (kOutcomeMetadataKey);
  // empty otherwise.
  std::string outcome;

  // Reads the caller's traceparent/tracestate metadata (a new trace when
  // absent or malformed) and sends the request id back in the response's
  // initial metadata.
  static RpcRecord Begin(grpc::CallbackServerContext* context,
                         absl::string_view method);

  // The call's log line ("rpc"), at info; `error` is what the caller was
  // told.
  void Write(grpc::StatusCode code, absl::string_view error) const;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_RPC_RECORD_H_

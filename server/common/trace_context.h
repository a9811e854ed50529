#ifndef HUBSPOT_GATEWAY_COMMON_TRACE_CONTEXT_H_
#define HUBSPOT_GATEWAY_COMMON_TRACE_CONTEXT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace hubspot_gateway {

// W3C Trace Context (https://www.w3.org/TR/trace-context/) as the gateway
// passes it on: the caller's trace continues on the HubSpot request, with
// the gateway's call as the parent span.
struct TraceContext {
  // 32 lowercase hex digits.
  std::string trace_id;
  // The caller's span (16 hex digits); empty when the gateway started the
  // trace.
  std::string caller_span_id;
  // The gateway's span for this call: the parent of the HubSpot request.
  std::string span_id;
  // Trace flags, two hex digits ("01": the caller samples this trace).
  std::string flags = "00";
  // The caller's tracestate, passed on unchanged; empty when none.
  std::string tracestate;

  // "00-<trace_id>-<span_id>-<flags>", the HubSpot request's traceparent.
  std::string Traceparent() const;
};

// Continues the caller's trace from its traceparent (and tracestate), or
// starts a new one when there is none or it is malformed (as the standard
// asks: an invalid traceparent is ignored, and its tracestate with it).
TraceContext ContinueOrStartTrace(std::optional<absl::string_view> traceparent,
                                  std::optional<absl::string_view> tracestate);

// `bytes` random bytes as lowercase hex, never all zeros.
std::string RandomHexId(int bytes);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_TRACE_CONTEXT_H_

#include "server/common/trace_context.h"

#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hubspot_gateway {
namespace {

bool IsLowerHex(absl::string_view s, size_t size) {
  if (s.size() != size) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

bool AllZeros(absl::string_view s) {
  return s.find_first_not_of('0') == absl::string_view::npos;
}

// Fields of a valid traceparent: version 00 exactly, or a later version
// (not ff) whose first four fields read as version 00's.
bool Parse(absl::string_view value, TraceContext* out) {
  value = absl::StripAsciiWhitespace(value);
  if (value.size() < 55) return false;
  const std::vector<absl::string_view> parts = absl::StrSplit(value, '-');
  if (parts.size() < 4 || !IsLowerHex(parts[0], 2) || parts[0] == "ff") {
    return false;
  }
  if (parts[0] == "00" && (parts.size() != 4 || value.size() != 55)) {
    return false;
  }
  if (!IsLowerHex(parts[1], 32) || AllZeros(parts[1]) ||
      !IsLowerHex(parts[2], 16) || AllZeros(parts[2]) ||
      !IsLowerHex(parts[3], 2)) {
    return false;
  }
  out->trace_id = std::string(parts[1]);
  out->caller_span_id = std::string(parts[2]);
  // Only the sampled bit is defined; other bits are not passed on.
  out->flags = (std::stoi(std::string(parts[3]), nullptr, 16) & 1) ? "01" : "00";
  return true;
}

}  // namespace

std::string TraceContext::Traceparent() const {
  return absl::StrCat("00-", trace_id, "-", span_id, "-", flags);
}

std::string RandomHexId(int bytes) {
  thread_local absl::BitGen bits;
  std::string id;
  do {
    id.clear();
    for (int i = 0; i < bytes; ++i) {
      absl::StrAppend(&id, absl::Hex(absl::Uniform<uint32_t>(bits, 0, 256),
                                     absl::kZeroPad2));
    }
  } while (AllZeros(id));
  return id;
}

TraceContext ContinueOrStartTrace(
    std::optional<absl::string_view> traceparent,
    std::optional<absl::string_view> tracestate) {
  TraceContext trace;
  if (traceparent.has_value() && Parse(*traceparent, &trace)) {
    // A tracestate is at most 512 characters worth keeping (the standard's
    // limit for propagation); longer ones are dropped whole.
    if (tracestate.has_value() && tracestate->size() <= 512) {
      bool printable = true;
      for (unsigned char c : *tracestate) printable = printable && c >= 0x20 && c < 0x7f;
      if (printable) trace.tracestate = std::string(*tracestate);
    }
  } else {
    trace = TraceContext();
    trace.trace_id = RandomHexId(16);
  }
  trace.span_id = RandomHexId(8);
  return trace;
}

}  // namespace hubspot_gateway

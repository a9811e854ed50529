#include "tests/soak/outcome_metadata.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace hubspot_gateway::soak {
namespace {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

// The first value of trailing metadata `key`. (Initial metadata is not
// read: a failed call's answer is trailers-only, and gRPC asserts when the
// initial metadata of a call that never got any is asked for.)
std::string Value(const grpc::ClientContext& context, absl::string_view key) {
  const Metadata& trailers = context.GetServerTrailingMetadata();
  for (const auto& [k, v] : trailers) {
    if (absl::string_view(k.data(), k.size()) == key) {
      return std::string(v.data(), v.size());
    }
  }
  return "";
}

}  // namespace

GatewayOutcome ReadGatewayOutcome(const grpc::ClientContext& context) {
  GatewayOutcome out;
  out.outcome = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(Value(context, "x-hubspot-outcome")));
  for (absl::string_view id :
       absl::StrSplit(Value(context, "x-hubspot-import-candidates"), ',',
                      absl::SkipWhitespace())) {
    int64_t parsed = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(id), &parsed)) {
      out.candidates.push_back(parsed);
    }
  }
  return out;
}

}  // namespace hubspot_gateway::soak

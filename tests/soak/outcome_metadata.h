#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_OUTCOME_METADATA_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_OUTCOME_METADATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace hubspot_gateway::soak {

// What the gateway said about a call's effect on HubSpot, beyond its status:
// trailing metadata `x-hubspot-outcome` ("recovered" or "unknown") and
// `x-hubspot-import-candidates` (comma-separated import ids).
struct GatewayOutcome {
  std::string outcome;  // empty when the gateway said nothing
  std::vector<int64_t> candidates;

  bool unknown() const { return outcome == "unknown"; }
  bool recovered() const { return outcome == "recovered"; }
};

// Reads them from a finished call's context.
GatewayOutcome ReadGatewayOutcome(const grpc::ClientContext& context);

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_OUTCOME_METADATA_H_

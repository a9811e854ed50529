#ifndef HUBSPOT_GATEWAY_CONFIG_UPSTREAM_CONFIG_H_
#define HUBSPOT_GATEWAY_CONFIG_UPSTREAM_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"
#include "server/config/config_loader.h"

// One HubSpot account's part of the configuration (HubSpotUpstream): the
// gateway's `hubspot`, or one entry of its `hubspotAccounts`.
namespace hubspot_gateway {

// Fills what `upstream` leaves unset; `redis_key` is the rate limit's
// shared bucket key unless it names one.
void ApplyUpstreamDefaults(absl::string_view redis_key,
                           ::hubspot::crm::imports::gateway::v1::HubSpotUpstream*
                               upstream);

// Checks `upstream` after ApplyUpstreamDefaults. `field` is where it sits
// in the file ("hubspot", "hubspotAccounts.sales"); errors name the field
// below it, e.g. "hubspotAccounts.sales.retry.count: …".
absl::Status ValidateUpstream(
    const ::hubspot::crm::imports::gateway::v1::HubSpotUpstream& upstream,
    absl::string_view field, const EnvLookup& env);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_CONFIG_UPSTREAM_CONFIG_H_

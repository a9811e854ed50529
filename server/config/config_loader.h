#ifndef HUBSPOT_GATEWAY_CONFIG_CONFIG_LOADER_H_
#define HUBSPOT_GATEWAY_CONFIG_CONFIG_LOADER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"

namespace hubspot_gateway {

using GatewayConfig = hubspot::crm::imports::gateway::v1::GatewayConfig;

// Looks up an environment variable; injected so tests need not touch the
// process environment.
using EnvLookup = std::function<std::optional<std::string>(absl::string_view)>;
EnvLookup ProcessEnv();

// Reads the JSON configuration at `path` (empty: defaults only), applies the
// environment overrides and the defaults, and validates the result. Every
// error is one line naming the field and how to fix it.
absl::StatusOr<GatewayConfig> LoadConfig(absl::string_view path,
                                         const EnvLookup& env);

// The same, from the file's text.
absl::StatusOr<GatewayConfig> ParseConfig(absl::string_view json,
                                          const EnvLookup& env);

// Whether the configuration says how the gateway is exposed: TLS on the
// listener or plaintext asked for, and callers who may do something. Not
// part of ParseConfig, so that partial configurations can be checked field
// by field; the gateway refuses to start without it.
absl::Status ValidateExposure(const GatewayConfig& config);

// The name of the one HubSpot account of a configuration with `hubspot`.
inline constexpr absl::string_view kSingleAccountName = "default";

// One HubSpot account of a loaded configuration.
struct HubSpotAccountConfig {
  std::string name;
  // Where it sits in the file, for messages: "hubspot" or
  // "hubspotAccounts.<name>".
  std::string field;
  const hubspot::crm::imports::gateway::v1::HubSpotUpstream* upstream;
};
// Every account, in name order: `hubspot` as "default", or each of
// hubspotAccounts.
std::vector<HubSpotAccountConfig> HubSpotAccountsOf(const GatewayConfig& config);

// The account of calls that name none, for callers without a default of
// their own: the only account, or defaultHubspotAccount. Empty: none.
std::string DefaultHubSpotAccount(const GatewayConfig& config);

// A secret's value, from its file or environment variable, trimmed.
// `field` names it in errors; the value itself never appears in one.
absl::StatusOr<std::string> ReadSecret(
    const hubspot::crm::imports::gateway::v1::Secret& secret,
    absl::string_view field, const EnvLookup& env);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_CONFIG_CONFIG_LOADER_H_

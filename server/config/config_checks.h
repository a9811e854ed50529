#ifndef HUBSPOT_GATEWAY_CONFIG_CONFIG_CHECKS_H_
#define HUBSPOT_GATEWAY_CONFIG_CONFIG_CHECKS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"
#include "server/config/config_loader.h"

// The checks the configuration loader's parts share. Every error is one
// line, "<field>: <problem and fix>".
namespace hubspot_gateway {

// INVALID_ARGUMENT "<field>: <problem>", with control characters escaped:
// values quoted from the file (paths, addresses) cannot split the line.
absl::Status ConfigError(absl::string_view field, absl::string_view problem);

// How an error names a secret file: its path, unless the "path" does not
// look like one (a secret pasted into {"file": …} must not be logged).
std::string SecretFileName(const std::string& path);

bool HasHttpScheme(absl::string_view url);

// > 0 and <= max.
absl::Status CheckDuration(absl::string_view field,
                           const google::protobuf::Duration& d,
                           absl::Duration max);

// Empty, or a file this process can read.
absl::Status CheckReadableFile(absl::string_view field,
                               const std::string& path);

// Set, and readable now (ReadSecret's rules).
absl::Status CheckSecretSource(
    const ::hubspot::crm::imports::gateway::v1::Secret& s,
    absl::string_view field, const EnvLookup& env);

absl::Status CheckHostPort(absl::string_view field, absl::string_view addr,
                           absl::string_view example);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_CONFIG_CONFIG_CHECKS_H_

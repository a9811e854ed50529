#ifndef HUBSPOT_GATEWAY_ACCESS_LISTENER_CREDENTIALS_H_
#define HUBSPOT_GATEWAY_ACCESS_LISTENER_CREDENTIALS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "grpcpp/security/server_credentials.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"

namespace hubspot_gateway {

// The gRPC listener's credentials: TLS from listener_tls (certificate and
// key checked now, then watched and reloaded by gRPC without dropping
// connections; client certificates verified against client_ca_file), or
// plaintext when allow_plaintext says so. `guard` sees every call on a TLS
// listener. Errors name the field and the fix.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenerCredentials(
    const ::hubspot::crm::imports::gateway::v1::GatewayConfig& config,
    std::shared_ptr<grpc::AuthMetadataProcessor> guard);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_ACCESS_LISTENER_CREDENTIALS_H_

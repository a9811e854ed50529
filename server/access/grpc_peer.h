#ifndef HUBSPOT_GATEWAY_ACCESS_GRPC_PEER_H_
#define HUBSPOT_GATEWAY_ACCESS_GRPC_PEER_H_

#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "server/access/caller_registry.h"

namespace hubspot_gateway {

// What the call's client certificate (verified by the listener) and its
// "authorization" metadata say.
PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& context);

// Every value the caller sent for metadata `key` (lowercase), in order.
std::vector<absl::string_view> MetadataValues(
    const grpc::ServerContextBase& context, absl::string_view key);

// Guards the services that are not the gateway's own (health, reflection)
// when the access configuration closes them: their calls then need an
// identity too. gRPC runs it for every call on a TLS listener, before the
// call reaches any service; ImportService calls pass through, as the
// service identifies and authorizes them itself (with the RPC's name in
// its answers).
class ClosedServicesGuard final : public grpc::AuthMetadataProcessor {
 public:
  ClosedServicesGuard(const CallerRegistry* callers, bool open_health,
                      bool open_reflection)
      : callers_(callers),
        open_health_(open_health),
        open_reflection_(open_reflection) {}

  // Cheap and never blocks.
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  const CallerRegistry* const callers_;
  const bool open_health_;
  const bool open_reflection_;
};

// Whether the call came over TLS (not the plaintext probe port).
bool ArrivedOverTls(const grpc::ServerContextBase& context);

// The peer's address, e.g. "ipv4:10.0.0.7:51514", for audit lines.
std::string PeerAddressOf(const grpc::ServerContextBase& context);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_ACCESS_GRPC_PEER_H_

#include "server/access/grpc_peer.h"

#include "absl/strings/match.h"
#include "server/common/log.h"

namespace hubspot_gateway {
namespace {

constexpr absl::string_view kAuthorization = "authorization";

std::vector<std::string> CertificateNames(const grpc::AuthContext& auth) {
  std::vector<std::string> names;
  if (!auth.IsPeerAuthenticated()) return names;
  for (const char* property :
       {GRPC_X509_SAN_PROPERTY_NAME, GRPC_X509_CN_PROPERTY_NAME}) {
    for (const grpc::string_ref& value : auth.FindPropertyValues(property)) {
      names.emplace_back(value.data(), value.size());
    }
  }
  return names;
}

}  // namespace

std::vector<absl::string_view> MetadataValues(
    const grpc::ServerContextBase& context, absl::string_view key) {
  std::vector<absl::string_view> values;
  auto [begin, end] = context.client_metadata().equal_range(
      grpc::string_ref(key.data(), key.size()));
  for (auto it = begin; it != end; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return values;
}

PeerIdentity PeerIdentityOf(const grpc::ServerContextBase& context) {
  PeerIdentity peer;
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr) peer.certificate_names = CertificateNames(*auth);
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(
      grpc::string_ref(kAuthorization.data(), kAuthorization.size()));
  if (it != metadata.end()) {
    peer.authorization.emplace(it->second.data(), it->second.size());
  }
  return peer;
}

bool ArrivedOverTls(const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return false;
  for (const grpc::string_ref& type :
       auth->FindPropertyValues(GRPC_TRANSPORT_SECURITY_TYPE_PROPERTY_NAME)) {
    // "ssl" from SslServerCredentials, "tls" from TlsServerCredentials.
    if (type == GRPC_SSL_TRANSPORT_SECURITY_TYPE ||
        type == GRPC_TLS_TRANSPORT_SECURITY_TYPE) {
      return true;
    }
  }
  return false;
}

std::string PeerAddressOf(const grpc::ServerContextBase& context) {
  return context.peer();
}

grpc::Status ClosedServicesGuard::Process(
    const InputMetadata& auth_metadata, grpc::AuthContext* context,
    OutputMetadata* /*consumed_auth_metadata*/,
    OutputMetadata* /*response_metadata*/) {
  auto path = auth_metadata.find(":path");
  if (path == auth_metadata.end()) return grpc::Status::OK;
  const absl::string_view method(path->second.data(), path->second.size());
  const bool health = absl::StartsWith(method, "/grpc.health.v1.Health/");
  const bool reflection =
      absl::StartsWith(method, "/grpc.reflection.");
  if ((!health || open_health_) && (!reflection || open_reflection_)) {
    return grpc::Status::OK;
  }
  PeerIdentity peer;
  peer.certificate_names = CertificateNames(*context);
  auto authorization = auth_metadata.find(
      grpc::string_ref(kAuthorization.data(), kAuthorization.size()));
  if (authorization != auth_metadata.end()) {
    peer.authorization.emplace(authorization->second.data(),
                               authorization->second.size());
  }
  absl::StatusOr<const Caller*> caller = callers_->Identify(peer);
  if (!caller.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        std::string(caller.status().message()));
  }
  return grpc::Status::OK;
}

}  // namespace hubspot_gateway

#ifndef HUBSPOT_GATEWAY_AUTH_CREDENTIALS_H_
#define HUBSPOT_GATEWAY_AUTH_CREDENTIALS_H_

#include <cstdint>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hubspot_gateway {

// The header that authenticates one HubSpot call.
struct AuthHeader {
  // A complete header line, e.g. "Authorization: Bearer …". Secret.
  std::string line;
  // Identifies the credential the line came from, so that a 401 on an old
  // token does not throw away a newer one.
  uint64_t generation = 0;
};

using AuthCallback = absl::AnyInvocable<void(absl::StatusOr<AuthHeader>) &&>;

// How the gateway proves itself to HubSpot; one implementation per kind of
// HubSpot credential.
class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // Runs `done` inline when a valid credential is at hand, later (on the HTTP
  // upstream's thread) when one must be fetched first.
  virtual void GetAuthHeader(AuthCallback done) = 0;
  // HubSpot answered 401 to a call made with `used`. Returns true when a
  // fresh credential can be had, so that one retry of that call is worth it.
  virtual bool Invalidate(const AuthHeader& used) = 0;
  // "oauth", "private_app_token" or "private_app_legacy_key", for logs.
  virtual absl::string_view kind() const = 0;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_AUTH_CREDENTIALS_H_

#ifndef HUBSPOT_GATEWAY_AUTH_STATIC_CREDENTIALS_H_
#define HUBSPOT_GATEWAY_AUTH_STATIC_CREDENTIALS_H_

#include <memory>
#include <string>

#include "server/auth/credentials.h"

namespace hubspot_gateway {

// A credential that never changes: a private app's access token or a legacy
// private-app key.
class StaticCredentials final : public CredentialProvider {
 public:
  // "Authorization: Bearer <token>".
  static std::unique_ptr<StaticCredentials> PrivateAppToken(
      absl::string_view token);
  // "private-app-legacy: <key>".
  static std::unique_ptr<StaticCredentials> PrivateAppLegacyKey(
      absl::string_view key);

  void GetAuthHeader(AuthCallback done) override;
  bool Invalidate(const AuthHeader&) override { return false; }
  absl::string_view kind() const override { return kind_; }

 private:
  StaticCredentials(std::string line, absl::string_view kind)
      : header_{std::move(line), 1}, kind_(kind) {}

  const AuthHeader header_;
  const absl::string_view kind_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_AUTH_STATIC_CREDENTIALS_H_

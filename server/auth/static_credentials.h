#ifndef HUBSPOT_GATEWAY_AUTH_STATIC_CREDENTIALS_H_
#define HUBSPOT_GATEWAY_AUTH_STATIC_CREDENTIALS_H_

#include <memory>
#include <string>

#include "server/auth/credentials.h"
#include "server/auth/secret_source.h"

namespace hubspot_gateway {

// A credential HubSpot does not expire: a private app's access token or a
// legacy private-app key. It changes only when its secret file does.
class StaticCredentials final : public CredentialProvider {
 public:
  // "Authorization: Bearer <token>".
  static std::unique_ptr<StaticCredentials> PrivateAppToken(
      std::shared_ptr<SecretSource> token);
  // "private-app-legacy: <key>".
  static std::unique_ptr<StaticCredentials> PrivateAppLegacyKey(
      std::shared_ptr<SecretSource> key);

  void GetAuthHeader(AuthCallback done) override;
  // After a 401, one retry is worth it only if the secret has changed
  // since (an operator rotated it and HubSpot revoked the old one).
  bool Invalidate(const AuthHeader& used) override {
    return secret_->ChangedSince(used.generation);
  }
  absl::string_view kind() const override { return kind_; }

 private:
  StaticCredentials(std::shared_ptr<SecretSource> secret,
                    absl::string_view prefix, absl::string_view kind)
      : secret_(std::move(secret)), prefix_(prefix), kind_(kind) {}

  const std::shared_ptr<SecretSource> secret_;
  const absl::string_view prefix_;
  const absl::string_view kind_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_AUTH_STATIC_CREDENTIALS_H_

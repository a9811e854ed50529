#include "server/auth/static_credentials.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {

std::unique_ptr<StaticCredentials> StaticCredentials::PrivateAppToken(
    std::shared_ptr<SecretSource> token) {
  return std::unique_ptr<StaticCredentials>(new StaticCredentials(
      std::move(token), "Authorization: Bearer ", "private_app_token"));
}

std::unique_ptr<StaticCredentials> StaticCredentials::PrivateAppLegacyKey(
    std::shared_ptr<SecretSource> key) {
  return std::unique_ptr<StaticCredentials>(new StaticCredentials(
      std::move(key), "private-app-legacy: ", "private_app_legacy_key"));
}

void StaticCredentials::GetAuthHeader(AuthCallback done) {
  SecretValue secret = secret_->Current();
  std::move(done)(AuthHeader{absl::StrCat(prefix_, secret.value),
                             secret.version});
}

}  // namespace hubspot_gateway

#include "server/auth/static_credentials.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {

std::unique_ptr<StaticCredentials> StaticCredentials::PrivateAppToken(
    absl::string_view token) {
  return std::unique_ptr<StaticCredentials>(new StaticCredentials(
      absl::StrCat("Authorization: Bearer ", token), "private_app_token"));
}

std::unique_ptr<StaticCredentials> StaticCredentials::PrivateAppLegacyKey(
    absl::string_view key) {
  return std::unique_ptr<StaticCredentials>(new StaticCredentials(
      absl::StrCat("private-app-legacy: ", key), "private_app_legacy_key"));
}

void StaticCredentials::GetAuthHeader(AuthCallback done) {
  std::move(done)(header_);
}

}  // namespace hubspot_gateway

#ifndef HUBSPOT_EMULATOR_API_ACCOUNTS_H_
#define HUBSPOT_EMULATOR_API_ACCOUNTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "emulator/http/http_server.h"
#include "server/common/clock.h"

namespace hubspot_emulator {

struct OAuthApp {
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> refresh_tokens;
};

// Who may call the emulated portal. Read from a JSON file so that no
// secret goes on a command line:
//   {"privateAppTokens": ["..."], "privateAppLegacyKeys": ["..."],
//    "oauth": [{"clientId": "...", "clientSecret": "...",
//               "refreshTokens": ["..."]}]}
struct EmulatorCredentials {
  std::vector<std::string> private_app_tokens;
  std::vector<std::string> legacy_keys;
  std::vector<OAuthApp> oauth_apps;
};
absl::StatusOr<EmulatorCredentials> ParseCredentials(absl::string_view json);

// An answer the API layer sends as is: HTTP status and JSON body.
struct JsonAnswer {
  int status = 200;
  std::string body;
};

// Checks callers the way HubSpot does (bearer access tokens from the OAuth
// refresh-token grant, private-app bearer tokens, the legacy
// `private-app-legacy` header) and runs POST /oauth/v1/token.
class Accounts {
 public:
  Accounts(EmulatorCredentials credentials, const hubspot_gateway::Clock* clock,
           absl::Duration access_token_lifetime);

  // nullopt when the request may go on; else the 401 to answer.
  std::optional<JsonAnswer> Authenticate(const HttpRequest& request) const;
  // POST /oauth/v1/token with a form-encoded body.
  JsonAnswer Grant(absl::string_view form);
  // DELETE /oauth/v1/refresh-tokens/{token}: false when unknown.
  bool RevokeRefreshToken(absl::string_view token);
  // For tests: every access token issued so far expires now.
  void ExpireAccessTokens();
  int64_t tokens_issued() const;

 private:
  struct Issued {
    absl::Time expires;
  };
  const EmulatorCredentials credentials_;
  const hubspot_gateway::Clock* const clock_;
  const absl::Duration lifetime_;

  mutable absl::Mutex mu_;
  // refresh token -> client id; revoked ones are removed.
  std::map<std::string, std::string> refresh_tokens_ ABSL_GUARDED_BY(mu_);
  // Access tokens issued, expired ones kept a day to tell them apart from
  // unknown ones (HubSpot says "expired", not "not found").
  std::map<std::string, Issued> access_tokens_ ABSL_GUARDED_BY(mu_);
  int64_t issued_ ABSL_GUARDED_BY(mu_) = 0;
};

// HubSpot's error body: status, message, correlationId, category.
std::string ErrorBody(absl::string_view message, absl::string_view category,
                      absl::string_view sub_category = "");
// A fresh correlation id (UUID v4).
std::string NewCorrelationId();
// `bytes` random bytes, hex.
std::string RandomHex(int bytes);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_ACCOUNTS_H_

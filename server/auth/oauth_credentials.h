#ifndef HUBSPOT_GATEWAY_AUTH_OAUTH_CREDENTIALS_H_
#define HUBSPOT_GATEWAY_AUTH_OAUTH_CREDENTIALS_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/credentials.h"
#include "server/auth/secret_source.h"
#include "server/metrics/gateway_metrics.h"
#include "server/common/clock.h"
#include "server/http/http_upstream.h"

namespace hubspot_gateway {

struct OAuthSettings {
  std::string token_url;
  // Read at each token request; a change (a rotated Secret file) brings a
  // new access token at once.
  std::shared_ptr<SecretSource> client_id;
  std::shared_ptr<SecretSource> client_secret;
  std::shared_ptr<SecretSource> refresh_token;
  // Refresh this long before expiry (capped at half the token's lifetime).
  absl::Duration refresh_margin = absl::Minutes(5);
  // Upper bound of one token request.
  absl::Duration timeout = absl::Seconds(30);
  // After HubSpot rejects the refresh token, calls fail with that answer for
  // this long instead of each sending a token request of its own.
  absl::Duration rejection_backoff = absl::Seconds(5);
  // After a failed background refresh (the current token still valid), the
  // next attempt waits this long.
  absl::Duration retry_backoff = absl::Seconds(1);
  // Token requests and refreshes are counted here; may be null.
  HubSpotMetrics* metrics = nullptr;
};

// OAuth 2.0 refresh-token grant. The access token is cached and refreshed
// before it expires; however many calls wait for a token, one token request
// runs at a time. A refresh token HubSpot rotates is used from then on,
// until the configured one changes.
class OAuthCredentials final : public CredentialProvider {
 public:
  // `http` and `clock` must outlive this object and every token request.
  OAuthCredentials(OAuthSettings settings, HttpUpstream* http,
                   const Clock* clock);

  void GetAuthHeader(AuthCallback done) override;
  bool Invalidate(const AuthHeader& used) override;
  absl::string_view kind() const override { return "oauth"; }

 private:
  void StartRefresh();
  // True when a configured secret changed since the last look; takes a new
  // refresh token. `look_now` ignores the sources' check interval.
  bool SecretsChanged(bool look_now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnTokenResponse(absl::StatusOr<HttpResponse> response);
  absl::Status ApplyTokenResponse(const HttpResponse& response)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string Redact(std::string text) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const OAuthSettings settings_;
  HttpUpstream* const http_;
  const Clock* const clock_;

  absl::Mutex mu_;
  std::string refresh_token_ ABSL_GUARDED_BY(mu_);
  // Versions of client_id, client_secret and refresh_token last seen.
  std::array<uint64_t, 3> seen_versions_ ABSL_GUARDED_BY(mu_) = {};
  AuthHeader current_ ABSL_GUARDED_BY(mu_);
  absl::Time refresh_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time expires_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool refreshing_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<AuthCallback> waiters_ ABSL_GUARDED_BY(mu_);
  absl::Status rejection_ ABSL_GUARDED_BY(mu_);
  absl::Time rejection_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time next_background_refresh_ ABSL_GUARDED_BY(mu_) =
      absl::InfinitePast();
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_AUTH_OAUTH_CREDENTIALS_H_

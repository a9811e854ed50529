#ifndef HUBSPOT_GATEWAY_SERVICE_HUBSPOT_ACCOUNT_H_
#define HUBSPOT_GATEWAY_SERVICE_HUBSPOT_ACCOUNT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/auth/credentials.h"
#include "server/common/clock.h"
#include "server/common/scheduler.h"
#include "server/common/thread_pool.h"
#include "server/config/config_loader.h"
#include "server/http/curl_multi_loop.h"
#include "server/hubspot/circuit_breaker.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/metrics/gateway_metrics.h"
#include "server/ratelimit/rate_limiter.h"
#include "server/ratelimit/redis_token_bucket.h"
#include "server/upload/idempotency_registry.h"
#include "server/upload/upload_ledger.h"

namespace hubspot_gateway {

// What every account shares; must outlive the accounts' calls.
struct AccountRuntime {
  // Where HubSpot's answers are parsed and calls finished, off the loops.
  ThreadPool* callbacks = nullptr;
  Scheduler* timers = nullptr;
  const Clock* clock = nullptr;
  // Null: no metrics.
  GatewayMetrics* metrics = nullptr;
};

// Everything that talks to one HubSpot account: its connections (a libcurl
// loop with the account's TLS, proxy and HTTP version), credentials and
// their token cache, circuit breaker, rate budget, and StartImport
// idempotency keys. Accounts share nothing of these, so that one account's
// outage, exhausted budget or revoked token leaves the others alone.
class HubSpotAccount {
 public:
  // One start-up error naming the field (`config.field`…) on failure.
  static absl::StatusOr<std::unique_ptr<HubSpotAccount>> Open(
      const HubSpotAccountConfig& config,
      const ::hubspot::crm::imports::gateway::v1::UploadConfig& upload,
      const AccountRuntime& runtime, const EnvLookup& env);
  ~HubSpotAccount();

  // Fails the transfers in flight and stops the loop; before the runtime's
  // callbacks pool is joined, as that may still run their completions.
  void StopTransfers();

  const std::string& name() const { return name_; }
  const ::hubspot::crm::imports::gateway::v1::HubSpotUpstream& config() const {
    return config_;
  }
  HubSpotTransport* transport() { return transport_.get(); }
  // Null without metrics.
  HubSpotMetrics* metrics() { return metrics_.get(); }
  CircuitBreaker* breaker() { return breaker_.get(); }
  IdempotencyRegistry* idempotency() { return idempotency_.get(); }
  UploadLedger* ledger() { return ledger_.get(); }
  absl::string_view credentials_kind() const { return credentials_->kind(); }

 private:
  HubSpotAccount() = default;

  // Sets its gauges from the breaker and the rate limiter, at each scrape.
  void Collect();

  std::string name_;
  ::hubspot::crm::imports::gateway::v1::HubSpotUpstream config_;
  std::unique_ptr<HubSpotMetrics> metrics_;
  std::unique_ptr<CurlMultiLoop> loop_;
  std::unique_ptr<CredentialProvider> credentials_;
  std::unique_ptr<CircuitBreaker> breaker_;
  std::unique_ptr<LocalTokenBucket> local_bucket_;
  std::unique_ptr<RedisTokenBucket> shared_bucket_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<HubSpotTransport> transport_;
  std::unique_ptr<IdempotencyRegistry> idempotency_;
  std::unique_ptr<UploadLedger> ledger_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_HUBSPOT_ACCOUNT_H_

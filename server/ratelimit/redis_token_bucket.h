#ifndef HUBSPOT_GATEWAY_RATELIMIT_REDIS_TOKEN_BUCKET_H_
#define HUBSPOT_GATEWAY_RATELIMIT_REDIS_TOKEN_BUCKET_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "server/common/thread_pool.h"
#include "server/ratelimit/rate_limiter.h"

struct redisContext;

namespace hubspot_gateway {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // AUTH when not empty
  // The bucket's key: replicas that share it share the budget.
  std::string key = "hubspot-imports-gateway:rate-limit";
  // Connect and reply time-out of one round trip.
  absl::Duration timeout = absl::Milliseconds(200);
};

// The token bucket in Redis, for every replica at once: one Lua script
// refills and takes atomically, on Redis's own clock, so that replicas'
// clocks do not matter. Round trips run on a thread of their own (hiredis
// is blocking), one at a time; a failure reconnects on the next call.
class RedisTokenBucket final : public TokenStore {
 public:
  RedisTokenBucket(RedisOptions options, const RateLimitPolicy& policy);
  ~RedisTokenBucket() override;

  void Take(Done done) override;

 private:
  absl::StatusOr<absl::Duration> TakeNow();

  const RedisOptions options_;
  const double capacity_;
  const double refill_per_ms_;
  // Only the worker thread touches the connection.
  redisContext* context_ = nullptr;
  std::unique_ptr<ThreadPool> worker_ = std::make_unique<ThreadPool>(1);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_RATELIMIT_REDIS_TOKEN_BUCKET_H_

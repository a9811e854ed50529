#include "server/ratelimit/redis_token_bucket.h"

#include <hiredis/hiredis.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {
namespace {

// KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per millisecond.
// Returns 0 when a token was taken, else the milliseconds until one.
constexpr char kTakeScript[] = R"lua(
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or capacity
local ts = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) * 2 + 1000)
return wait
)lua";

}  // namespace

RedisTokenBucket::RedisTokenBucket(RedisOptions options,
                                   const RateLimitPolicy& policy)
    : options_(std::move(options)),
      capacity_(policy.Capacity()),
      refill_per_ms_(policy.RefillPerSecond() / 1000) {}

RedisTokenBucket::~RedisTokenBucket() {
  // The worker's queue drains first (ThreadPool's destructor runs what was
  // queued); then the connection goes.
  worker_.reset();
  if (context_ != nullptr) redisFree(context_);
}

void RedisTokenBucket::Take(Done done) {
  worker_->Run([this, done = std::move(done)]() mutable {
    std::move(done)(TakeNow());
  });
}

absl::StatusOr<absl::Duration> RedisTokenBucket::TakeNow() {
  if (context_ == nullptr) {
    context_ = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                       absl::ToTimeval(options_.timeout));
    if (context_ == nullptr || context_->err != 0) {
      const std::string why =
          context_ != nullptr ? context_->errstr : "out of memory";
      if (context_ != nullptr) redisFree(context_);
      context_ = nullptr;
      return absl::UnavailableError(absl::StrCat(
          "cannot reach Redis at ", options_.host, ":", options_.port, ": ",
          why));
    }
    redisSetTimeout(context_, absl::ToTimeval(options_.timeout));
    if (!options_.password.empty()) {
      auto* auth = static_cast<redisReply*>(
          redisCommand(context_, "AUTH %s", options_.password.c_str()));
      const bool ok = auth != nullptr && auth->type != REDIS_REPLY_ERROR;
      if (auth != nullptr) freeReplyObject(auth);
      if (!ok) {
        redisFree(context_);
        context_ = nullptr;
        // Redis's own message could echo the attempt; say only what failed.
        return absl::UnavailableError(
            "Redis refused hubspot.rateLimit.redis.password");
      }
    }
  }
  const std::string capacity = absl::StrCat(capacity_);
  const std::string rate = absl::StrCat(refill_per_ms_);
  auto* reply = static_cast<redisReply*>(
      redisCommand(context_, "EVAL %s 1 %s %s %s", kTakeScript,
                   options_.key.c_str(), capacity.c_str(), rate.c_str()));
  if (reply == nullptr) {
    const std::string why = context_->errstr;
    redisFree(context_);
    context_ = nullptr;
    return absl::UnavailableError(absl::StrCat("Redis: ", why));
  }
  absl::StatusOr<absl::Duration> result;
  if (reply->type == REDIS_REPLY_INTEGER) {
    result = absl::Milliseconds(reply->integer);
  } else {
    result = absl::UnavailableError(absl::StrCat(
        "Redis answered the rate-limit script with ",
        reply->type == REDIS_REPLY_ERROR ? reply->str : "an unexpected reply"));
  }
  freeReplyObject(reply);
  return result;
}

}  // namespace hubspot_gateway

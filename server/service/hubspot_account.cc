#include "server/service/hubspot_account.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/auth/oauth_credentials.h"
#include "server/auth/secret_source.h"
#include "server/auth/static_credentials.h"
#include "server/common/proto_duration.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

RetryPolicy ToRetryPolicy(const cfg::RetryConfig& c) {
  RetryPolicy policy;
  policy.count = static_cast<int>(c.count());
  policy.interval = FromProtoDuration(c.interval());
  policy.backoff_factor = c.backoff_factor();
  policy.max_wait_interval = FromProtoDuration(c.max_wait_interval());
  policy.status_codes.assign(c.status_codes().begin(), c.status_codes().end());
  return policy;
}

CircuitBreakerPolicy ToBreakerPolicy(const cfg::CircuitBreakerConfig& c) {
  CircuitBreakerPolicy policy;
  policy.enabled = c.enabled();
  policy.time_window = FromProtoDuration(c.rolling_window().time_window());
  policy.bucket_size = FromProtoDuration(c.rolling_window().bucket_size());
  policy.request_volume_threshold =
      static_cast<int>(c.rolling_window().request_volume_threshold());
  policy.failure_threshold = c.failure_threshold();
  policy.reset_time = FromProtoDuration(c.reset_time());
  policy.status_codes.assign(c.status_codes().begin(), c.status_codes().end());
  return policy;
}

RateLimitPolicy ToRateLimitPolicy(const cfg::RateLimitConfig& c) {
  RateLimitPolicy policy;
  policy.requests_per_interval = c.requests_per_interval();
  policy.interval = FromProtoDuration(c.interval());
  policy.max_wait = FromProtoDuration(c.max_wait());
  return policy;
}

absl::StatusOr<CurlOptions> ToCurlOptions(const cfg::HubSpotUpstream& hs,
                                          const std::string& field,
                                          ThreadPool* callbacks,
                                          const EnvLookup& env) {
  CurlOptions curl;
  curl.http2 = hs.http_version() != cfg::HTTP_VERSION_1_1;
  curl.ca_file = hs.tls().ca_file();
  curl.cert_file = hs.tls().cert_file();
  curl.key_file = hs.tls().key_file();
  curl.tls_1_3_only = hs.tls().min_version() == cfg::TLS_VERSION_1_3;
  curl.accept_compressed = hs.compression() != cfg::COMPRESSION_NEVER;
  curl.proxy_url = hs.proxy_url();
  if (hs.has_proxy_credentials()) {
    const std::string proxy_field = absl::StrCat(field, ".proxyCredentials");
    absl::StatusOr<std::string> proxy_credentials =
        ReadSecret(hs.proxy_credentials(), proxy_field, env);
    if (!proxy_credentials.ok()) return proxy_credentials.status();
    if (!absl::StrContains(*proxy_credentials, ":")) {
      return absl::InvalidArgumentError(
          absl::StrCat(proxy_field, ": must read \"user:password\""));
    }
    curl.proxy_credentials = *std::move(proxy_credentials);
  }
  curl.max_connections = static_cast<long>(hs.max_connections());
  curl.callbacks = callbacks;
  return curl;
}

absl::StatusOr<std::unique_ptr<CredentialProvider>> MakeCredentials(
    const cfg::HubSpotUpstream& hs, const std::string& field,
    HttpUpstream* http, const Clock* clock, const EnvLookup& env,
    HubSpotMetrics* metrics) {
  const cfg::Credentials& c = hs.credentials();
  const std::string f = absl::StrCat(field, ".credentials");
  if (c.has_private_app_token()) {
    auto token = OpenSecret(c.private_app_token(),
                            absl::StrCat(f, ".privateAppToken"), env, clock);
    if (!token.ok()) return token.status();
    return StaticCredentials::PrivateAppToken(*std::move(token));
  }
  if (c.has_private_app_legacy_key()) {
    auto key = OpenSecret(c.private_app_legacy_key(),
                          absl::StrCat(f, ".privateAppLegacyKey"), env, clock);
    if (!key.ok()) return key.status();
    return StaticCredentials::PrivateAppLegacyKey(*std::move(key));
  }
  OAuthSettings settings;
  settings.token_url = c.oauth().token_url();
  settings.refresh_margin = FromProtoDuration(c.oauth().refresh_margin());
  settings.timeout = FromProtoDuration(hs.timeout());
  settings.metrics = metrics;
  for (auto [secret, name, out] :
       {std::tuple<const cfg::Secret&, absl::string_view,
                   std::shared_ptr<SecretSource>*>{
            c.oauth().client_id(), "clientId", &settings.client_id},
        {c.oauth().client_secret(), "clientSecret", &settings.client_secret},
        {c.oauth().refresh_token(), "refreshToken", &settings.refresh_token}}) {
    auto source =
        OpenSecret(secret, absl::StrCat(f, ".oauth.", name), env, clock);
    if (!source.ok()) return source.status();
    *out = *std::move(source);
  }
  return std::make_unique<OAuthCredentials>(std::move(settings), http, clock);
}

}  // namespace

absl::StatusOr<std::unique_ptr<HubSpotAccount>> HubSpotAccount::Open(
    const HubSpotAccountConfig& config, const cfg::UploadConfig& upload,
    const AccountRuntime& runtime, const EnvLookup& env) {
  const cfg::HubSpotUpstream& hs = *config.upstream;
  std::unique_ptr<HubSpotAccount> account(new HubSpotAccount());
  account->name_ = config.name;
  account->config_ = hs;
  if (runtime.metrics != nullptr) {
    account->metrics_ =
        std::make_unique<HubSpotMetrics>(runtime.metrics, config.name);
  }

  absl::StatusOr<CurlOptions> curl =
      ToCurlOptions(hs, config.field, runtime.callbacks, env);
  if (!curl.ok()) return curl.status();
  absl::StatusOr<std::unique_ptr<CurlMultiLoop>> loop =
      CurlMultiLoop::Create(*std::move(curl));
  if (!loop.ok()) return loop.status();
  account->loop_ = *std::move(loop);

  absl::StatusOr<std::unique_ptr<CredentialProvider>> credentials =
      MakeCredentials(hs, config.field, account->loop_.get(), runtime.clock,
                      env, account->metrics_.get());
  if (!credentials.ok()) return credentials.status();
  account->credentials_ = *std::move(credentials);

  HubSpotTransportOptions options;
  options.base_url = hs.base_url();
  options.timeout = FromProtoDuration(hs.timeout());
  options.retry = ToRetryPolicy(hs.retry());
  options.retry_budget_max_tokens = hs.retry().budget_max_tokens();
  options.retry_budget_token_ratio = hs.retry().budget_token_ratio();
  options.metrics = account->metrics_.get();
  account->breaker_ = std::make_unique<CircuitBreaker>(
      ToBreakerPolicy(hs.circuit_breaker()), runtime.clock);
  options.breaker = account->breaker_.get();

  // The client-side budget: a local bucket, and Redis's when shared.
  const cfg::RateLimitConfig& limit = hs.rate_limit();
  const RateLimitPolicy limit_policy = ToRateLimitPolicy(limit);
  account->local_bucket_ =
      std::make_unique<LocalTokenBucket>(limit_policy, runtime.clock);
  if (limit.has_redis()) {
    RedisOptions redis;
    const std::string& address = limit.redis().address();
    redis.host = address.substr(0, address.rfind(':'));
    redis.port = std::stoi(address.substr(address.rfind(':') + 1));
    redis.key = limit.redis().key();
    redis.timeout = FromProtoDuration(limit.redis().timeout());
    if (limit.redis().has_password()) {
      auto password = ReadSecret(
          limit.redis().password(),
          absl::StrCat(config.field, ".rateLimit.redis.password"), env);
      if (!password.ok()) return password.status();
      redis.password = *std::move(password);
    }
    account->shared_bucket_ =
        std::make_unique<RedisTokenBucket>(redis, limit_policy);
  }
  if (limit.requests_per_interval() > 0) {
    account->limiter_ = std::make_unique<RateLimiter>(
        limit_policy, account->shared_bucket_.get(),
        account->local_bucket_.get(), runtime.timers, runtime.clock);
    options.rate_limiter = account->limiter_.get();
    if (runtime.metrics != nullptr) {
      account->limiter_->CountShedIn(
          runtime.metrics->rate_limit_shed->With({config.name}));
    }
  }
  account->transport_ = std::make_unique<HubSpotTransport>(
      std::move(options), account->loop_.get(), account->credentials_.get(),
      runtime.timers);
  account->idempotency_ = std::make_unique<IdempotencyRegistry>(
      FromProtoDuration(upload.idempotency_window()),
      upload.max_idempotency_keys(), runtime.clock);
  // As long as a repeat may still ask for a created import, and at least as
  // long as an import stays active on a busy day.
  account->ledger_ = std::make_unique<UploadLedger>(
      runtime.clock,
      std::max(FromProtoDuration(upload.idempotency_window()), absl::Hours(1)),
      std::max<size_t>(upload.max_idempotency_keys(), 1000));
  if (runtime.metrics != nullptr) {
    runtime.metrics->registry->AddCollector(
        [raw = account.get()] { raw->Collect(); });
  }
  return account;
}

void HubSpotAccount::Collect() {
  GatewayMetrics* m = metrics_->gateway();
  const CircuitState state = breaker_->state();
  for (const auto& [s, label] :
       {std::pair<CircuitState, const char*>{CircuitState::kClosed, "closed"},
        {CircuitState::kOpen, "open"},
        {CircuitState::kHalfOpen, "half_open"}}) {
    m->breaker_state->With({name_, label})->Set(s == state ? 1 : 0);
  }
  const cfg::RateLimitConfig& limit = config_.rate_limit();
  m->rate_limit_capacity->With({name_})->Set(limit.requests_per_interval());
  m->rate_limit_tokens->With({name_})
      ->Set(limiter_ != nullptr ? local_bucket_->Available() : 0);
  m->rate_limit_waiting->With({name_})
      ->Set(limiter_ != nullptr ? limiter_->waiting() : 0);
}

void HubSpotAccount::StopTransfers() { loop_.reset(); }

HubSpotAccount::~HubSpotAccount() { StopTransfers(); }

}  // namespace hubspot_gateway

#include "server/config/upstream_config.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/proto_duration.h"
#include "server/config/config_checks.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

constexpr absl::string_view kDefaultBaseUrl = "https://api.hubapi.com";
constexpr absl::string_view kDefaultTokenUrl =
    "https://api.hubapi.com/oauth/v1/token";

void ApplyRetryDefaults(cfg::RetryConfig* retry) {
  if (!retry->has_count()) retry->set_count(3);
  if (!retry->has_interval()) {
    SetProtoDuration(absl::Milliseconds(500), retry->mutable_interval());
  }
  if (retry->backoff_factor() == 0) retry->set_backoff_factor(2);
  if (!retry->has_max_wait_interval()) {
    SetProtoDuration(absl::Seconds(20), retry->mutable_max_wait_interval());
  }
  if (retry->status_codes().empty()) {
    for (int code : {429, 500, 502, 503, 504}) retry->add_status_codes(code);
  }
  if (retry->budget_max_tokens() == 0) retry->set_budget_max_tokens(10);
  if (retry->budget_token_ratio() == 0) retry->set_budget_token_ratio(0.1);
}

void ApplyRateLimitDefaults(absl::string_view redis_key,
                            cfg::RateLimitConfig* limit) {
  if (!limit->has_requests_per_interval()) limit->set_requests_per_interval(100);
  if (!limit->has_interval()) {
    SetProtoDuration(absl::Seconds(10), limit->mutable_interval());
  }
  if (!limit->has_max_wait()) {
    SetProtoDuration(absl::Seconds(1), limit->mutable_max_wait());
  }
  if (limit->has_redis()) {
    cfg::RedisConfig* redis = limit->mutable_redis();
    if (redis->key().empty()) redis->set_key(std::string(redis_key));
    if (!redis->has_timeout()) {
      SetProtoDuration(absl::Milliseconds(200), redis->mutable_timeout());
    }
  }
}

void ApplyBreakerDefaults(cfg::CircuitBreakerConfig* breaker) {
  if (!breaker->has_enabled()) breaker->set_enabled(true);
  cfg::RollingWindow* window = breaker->mutable_rolling_window();
  if (!window->has_time_window()) {
    SetProtoDuration(absl::Seconds(60), window->mutable_time_window());
  }
  if (!window->has_bucket_size()) {
    SetProtoDuration(absl::Seconds(10), window->mutable_bucket_size());
  }
  if (window->request_volume_threshold() == 0) {
    window->set_request_volume_threshold(10);
  }
  if (!breaker->has_failure_threshold()) breaker->set_failure_threshold(0.5);
  if (!breaker->has_reset_time()) {
    SetProtoDuration(absl::Seconds(30), breaker->mutable_reset_time());
  }
  if (breaker->status_codes().empty()) {
    for (int code : {500, 501, 502, 503, 504}) breaker->add_status_codes(code);
  }
}

absl::Status ValidateCircuitBreaker(const cfg::CircuitBreakerConfig& b,
                                    const std::string& f) {
  const cfg::RollingWindow& w = b.rolling_window();
  const std::string window = absl::StrCat(f, ".rollingWindow");
  if (absl::Status s = CheckDuration(absl::StrCat(window, ".timeWindow"),
                                     w.time_window(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration(absl::StrCat(window, ".bucketSize"),
                                     w.bucket_size(),
                                     FromProtoDuration(w.time_window()));
      !s.ok()) {
    return s;
  }
  if (FromProtoDuration(w.time_window()) / FromProtoDuration(w.bucket_size()) >
      1000) {
    return ConfigError(absl::StrCat(window, ".bucketSize"),
                       "must be at least timeWindow / 1000");
  }
  if (!(b.failure_threshold() > 0 && b.failure_threshold() <= 1)) {
    return ConfigError(absl::StrCat(f, ".failureThreshold"),
                       "must be > 0 and <= 1 (a share of failed requests)");
  }
  if (absl::Status s = CheckDuration(absl::StrCat(f, ".resetTime"),
                                     b.reset_time(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  for (uint32_t code : b.status_codes()) {
    if (code < 100 || code > 599) {
      return ConfigError(absl::StrCat(f, ".statusCodes"),
                         absl::StrCat(code, " is not an HTTP status"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRateLimit(const cfg::RateLimitConfig& l,
                               const std::string& f) {
  if (l.requests_per_interval() > 1000000) {
    return ConfigError(absl::StrCat(f, ".requestsPerInterval"),
                       "must be at most 1000000 (0 turns the limit off)");
  }
  if (absl::Status s = CheckDuration(absl::StrCat(f, ".interval"),
                                     l.interval(), absl::Hours(24));
      !s.ok()) {
    return s;
  }
  const absl::Duration wait = FromProtoDuration(l.max_wait());
  if (wait < absl::ZeroDuration() || wait > absl::Minutes(1)) {
    return ConfigError(absl::StrCat(f, ".maxWait"), "must be 0s to 1m");
  }
  if (!l.has_redis()) return absl::OkStatus();
  if (l.requests_per_interval() == 0) {
    return ConfigError(absl::StrCat(f, ".redis"),
                       absl::StrCat("needs ", f,
                                    ".requestsPerInterval (the budget to "
                                    "share)"));
  }
  const std::string& address = l.redis().address();
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return ConfigError(absl::StrCat(f, ".redis.address"),
                       "must be \"host:port\", e.g. \"redis:6379\"");
  }
  return CheckDuration(absl::StrCat(f, ".redis.timeout"), l.redis().timeout(),
                       absl::Seconds(10));
}

absl::Status ValidateRetry(const cfg::RetryConfig& retry,
                           const std::string& f) {
  if (retry.count() > 10) {
    return ConfigError(absl::StrCat(f, ".count"), "must be between 0 and 10");
  }
  if (absl::Status s = CheckDuration(absl::StrCat(f, ".interval"),
                                     retry.interval(), absl::Minutes(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration(absl::StrCat(f, ".maxWaitInterval"),
                                     retry.max_wait_interval(),
                                     absl::Minutes(10));
      !s.ok()) {
    return s;
  }
  if (!(retry.backoff_factor() >= 1 && retry.backoff_factor() <= 10)) {
    return ConfigError(absl::StrCat(f, ".backoffFactor"),
                       "must be between 1 and 10");
  }
  for (uint32_t code : retry.status_codes()) {
    if (code < 400 || code > 599) {
      return ConfigError(
          absl::StrCat(f, ".statusCodes"),
          absl::StrCat(code, " is not an HTTP error status (400-599)"));
    }
  }
  if (retry.budget_max_tokens() > 1000) {
    return ConfigError(absl::StrCat(f, ".budgetMaxTokens"),
                       "must be between 1 and 1000");
  }
  if (!(retry.budget_token_ratio() > 0 && retry.budget_token_ratio() <= 1)) {
    return ConfigError(absl::StrCat(f, ".budgetTokenRatio"),
                       "must be > 0 and <= 1");
  }
  return absl::OkStatus();
}

absl::Status ValidateProxy(const cfg::HubSpotUpstream& hs,
                           const std::string& f) {
  if (!hs.proxy_url().empty() && !HasHttpScheme(hs.proxy_url())) {
    return ConfigError(absl::StrCat(f, ".proxyUrl"),
                       "must be an http:// or https:// proxy URL, e.g. "
                       "http://proxy:3128");
  }
  if (hs.has_proxy_credentials() && hs.proxy_url().empty()) {
    return ConfigError(absl::StrCat(f, ".proxyCredentials"),
                       absl::StrCat("needs ", f,
                                    ".proxyUrl (credentials for which "
                                    "proxy?)"));
  }
  if (absl::StrContains(hs.proxy_url(), "@")) {
    return ConfigError(absl::StrCat(f, ".proxyUrl"),
                       absl::StrCat("must not carry credentials; put "
                                    "\"user:password\" in ",
                                    f,
                                    ".proxyCredentials (a file or an "
                                    "environment variable)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTls(const cfg::TlsConfig& tls, const std::string& f) {
  for (const auto& [name, path] :
       {std::pair<absl::string_view, const std::string&>{"caFile",
                                                         tls.ca_file()},
        {"certFile", tls.cert_file()},
        {"keyFile", tls.key_file()}}) {
    if (absl::Status s = CheckReadableFile(absl::StrCat(f, ".", name), path);
        !s.ok()) {
      return s;
    }
  }
  if (tls.cert_file().empty() != tls.key_file().empty()) {
    return ConfigError(f,
                       "certFile and keyFile go together; set both for mutual "
                       "TLS or neither");
  }
  return absl::OkStatus();
}

absl::Status ValidateCredentials(const cfg::Credentials& c,
                                 const std::string& f, const EnvLookup& env) {
  switch (c.kind_case()) {
    case cfg::Credentials::KIND_NOT_SET:
      return ConfigError(
          f, "none configured; set privateAppToken, privateAppLegacyKey or "
             "oauth in the file, or HUBSPOT_ACCESS_TOKEN in the environment");
    case cfg::Credentials::kPrivateAppToken:
      return CheckSecretSource(c.private_app_token(),
                               absl::StrCat(f, ".privateAppToken"), env);
    case cfg::Credentials::kPrivateAppLegacyKey:
      return CheckSecretSource(c.private_app_legacy_key(),
                               absl::StrCat(f, ".privateAppLegacyKey"), env);
    case cfg::Credentials::kOauth:
      break;
  }
  const cfg::OAuthRefreshToken& o = c.oauth();
  const std::string oauth = absl::StrCat(f, ".oauth");
  if (!HasHttpScheme(o.token_url())) {
    return ConfigError(absl::StrCat(oauth, ".tokenUrl"),
                       "must be an http(s) URL, e.g. "
                       "https://api.hubapi.com/oauth/v1/token");
  }
  if (absl::Status s = CheckDuration(absl::StrCat(oauth, ".refreshMargin"),
                                     o.refresh_margin(), absl::Hours(12));
      !s.ok()) {
    return s;
  }
  for (const auto& [name, secret] :
       {std::pair<absl::string_view, const cfg::Secret&>{"clientId",
                                                         o.client_id()},
        {"clientSecret", o.client_secret()},
        {"refreshToken", o.refresh_token()}}) {
    if (absl::Status s =
            CheckSecretSource(secret, absl::StrCat(oauth, ".", name), env);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

void ApplyUpstreamDefaults(absl::string_view redis_key,
                           cfg::HubSpotUpstream* hs) {
  if (hs->base_url().empty()) hs->set_base_url(std::string(kDefaultBaseUrl));
  while (absl::EndsWith(hs->base_url(), "/")) {
    hs->mutable_base_url()->pop_back();
  }
  if (!hs->has_timeout()) {
    SetProtoDuration(absl::Seconds(30), hs->mutable_timeout());
  }
  if (hs->http_version() == cfg::HTTP_VERSION_UNSPECIFIED) {
    hs->set_http_version(cfg::HTTP_VERSION_2);
  }
  if (hs->max_connections() == 0) hs->set_max_connections(32);
  ApplyRetryDefaults(hs->mutable_retry());
  ApplyRateLimitDefaults(redis_key, hs->mutable_rate_limit());
  ApplyBreakerDefaults(hs->mutable_circuit_breaker());
  if (hs->credentials().has_oauth()) {
    cfg::OAuthRefreshToken* oauth = hs->mutable_credentials()->mutable_oauth();
    if (oauth->token_url().empty()) {
      oauth->set_token_url(std::string(kDefaultTokenUrl));
    }
    if (!oauth->has_refresh_margin()) {
      SetProtoDuration(absl::Minutes(5), oauth->mutable_refresh_margin());
    }
  }
}

absl::Status ValidateUpstream(const cfg::HubSpotUpstream& hs,
                              absl::string_view field, const EnvLookup& env) {
  const std::string f(field);
  if (!HasHttpScheme(hs.base_url()) ||
      hs.base_url().find('?') != std::string::npos) {
    return ConfigError(absl::StrCat(f, ".baseUrl"),
                       absl::StrCat("\"", hs.base_url(),
                                    "\" must be an http(s) URL without query, "
                                    "e.g. https://api.hubapi.com"));
  }
  if (absl::Status s = CheckDuration(absl::StrCat(f, ".timeout"), hs.timeout(),
                                     absl::Minutes(10));
      !s.ok()) {
    return s;
  }
  if (hs.max_connections() > 1024) {
    return ConfigError(absl::StrCat(f, ".maxConnections"),
                       "must be between 1 and 1024");
  }
  for (absl::Status s :
       {ValidateRetry(hs.retry(), absl::StrCat(f, ".retry")),
        ValidateCircuitBreaker(hs.circuit_breaker(),
                               absl::StrCat(f, ".circuitBreaker")),
        ValidateRateLimit(hs.rate_limit(), absl::StrCat(f, ".rateLimit")),
        ValidateProxy(hs, f), ValidateTls(hs.tls(), absl::StrCat(f, ".tls"))}) {
    if (!s.ok()) return s;
  }
  return ValidateCredentials(hs.credentials(),
                             absl::StrCat(f, ".credentials"), env);
}

}  // namespace hubspot_gateway

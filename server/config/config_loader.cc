#include "server/config/config_loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "server/common/proto_duration.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

constexpr absl::string_view kDefaultListen = "127.0.0.1:50051";
constexpr absl::string_view kDefaultBaseUrl = "https://api.hubapi.com";
constexpr absl::string_view kDefaultTokenUrl =
    "https://api.hubapi.com/oauth/v1/token";

// Start-up errors are one log line: values quoted from the file (paths,
// addresses) have their control characters escaped.
absl::Status ConfigError(absl::string_view field, absl::string_view problem) {
  std::string line = absl::StrCat(field, ": ", problem);
  std::string escaped;
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      escaped += absl::CHexEscape(absl::string_view(&c, 1));
    } else {
      escaped += c;
    }
  }
  return absl::InvalidArgumentError(escaped);
}

// How an error names a secret file: its path, unless the "path" does not
// look like one (a secret pasted into {"file": …} must not be logged).
std::string SecretFileName(const std::string& path) {
  const bool looks_like_path =
      !path.empty() && (path[0] == '/' || path[0] == '.') &&
      path.find_first_of(" \t\r\n") == std::string::npos;
  return looks_like_path
             ? absl::StrCat("\"", path, "\"")
             : std::string("(its path, not shown: it is not an absolute or "
                           "relative path; did a secret go into "
                           "{\"file\": …}?)");
}

// protobuf quotes the offending value in its parse errors; that value may be
// a secret pasted where {"file": …} belongs, so it is left out.
std::string WithoutQuotedValues(absl::string_view message) {
  std::string out;
  bool quoted = false;
  for (char c : message) {
    if (c == '"') {
      if (!quoted) out += "\"…\"";
      quoted = !quoted;
      continue;
    }
    if (!quoted) out += c;
  }
  return out;
}

bool HasHttpScheme(absl::string_view url) {
  return absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://");
}

absl::Status ApplyEnvCredentials(const EnvLookup& env, cfg::Credentials* c) {
  const bool token = env("HUBSPOT_ACCESS_TOKEN").has_value();
  const bool legacy = env("HUBSPOT_PRIVATE_APP_LEGACY_KEY").has_value();
  const std::vector<absl::string_view> oauth_vars = {
      "HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET", "HUBSPOT_REFRESH_TOKEN"};
  int oauth_set = 0;
  for (absl::string_view v : oauth_vars) oauth_set += env(v).has_value();
  const int kinds = token + legacy + (oauth_set > 0);
  if (kinds > 1) {
    return ConfigError(
        "environment",
        "more than one kind of HubSpot credentials is set "
        "(HUBSPOT_ACCESS_TOKEN, "
        "HUBSPOT_PRIVATE_APP_LEGACY_KEY, HUBSPOT_CLIENT_ID/_SECRET/"
        "HUBSPOT_REFRESH_TOKEN); set exactly one");
  }
  if (token) {
    c->mutable_private_app_token()->set_env("HUBSPOT_ACCESS_TOKEN");
  } else if (legacy) {
    c->mutable_private_app_legacy_key()->set_env(
        "HUBSPOT_PRIVATE_APP_LEGACY_KEY");
  } else if (oauth_set > 0) {
    for (absl::string_view v : oauth_vars) {
      if (!env(v).has_value()) {
        return ConfigError(
            "environment",
            absl::StrCat(v,
                         " is missing: OAuth credentials need "
                         "HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and "
                         "HUBSPOT_REFRESH_TOKEN together"));
      }
    }
    // Only the secrets come from the environment; tokenUrl and
    // refreshMargin stay as the file set them.
    cfg::OAuthRefreshToken* oauth = c->mutable_oauth();
    oauth->mutable_client_id()->set_env("HUBSPOT_CLIENT_ID");
    oauth->mutable_client_secret()->set_env("HUBSPOT_CLIENT_SECRET");
    oauth->mutable_refresh_token()->set_env("HUBSPOT_REFRESH_TOKEN");
  }
  return absl::OkStatus();
}

void ApplyEnvOverrides(const EnvLookup& env, GatewayConfig* config) {
  if (auto v = env("HUBSPOT_GATEWAY_LISTEN_ADDRESS")) {
    config->set_listen_address(*v);
  }
  if (auto v = env("HUBSPOT_BASE_URL"))
    config->mutable_hubspot()->set_base_url(*v);
  if (auto v = env("HUBSPOT_TOKEN_URL")) {
    if (config->hubspot().credentials().has_oauth()) {
      config->mutable_hubspot()
          ->mutable_credentials()
          ->mutable_oauth()
          ->set_token_url(*v);
    }
  }
}

void ApplyDefaults(GatewayConfig* config) {
  if (config->listen_address().empty()) {
    config->set_listen_address(std::string(kDefaultListen));
  }
  if (!config->has_shutdown_grace_period()) {
    SetProtoDuration(absl::Seconds(20), config->mutable_shutdown_grace_period());
  }
  cfg::UploadConfig* upload = config->mutable_upload();
  if (upload->spool_directory().empty()) upload->set_spool_directory("/tmp");
  if (upload->max_files() == 0) upload->set_max_files(10);
  if (upload->max_concurrent_uploads() == 0) {
    upload->set_max_concurrent_uploads(8);
  }
  if (!upload->has_spool_window_bytes()) {
    upload->set_spool_window_bytes(int64_t{64} << 20);
  }
  if (upload->max_file_bytes() == 0)
    upload->set_max_file_bytes(int64_t{4} << 30);
  if (!upload->has_timeout()) {
    SetProtoDuration(absl::Hours(1), upload->mutable_timeout());
  }
  if (config->has_listener_tls()) {
    cfg::ListenerTls* tls = config->mutable_listener_tls();
    if (!tls->has_reload_interval()) {
      SetProtoDuration(absl::Seconds(60), tls->mutable_reload_interval());
    }
    if (!tls->has_require_client_certificate()) {
      tls->set_require_client_certificate(true);
    }
  }
  cfg::AccessConfig* access = config->mutable_access();
  if (!access->has_open_health()) access->set_open_health(true);
  if (!access->has_open_reflection()) access->set_open_reflection(true);
  if (!upload->has_idle_timeout()) {
    SetProtoDuration(absl::Seconds(30), upload->mutable_idle_timeout());
  }
  if (!upload->has_min_receive_bytes_per_second()) {
    upload->set_min_receive_bytes_per_second(1024);
  }
  if (!upload->has_idempotency_window()) {
    SetProtoDuration(absl::Hours(24), upload->mutable_idempotency_window());
  }
  if (upload->max_idempotency_keys() == 0) {
    upload->set_max_idempotency_keys(10000);
  }
  cfg::HubSpotUpstream* hs = config->mutable_hubspot();
  if (hs->base_url().empty()) hs->set_base_url(std::string(kDefaultBaseUrl));
  while (absl::EndsWith(hs->base_url(), "/")) {
    hs->mutable_base_url()->pop_back();
  }
  if (!hs->has_timeout()) SetProtoDuration(absl::Seconds(30), hs->mutable_timeout());
  if (hs->http_version() == cfg::HTTP_VERSION_UNSPECIFIED) {
    hs->set_http_version(cfg::HTTP_VERSION_2);
  }
  if (hs->max_connections() == 0) hs->set_max_connections(32);
  cfg::RetryConfig* retry = hs->mutable_retry();
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
  cfg::RateLimitConfig* limit = hs->mutable_rate_limit();
  if (!limit->has_requests_per_interval()) limit->set_requests_per_interval(100);
  if (!limit->has_interval()) {
    SetProtoDuration(absl::Seconds(10), limit->mutable_interval());
  }
  if (!limit->has_max_wait()) {
    SetProtoDuration(absl::Seconds(1), limit->mutable_max_wait());
  }
  if (limit->has_redis()) {
    if (limit->redis().key().empty()) {
      limit->mutable_redis()->set_key("hubspot-imports-gateway:rate-limit");
    }
    if (!limit->redis().has_timeout()) {
      SetProtoDuration(absl::Milliseconds(200), limit->mutable_redis()->mutable_timeout());
    }
  }
  cfg::CircuitBreakerConfig* breaker = hs->mutable_circuit_breaker();
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

absl::Status CheckReadableFile(absl::string_view field,
                               const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  if (access(path.c_str(), R_OK) != 0) {
    return ConfigError(field, absl::StrCat("cannot read file \"", path,
                                           "\"; give a readable PEM file"));
  }
  return absl::OkStatus();
}

absl::Status CheckDuration(absl::string_view field,
                           const google::protobuf::Duration& d,
                           absl::Duration max) {
  const absl::Duration value = FromProtoDuration(d);
  if (value <= absl::ZeroDuration() || value > max) {
    return ConfigError(
        field, absl::StrCat("must be > 0s and <= ", absl::FormatDuration(max),
                            ", got ", absl::FormatDuration(value)));
  }
  return absl::OkStatus();
}

absl::Status ValidateCircuitBreaker(const cfg::CircuitBreakerConfig& b) {
  const cfg::RollingWindow& w = b.rolling_window();
  if (absl::Status s = CheckDuration("hubspot.circuitBreaker.rollingWindow."
                                     "timeWindow",
                                     w.time_window(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration(
          "hubspot.circuitBreaker.rollingWindow.bucketSize", w.bucket_size(),
          FromProtoDuration(w.time_window()));
      !s.ok()) {
    return s;
  }
  if (FromProtoDuration(w.time_window()) / FromProtoDuration(w.bucket_size()) > 1000) {
    return ConfigError("hubspot.circuitBreaker.rollingWindow.bucketSize",
                       "must be at least timeWindow / 1000");
  }
  if (!(b.failure_threshold() > 0 && b.failure_threshold() <= 1)) {
    return ConfigError("hubspot.circuitBreaker.failureThreshold",
                       "must be > 0 and <= 1 (a share of failed requests)");
  }
  if (absl::Status s = CheckDuration("hubspot.circuitBreaker.resetTime",
                                     b.reset_time(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  for (uint32_t code : b.status_codes()) {
    if (code < 100 || code > 599) {
      return ConfigError("hubspot.circuitBreaker.statusCodes",
                         absl::StrCat(code, " is not an HTTP status"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRateLimit(const cfg::RateLimitConfig& l) {
  if (l.requests_per_interval() > 1000000) {
    return ConfigError("hubspot.rateLimit.requestsPerInterval",
                       "must be at most 1000000 (0 turns the limit off)");
  }
  if (absl::Status s = CheckDuration("hubspot.rateLimit.interval",
                                     l.interval(), absl::Hours(24));
      !s.ok()) {
    return s;
  }
  const absl::Duration wait = FromProtoDuration(l.max_wait());
  if (wait < absl::ZeroDuration() || wait > absl::Minutes(1)) {
    return ConfigError("hubspot.rateLimit.maxWait", "must be 0s to 1m");
  }
  if (!l.has_redis()) return absl::OkStatus();
  if (l.requests_per_interval() == 0) {
    return ConfigError("hubspot.rateLimit.redis",
                       "needs hubspot.rateLimit.requestsPerInterval (the "
                       "budget to share)");
  }
  const std::string& address = l.redis().address();
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return ConfigError("hubspot.rateLimit.redis.address",
                       "must be \"host:port\", e.g. \"redis:6379\"");
  }
  return CheckDuration("hubspot.rateLimit.redis.timeout", l.redis().timeout(),
                       absl::Seconds(10));
}

absl::Status ValidateRetry(const cfg::RetryConfig& retry) {
  if (retry.count() > 10) {
    return ConfigError("hubspot.retry.count", "must be between 0 and 10");
  }
  if (absl::Status s = CheckDuration("hubspot.retry.interval",
                                     retry.interval(), absl::Minutes(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckDuration("hubspot.retry.maxWaitInterval",
                        retry.max_wait_interval(), absl::Minutes(10));
      !s.ok()) {
    return s;
  }
  if (!(retry.backoff_factor() >= 1 && retry.backoff_factor() <= 10)) {
    return ConfigError("hubspot.retry.backoffFactor",
                       "must be between 1 and 10");
  }
  for (uint32_t code : retry.status_codes()) {
    if (code < 400 || code > 599) {
      return ConfigError(
          "hubspot.retry.statusCodes",
          absl::StrCat(code, " is not an HTTP error status (400-599)"));
    }
  }
  if (retry.budget_max_tokens() > 1000) {
    return ConfigError("hubspot.retry.budgetMaxTokens",
                       "must be between 1 and 1000");
  }
  if (!(retry.budget_token_ratio() > 0 && retry.budget_token_ratio() <= 1)) {
    return ConfigError("hubspot.retry.budgetTokenRatio",
                       "must be > 0 and <= 1");
  }
  return absl::OkStatus();
}

absl::Status CheckSecretSource(const cfg::Secret& s, absl::string_view field,
                               const EnvLookup& env) {
  if (s.source_case() == cfg::Secret::SOURCE_NOT_SET) {
    return ConfigError(field,
                       "missing; set {\"file\": PATH} or {\"env\": VAR}");
  }
  return ReadSecret(s, field, env).status();
}

absl::Status CheckHostPort(absl::string_view field, absl::string_view addr,
                           absl::string_view example) {
  const size_t colon = addr.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(addr.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return ConfigError(field, absl::StrCat("\"", addr,
                                           "\" is not HOST:PORT (e.g. ",
                                           example, ")"));
  }
  return absl::OkStatus();
}

absl::Status Validate(const GatewayConfig& config, const EnvLookup& env) {
  if (absl::Status s = CheckHostPort("listenAddress", config.listen_address(),
                                     "0.0.0.0:50051");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckDuration("shutdownGracePeriod", config.shutdown_grace_period(),
                        absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (!config.probe_listen_address().empty()) {
    if (absl::Status s = CheckHostPort("probeListenAddress",
                                       config.probe_listen_address(),
                                       "0.0.0.0:50052");
        !s.ok()) {
      return s;
    }
  }
  if (!config.probe_listen_address().empty() && !config.has_listener_tls()) {
    return ConfigError("probeListenAddress",
                       "only with listenerTls: without TLS, probes can use "
                       "listenAddress");
  }
  if (config.has_listener_tls() && config.allow_plaintext()) {
    return ConfigError("allowPlaintext",
                       "contradicts listenerTls; keep one of them");
  }
  if (!config.has_listener_tls() &&
      (!config.access().open_health() || !config.access().open_reflection())) {
    return ConfigError("access.openHealth",
                       "closing health or reflection (openHealth/"
                       "openReflection false) needs listenerTls");
  }
  if (config.has_listener_tls()) {
    const cfg::ListenerTls& tls = config.listener_tls();
    if (tls.cert_file().empty() || tls.key_file().empty()) {
      return ConfigError("listenerTls",
                         "certFile and keyFile are both required");
    }
    if (absl::Status s = CheckDuration("listenerTls.reloadInterval",
                                       tls.reload_interval(), absl::Hours(24));
        !s.ok()) {
      return s;
    }
  }
  const cfg::UploadConfig& upload = config.upload();
  if (access(upload.spool_directory().c_str(), W_OK | X_OK) != 0) {
    return ConfigError("upload.spoolDirectory",
                       absl::StrCat("\"", upload.spool_directory(),
                                    "\" is not a writable directory"));
  }
  if (upload.max_files() > 1000) {
    return ConfigError("upload.maxFiles", "must be between 1 and 1000");
  }
  if (upload.max_concurrent_uploads() > 10000) {
    return ConfigError("upload.maxConcurrentUploads",
                       "must be between 1 and 10000");
  }
  if (upload.max_file_bytes() < 0) {
    return ConfigError("upload.maxFileBytes", "must be > 0");
  }
  // Room for two of the largest chunks, so that the caller and HubSpot
  // both keep moving.
  if (upload.spool_window_bytes() != 0 &&
      upload.spool_window_bytes() < int64_t{8} << 20) {
    return ConfigError("upload.spoolWindowBytes",
                       "must be 0 (whole uploads) or at least 8388608 (8 MiB)");
  }
  if (absl::Status s =
          CheckDuration("upload.timeout", upload.timeout(), absl::Hours(24));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration("upload.idleTimeout",
                                     upload.idle_timeout(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration("upload.idempotencyWindow",
                                     upload.idempotency_window(),
                                     absl::Hours(24 * 7));
      !s.ok()) {
    return s;
  }
  if (upload.max_idempotency_keys() > 1000000) {
    return ConfigError("upload.maxIdempotencyKeys",
                       "must be between 1 and 1000000");
  }
  const cfg::HubSpotUpstream& hs = config.hubspot();
  if (!HasHttpScheme(hs.base_url()) ||
      hs.base_url().find('?') != std::string::npos) {
    return ConfigError("hubspot.baseUrl",
                       absl::StrCat("\"", hs.base_url(),
                                    "\" must be an http(s) URL without query, "
                                    "e.g. https://api.hubapi.com"));
  }
  if (absl::Status s =
          CheckDuration("hubspot.timeout", hs.timeout(), absl::Minutes(10));
      !s.ok()) {
    return s;
  }
  if (hs.max_connections() > 1024) {
    return ConfigError("hubspot.maxConnections", "must be between 1 and 1024");
  }
  if (absl::Status s = ValidateRetry(hs.retry()); !s.ok()) return s;
  if (absl::Status s = ValidateCircuitBreaker(hs.circuit_breaker()); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRateLimit(hs.rate_limit()); !s.ok()) return s;
  if (!hs.proxy_url().empty() && !HasHttpScheme(hs.proxy_url())) {
    return ConfigError("hubspot.proxyUrl",
                       "must be an http:// or https:// proxy URL, e.g. "
                       "http://proxy:3128");
  }
  if (hs.has_proxy_credentials() && hs.proxy_url().empty()) {
    return ConfigError("hubspot.proxyCredentials",
                       "needs hubspot.proxyUrl (credentials for which proxy?)");
  }
  if (absl::StrContains(hs.proxy_url(), "@")) {
    return ConfigError("hubspot.proxyUrl",
                       "must not carry credentials; put \"user:password\" in "
                       "hubspot.proxyCredentials (a file or an environment "
                       "variable)");
  }
  for (const auto& [field, path] :
       {std::pair<absl::string_view, const std::string&>{"hubspot.tls.caFile",
                                                         hs.tls().ca_file()},
        {"hubspot.tls.certFile", hs.tls().cert_file()},
        {"hubspot.tls.keyFile", hs.tls().key_file()}}) {
    if (absl::Status s = CheckReadableFile(field, path); !s.ok()) return s;
  }
  if (hs.tls().cert_file().empty() != hs.tls().key_file().empty()) {
    return ConfigError("hubspot.tls",
                       "certFile and keyFile go together; set both for mutual "
                       "TLS or neither");
  }
  const cfg::Credentials& c = hs.credentials();
  switch (c.kind_case()) {
    case cfg::Credentials::KIND_NOT_SET:
      return ConfigError(
          "hubspot.credentials",
          "none configured; set privateAppToken, privateAppLegacyKey or oauth "
          "in the file, or HUBSPOT_ACCESS_TOKEN in the environment");
    case cfg::Credentials::kPrivateAppToken:
      return CheckSecretSource(c.private_app_token(),
                               "hubspot.credentials.privateAppToken", env);
    case cfg::Credentials::kPrivateAppLegacyKey:
      return CheckSecretSource(c.private_app_legacy_key(),
                               "hubspot.credentials.privateAppLegacyKey", env);
    case cfg::Credentials::kOauth: {
      const cfg::OAuthRefreshToken& o = c.oauth();
      if (!HasHttpScheme(o.token_url())) {
        return ConfigError("hubspot.credentials.oauth.tokenUrl",
                           "must be an http(s) URL, e.g. "
                           "https://api.hubapi.com/oauth/v1/token");
      }
      if (absl::Status s =
              CheckDuration("hubspot.credentials.oauth.refreshMargin",
                            o.refresh_margin(), absl::Hours(12));
          !s.ok()) {
        return s;
      }
      for (const auto& [field, secret] :
           {std::pair<absl::string_view, const cfg::Secret&>{
                "hubspot.credentials.oauth.clientId", o.client_id()},
            {"hubspot.credentials.oauth.clientSecret", o.client_secret()},
            {"hubspot.credentials.oauth.refreshToken", o.refresh_token()}}) {
        if (absl::Status s = CheckSecretSource(secret, field, env); !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](absl::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

absl::StatusOr<std::string> ReadSecret(const cfg::Secret& secret,
                                       absl::string_view field,
                                       const EnvLookup& env) {
  std::string value;
  if (secret.has_file()) {
    std::ifstream in(secret.file(), std::ios::binary);
    if (!in) {
      return ConfigError(
          field, absl::StrCat("cannot read secret file ",
                              SecretFileName(secret.file()),
                              "; check the path and mount"));
    }
    struct stat st;
    if (stat(secret.file().c_str(), &st) == 0 && (st.st_mode & S_IROTH)) {
      return ConfigError(
          field, absl::StrCat("secret file ", SecretFileName(secret.file()),
                              " is readable by every user; chmod o-r it "
                              "(in Kubernetes: defaultMode 0440 or 0400)"));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    value = buffer.str();
  } else if (secret.has_env()) {
    std::optional<std::string> v = env(secret.env());
    if (!v.has_value()) {
      return ConfigError(field, absl::StrCat("environment variable ",
                                             secret.env(), " is not set"));
    }
    value = *std::move(v);
  } else {
    return ConfigError(field,
                       "missing; set {\"file\": PATH} or {\"env\": VAR}");
  }
  absl::StripAsciiWhitespace(&value);
  if (value.empty()) {
    return ConfigError(
        field,
        secret.has_file()
            ? absl::StrCat("secret file ", SecretFileName(secret.file()),
                           " is empty")
            : absl::StrCat("environment variable ", secret.env(), " is empty"));
  }
  for (unsigned char ch : value) {
    // The value goes into an HTTP header: a line break would split it.
    if (ch < 0x20 || ch == 0x7f) {
      return ConfigError(field,
                         "the secret contains control characters or "
                         "line breaks; store it on one line");
    }
  }
  return value;
}

absl::StatusOr<GatewayConfig> ParseConfig(absl::string_view json,
                                          const EnvLookup& env) {
  GatewayConfig config;
  if (!absl::StripAsciiWhitespace(json).empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(json.data(), json.size()), &config,
        options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("not a valid gateway configuration: ",
                       WithoutQuotedValues(status.message().as_string()),
                       " (field names as in config.proto, e.g. "
                       "\"hubspot\": {\"baseUrl\": ...})"));
    }
  }
  if (absl::Status s = ApplyEnvCredentials(
          env, config.mutable_hubspot()->mutable_credentials());
      !s.ok()) {
    return s;
  }
  ApplyEnvOverrides(env, &config);
  ApplyDefaults(&config);
  if (absl::Status s = Validate(config, env); !s.ok()) return s;
  return config;
}

absl::Status ValidateExposure(const GatewayConfig& config) {
  if (!config.has_listener_tls() && !config.allow_plaintext()) {
    return ConfigError(
        "listenerTls",
        "not set: give the gateway a certificate and key (listenerTls), or "
        "set allowPlaintext: true for a loopback address or a mesh that "
        "encrypts to the gateway");
  }
  const cfg::AccessConfig& access = config.access();
  if (access.callers().empty() && access.anonymous_permissions().empty()) {
    return ConfigError(
        "access",
        "no callers: every call would be refused; list access.callers "
        "(certificate names or token hashes, and permissions), or for a "
        "local setup grant access.anonymousPermissions");
  }
  return absl::OkStatus();
}

absl::StatusOr<GatewayConfig> LoadConfig(absl::string_view path,
                                         const EnvLookup& env) {
  std::string text;
  if (!path.empty()) {
    std::ifstream in{std::string(path)};
    if (!in) {
      return absl::InvalidArgumentError(
          absl::StrCat("--config: cannot read \"", path, "\"; check the path"));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  absl::StatusOr<GatewayConfig> config = ParseConfig(text, env);
  if (!config.ok() && !path.empty()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace hubspot_gateway

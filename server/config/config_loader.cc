#include "server/config/config_loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
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
#include "server/config/config_checks.h"
#include "server/config/upstream_config.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

constexpr absl::string_view kDefaultListen = "127.0.0.1:50051";
constexpr absl::string_view kRateLimitKey = "hubspot-imports-gateway:rate-limit";
// Each account has a loop thread and its connections.
constexpr int kMaxAccounts = 100;

// The environment variables that give `hubspot` its credentials.
constexpr absl::string_view kCredentialVariables[] = {
    "HUBSPOT_ACCESS_TOKEN", "HUBSPOT_PRIVATE_APP_LEGACY_KEY",
    "HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET", "HUBSPOT_REFRESH_TOKEN"};

// Calls `fn(name, upstream)` for every HubSpot account, in name order.
template <typename Fn>
void ForEachUpstream(GatewayConfig* config, Fn fn) {
  if (config->hubspot_accounts().empty()) {
    fn(std::string(kSingleAccountName), config->mutable_hubspot());
    return;
  }
  std::vector<std::string> names;
  for (const auto& [name, upstream] : config->hubspot_accounts()) {
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    fn(name, &(*config->mutable_hubspot_accounts())[name]);
  }
}

// Names travel in metadata, health service names and log lines.
bool IsAccountName(absl::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() == '-') return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
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

// The environment's credentials are `hubspot`'s: with several accounts,
// whose would they be?
absl::Status CheckNoEnvCredentials(const EnvLookup& env) {
  for (absl::string_view v : kCredentialVariables) {
    if (env(v).has_value()) {
      return ConfigError(
          "environment",
          absl::StrCat(v,
                       " gives credentials to `hubspot`, but the "
                       "configuration has hubspotAccounts; name each "
                       "account's secrets in its credentials ({\"env\": VAR} "
                       "or {\"file\": PATH}) and unset ",
                       v));
    }
  }
  return absl::OkStatus();
}

// HUBSPOT_BASE_URL and HUBSPOT_TOKEN_URL say where HubSpot is, for every
// account (a local stand-in, say).
void ApplyEnvOverrides(const EnvLookup& env, GatewayConfig* config) {
  if (auto v = env("HUBSPOT_GATEWAY_LISTEN_ADDRESS")) {
    config->set_listen_address(*v);
  }
  const std::optional<std::string> base_url = env("HUBSPOT_BASE_URL");
  const std::optional<std::string> token_url = env("HUBSPOT_TOKEN_URL");
  ForEachUpstream(config, [&](const std::string&, cfg::HubSpotUpstream* hs) {
    if (base_url.has_value()) hs->set_base_url(*base_url);
    if (token_url.has_value() && hs->credentials().has_oauth()) {
      hs->mutable_credentials()->mutable_oauth()->set_token_url(*token_url);
    }
  });
}

absl::Status ValidateAccounts(const GatewayConfig& config,
                              const EnvLookup& env) {
  if (config.hubspot_accounts_size() > kMaxAccounts) {
    return ConfigError("hubspotAccounts",
                       absl::StrCat("holds ", config.hubspot_accounts_size(),
                                    " accounts; at most ", kMaxAccounts));
  }
  for (const auto& [name, upstream] : config.hubspot_accounts()) {
    if (!IsAccountName(name)) {
      return ConfigError(
          "hubspotAccounts",
          absl::StrCat("\"", absl::CHexEscape(name.substr(0, 40)),
                       "\" is not an account name: lowercase letters, digits "
                       "and \"-\", up to 32 characters"));
    }
  }
  const std::string& fallback = config.default_hubspot_account();
  if (!fallback.empty() && !config.hubspot_accounts().contains(fallback)) {
    return ConfigError(
        "defaultHubspotAccount",
        absl::StrCat("\"", absl::CHexEscape(fallback.substr(0, 40)), "\" ",
                     config.hubspot_accounts().empty()
                         ? "needs hubspotAccounts (with `hubspot`, the one "
                           "account is \"default\")"
                         : "is not one of hubspotAccounts"));
  }
  std::map<std::string, std::string> redis_buckets;
  for (const HubSpotAccountConfig& account : HubSpotAccountsOf(config)) {
    if (absl::Status s = ValidateUpstream(*account.upstream, account.field, env);
        !s.ok()) {
      return s;
    }
    const cfg::RateLimitConfig& limit = account.upstream->rate_limit();
    if (!limit.has_redis()) continue;
    const std::string bucket =
        absl::StrCat(limit.redis().address(), " ", limit.redis().key());
    auto [other, added] = redis_buckets.emplace(bucket, account.name);
    if (!added) {
      return ConfigError(
          absl::StrCat(account.field, ".rateLimit.redis.key"),
          absl::StrCat("is account \"", other->second,
                       "\"'s too: each account has a budget of its own; give "
                       "each its own key"));
    }
  }
  return absl::OkStatus();
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
  const bool several = !config->hubspot_accounts().empty();
  ForEachUpstream(config, [several](const std::string& name,
                                    cfg::HubSpotUpstream* hs) {
    ApplyUpstreamDefaults(
        several ? absl::StrCat(kRateLimitKey, ":", name) : kRateLimitKey, hs);
  });
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
  if (!config.metrics_listen_address().empty()) {
    if (absl::Status s = CheckHostPort("metricsListenAddress",
                                       config.metrics_listen_address(),
                                       "0.0.0.0:9464");
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
  return ValidateAccounts(config, env);
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
  if (config.hubspot_accounts().empty()) {
    if (absl::Status s = ApplyEnvCredentials(
            env, config.mutable_hubspot()->mutable_credentials());
        !s.ok()) {
      return s;
    }
  } else if (config.has_hubspot()) {
    return ConfigError("hubspot",
                       "set either hubspot (one HubSpot account) or "
                       "hubspotAccounts (several), not both");
  } else if (absl::Status s = CheckNoEnvCredentials(env); !s.ok()) {
    return s;
  }
  ApplyEnvOverrides(env, &config);
  ApplyDefaults(&config);
  if (absl::Status s = Validate(config, env); !s.ok()) return s;
  return config;
}

std::vector<HubSpotAccountConfig> HubSpotAccountsOf(
    const GatewayConfig& config) {
  std::vector<HubSpotAccountConfig> accounts;
  if (config.hubspot_accounts().empty()) {
    accounts.push_back(
        {std::string(kSingleAccountName), "hubspot", &config.hubspot()});
    return accounts;
  }
  for (const auto& [name, upstream] : config.hubspot_accounts()) {
    accounts.push_back(
        {name, absl::StrCat("hubspotAccounts.", name), &upstream});
  }
  std::sort(accounts.begin(), accounts.end(),
            [](const HubSpotAccountConfig& a, const HubSpotAccountConfig& b) {
              return a.name < b.name;
            });
  return accounts;
}

std::string DefaultHubSpotAccount(const GatewayConfig& config) {
  if (config.hubspot_accounts().empty()) return std::string(kSingleAccountName);
  if (config.hubspot_accounts_size() == 1) {
    return config.hubspot_accounts().begin()->first;
  }
  return config.default_hubspot_account();
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


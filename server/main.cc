// hubspot-imports-gateway: HubSpot's CRM Imports API as a gRPC service that
// alone holds the HubSpot credentials.

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/access/audit_log.h"
#include "server/access/caller_registry.h"
#include "server/access/grpc_peer.h"
#include "server/access/listener_credentials.h"
#include "server/auth/oauth_credentials.h"
#include "server/auth/static_credentials.h"
#include "server/common/clock.h"
#include "server/common/proto_duration.h"
#include "server/common/log.h"
#include "server/common/thread_pool.h"
#include "server/config/config_loader.h"
#include "server/http/curl_multi_loop.h"
#include "server/common/scheduler.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/ratelimit/rate_limiter.h"
#include "server/ratelimit/redis_token_bucket.h"
#include "server/service/import_service.h"

ABSL_FLAG(std::string, config, "",
          "Path of the JSON configuration file (see config.proto). Secrets "
          "are never given on the command line.");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error.");

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

constexpr char kServiceName[] = "hubspot.crm.imports.v1.ImportService";
// The health of the way to HubSpot (the circuit breaker).
constexpr char kHubSpotHealthName[] = "hubspot";

int StartupError(absl::string_view message) {
  Log(LogLevel::kError, absl::StrCat("cannot start: ", message));
  return 2;
}

bool IsLoopback(absl::string_view address) {
  return absl::StartsWith(address, "127.") ||
         absl::StartsWith(address, "[::1]:") ||
         absl::StartsWith(address, "localhost:");
}

// Plaintext and anonymous rights are for local use; say so where an
// operator looks.
void WarnAboutExposure(const cfg::GatewayConfig& config,
                       absl::string_view address) {
  const bool local = IsLoopback(address);
  if (config.allow_plaintext()) {
    Log(LogLevel::kWarning,
        local ? "serving plaintext gRPC (allowPlaintext) on a loopback "
                "address"
              : "serving plaintext gRPC (allowPlaintext) beyond this host: "
                "tokens and files travel unencrypted unless a mesh "
                "encrypts them",
        {{"address", std::string(address)}});
  }
  if (!config.access().anonymous_permissions().empty()) {
    std::string granted;
    for (int p : config.access().anonymous_permissions()) {
      absl::StrAppend(&granted, granted.empty() ? "" : ",",
                      PermissionName(static_cast<Permission>(p)));
    }
    Log(LogLevel::kWarning,
        local ? "calls without identity are allowed "
                "(access.anonymousPermissions)"
              : "calls without identity are allowed "
                "(access.anonymousPermissions) from anyone who reaches "
                "the port",
        {{"address", std::string(address)}, {"permissions", granted}});
  }
}

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

absl::StatusOr<std::unique_ptr<CredentialProvider>> MakeCredentials(
    const cfg::HubSpotUpstream& hs, HttpUpstream* http, const Clock* clock,
    const EnvLookup& env) {
  const cfg::Credentials& c = hs.credentials();
  if (c.has_private_app_token()) {
    auto token = OpenSecret(c.private_app_token(),
                            "hubspot.credentials.privateAppToken", env, clock);
    if (!token.ok()) return token.status();
    return StaticCredentials::PrivateAppToken(*std::move(token));
  }
  if (c.has_private_app_legacy_key()) {
    auto key = OpenSecret(c.private_app_legacy_key(),
                          "hubspot.credentials.privateAppLegacyKey", env, clock);
    if (!key.ok()) return key.status();
    return StaticCredentials::PrivateAppLegacyKey(*std::move(key));
  }
  OAuthSettings settings;
  settings.token_url = c.oauth().token_url();
  settings.refresh_margin = FromProtoDuration(c.oauth().refresh_margin());
  settings.timeout = FromProtoDuration(hs.timeout());
  for (auto [secret, field, out] :
       {std::tuple<const cfg::Secret&, absl::string_view,
                   std::shared_ptr<SecretSource>*>{
            c.oauth().client_id(), "hubspot.credentials.oauth.clientId",
            &settings.client_id},
        {c.oauth().client_secret(), "hubspot.credentials.oauth.clientSecret",
         &settings.client_secret},
        {c.oauth().refresh_token(), "hubspot.credentials.oauth.refreshToken",
         &settings.refresh_token}}) {
    auto source = OpenSecret(secret, field, env, clock);
    if (!source.ok()) return source.status();
    *out = *std::move(source);
  }
  return std::make_unique<OAuthCredentials>(std::move(settings), http, clock);
}

int Run(const std::string& config_path) {
  // Signals are taken by sigwait below; every thread started from here on
  // inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const EnvLookup env = ProcessEnv();
  absl::StatusOr<GatewayConfig> config = LoadConfig(config_path, env);
  if (!config.ok()) return StartupError(config.status().message());
  if (absl::Status s = ValidateExposure(*config); !s.ok()) {
    return StartupError(s.message());
  }
  const cfg::HubSpotUpstream& hs = config->hubspot();
  absl::StatusOr<std::unique_ptr<CallerRegistry>> callers =
      CallerRegistry::Create(config->access());
  if (!callers.ok()) return StartupError(callers.status().message());
  absl::StatusOr<std::unique_ptr<AuditLog>> audit =
      AuditLog::Open(config->audit());
  if (!audit.ok()) return StartupError(audit.status().message());
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> listener =
      ListenerCredentials(*config, std::make_shared<ClosedServicesGuard>(
                                       callers->get(),
                                       config->access().open_health(),
                                       config->access().open_reflection()));
  if (!listener.ok()) return StartupError(listener.status().message());

  CurlOptions curl;
  curl.http2 = hs.http_version() != cfg::HTTP_VERSION_1_1;
  curl.ca_file = hs.tls().ca_file();
  curl.cert_file = hs.tls().cert_file();
  curl.key_file = hs.tls().key_file();
  curl.tls_1_3_only = hs.tls().min_version() == cfg::TLS_VERSION_1_3;
  curl.accept_compressed = hs.compression() != cfg::COMPRESSION_NEVER;
  curl.proxy_url = hs.proxy_url();
  if (hs.has_proxy_credentials()) {
    absl::StatusOr<std::string> proxy_credentials = ReadSecret(
        hs.proxy_credentials(), "hubspot.proxyCredentials", env);
    if (!proxy_credentials.ok()) {
      return StartupError(proxy_credentials.status().message());
    }
    if (!absl::StrContains(*proxy_credentials, ":")) {
      return StartupError(
          "hubspot.proxyCredentials: must read \"user:password\"");
    }
    curl.proxy_credentials = *std::move(proxy_credentials);
  }
  curl.max_connections = static_cast<long>(hs.max_connections());
  // Parsing HubSpot's answers and finishing RPCs happens here, off the loop.
  auto callbacks = std::make_unique<ThreadPool>(
      std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
  curl.callbacks = callbacks.get();
  auto loop = CurlMultiLoop::Create(curl);
  if (!loop.ok()) return StartupError(loop.status().message());

  RealClock clock;
  auto credentials = MakeCredentials(hs, loop->get(), &clock, env);
  if (!credentials.ok()) return StartupError(credentials.status().message());

  auto timers = std::make_unique<TimerThread>();
  HubSpotTransportOptions transport_options;
  transport_options.base_url = hs.base_url();
  transport_options.timeout = FromProtoDuration(hs.timeout());
  transport_options.retry = ToRetryPolicy(hs.retry());
  transport_options.retry_budget_max_tokens = hs.retry().budget_max_tokens();
  transport_options.retry_budget_token_ratio = hs.retry().budget_token_ratio();
  CircuitBreaker breaker(ToBreakerPolicy(hs.circuit_breaker()), &clock);
  transport_options.breaker = &breaker;
  // The client-side budget: a local bucket, and Redis's when shared.
  const cfg::RateLimitConfig& limit = hs.rate_limit();
  RateLimitPolicy limit_policy;
  limit_policy.requests_per_interval = limit.requests_per_interval();
  limit_policy.interval = FromProtoDuration(limit.interval());
  limit_policy.max_wait = FromProtoDuration(limit.max_wait());
  LocalTokenBucket local_bucket(limit_policy, &clock);
  std::unique_ptr<RedisTokenBucket> shared_bucket;
  if (limit.has_redis()) {
    RedisOptions redis;
    const std::string& address = limit.redis().address();
    redis.host = address.substr(0, address.rfind(':'));
    redis.port = std::stoi(address.substr(address.rfind(':') + 1));
    redis.key = limit.redis().key();
    redis.timeout = FromProtoDuration(limit.redis().timeout());
    if (limit.redis().has_password()) {
      auto password = ReadSecret(limit.redis().password(),
                                 "hubspot.rateLimit.redis.password", env);
      if (!password.ok()) return StartupError(password.status().message());
      redis.password = *std::move(password);
    }
    shared_bucket = std::make_unique<RedisTokenBucket>(redis, limit_policy);
  }
  std::unique_ptr<RateLimiter> limiter;
  if (limit.requests_per_interval() > 0) {
    limiter = std::make_unique<RateLimiter>(limit_policy, shared_bucket.get(),
                                            &local_bucket, timers.get(),
                                            &clock);
    transport_options.rate_limiter = limiter.get();
  }
  HubSpotTransport transport(std::move(transport_options), loop->get(),
                             credentials->get(), timers.get());
  UploadSettings upload;
  upload.spool_directory = config->upload().spool_directory();
  upload.limits.max_files = static_cast<int>(config->upload().max_files());
  upload.limits.max_file_bytes = config->upload().max_file_bytes();
  upload.spool_window_bytes = config->upload().spool_window_bytes();
  upload.gzip = hs.compression() == cfg::COMPRESSION_ALWAYS;
  upload.timeout = FromProtoDuration(config->upload().timeout());
  upload.idle_timeout = FromProtoDuration(config->upload().idle_timeout());
  upload.min_receive_bytes_per_second =
      config->upload().min_receive_bytes_per_second();
  upload.timers = timers.get();
  upload.max_concurrent_uploads =
      static_cast<int>(config->upload().max_concurrent_uploads());
  IdempotencyRegistry idempotency(
      FromProtoDuration(config->upload().idempotency_window()),
      config->upload().max_idempotency_keys(), &clock);
  upload.idempotency = &idempotency;
  ImportServiceImpl service(
      &transport, std::move(upload),
      AccessControl{callers->get(), audit->get(), config->has_listener_tls()});

  // Reflection must be able to describe grpc.health.v1 too, so that
  // grpcurl/buf curl can call it without the .proto files.
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // A second gateway on a taken port must fail, not silently share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(config->listen_address(), *listener, &port);
  int probe_port = 0;
  if (!config->probe_listen_address().empty()) {
    builder.AddListeningPort(config->probe_listen_address(),
                             grpc::InsecureServerCredentials(), &probe_port);
  }
  builder.RegisterService(&service);
  // What one upload can hold in memory: the message being handled (4 MiB,
  // gRPC's default limit) and the bytes its stream may have in flight. Left
  // to BDP probing, that window grows to tens of MiB per stream on a fast
  // link; a fixed 2 MiB keeps a local caller at full speed (measured:
  // bench/run.sh with UPLOAD_MIB, see the README).
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  // Connections: dead peers are found by the gateway's own pings (every
  // minute, 20 s to answer), idle ones closed after 5 minutes, and a client
  // pinging more than once per 10 s without calls is told to go away
  // (GOAWAY too_many_pings after two strikes) instead of keeping the
  // transport busy.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 2 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0 ||
      (!config->probe_listen_address().empty() && probe_port == 0)) {
    // gRPC does not say which port failed.
    return StartupError(
        config->probe_listen_address().empty()
            ? absl::StrCat("listenAddress: cannot listen on \"",
                           config->listen_address(), "\"; is the port in use?")
            : absl::StrCat("listenAddress or probeListenAddress: cannot "
                           "listen on \"",
                           config->listen_address(), "\" and \"",
                           config->probe_listen_address(),
                           "\"; is one of the ports in use?"));
  }
  server->GetHealthCheckService()->SetServingStatus(kServiceName, true);
  // "hubspot": whether calls go to HubSpot or fail fast. Apart from the
  // service itself, so that liveness probes do not restart every replica
  // while HubSpot is down.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(kHubSpotHealthName, true);
  breaker.SetListener([health, &breaker](CircuitState) {
    health->SetServingStatus(kHubSpotHealthName,
                             breaker.state() == CircuitState::kClosed);
  });

  std::string address = config->listen_address();
  address = absl::StrCat(address.substr(0, address.rfind(':')), ":", port);
  if (absl::StartsWith(hs.base_url(), "http://")) {
    Log(LogLevel::kWarning,
        "hubspot.baseUrl is plain HTTP: credentials travel unencrypted; use "
        "it only for a local HubSpot stand-in",
        {{"base_url", hs.base_url()}});
  }
  WarnAboutExposure(*config, address);
  const cfg::ListenerTls& tls = config->listener_tls();
  Log(LogLevel::kInfo, "serving",
      {{"address", address},
       {"tls", !config->has_listener_tls()      ? "off"
               : tls.client_ca_file().empty()   ? "server"
               : tls.require_client_certificate() ? "mutual"
                                                  : "mutual-optional"},
       {"callers", absl::StrCat(config->access().callers_size())},
       {"probe_address",
        probe_port == 0
            ? std::string()
            : absl::StrCat(config->probe_listen_address().substr(
                               0, config->probe_listen_address().rfind(':')),
                           ":", probe_port)},
       {"service", kServiceName},
       {"hubspot", hs.base_url()},
       {"credentials", std::string((*credentials)->kind())},
       {"http_version", curl.http2 ? "2" : "1.1"}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  const absl::Duration grace = FromProtoDuration(config->shutdown_grace_period());
  Log(LogLevel::kInfo, "shutting down",
      {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"},
       {"grace_period", absl::FormatDuration(grace)}});
  server->GetHealthCheckService()->Shutdown();
  // In-flight calls finish within the grace period; later they are
  // cancelled, which aborts their HubSpot transfers.
  server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server->Wait();
  // Retries waiting for their back-off give up; then the loop and its
  // callbacks, which may still reach the credentials.
  timers.reset();
  loop->reset();
  callbacks.reset();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace
}  // namespace hubspot_gateway

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "hubspot-imports-gateway --config=gateway.json\n"
      "HubSpot CRM Imports API over gRPC "
      "(hubspot.crm.imports.v1.ImportService).");
  absl::ParseCommandLine(argc, argv);
  const std::string level = absl::GetFlag(FLAGS_log_level);
  using hubspot_gateway::LogLevel;
  if (level == "debug") {
    hubspot_gateway::SetMinLogLevel(LogLevel::kDebug);
  } else if (level == "warning") {
    hubspot_gateway::SetMinLogLevel(LogLevel::kWarning);
  } else if (level == "error") {
    hubspot_gateway::SetMinLogLevel(LogLevel::kError);
  } else if (level != "info") {
    std::fprintf(stderr,
                 "--log_level: \"%s\" is not debug, info, warning or error\n",
                 level.c_str());
    return 2;
  }
  return hubspot_gateway::Run(absl::GetFlag(FLAGS_config));
}

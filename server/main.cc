// hubspot-imports-gateway: HubSpot's CRM Imports API as a gRPC service that
// alone holds the HubSpot credentials.

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/statvfs.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/access/audit_log.h"
#include "server/access/caller_registry.h"
#include "server/access/grpc_peer.h"
#include "server/access/listener_credentials.h"
#include "server/common/clock.h"
#include "server/common/proto_duration.h"
#include "server/common/log.h"
#include "server/common/thread_pool.h"
#include "server/config/config_loader.h"
#include "server/common/scheduler.h"
#include "server/metrics/gateway_metrics.h"
#include "server/metrics/grpc_server_metrics.h"
#include "server/metrics/metric_registry.h"
#include "server/metrics/metrics_endpoint.h"
#include "server/service/hubspot_account.h"
#include "server/service/import_service.h"
#include "server/upload/upload_spool.h"

ABSL_FLAG(std::string, config, "",
          "Path of the JSON configuration file (see config.proto). Secrets "
          "are never given on the command line.");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error.");
ABSL_FLAG(std::string, log_format, "json",
          "json (one object per line, for log stores) or text (for a "
          "terminal).");

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

// "hubspot/<account>": whether that account's calls go to HubSpot or fail
// fast; "hubspot": whether every account's do.
void ReportHubSpotHealth(
    const std::vector<std::unique_ptr<HubSpotAccount>>& accounts,
    grpc::HealthCheckServiceInterface* health) {
  bool all = true;
  for (const auto& account : accounts) {
    const bool closed = account->breaker()->state() == CircuitState::kClosed;
    health->SetServingStatus(
        absl::StrCat(kHubSpotHealthName, "/", account->name()), closed);
    all = all && closed;
  }
  health->SetServingStatus(kHubSpotHealthName, all);
}

void AddBuildInfo(MetricRegistry* registry) {
  registry
      ->AddGauge("hubspot_gateway_build_info",
                 "1, labelled with the gateway's and its libraries' versions.",
                 {"version", "grpc_version", "curl_version"})
      ->With({GATEWAY_VERSION, grpc::Version(),
              curl_version_info(CURLVERSION_NOW)->version})
      ->Set(1);
}

// Uploads in flight, and the spool: bytes in its files and room on its
// file system, read at each scrape.
void AddUploadMetrics(MetricRegistry* registry, GatewayMetrics* metrics,
                      const ImportServiceImpl* service,
                      std::string spool_directory) {
  registry->AddCollector([metrics, service,
                          spool_directory = std::move(spool_directory)] {
    metrics->uploads_in_flight->Set(service->uploads_in_flight());
    metrics->spool_bytes->Set(
        static_cast<double>(UploadSpool::BytesOnDiskOfAll()));
    struct statvfs fs;
    if (statvfs(spool_directory.c_str(), &fs) == 0) {
      metrics->spool_filesystem_free_bytes->Set(
          static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize));
      metrics->spool_filesystem_size_bytes->Set(
          static_cast<double>(fs.f_blocks) * static_cast<double>(fs.f_frsize));
    }
  });
}

HubSpotAccountNames AccountNames(const GatewayConfig& config) {
  HubSpotAccountNames names;
  for (const HubSpotAccountConfig& account : HubSpotAccountsOf(config)) {
    names.names.push_back(account.name);
  }
  names.fallback = DefaultHubSpotAccount(config);
  return names;
}

// The gateway's upload settings, before any account's own.
UploadSettings UploadSettingsOf(const cfg::UploadConfig& c, Scheduler* timers) {
  UploadSettings upload;
  upload.spool_directory = c.spool_directory();
  upload.limits.max_files = static_cast<int>(c.max_files());
  upload.limits.max_file_bytes = c.max_file_bytes();
  upload.spool_window_bytes = c.spool_window_bytes();
  upload.timeout = FromProtoDuration(c.timeout());
  upload.idle_timeout = FromProtoDuration(c.idle_timeout());
  upload.min_receive_bytes_per_second = c.min_receive_bytes_per_second();
  upload.timers = timers;
  upload.max_concurrent_uploads = static_cast<int>(c.max_concurrent_uploads());
  return upload;
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
  absl::StatusOr<std::unique_ptr<CallerRegistry>> callers =
      CallerRegistry::Create(config->access(), AccountNames(*config));
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

  MetricRegistry registry;
  GatewayMetrics metrics(&registry);
  AddProcessMetrics(&registry);
  AddBuildInfo(&registry);
  (*audit)->CountWriteErrorsIn(metrics.audit_write_errors);

  // Parsing HubSpot's answers and finishing RPCs happens here, off the loops.
  auto callbacks = std::make_unique<ThreadPool>(
      std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
  auto timers = std::make_unique<TimerThread>();
  RealClock clock;
  const AccountRuntime runtime{callbacks.get(), timers.get(), &clock,
                               &metrics};
  std::vector<std::unique_ptr<HubSpotAccount>> accounts;
  std::map<std::string, AccountRoute> routes;
  for (const HubSpotAccountConfig& account_config : HubSpotAccountsOf(*config)) {
    absl::StatusOr<std::unique_ptr<HubSpotAccount>> account =
        HubSpotAccount::Open(account_config, config->upload(), runtime, env);
    if (!account.ok()) return StartupError(account.status().message());
    AccountRoute route;
    route.transport = (*account)->transport();
    route.upload = UploadSettingsOf(config->upload(), timers.get());
    route.upload.gzip =
        (*account)->config().compression() == cfg::COMPRESSION_ALWAYS;
    route.upload.idempotency = (*account)->idempotency();
    route.upload.ledger = (*account)->ledger();
    route.upload.metrics = (*account)->metrics();
    routes.emplace(account_config.name, std::move(route));
    accounts.push_back(*std::move(account));
  }
  ImportServiceImpl service(
      std::move(routes),
      AccessControl{callers->get(), audit->get(), config->has_listener_tls()});
  AddUploadMetrics(&registry, &metrics, &service,
                   config->upload().spool_directory());
  // Before the gRPC server: a taken metrics port stops start-up as cleanly.
  std::unique_ptr<MetricsEndpoint> metrics_endpoint;
  if (!config->metrics_listen_address().empty()) {
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
        MetricsEndpoint::Start(config->metrics_listen_address(), &registry);
    if (!endpoint.ok()) return StartupError(endpoint.status().message());
    metrics_endpoint = *std::move(endpoint);
  }

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
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<GrpcServerMetricsFactory>(&metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
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
  // The HubSpot services: apart from the service itself, so that liveness
  // probes do not restart every replica while HubSpot is down.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  // Reading the breakers and reporting under one lock: the last report
  // reads the latest states.
  absl::Mutex health_mu;
  ReportHubSpotHealth(accounts, health);
  for (auto& account : accounts) {
    account->breaker()->SetListener([&accounts, &health_mu,
                                     health](CircuitState) {
      absl::MutexLock lock(&health_mu);
      ReportHubSpotHealth(accounts, health);
    });
  }

  std::string address = config->listen_address();
  address = absl::StrCat(address.substr(0, address.rfind(':')), ":", port);
  std::string account_names;
  for (const HubSpotAccountConfig& account : HubSpotAccountsOf(*config)) {
    const cfg::HubSpotUpstream& hs = *account.upstream;
    absl::StrAppend(&account_names, account_names.empty() ? "" : ",",
                    account.name);
    if (absl::StartsWith(hs.base_url(), "http://")) {
      Log(LogLevel::kWarning,
          absl::StrCat(account.field,
                       ".baseUrl is plain HTTP: credentials travel "
                       "unencrypted; use it only for a local HubSpot "
                       "stand-in"),
          {{"account", account.name}, {"base_url", hs.base_url()}});
    }
  }
  for (const auto& account : accounts) {
    Log(LogLevel::kInfo, "hubspot account",
        {{"account", account->name()},
         {"hubspot", account->config().base_url()},
         {"credentials", std::string(account->credentials_kind())},
         {"http_version",
          account->config().http_version() == cfg::HTTP_VERSION_1_1 ? "1.1"
                                                                     : "2"}});
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
       {"metrics_address",
        metrics_endpoint == nullptr
            ? std::string()
            : absl::StrCat(config->metrics_listen_address().substr(
                               0, config->metrics_listen_address().rfind(':')),
                           ":", metrics_endpoint->port())},
       {"service", kServiceName},
       {"hubspot_accounts", account_names},
       {"default_hubspot_account", DefaultHubSpotAccount(*config)}});

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
  metrics_endpoint.reset();
  // Retries waiting for their back-off give up; then the loops and their
  // callbacks, which may still reach the credentials and transports.
  timers.reset();
  for (auto& account : accounts) account->StopTransfers();
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
  const std::string format = absl::GetFlag(FLAGS_log_format);
  if (format == "text") {
    hubspot_gateway::SetLogFormat(hubspot_gateway::LogFormat::kText);
  } else if (format != "json") {
    std::fprintf(stderr, "--log_format: \"%s\" is not json or text\n",
                 format.c_str());
    return 2;
  }
  return hubspot_gateway::Run(absl::GetFlag(FLAGS_config));
}

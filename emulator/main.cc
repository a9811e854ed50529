// hubspot-emulator: HubSpot's CRM Imports API and OAuth token endpoint,
// served locally for development, demos and tests. Not HubSpot: it says so
// in its first log line.

#include <signal.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "emulator/api/accounts.h"
#include "emulator/api/emulator_api.h"
#include "emulator/api/faults.h"
#include "emulator/api/import_registry.h"
#include "emulator/api/offset_clock.h"
#include "emulator/api/rate_limiter.h"
#include "emulator/http/http_server.h"
#include "emulator/imports/crm_store.h"
#include "server/common/log.h"

ABSL_FLAG(std::string, host, "127.0.0.1", "Address to listen on.");
ABSL_FLAG(int, http_port, 8089, "HTTP port; 0 picks a free one, -1 turns HTTP off.");
ABSL_FLAG(int, https_port, -1,
          "HTTPS port (needs --tls_cert and --tls_key); 0 picks a free one, "
          "-1 turns HTTPS off.");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain for HTTPS.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for HTTPS.");
ABSL_FLAG(std::string, credentials_file, "",
          "JSON file with the credentials the emulated portal accepts: "
          "{\"privateAppTokens\": [...], \"privateAppLegacyKeys\": [...], "
          "\"oauth\": [{\"clientId\", \"clientSecret\", \"refreshTokens\": "
          "[...]}]}. Required.");
ABSL_FLAG(absl::Duration, access_token_lifetime, absl::Minutes(30),
          "expires_in of OAuth access tokens (HubSpot: 30 minutes).");
ABSL_FLAG(absl::Duration, started_for, absl::Seconds(2),
          "How long a new import stays STARTED.");
ABSL_FLAG(absl::Duration, processing_for, absl::Seconds(30),
          "How long it then stays PROCESSING before DONE or FAILED.");
ABSL_FLAG(int, ten_secondly_limit, 100,
          "Calls per rolling 10 s (HubSpot: 100 free/Starter, 190 "
          "Professional/Enterprise).");
ABSL_FLAG(int64_t, daily_limit, 250000, "Calls per day (UTC).");
ABSL_FLAG(int64_t, max_file_bytes, int64_t{512} * 1000 * 1000,
          "Largest import file accepted (HubSpot: 512 MB on paid tiers).");
ABSL_FLAG(std::string, faults, "{}",
          "Fault plan as JSON, as POST /__emulator/faults takes it, e.g. "
          "{\"errorRatio\": 0.1, \"latency\": \"0.2s\"}.");
ABSL_FLAG(uint64_t, fault_seed, 1, "Seed of the fault draws (replayable).");
ABSL_FLAG(bool, control, true,
          "Serve /__emulator/ (faults, limits, time, state; unauthenticated).");
ABSL_FLAG(int, worker_threads, 4, "Threads that handle requests.");
ABSL_FLAG(int, max_connections, 10000, "Connections served at once.");
ABSL_FLAG(int64_t, max_imports, 10000,
          "Imports kept; beyond this the oldest finished ones are dropped "
          "(GET /__emulator/imports counts them).");

namespace hubspot_emulator {
namespace {

using hubspot_gateway::Log;
using hubspot_gateway::LogLevel;

int Fail(absl::string_view what) {
  Log(LogLevel::kError, "emulator cannot start", {{"error", std::string(what)}});
  return 2;
}

int Main() {
  const std::string credentials_path = absl::GetFlag(FLAGS_credentials_file);
  if (credentials_path.empty()) {
    return Fail("--credentials_file is required (the tokens it accepts)");
  }
  std::ifstream in(credentials_path);
  if (!in) return Fail(absl::StrCat("--credentials_file: cannot read ", credentials_path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<EmulatorCredentials> credentials = ParseCredentials(text.str());
  if (!credentials.ok()) {
    return Fail(absl::StrCat("--credentials_file ", credentials_path, ": ",
                             credentials.status().message()));
  }
  absl::StatusOr<FaultPlan> plan = ParseFaultPlan(absl::GetFlag(FLAGS_faults));
  if (!plan.ok()) return Fail(absl::StrCat("--faults: ", plan.status().message()));
  const int http_port = absl::GetFlag(FLAGS_http_port);
  const int https_port = absl::GetFlag(FLAGS_https_port);
  if (http_port < 0 && https_port < 0) {
    return Fail("--http_port and --https_port are both off");
  }
  if (https_port >= 0 &&
      (absl::GetFlag(FLAGS_tls_cert).empty() || absl::GetFlag(FLAGS_tls_key).empty())) {
    return Fail("--https_port needs --tls_cert and --tls_key");
  }
  if (absl::GetFlag(FLAGS_ten_secondly_limit) < 1 || absl::GetFlag(FLAGS_daily_limit) < 1) {
    return Fail("--ten_secondly_limit and --daily_limit must be >= 1");
  }
  if (absl::GetFlag(FLAGS_max_imports) < 1) return Fail("--max_imports must be >= 1");

  // Signals are taken by sigwait below, not by any thread started later.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  OffsetClock clock;
  Accounts accounts(*std::move(credentials), &clock,
                    absl::GetFlag(FLAGS_access_token_lifetime));
  RateLimiter limiter({absl::GetFlag(FLAGS_ten_secondly_limit),
                       absl::GetFlag(FLAGS_daily_limit)},
                      &clock);
  Faults faults(*plan, absl::GetFlag(FLAGS_fault_seed));
  ImportRegistry imports(&clock,
                         {absl::GetFlag(FLAGS_started_for),
                          absl::GetFlag(FLAGS_processing_for)},
                         static_cast<size_t>(absl::GetFlag(FLAGS_max_imports)));
  CrmStore crm;
  ApiOptions api_options;
  api_options.max_file_bytes = absl::GetFlag(FLAGS_max_file_bytes);
  api_options.control = absl::GetFlag(FLAGS_control);
  EmulatorApi api(api_options, &clock, &accounts, &limiter, &faults, &imports,
                  &crm);

  HttpServerOptions options;
  options.host = absl::GetFlag(FLAGS_host);
  options.worker_threads = absl::GetFlag(FLAGS_worker_threads);
  options.max_connections = absl::GetFlag(FLAGS_max_connections);
  // The whole multipart body is read before it is parsed.
  options.max_body_bytes =
      static_cast<size_t>(api_options.max_file_bytes) + (size_t{64} << 20);
  options.error_response = &EmulatorApi::ServerError;
  options.inspect_head = [&api](const HttpRequest& head) {
    return api.InspectHead(head);
  };
  auto handler = [&api](HttpRequest request, Responder respond) {
    api.Handle(std::move(request), std::move(respond));
  };
  std::unique_ptr<HttpServer> http, https;
  if (http_port >= 0) {
    options.port = http_port;
    auto server = HttpServer::Start(options, handler);
    if (!server.ok()) return Fail(server.status().message());
    http = *std::move(server);
    Log(LogLevel::kInfo, "HubSpot emulator listening (this is not HubSpot)",
        {{"url", absl::StrCat("http://", options.host, ":", http->port())}});
  }
  if (https_port >= 0) {
    options.port = https_port;
    options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
    options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
    auto server = HttpServer::Start(options, handler);
    if (!server.ok()) return Fail(server.status().message());
    https = *std::move(server);
    Log(LogLevel::kInfo, "HubSpot emulator listening (this is not HubSpot)",
        {{"url", absl::StrCat("https://", options.host, ":", https->port())}});
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log(LogLevel::kInfo, "emulator stopping",
      {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  https.reset();
  http.reset();
  return 0;
}

}  // namespace
}  // namespace hubspot_emulator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A local HubSpot CRM Imports emulator. See emulator/README.md.");
  absl::ParseCommandLine(argc, argv);
  return hubspot_emulator::Main();
}

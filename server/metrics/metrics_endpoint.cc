#include "server/metrics/metrics_endpoint.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace hubspot_gateway {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    absl::string_view address, const MetricRegistry* registry) {
  hubspot_emulator::HttpServerOptions options;
  const size_t colon = address.rfind(':');
  options.host = std::string(address.substr(0, colon));
  // "[::]" as gRPC writes it; the server binds the bare address.
  if (options.host.size() > 1 && options.host.front() == '[' &&
      options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  if (!absl::SimpleAtoi(address.substr(colon + 1), &options.port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metricsListenAddress: \"", address, "\" is not HOST:PORT"));
  }
  // Scrapes are small and rare: a request is a line and a few headers.
  options.max_header_bytes = 16 * 1024;
  options.max_body_bytes = 0;
  options.worker_threads = 1;
  options.max_connections = 64;
  options.idle_timeout = absl::Seconds(30);
  auto server = hubspot_emulator::HttpServer::Start(
      std::move(options),
      [registry](hubspot_emulator::HttpRequest request,
                 hubspot_emulator::Responder respond) {
        hubspot_emulator::HttpResponse response;
        response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
        if (request.path != "/metrics") {
          response.status = 404;
          response.body = "not found; metrics are at /metrics\n";
        } else if (request.method != "GET" && request.method != "HEAD") {
          response.status = 405;
          response.headers.emplace_back("Allow", "GET, HEAD");
        } else {
          response.headers = {
              {"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}};
          if (request.method == "GET") response.body = registry->Render();
        }
        std::move(respond)(std::move(response));
      });
  if (!server.ok()) {
    return absl::Status(server.status().code(),
                        absl::StrCat("metricsListenAddress: cannot serve on \"",
                                     address, "\": ",
                                     server.status().message()));
  }
  return std::unique_ptr<MetricsEndpoint>(
      new MetricsEndpoint(*std::move(server)));
}

void AddProcessMetrics(MetricRegistry* registry) {
  Gauge* start = registry
                     ->AddGauge("process_start_time_seconds",
                                "Start time of the process since the Unix "
                                "epoch, in seconds.")
                     ->With({});
  start->Set(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  Gauge* resident =
      registry
          ->AddGauge("process_resident_memory_bytes",
                     "Resident memory size in bytes.")
          ->With({});
  Gauge* fds =
      registry->AddGauge("process_open_fds", "Open file descriptors.")
          ->With({});
  registry->AddCollector([resident, fds] {
    std::ifstream statm("/proc/self/statm");
    int64_t size_pages = 0, resident_pages = 0;
    if (statm >> size_pages >> resident_pages) {
      resident->Set(static_cast<double>(resident_pages) *
                    static_cast<double>(sysconf(_SC_PAGESIZE)));
    }
    if (DIR* dir = opendir("/proc/self/fd")) {
      int count = 0;
      while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
      }
      closedir(dir);
      // Less the one opendir held.
      fds->Set(count - 1);
    }
  });
}

}  // namespace hubspot_gateway

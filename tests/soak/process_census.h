#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_PROCESS_CENSUS_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_PROCESS_CENSUS_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hubspot_gateway::soak {

// What a process holds, from /proc/<pid>.
struct ProcessCensus {
  int64_t rss_kib = 0;  // VmRSS
  int threads = 0;      // entries of task/
  // Threads by name (task/<tid>/comm), to tell which pool grew.
  std::map<std::string, int> thread_names;
  // Of the threads: gRPC core's own pools (see IsGrpcPoolThread).
  int grpc_pool_threads = 0;

  // Threads that are not gRPC core's: the gateway's own.
  int own_threads() const { return threads - grpc_pool_threads; }
  int fds = 0;  // entries of fd/
  // Of the fds: TCP connections to `upstream_port` (HubSpot: the
  // connections libcurl keeps for reuse, up to hubspot.maxConnections),
  // and files under `spool_dir` (a spool file is unnamed but still shows
  // its directory: "<dir>/#123 (deleted)").
  int upstream_connections = 0;
  int spool_files = 0;

  // The fds the soak holds to a constant: all but the kept connections.
  int fds_without_upstream() const { return fds - upstream_connections; }
};

// Counts `pid`'s resources. `upstream_port` 0 and `spool_dir` empty leave
// their counts at 0.
absl::StatusOr<ProcessCensus> TakeCensus(pid_t pid, int upstream_port,
                                         const std::string& spool_dir);

// Just VmRSS, cheap enough to sample every second.
absl::StatusOr<int64_t> ResidentKib(pid_t pid);

// Whether a thread named `comm` belongs to one of gRPC core's pools, which
// start threads on demand, keep them a while and bound them themselves
// (the default executor at 2 per core; the timer manager and the
// EventEngine pool retire idle ones). Names as the kernel keeps them: 15
// characters at most.
bool IsGrpcPoolThread(absl::string_view comm);

// "+2 grpcpp_sync_ser, -1 default-executo": thread names whose count
// differs between `from` and `to`; empty when none does.
std::string ThreadNameChanges(const ProcessCensus& from,
                              const ProcessCensus& to);

// Whether `pid` exists and is not a zombie.
bool ProcessAlive(pid_t pid);

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_PROCESS_CENSUS_H_

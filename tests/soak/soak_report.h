#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_SOAK_REPORT_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_SOAK_REPORT_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/soak/fault_driver.h"
#include "tests/soak/soak_checks.h"

namespace hubspot_gateway::soak {

// Everything the summary shows.
struct SoakReport {
  std::string run_id;
  uint64_t seed = 0;
  absl::Duration duration;
  absl::Duration warmup;
  int upload_workers = 0;
  int unary_workers = 0;
  std::string credentials;  // what the gateway authenticated with
  SoakObservations observations;
  FaultDriver::Stats faults;
  int64_t faults_injected = -1;  // GET /__emulator/state, -1: not read
  int64_t tokens_issued = -1;
  int max_fds = 0;  // during the soak
  int max_threads = 0;
  // Series on the gateway's /metrics after the warm-up and at the end: a
  // label set that grows with calls would show here (and in memory).
  int metrics_series_baseline = -1;
  int metrics_series_end = -1;
  std::vector<CheckResult> checks;

  bool passed() const;
};

// The human summary, then one line per check ("FAIL check 4: …").
void PrintSummary(const SoakReport& report, std::FILE* out);
// The same as a JSON object.
std::string SummaryJson(const SoakReport& report);

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_SOAK_REPORT_H_

#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_SOAK_CHECKS_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_SOAK_CHECKS_H_

#include <array>
#include <string>
#include <vector>

#include "tests/soak/emulator_imports.h"
#include "tests/soak/ledger.h"
#include "tests/soak/process_census.h"

namespace hubspot_gateway::soak {

// Fds and threads the gateway may hold beyond its baseline once quiet.
// Connections kept to HubSpot are not counted (libcurl keeps as many as the
// run's peak needed, up to hubspot.maxConnections, and that peak differs
// between the warm-up and the soak), nor are the threads of gRPC core's own
// pools (they start threads as load asks and bound them themselves; see
// IsGrpcPoolThread), which are held to their own, larger slack. The small
// slack covers what may differ from the warm-up's steady state: a client
// connection gRPC opened again, a wakeup fd, a thread not yet retired.
constexpr int kFdSlack = 4;
constexpr int kThreadSlack = 2;
// gRPC's default executor alone may go from 1 thread to 2 per core.
int GrpcPoolSlack();

// Largest growth of mean RSS from the second quarter of the soak to the last.
constexpr double kRssGrowthLimit = 0.10;

// What the soak saw, everything the checks look at.
struct SoakObservations {
  Ledger::Snapshot ledger;
  EmulatorImports emulator;
  std::string emulator_error;  // when its imports could not be read
  int spool_entries = 0;       // names in upload.spoolDirectory
  ProcessCensus baseline;      // after the warm-up
  ProcessCensus end;           // after the quiet period
  bool census_ok = false;
  int max_connections = 0;  // hubspot.maxConnections
  std::array<double, 4> rss_quarters{};
  std::string rss_not_checked;  // why check 7 is skipped; empty: checked
  bool gateway_alive = false;   // when the soak ended
  int gateway_exit_code = -1;   // after SIGTERM
  int support_failures = 0;     // failures tests/support reported
  std::vector<std::string> support_messages;
};

struct CheckResult {
  int number = 0;
  std::string title;
  bool passed = false;
  bool skipped = false;
  std::string detail;  // counts, and examples when it failed
};

// Whether `now` is back within the slack of `baseline` (fds and threads).
bool WithinBaseline(const ProcessCensus& baseline, const ProcessCensus& now,
                    int max_connections);

std::vector<CheckResult> RunChecks(const SoakObservations& o);

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_SOAK_CHECKS_H_

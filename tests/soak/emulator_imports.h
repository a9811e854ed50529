#ifndef HUBSPOT_GATEWAY_TESTS_SOAK_EMULATOR_IMPORTS_H_
#define HUBSPOT_GATEWAY_TESTS_SOAK_EMULATOR_IMPORTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/support/emulator.h"

namespace hubspot_gateway::soak {

// One import as the emulator holds it: the ground truth of what HubSpot
// did, whatever the gateway answered.
struct EmulatedImport {
  int64_t id = 0;
  std::string name;
  std::string state;  // STARTED, PROCESSING, DONE, FAILED or CANCELED
};

struct EmulatorImports {
  std::vector<EmulatedImport> imports;
  // Imports the emulator forgot (its --max_imports): the checks cannot see
  // them, so a run with any is not conclusive.
  int64_t evicted = 0;
  std::string source;  // how they were read
};

// Every import of the emulator: GET /__emulator/imports, or, from an
// emulator without it, GET /crm/v3/imports/{id} for each id in turn
// (HubSpot-style ids count up from 40000001) with `token`, a private-app
// token the emulator accepts.
absl::StatusOr<EmulatorImports> ReadEmulatorImports(testing::Emulator& emulator,
                                                    const std::string& token);

}  // namespace hubspot_gateway::soak

#endif  // HUBSPOT_GATEWAY_TESTS_SOAK_EMULATOR_IMPORTS_H_

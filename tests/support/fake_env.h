#ifndef HUBSPOT_GATEWAY_TESTS_SUPPORT_FAKE_ENV_H_
#define HUBSPOT_GATEWAY_TESTS_SUPPORT_FAKE_ENV_H_

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "server/config/config_loader.h"

namespace hubspot_gateway::testing {

// An environment made of exactly these variables, for ParseConfig.
inline EnvLookup FakeEnv(std::map<std::string, std::string> vars = {}) {
  return [vars = std::move(vars)](
             absl::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace hubspot_gateway::testing

#endif  // HUBSPOT_GATEWAY_TESTS_SUPPORT_FAKE_ENV_H_

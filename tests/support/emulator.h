#ifndef HUBSPOT_GATEWAY_TESTS_SUPPORT_EMULATOR_H_
#define HUBSPOT_GATEWAY_TESTS_SUPPORT_EMULATOR_H_

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {

// The project's HubSpot emulator binary (emulator/), started for one test.
class Emulator {
 public:
  struct Options {
    std::vector<std::string> private_app_tokens;
    std::vector<std::string> legacy_keys;
    std::string client_id;
    std::string client_secret;
    std::vector<std::string> refresh_tokens;
    const Certificates* tls = nullptr;  // HTTPS only, when set
    // More flags, e.g. "--processing_for=1h".
    std::vector<std::string> flags;
  };
  // Writes the credentials file into `dir` and waits until it listens.
  static std::unique_ptr<Emulator> Start(const TempDir& dir,
                                         const Options& options);

  const std::string& base_url() const { return base_url_; }
  // POSTs `json` to /__emulator/<what>; the parsed answer.
  google::protobuf::Struct Control(absl::string_view what,
                                   absl::string_view json = "{}");
  // GET /__emulator/state.
  google::protobuf::Struct State();
  // Any request; the HTTP status, and the body in `body`.
  long Call(absl::string_view method, absl::string_view path,
            absl::string_view body, std::string* answer,
            const std::vector<std::string>& headers = {});
  Subprocess& process() { return *process_; }

 private:
  std::unique_ptr<Subprocess> process_;
  std::string base_url_;
  std::string ca_file_;
};

// A gateway in front of `emulator` that sends `token` as a private-app
// token (from its environment); `extra_hubspot` as for GatewayConfig.
std::unique_ptr<Gateway> StartGatewayFor(const TempDir& dir,
                                         const Emulator& emulator,
                                         absl::string_view token,
                                         absl::string_view extra_hubspot = "");

// A file of emulator/samples/, whole.
std::string ReadSample(absl::string_view name);

}  // namespace hubspot_gateway::testing

#endif  // HUBSPOT_GATEWAY_TESTS_SUPPORT_EMULATOR_H_

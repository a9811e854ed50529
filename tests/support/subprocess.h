#ifndef HUBSPOT_GATEWAY_TESTS_SUPPORT_SUBPROCESS_H_
#define HUBSPOT_GATEWAY_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hubspot_gateway::testing {

// A child process whose stdout and stderr are collected as they arrive, so a
// test can wait for a line instead of sleeping.
class Subprocess {
 public:
  // `env` is added to (and overrides) the test's own environment.
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv,
      const std::map<std::string, std::string>& env = {});
  ~Subprocess();  // SIGKILLs the child if it still runs.

  // Waits until the output (stdout + stderr) contains `needle`; returns the
  // line that holds it, or nullopt if the child exits or `timeout` passes.
  std::optional<std::string> WaitForOutput(absl::string_view needle,
                                           absl::Duration timeout);
  std::string Output() const;
  void Signal(int signal);
  // Waits for the child to exit; its exit code, or 128+signal.
  absl::StatusOr<int> Wait(absl::Duration timeout);
  pid_t pid() const { return pid_; }

 private:
  Subprocess() = default;
  void ReadLoop(int fd);
  // Once the child's output is complete: a sanitizer report in it (the
  // gateway, emulator and CLI of a sanitizer build) fails the current test,
  // whatever the test expected of the child. UBSan, next to ASan, writes to
  // stderr only, whatever its log_path says.
  void FailOnSanitizerReport();

  pid_t pid_ = -1;
  bool reaped_ = false;
  bool checked_ = false;
  std::vector<std::thread> readers_;
  mutable absl::Mutex mu_;
  std::string output_ ABSL_GUARDED_BY(mu_);
  int open_streams_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hubspot_gateway::testing

#endif  // HUBSPOT_GATEWAY_TESTS_SUPPORT_SUBPROCESS_H_

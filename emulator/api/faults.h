#ifndef HUBSPOT_EMULATOR_API_FAULTS_H_
#define HUBSPOT_EMULATOR_API_FAULTS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "emulator/http/http_server.h"

namespace hubspot_emulator {

// Bad minutes on demand, for requests whose path starts with `path_prefix`.
// Ratios are per request, drawn independently.
struct FaultPlan {
  std::string path_prefix = "/crm/";
  // Added before every answer: latency, plus up to `jitter` more.
  absl::Duration latency = absl::ZeroDuration();
  absl::Duration jitter = absl::ZeroDuration();
  // Answered with `error_status` (5xx) without being handled.
  double error_ratio = 0;
  int error_status = 503;
  // Connection closed before the request is handled: nothing happened.
  double drop_ratio = 0;
  // Handled (an upload creates its import), then the connection is closed
  // instead of answering: the client cannot know the outcome.
  double lose_answer_ratio = 0;
  // The answer's body stops halfway, its Content-Length promised more.
  double truncate_ratio = 0;
  // The answer's body trickles: this many bytes every `slow_interval`.
  size_t slow_bytes = 0;
  absl::Duration slow_interval = absl::ZeroDuration();
};

// {"pathPrefix": "/crm/", "latency": "0.2s", "jitter": "0.1s",
//  "errorRatio": 0.1, "errorStatus": 503, "dropRatio": 0,
//  "loseAnswerRatio": 0, "truncateRatio": 0, "slowBytes": 0,
//  "slowInterval": "0.1s"}; absent fields keep their defaults.
absl::StatusOr<FaultPlan> ParseFaultPlan(absl::string_view json);
std::string FaultPlanJson(const FaultPlan& plan);

class Faults {
 public:
  explicit Faults(FaultPlan plan, uint64_t seed);

  void Set(FaultPlan plan);
  FaultPlan Get() const;

  // What happens to one request: decided once, before it is handled.
  struct Decision {
    // Answer this instead of handling the request (an error or a drop).
    std::optional<HttpResponse> instead;
    // Handle it, then shape the answer.
    bool lose_answer = false;
    bool truncate = false;
    absl::Duration delay = absl::ZeroDuration();
    size_t slow_bytes = 0;
    absl::Duration slow_interval = absl::ZeroDuration();
  };
  Decision Decide(const HttpRequest& request);
  // Applies a decision's shaping to the handler's answer.
  static void Shape(const Decision& decision, HttpResponse* response);
  int64_t injected() const;

 private:
  double Draw() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  FaultPlan plan_ ABSL_GUARDED_BY(mu_);
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
  int64_t injected_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_FAULTS_H_

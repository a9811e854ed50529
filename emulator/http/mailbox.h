#ifndef HUBSPOT_EMULATOR_HTTP_MAILBOX_H_
#define HUBSPOT_EMULATOR_HTTP_MAILBOX_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "emulator/http/http_server.h"

namespace hubspot_emulator {
namespace http_internal {

// A handler's answer on its way to the I/O thread.
struct Completion {
  uint64_t connection = 0;
  HttpResponse response;
  // The Responder was destroyed without being called.
  bool abandoned = false;
};

// Where Responders leave answers for the I/O thread. Every Responder shares
// ownership, so one that outlives the server finds the mailbox closed rather
// than freed, and connections are named by id, never by pointer, so one whose
// connection is gone finds nobody to answer.
class Mailbox {
 public:
  // `wake_fd` is an eventfd the I/O thread polls; the server closes it only
  // after Close().
  explicit Mailbox(int wake_fd) : wake_fd_(wake_fd) {}

  // Dropped once closed.
  void Post(Completion completion);
  std::vector<Completion> TakeAll();
  // Later posts are dropped; pending ones are discarded.
  void Close();

 private:
  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Completion> pending_ ABSL_GUARDED_BY(mu_);
  const int wake_fd_;
};

// A Responder for one request on one connection. Destroyed without being
// called (a handler that forgot, or a task dropped at shutdown) it posts an
// abandoned completion, so the connection is not left waiting forever.
Responder MakeResponder(std::shared_ptr<Mailbox> mailbox, uint64_t connection);

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_MAILBOX_H_

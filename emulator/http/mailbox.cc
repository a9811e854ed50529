#include "emulator/http/mailbox.h"

#include <unistd.h>

#include <utility>

namespace hubspot_emulator {
namespace http_internal {
namespace {

class ResponderCall {
 public:
  ResponderCall(std::shared_ptr<Mailbox> mailbox, uint64_t connection)
      : mailbox_(std::move(mailbox)), connection_(connection) {}
  // A moved-from shared_ptr is null, which marks the source as spent.
  ResponderCall(ResponderCall&&) = default;
  ResponderCall& operator=(ResponderCall&&) = delete;
  ~ResponderCall() {
    if (mailbox_ != nullptr) {
      mailbox_->Post(Completion{connection_, HttpResponse(), true});
    }
  }

  void operator()(HttpResponse response) && {
    std::shared_ptr<Mailbox> mailbox = std::move(mailbox_);
    if (mailbox != nullptr) {
      mailbox->Post(Completion{connection_, std::move(response), false});
    }
  }

 private:
  std::shared_ptr<Mailbox> mailbox_;
  uint64_t connection_;
};

}  // namespace

void Mailbox::Post(Completion completion) {
  {
    absl::MutexLock lock(&mu_);
    if (!closed_) {
      const bool was_empty = pending_.empty();
      pending_.push_back(std::move(completion));
      // One wake-up per batch: the I/O thread reads the eventfd before it
      // takes the batch, so a post it misses writes again. Written under the
      // lock so that Close() is a barrier after which the fd may be closed.
      if (was_empty) {
        const uint64_t one = 1;
        (void)!::write(wake_fd_, &one, sizeof one);
      }
      return;
    }
  }
  // Closed: `completion` is destroyed here, outside the lock.
}

std::vector<Completion> Mailbox::TakeAll() {
  std::vector<Completion> out;
  absl::MutexLock lock(&mu_);
  out.swap(pending_);
  return out;
}

void Mailbox::Close() {
  std::vector<Completion> discarded;
  absl::MutexLock lock(&mu_);
  closed_ = true;
  discarded.swap(pending_);
}

Responder MakeResponder(std::shared_ptr<Mailbox> mailbox, uint64_t connection) {
  return ResponderCall(std::move(mailbox), connection);
}

}  // namespace http_internal
}  // namespace hubspot_emulator

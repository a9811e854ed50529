#ifndef HUBSPOT_GATEWAY_AUTH_SECRET_SOURCE_H_
#define HUBSPOT_GATEWAY_AUTH_SECRET_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"
#include "server/common/clock.h"
#include "server/config/config_loader.h"

namespace hubspot_gateway {

// A secret's value at one moment. `version` changes whenever the value does,
// so that holders can tell a new credential from the one they used.
struct SecretValue {
  std::string value;
  uint64_t version = 1;
};

// Where a credential's current value comes from.
class SecretSource {
 public:
  virtual ~SecretSource() = default;
  // Cheap enough for every HubSpot call.
  virtual SecretValue Current() = 0;
  // Looks for a new value now rather than at the next periodic check
  // (HubSpot just refused the current one). True when the value differs
  // from `version`.
  virtual bool ChangedSince(uint64_t version) = 0;
};

// A value that never changes: an environment variable's, or a test's.
std::shared_ptr<SecretSource> FixedSecret(std::string value);

// A secret file that is read again when it changes, so that credentials
// rotate without a restart: a Kubernetes Secret update replaces the mounted
// file (a new inode behind the same path), an edit changes its mtime or
// size. The file is looked at no more often than once per `check_interval`.
// A changed file that cannot be used (unreadable, empty) is logged, naming
// `field`, and the previous value stays.
class FileSecret final : public SecretSource {
 public:
  static absl::StatusOr<std::shared_ptr<FileSecret>> Open(
      std::string path, std::string field, const Clock* clock,
      absl::Duration check_interval = absl::Seconds(1));

  SecretValue Current() override;
  bool ChangedSince(uint64_t version) override;

 private:
  // What identifies one state of the file without reading it.
  struct Stamp {
    uint64_t device = 0, inode = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Stamp& o) const {
      return device == o.device && inode == o.inode && size == o.size &&
             mtime_ns == o.mtime_ns;
    }
  };

  FileSecret(std::string path, std::string field, const Clock* clock,
             absl::Duration check_interval)
      : path_(std::move(path)),
        field_(std::move(field)),
        clock_(clock),
        check_interval_(check_interval) {}
  static absl::StatusOr<Stamp> StampOf(const std::string& path);
  void CheckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const std::string field_;
  const Clock* const clock_;
  const absl::Duration check_interval_;

  absl::Mutex mu_;
  SecretValue current_ ABSL_GUARDED_BY(mu_);
  Stamp stamp_ ABSL_GUARDED_BY(mu_);
  absl::Time next_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

// The source a configured secret names: a FileSecret for {"file": …}, a
// FixedSecret read once for {"env": …}. Errors name `field`.
absl::StatusOr<std::shared_ptr<SecretSource>> OpenSecret(
    const ::hubspot::crm::imports::gateway::v1::Secret& secret,
    absl::string_view field, const EnvLookup& env, const Clock* clock);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_AUTH_SECRET_SOURCE_H_

#include "server/auth/secret_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

class Fixed final : public SecretSource {
 public:
  explicit Fixed(std::string value) : value_{std::move(value), 1} {}
  SecretValue Current() override { return value_; }
  bool ChangedSince(uint64_t version) override {
    return version != value_.version;
  }

 private:
  const SecretValue value_;
};

absl::StatusOr<std::string> ReadSecretFile(const std::string& path,
                                           absl::string_view field) {
  cfg::Secret secret;
  secret.set_file(path);
  // The file is the only source; the environment is never consulted.
  return ReadSecret(secret, field, [](absl::string_view) {
    return std::optional<std::string>();
  });
}

}  // namespace

std::shared_ptr<SecretSource> FixedSecret(std::string value) {
  return std::make_shared<Fixed>(std::move(value));
}

absl::StatusOr<FileSecret::Stamp> FileSecret::StampOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::FailedPreconditionError(std::strerror(errno));
  }
  Stamp stamp;
  stamp.device = st.st_dev;
  stamp.inode = st.st_ino;
  stamp.size = static_cast<uint64_t>(st.st_size);
  stamp.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  return stamp;
}

absl::StatusOr<std::shared_ptr<FileSecret>> FileSecret::Open(
    std::string path, std::string field, const Clock* clock,
    absl::Duration check_interval) {
  // Stamp first: a replacement between the two then shows as a change at
  // the next check instead of going unnoticed.
  absl::StatusOr<Stamp> stamp = StampOf(path);
  absl::StatusOr<std::string> value = ReadSecretFile(path, field);
  if (!value.ok()) return value.status();
  std::shared_ptr<FileSecret> secret(
      new FileSecret(std::move(path), std::move(field), clock, check_interval));
  absl::MutexLock lock(&secret->mu_);
  secret->current_.value = *std::move(value);
  if (stamp.ok()) secret->stamp_ = *stamp;
  secret->next_check_ = clock->Now() + check_interval;
  return secret;
}

SecretValue FileSecret::Current() {
  absl::MutexLock lock(&mu_);
  if (clock_->Now() >= next_check_) CheckLocked();
  return current_;
}

bool FileSecret::ChangedSince(uint64_t version) {
  absl::MutexLock lock(&mu_);
  CheckLocked();
  return current_.version != version;
}

void FileSecret::CheckLocked() {
  next_check_ = clock_->Now() + check_interval_;
  absl::StatusOr<Stamp> stamp = StampOf(path_);
  // A file gone for a moment (a mount being updated) is not a change.
  if (!stamp.ok() || *stamp == stamp_) return;
  stamp_ = *stamp;
  absl::StatusOr<std::string> value = ReadSecretFile(path_, field_);
  if (!value.ok()) {
    Log(LogLevel::kWarning,
        "secret file changed but cannot be used; keeping the previous value",
        {{"field", field_}, {"error", std::string(value.status().message())}});
    return;
  }
  if (*value == current_.value) return;
  current_.value = *std::move(value);
  ++current_.version;
  Log(LogLevel::kInfo, "secret file changed; using the new value",
      {{"field", field_}});
}

absl::StatusOr<std::shared_ptr<SecretSource>> OpenSecret(
    const cfg::Secret& secret, absl::string_view field, const EnvLookup& env,
    const Clock* clock) {
  if (secret.has_file()) {
    auto file = FileSecret::Open(secret.file(), std::string(field), clock);
    if (!file.ok()) return file.status();
    return std::shared_ptr<SecretSource>(*std::move(file));
  }
  absl::StatusOr<std::string> value = ReadSecret(secret, field, env);
  if (!value.ok()) return value.status();
  return FixedSecret(*std::move(value));
}

}  // namespace hubspot_gateway

#include "server/access/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/common/json.h"
#include "server/common/log.h"
#include "server/common/status_code_name.h"

namespace hubspot_gateway {

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(
    const ::hubspot::crm::imports::gateway::v1::AuditConfig& config) {
  if (config.path().empty()) {
    return std::unique_ptr<AuditLog>(new AuditLog(stderr, false));
  }
  const int fd = open(config.path().c_str(),
                      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  FILE* file = fd < 0 ? nullptr : fdopen(fd, "a");
  if (file == nullptr) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("audit.path: cannot append to \"", config.path(),
                     "\": ", reason));
  }
  return std::unique_ptr<AuditLog>(new AuditLog(file, true));
}

AuditLog::~AuditLog() {
  absl::MutexLock lock(&mu_);
  if (owned_) std::fclose(file_);
}

void AuditLog::Write(const AuditRecord& r) {
  std::string line = absl::StrCat(
      "{\"time\":",
      JsonQuote(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                 absl::UTCTimeZone())),
      ",\"audit\":true,\"rpc\":", JsonQuote(r.rpc),
      ",\"caller\":", JsonQuote(r.caller), ",\"peer\":", JsonQuote(r.peer));
  if (!r.account.empty()) {
    absl::StrAppend(&line, ",\"account\":", JsonQuote(r.account));
  }
  if (r.import_id != 0) {
    absl::StrAppend(&line, ",\"import_id\":", r.import_id);
  }
  if (!r.files.empty()) {
    line += ",\"files\":[";
    for (size_t i = 0; i < r.files.size(); ++i) {
      const AuditedFile& f = r.files[i];
      absl::StrAppend(&line, i == 0 ? "" : ",", "{\"name\":", JsonQuote(f.name),
                      ",\"size_bytes\":", f.size_bytes);
      if (!f.sha256.empty()) {
        absl::StrAppend(&line, ",\"sha256\":", JsonQuote(f.sha256));
      }
      line += "}";
    }
    line += "]";
  }
  absl::StrAppend(&line, ",\"outcome\":", JsonQuote(StatusCodeName(static_cast<int>(r.code))));
  if (!r.error.empty()) absl::StrAppend(&line, ",\"error\":", JsonQuote(r.error));
  if (!r.hubspot_correlation_id.empty()) {
    absl::StrAppend(&line, ",\"hubspot_correlation_id\":",
                    JsonQuote(r.hubspot_correlation_id));
  }
  line += "}\n";
  absl::MutexLock lock(&mu_);
  const bool written =
      std::fwrite(line.data(), 1, line.size(), file_) == line.size() &&
      std::fflush(file_) == 0;
  if (!written && write_errors_ != nullptr) write_errors_->Increment();
  // Said once per outage, where operators look: the trail has a gap.
  if (written != !failing_) {
    failing_ = !written;
    Log(written ? LogLevel::kInfo : LogLevel::kError,
        written ? "audit trail written again"
                : "cannot write the audit trail; lines are being lost");
  }
}

}  // namespace hubspot_gateway

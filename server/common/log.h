#ifndef HUBSPOT_GATEWAY_COMMON_LOG_H_
#define HUBSPOT_GATEWAY_COMMON_LOG_H_

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hubspot_gateway {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// JSON (the default: one object per line, for log stores) or plain text
// (for a terminal): "<time> <level> <message> key=value …".
enum class LogFormat { kJson, kText };

// One line on stderr. Callers pass only values that are safe to show: the
// logger has no idea what a secret is.
using LogField = std::pair<absl::string_view, std::string>;
void Log(LogLevel level, absl::string_view message,
         absl::Span<const LogField> fields = {});

void SetMinLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void SetLogFormat(LogFormat format);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_LOG_H_

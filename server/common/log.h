#ifndef HUBSPOT_GATEWAY_COMMON_LOG_H_
#define HUBSPOT_GATEWAY_COMMON_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace hubspot_gateway {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// One JSON object per line on stderr. Callers pass only values that are safe
// to show: the logger has no idea what a secret is.
using LogField = std::pair<absl::string_view, std::string>;
void Log(LogLevel level, absl::string_view message,
         std::initializer_list<LogField> fields = {});

void SetMinLogLevel(LogLevel level);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_COMMON_LOG_H_

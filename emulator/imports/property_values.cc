#include "emulator/imports/property_values.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace hubspot_emulator {
namespace {

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// RFC 1035 host name of two labels or more whose last is a 2+ letter TLD.
bool IsHostName(absl::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::vector<absl::string_view> labels;
  size_t start = 0;
  while (true) {
    const size_t dot = host.find('.', start);
    labels.push_back(host.substr(start, dot == absl::string_view::npos
                                            ? absl::string_view::npos
                                            : dot - start));
    if (dot == absl::string_view::npos) break;
    start = dot + 1;
  }
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return false;
      }
    }
  }
  const absl::string_view tld = labels.back();
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// RFC 5322 dot-atom; quoted local parts are refused as HubSpot does.
bool IsDotAtom(absl::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (absl::StrContains(local, "..")) return false;
  constexpr absl::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-.";
  for (char c : local) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        kSpecials.find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Three numbers separated by the same '/', '-' or '.': day and month in
// one or two digits, the year in four.
std::optional<CivilDate> ParseDate(absl::string_view text, DateOrder order) {
  const size_t first = text.find_first_of("/-.");
  if (first == absl::string_view::npos) return std::nullopt;
  const char sep = text[first];
  const size_t second = text.find(sep, first + 1);
  if (second == absl::string_view::npos) return std::nullopt;
  const absl::string_view parts[3] = {
      text.substr(0, first), text.substr(first + 1, second - first - 1),
      text.substr(second + 1)};
  int year_at = 2, month_at = 0, day_at = 1;
  if (order == DateOrder::kDayMonthYear) {
    day_at = 0;
    month_at = 1;
  } else if (order == DateOrder::kYearMonthDay) {
    year_at = 0;
    month_at = 1;
    day_at = 2;
  }
  for (int i = 0; i < 3; ++i) {
    if (!AllDigits(parts[i])) return std::nullopt;
    if (i == year_at ? parts[i].size() != 4 : parts[i].size() > 2) {
      return std::nullopt;
    }
  }
  CivilDate d;
  if (!absl::SimpleAtoi(parts[year_at], &d.year) ||
      !absl::SimpleAtoi(parts[month_at], &d.month) ||
      !absl::SimpleAtoi(parts[day_at], &d.day)) {
    return std::nullopt;
  }
  if (d.year < 1000 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > DaysInMonth(d.year, d.month)) {
    return std::nullopt;
  }
  return d;
}

struct ClockTime {
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  int offset_minutes = 0;  // east of UTC
};

// "H:MM[:SS[.fff]]" then optional " AM"/" PM", then optional "Z" or
// "±HH:MM"/"±HHMM", spaces allowed between the pieces.
std::optional<ClockTime> ParseClockTime(absl::string_view text) {
  ClockTime t;
  const size_t colon = text.find(':');
  if (colon == absl::string_view::npos || colon == 0 || colon > 2) {
    return std::nullopt;
  }
  if (!absl::SimpleAtoi(text.substr(0, colon), &t.hour) ||
      !AllDigits(text.substr(0, colon))) {
    return std::nullopt;
  }
  text.remove_prefix(colon + 1);
  if (text.size() < 2 || !AllDigits(text.substr(0, 2))) return std::nullopt;
  absl::SimpleAtoi(text.substr(0, 2), &t.minute);
  text.remove_prefix(2);
  if (absl::ConsumePrefix(&text, ":")) {
    if (text.size() < 2 || !AllDigits(text.substr(0, 2))) return std::nullopt;
    absl::SimpleAtoi(text.substr(0, 2), &t.second);
    text.remove_prefix(2);
    if (absl::ConsumePrefix(&text, ".")) {
      size_t digits = 0;
      while (digits < text.size() &&
             absl::ascii_isdigit(static_cast<unsigned char>(text[digits]))) {
        ++digits;
      }
      if (digits == 0) return std::nullopt;
      std::string ms(text.substr(0, std::min<size_t>(digits, 3)));
      ms.resize(3, '0');
      absl::SimpleAtoi(ms, &t.millis);
      text.remove_prefix(digits);
    }
  }
  text = absl::StripLeadingAsciiWhitespace(text);
  const bool am =
      absl::ConsumePrefix(&text, "AM") || absl::ConsumePrefix(&text, "am");
  const bool pm = !am && (absl::ConsumePrefix(&text, "PM") ||
                          absl::ConsumePrefix(&text, "pm"));
  if (am || pm) {
    if (t.hour < 1 || t.hour > 12) return std::nullopt;
    t.hour = t.hour % 12 + (pm ? 12 : 0);
  }
  text = absl::StripLeadingAsciiWhitespace(text);
  if (absl::ConsumePrefix(&text, "Z") || absl::ConsumePrefix(&text, "UTC")) {
    // UTC, offset 0.
  } else if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    const int sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
    std::string digits;
    for (char c : text) {
      if (c != ':') digits.push_back(c);
    }
    if (digits.size() != 4 || !AllDigits(digits)) return std::nullopt;
    int hh = 0, mm = 0;
    absl::SimpleAtoi(digits.substr(0, 2), &hh);
    absl::SimpleAtoi(digits.substr(2), &mm);
    if (hh > 23 || mm > 59) return std::nullopt;
    t.offset_minutes = sign * (hh * 60 + mm);
    text = absl::string_view();
  }
  if (!text.empty()) return std::nullopt;
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  return t;
}

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

}  // namespace

std::optional<DateOrder> DateOrderFromName(absl::string_view name) {
  if (name == "MONTH_DAY_YEAR") return DateOrder::kMonthDayYear;
  if (name == "DAY_MONTH_YEAR") return DateOrder::kDayMonthYear;
  if (name == "YEAR_MONTH_DAY") return DateOrder::kYearMonthDay;
  return std::nullopt;
}

const char* DateOrderName(DateOrder order) {
  switch (order) {
    case DateOrder::kDayMonthYear:
      return "DAY_MONTH_YEAR";
    case DateOrder::kYearMonthDay:
      return "YEAR_MONTH_DAY";
    case DateOrder::kMonthDayYear:
      break;
  }
  return "MONTH_DAY_YEAR";
}

std::optional<std::string> NormalizeEmail(absl::string_view text) {
  if (text.size() > 254) return std::nullopt;
  const size_t at = text.rfind('@');
  if (at == absl::string_view::npos) return std::nullopt;
  if (!IsDotAtom(text.substr(0, at)) || !IsHostName(text.substr(at + 1))) {
    return std::nullopt;
  }
  return absl::AsciiStrToLower(text);
}

std::optional<std::string> NormalizeDomain(absl::string_view text) {
  std::string lower = absl::AsciiStrToLower(text);
  absl::string_view host = lower;
  if (!absl::ConsumePrefix(&host, "https://")) {
    absl::ConsumePrefix(&host, "http://");
  }
  host = host.substr(0, host.find_first_of("/?#"));
  // A port is not part of the domain; anything else after ':' is.
  const size_t colon = host.find(':');
  if (colon != absl::string_view::npos) {
    if (!AllDigits(host.substr(colon + 1))) return std::nullopt;
    host = host.substr(0, colon);
  }
  absl::ConsumeSuffix(&host, ".");
  absl::ConsumePrefix(&host, "www.");
  if (!IsHostName(host)) return std::nullopt;
  return std::string(host);
}

std::optional<std::string> NormalizeNumber(absl::string_view text) {
  absl::string_view rest = text;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-'))
    rest.remove_prefix(1);
  size_t digits = 0;
  size_t i = 0;
  while (i < rest.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(rest[i]))) {
    ++i;
    ++digits;
  }
  if (i < rest.size() && rest[i] == '.') {
    ++i;
    while (i < rest.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(rest[i]))) {
      ++i;
      ++digits;
    }
  }
  if (digits == 0) return std::nullopt;
  if (i < rest.size() && (rest[i] == 'e' || rest[i] == 'E')) {
    ++i;
    if (i < rest.size() && (rest[i] == '+' || rest[i] == '-')) ++i;
    if (i == rest.size()) return std::nullopt;
    while (i < rest.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(rest[i])))
      ++i;
  }
  if (i != rest.size()) return std::nullopt;
  if (text[0] == '+') text.remove_prefix(1);
  return std::string(text);
}

std::optional<std::string> NormalizeDate(absl::string_view text,
                                         DateOrder order) {
  std::optional<CivilDate> d = ParseDate(text, order);
  if (!d) return std::nullopt;
  return absl::FormatCivilTime(absl::CivilDay(d->year, d->month, d->day));
}

std::optional<std::string> NormalizeDateTime(absl::string_view text,
                                             DateOrder order) {
  absl::string_view digits = text;
  absl::ConsumePrefix(&digits, "-");
  if (AllDigits(digits) && digits.size() > 8) {
    int64_t millis = 0;
    if (!absl::SimpleAtoi(text, &millis)) return std::nullopt;
    return FormatUtc(absl::FromUnixMillis(millis));
  }
  // ISO 8601 is unambiguous whatever the file's date format.
  const bool iso = text.size() > 10 && text[10] == 'T' && text[4] == '-';
  const size_t date_end = iso ? 10 : std::min(text.find(' '), text.size());
  std::optional<CivilDate> date = ParseDate(
      text.substr(0, date_end), iso ? DateOrder::kYearMonthDay : order);
  if (!date) return std::nullopt;
  ClockTime clock;
  absl::string_view rest = text.substr(date_end);
  if (!rest.empty()) {
    rest.remove_prefix(1);  // the 'T' or the space
    std::optional<ClockTime> parsed =
        ParseClockTime(absl::StripLeadingAsciiWhitespace(rest));
    if (!parsed) return std::nullopt;
    clock = *parsed;
  }
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(date->year, date->month, date->day,
                                        clock.hour, clock.minute, clock.second),
                      absl::UTCTimeZone()) +
      absl::Milliseconds(clock.millis) - absl::Minutes(clock.offset_minutes);
  return FormatUtc(t);
}

std::optional<std::string> NormalizeBool(absl::string_view text) {
  for (absl::string_view yes : {"true", "yes", "1"}) {
    if (absl::EqualsIgnoreCase(text, yes)) return "true";
  }
  for (absl::string_view no : {"false", "no", "0"}) {
    if (absl::EqualsIgnoreCase(text, no)) return "false";
  }
  return std::nullopt;
}

std::optional<std::string> NormalizePhone(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  absl::string_view main = lower;
  // An extension: "ext. 12", "ext 12", "x12", "#12".
  size_t ext = main.find("ext");
  if (ext == absl::string_view::npos) ext = main.find_first_of("x#");
  if (ext != absl::string_view::npos) {
    absl::string_view extension = main.substr(ext);
    if (!absl::ConsumePrefix(&extension, "ext") &&
        !absl::ConsumePrefix(&extension, "x")) {
      absl::ConsumePrefix(&extension, "#");
    }
    absl::ConsumePrefix(&extension, ".");
    if (!AllDigits(absl::StripLeadingAsciiWhitespace(extension))) {
      return std::nullopt;
    }
    main = main.substr(0, ext);
  }
  main = absl::StripAsciiWhitespace(main);
  int digits = 0;
  for (size_t i = 0; i < main.size(); ++i) {
    const char c = main[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c == '+') {
      if (i != 0) return std::nullopt;
    } else if (absl::string_view(" ()-./").find(c) == absl::string_view::npos) {
      return std::nullopt;
    }
  }
  if (digits < 3) return std::nullopt;
  return std::string(text);
}

std::optional<int64_t> ParseObjectId(absl::string_view text) {
  int64_t id = 0;
  if (!AllDigits(text) || !absl::SimpleAtoi(text, &id) || id <= 0) {
    return std::nullopt;
  }
  return id;
}

PropertyValueResult NormalizePropertyValue(const PropertyDefinition& property,
                                           absl::string_view cell,
                                           DateOrder order) {
  PropertyValueResult r;
  auto fail = [&](const char* type, std::string message) {
    r.error_type = type;
    r.message = std::move(message);
    return r;
  };
  if (cell.size() > kMaxValueBytes) {
    return fail(
        "COLUMN_TOO_LARGE",
        absl::StrCat("Value for property ", property.name, " has ", cell.size(),
                     " characters; the limit is ", kMaxValueBytes));
  }
  std::optional<std::string> value;
  switch (property.type) {
    case PropertyType::kString:
      r.value = std::string(cell);
      return r;
    case PropertyType::kEmail:
      value = NormalizeEmail(cell);
      if (!value) {
        return fail("INVALID_EMAIL",
                    absl::StrCat("Email address ", cell, " is invalid"));
      }
      break;
    case PropertyType::kDomain:
      value = NormalizeDomain(cell);
      if (!value) {
        return fail("INVALID_DOMAIN",
                    absl::StrCat("Domain ", cell, " is invalid"));
      }
      break;
    case PropertyType::kNumber: {
      value = NormalizeNumber(cell);
      if (!value) {
        return fail("COULD_NOT_PARSE_NUMBER",
                    absl::StrCat("Could not parse number from ", cell,
                                 " for property ", property.name));
      }
      if (!std::isfinite(std::strtod(value->c_str(), nullptr))) {
        return fail("INVALID_NUMBER_SIZE",
                    absl::StrCat("Number ", cell, " for property ",
                                 property.name, " is too large"));
      }
      break;
    }
    case PropertyType::kDate:
      value = NormalizeDate(cell, order);
      if (!value) {
        return fail("COULD_NOT_PARSE_DATE",
                    absl::StrCat("Could not parse date ", cell,
                                 " for property ", property.name,
                                 " with date format ", DateOrderName(order)));
      }
      break;
    case PropertyType::kDateTime:
      value = NormalizeDateTime(cell, order);
      if (!value) {
        return fail("COULD_NOT_PARSE_DATE",
                    absl::StrCat("Could not parse date-time ", cell,
                                 " for property ", property.name,
                                 " with date format ", DateOrderName(order)));
      }
      break;
    case PropertyType::kEnumeration: {
      const EnumOption* option = property.FindOption(cell);
      if (option == nullptr) {
        std::vector<absl::string_view> names;
        for (const EnumOption& o : property.options) names.push_back(o.value);
        return fail("INVALID_ENUMERATION_OPTION",
                    absl::StrCat(cell, " is not a valid option for property ",
                                 property.name, "; valid options: ",
                                 absl::StrJoin(names, ", ")));
      }
      value = option->value;
      break;
    }
    case PropertyType::kBool:
      value = NormalizeBool(cell);
      if (!value) {
        return fail(
            "INVALID_ENUMERATION_OPTION",
            absl::StrCat(cell, " is not a valid option for property ",
                         property.name, "; valid options: true, false"));
      }
      break;
    case PropertyType::kPhone:
      value = NormalizePhone(cell);
      if (!value) {
        return fail("FAILED_VALIDATION",
                    absl::StrCat("Phone number ", cell,
                                 " is invalid for property ", property.name));
      }
      break;
    case PropertyType::kObjectId: {
      std::optional<int64_t> id = ParseObjectId(cell);
      if (!id) {
        return fail("INVALID_OBJECT_ID",
                    absl::StrCat("Record ID ", cell,
                                 " is invalid: record IDs are positive whole "
                                 "numbers"));
      }
      value = absl::StrCat(*id);
      break;
    }
  }
  r.value = std::move(*value);
  return r;
}

}  // namespace hubspot_emulator

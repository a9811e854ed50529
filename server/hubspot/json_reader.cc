#include "server/hubspot/json_reader.h"

#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace hubspot_gateway {
namespace {

// google.protobuf.Timestamp's valid range: years 1 to 9999.
constexpr int64_t kMinTimestampSeconds = -62135596800LL;
constexpr int64_t kMaxTimestampSeconds = 253402300799LL;

absl::string_view KindName(const google::protobuf::Value& v) {
  switch (v.kind_case()) {
    case google::protobuf::Value::kNullValue:
      return "null";
    case google::protobuf::Value::kNumberValue:
      return "a number";
    case google::protobuf::Value::kStringValue:
      return "a string";
    case google::protobuf::Value::kBoolValue:
      return "a boolean";
    case google::protobuf::Value::kStructValue:
      return "an object";
    case google::protobuf::Value::kListValue:
      return "an array";
    default:
      return "nothing";
  }
}

// Reads `n` digits at `*pos`.
bool Digits(absl::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

// HubSpot's date-times ("2020-01-14T22:45:00.153Z", "…+00:00") without the
// cost of a general time parser; nullopt for anything else.
std::optional<absl::Time> ParseRfc3339Fast(absl::string_view s) {
  size_t p = 0;
  int year, month, day, hour, minute, second;
  auto sep = [&](char c) { return p < s.size() && s[p++] == c; };
  if (!Digits(s, &p, 4, &year) || !sep('-') || !Digits(s, &p, 2, &month) ||
      !sep('-') || !Digits(s, &p, 2, &day) ||
      !(sep('T') || (s[p - 1] == 't')) || !Digits(s, &p, 2, &hour) ||
      !sep(':') || !Digits(s, &p, 2, &minute) || !sep(':') ||
      !Digits(s, &p, 2, &second)) {
    return std::nullopt;
  }
  int64_t nanos = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int n = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (n < 9) nanos = nanos * 10 + (s[p] - '0');
      ++n;
      ++p;
    }
    if (n == 0) return std::nullopt;
    for (; n < 9; ++n) nanos *= 10;
  }
  int offset_minutes = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p++] == '-' ? -1 : 1;
    int oh, om;
    if (!Digits(s, &p, 2, &oh) || !sep(':') || !Digits(s, &p, 2, &om) ||
        oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (p != s.size() || month < 1 || month > 12 || day < 1 || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  const absl::CivilDay civil_day(year, month, day);
  if (civil_day.day() != day) return std::nullopt;  // e.g. February 30
  return absl::FromCivil(
             absl::CivilSecond(year, month, day, hour, minute, second),
             absl::UTCTimeZone()) -
         absl::Minutes(offset_minutes) + absl::Nanoseconds(nanos);
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp out;
  const int64_t seconds = absl::ToUnixSeconds(t);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return out;
}

}  // namespace

std::string ObjectReader::PathOf(absl::string_view key) const {
  return path_.empty() ? std::string(key) : absl::StrCat(path_, ".", key);
}

void ObjectReader::Fail(std::string path, absl::string_view expected) {
  if (!status_->ok()) return;
  *status_ = absl::InvalidArgumentError(
      absl::StrCat("field ", path, ": expected ", expected));
}

google::protobuf::Value* ObjectReader::Find(absl::string_view key) const {
  auto it = object_.mutable_fields()->find(std::string(key));
  if (it == object_.mutable_fields()->end() ||
      it->second.kind_case() == google::protobuf::Value::kNullValue) {
    return nullptr;
  }
  return &it->second;
}

std::string ObjectReader::String(absl::string_view key) {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return "";
  if (!v->has_string_value()) {
    Fail(PathOf(key), absl::StrCat("a string, got ", KindName(*v)));
    return "";
  }
  return v->string_value();
}

bool ObjectReader::Bool(absl::string_view key) {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return false;
  if (!v->has_bool_value()) {
    Fail(PathOf(key), absl::StrCat("a boolean, got ", KindName(*v)));
    return false;
  }
  return v->bool_value();
}

int64_t ObjectReader::ToInt(const google::protobuf::Value& v, std::string path,
                            int64_t min, int64_t max) {
  int64_t n = 0;
  if (v.has_number_value()) {
    const double d = v.number_value();
    // 2^63 as a double; anything at or beyond it does not fit.
    if (!std::isfinite(d) || d != std::floor(d) || d < -9.2233720368547758e18 ||
        d >= 9.2233720368547758e18) {
      Fail(std::move(path), "an integer");
      return 0;
    }
    n = static_cast<int64_t>(d);
  } else if (v.has_string_value()) {
    if (!absl::SimpleAtoi(v.string_value(), &n)) {
      Fail(std::move(path), "an integer");
      return 0;
    }
  } else {
    Fail(std::move(path), absl::StrCat("an integer, got ", KindName(v)));
    return 0;
  }
  if (n < min || n > max) {
    Fail(std::move(path),
         absl::StrCat("an integer in [", min, ", ", max, "], got ", n));
    return 0;
  }
  return n;
}

int64_t ObjectReader::Int(absl::string_view key, int64_t min, int64_t max) {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return 0;
  return ToInt(*v, PathOf(key), min, max);
}

std::optional<google::protobuf::Timestamp> ObjectReader::Rfc3339(
    absl::string_view key) {
  const std::string text = String(key);
  if (text.empty()) return std::nullopt;
  absl::Time t;
  std::string error;
  if (std::optional<absl::Time> fast = ParseRfc3339Fast(text)) {
    t = *fast;
  } else if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    Fail(PathOf(key), "an RFC 3339 date-time");
    return std::nullopt;
  }
  if (t < absl::FromUnixSeconds(kMinTimestampSeconds) ||
      t > absl::FromUnixSeconds(kMaxTimestampSeconds)) {
    Fail(PathOf(key), "an RFC 3339 date-time between years 1 and 9999");
    return std::nullopt;
  }
  return ToTimestamp(t);
}

std::optional<google::protobuf::Timestamp> ObjectReader::EpochMillis(
    absl::string_view key) {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  const int64_t ms = ToInt(*v, PathOf(key), kMinTimestampSeconds * 1000,
                           kMaxTimestampSeconds * 1000 + 999);
  if (!status_->ok()) return std::nullopt;
  return ToTimestamp(absl::FromUnixMillis(ms));
}

std::optional<ObjectReader> ObjectReader::Object(absl::string_view key) {
  google::protobuf::Value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->has_struct_value()) {
    Fail(PathOf(key), absl::StrCat("an object, got ", KindName(*v)));
    return std::nullopt;
  }
  return ObjectReader(v->mutable_struct_value(), PathOf(key), status_);
}

bool ObjectReader::TakeStruct(absl::string_view key,
                              google::protobuf::Struct* out) {
  google::protobuf::Value* v = Find(key);
  if (v == nullptr) return false;
  if (!v->has_struct_value()) {
    Fail(PathOf(key), absl::StrCat("an object, got ", KindName(*v)));
    return false;
  }
  out->Swap(v->mutable_struct_value());
  return true;
}

google::protobuf::ListValue* ObjectReader::List(absl::string_view key) {
  google::protobuf::Value* v = Find(key);
  if (v == nullptr) return nullptr;
  if (!v->has_list_value()) {
    Fail(PathOf(key), absl::StrCat("an array, got ", KindName(*v)));
    return nullptr;
  }
  return v->mutable_list_value();
}

std::optional<ObjectReader> ObjectReader::Element(absl::string_view key,
                                                  google::protobuf::Value& v,
                                                  int i) {
  if (!v.has_struct_value()) {
    Fail(absl::StrCat(PathOf(key), "[", i, "]"),
         absl::StrCat("an object, got ", KindName(v)));
    return std::nullopt;
  }
  return ObjectReader(v.mutable_struct_value(),
                      absl::StrCat(PathOf(key), "[", i, "]"), status_);
}

std::string ObjectReader::ElementString(absl::string_view key,
                                        const google::protobuf::Value& v,
                                        int i) {
  if (!v.has_string_value()) {
    Fail(absl::StrCat(PathOf(key), "[", i, "]"),
         absl::StrCat("a string, got ", KindName(v)));
    return "";
  }
  return v.string_value();
}

int64_t ObjectReader::ElementInt(absl::string_view key,
                                 const google::protobuf::Value& v, int i) {
  return ToInt(v, absl::StrCat(PathOf(key), "[", i, "]"), INT64_MIN, INT64_MAX);
}

ObjectReader::EnumIndex::EnumIndex(const google::protobuf::EnumDescriptor* d) {
  absl::string_view prefix = d->value(0)->name();
  absl::ConsumeSuffix(&prefix, "UNSPECIFIED");
  for (int i = 1; i < d->value_count(); ++i) {
    absl::string_view name = d->value(i)->name();
    absl::ConsumePrefix(&name, prefix);
    numbers_.emplace(std::string(name), d->value(i)->number());
    // Some HubSpot enums are lower case (dataSensitivity, templateType).
    numbers_.emplace(absl::AsciiStrToLower(name), d->value(i)->number());
  }
}

int ObjectReader::EnumIndex::Find(const std::string& raw) const {
  auto it = numbers_.find(raw);
  return it == numbers_.end() ? 0 : it->second;
}

}  // namespace hubspot_gateway

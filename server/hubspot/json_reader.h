#ifndef HUBSPOT_GATEWAY_HUBSPOT_JSON_READER_H_
#define HUBSPOT_GATEWAY_HUBSPOT_JSON_READER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace hubspot_gateway {

// Reads the fields of one JSON object of a HubSpot answer (and may move
// sub-objects out of it, see TakeStruct). A missing or null
// field leaves the default; a field of the wrong type records the first error
// (with its path, e.g. "results[2].metadata.counters.ERRORS") in the shared
// status and yields the default, so mapping code reads straight through.
class ObjectReader {
 public:
  ObjectReader(google::protobuf::Struct* object, std::string path,
               absl::Status* status)
      : object_(*object), path_(std::move(path)), status_(status) {}

  std::string String(absl::string_view key);
  bool Bool(absl::string_view key);
  // Accepts a JSON number or a decimal string within [min, max].
  int64_t Int(absl::string_view key, int64_t min = INT64_MIN,
              int64_t max = INT64_MAX);
  // An RFC 3339 date-time string; nullopt when absent or invalid.
  std::optional<google::protobuf::Timestamp> Rfc3339(absl::string_view key);
  // Epoch milliseconds; nullopt when absent or invalid.
  std::optional<google::protobuf::Timestamp> EpochMillis(absl::string_view key);
  // The enum value for HubSpot's literal (stored in `raw`), matched against
  // E's value names without their common prefix; 0 when unknown.
  template <typename E>
  E Enum(absl::string_view key, std::string* raw) {
    // Built once per enum type: name lookups in the descriptor pool are slow.
    static const EnumIndex* const index =
        new EnumIndex(google::protobuf::GetEnumDescriptor<E>());
    *raw = String(key);
    return static_cast<E>(index->Find(*raw));
  }
  std::optional<ObjectReader> Object(absl::string_view key);
  // Moves the object at `key` into `out`; false when absent or not an object.
  bool TakeStruct(absl::string_view key, google::protobuf::Struct* out);
  google::protobuf::ListValue* List(absl::string_view key);

  // A reader for element `i` of a list read with List(key).
  std::optional<ObjectReader> Element(absl::string_view key,
                                      google::protobuf::Value& v, int i);
  std::string ElementString(absl::string_view key,
                            const google::protobuf::Value& v, int i);
  int64_t ElementInt(absl::string_view key, const google::protobuf::Value& v,
                     int i);

  const google::protobuf::Struct& object() const { return object_; }
  std::string PathOf(absl::string_view key) const;
  void Fail(std::string path, absl::string_view expected);

 private:
  google::protobuf::Value* Find(absl::string_view key) const;
  int64_t ToInt(const google::protobuf::Value& v, std::string path, int64_t min,
                int64_t max);
  // HubSpot's literals of one enum type: its value names without their
  // common prefix (IMPORT_STATE_DONE -> DONE), also in lower case.
  class EnumIndex {
   public:
    explicit EnumIndex(const google::protobuf::EnumDescriptor* d);
    int Find(const std::string& raw) const;

   private:
    absl::flat_hash_map<std::string, int> numbers_;
  };

  google::protobuf::Struct& object_;
  std::string path_;
  absl::Status* status_;
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_JSON_READER_H_

#ifndef HUBSPOT_EMULATOR_IMPORTS_CRM_SCHEMA_H_
#define HUBSPOT_EMULATOR_IMPORTS_CRM_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hubspot_emulator {

// How a property's values are checked and stored. HubSpot's own types are
// string, number, date, datetime, enumeration and bool; email, phone,
// domain and the record ID are strings or numbers there, with the
// validation HubSpot applies to those particular properties.
enum class PropertyType {
  kString,
  kNumber,
  kDate,
  kDateTime,
  kEnumeration,
  kBool,
  kEmail,
  kPhone,
  kDomain,
  kObjectId,  // hs_object_id: identifies the record, never written
};

// HubSpot's "type" of a property: string, number, date, datetime,
// enumeration or bool.
const char* HubSpotTypeName(PropertyType type);

struct EnumOption {
  std::string value;  // internal value, what is stored
  std::string label;  // what people type as well
};

struct PropertyDefinition {
  std::string name;
  std::string label;
  PropertyType type = PropertyType::kString;
  std::vector<EnumOption> options;  // kEnumeration only

  // The option `text` names by value or label, case-insensitively.
  const EnumOption* FindOption(absl::string_view text) const;
};

struct ObjectTypeDefinition {
  std::string object_type_id;  // "0-1"
  std::string object_type;     // PublicImportError.objectType: CONTACT
  std::string name;            // "contacts", as in objectLists
  std::string singular;        // "contact", for messages
  // The property that identifies an existing object when the row has no
  // record ID: email for contacts, domain for companies; empty when rows
  // without a record ID always create.
  std::string unique_property;
  std::vector<PropertyDefinition> properties;

  // Exact, case-sensitive: HubSpot's internal names are.
  const PropertyDefinition* FindProperty(absl::string_view name) const;
};

// The portal's object types: contacts (0-1), companies (0-2), deals (0-3),
// tickets (0-5), each with a realistic subset of HubSpot's default
// properties.
const std::vector<ObjectTypeDefinition>& DefaultObjectTypes();

// By object type id ("0-1") or name ("contacts"); nullptr when unknown.
const ObjectTypeDefinition* FindObjectType(absl::string_view id_or_name);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_CRM_SCHEMA_H_

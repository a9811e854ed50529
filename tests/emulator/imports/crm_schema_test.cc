#include "emulator/imports/crm_schema.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

TEST(CrmSchemaTest, TheFourObjectTypes) {
  struct Expected {
    const char* id;
    const char* object_type;
    const char* name;
    const char* unique;
  };
  for (const Expected& e : {Expected{"0-1", "CONTACT", "contacts", "email"},
                            Expected{"0-2", "COMPANY", "companies", "domain"},
                            Expected{"0-3", "DEAL", "deals", ""},
                            Expected{"0-5", "TICKET", "tickets", ""}}) {
    const ObjectTypeDefinition* t = FindObjectType(e.id);
    ASSERT_NE(t, nullptr) << e.id;
    EXPECT_EQ(t, FindObjectType(e.name));
    EXPECT_EQ(t->object_type, e.object_type);
    EXPECT_EQ(t->unique_property, e.unique);
    EXPECT_NE(t->FindProperty("hs_object_id"), nullptr);
    EXPECT_EQ(t->FindProperty("hs_object_id")->type, PropertyType::kObjectId);
  }
  EXPECT_EQ(DefaultObjectTypes().size(), 4u);
  EXPECT_EQ(FindObjectType("0-4"), nullptr);
  EXPECT_EQ(FindObjectType("CONTACT"), nullptr);
}

TEST(CrmSchemaTest, PropertyTypes) {
  struct Expected {
    const char* type_id;
    const char* property;
    PropertyType type;
  };
  for (const Expected& e : {
           Expected{"0-1", "email", PropertyType::kEmail},
           Expected{"0-1", "firstname", PropertyType::kString},
           Expected{"0-1", "phone", PropertyType::kPhone},
           Expected{"0-1", "lifecyclestage", PropertyType::kEnumeration},
           Expected{"0-1", "hs_lead_status", PropertyType::kEnumeration},
           Expected{"0-1", "createdate", PropertyType::kDateTime},
           Expected{"0-1", "date_of_birth", PropertyType::kDate},
           Expected{"0-1", "annualrevenue", PropertyType::kNumber},
           Expected{"0-2", "domain", PropertyType::kDomain},
           Expected{"0-2", "numberofemployees", PropertyType::kNumber},
           Expected{"0-2", "is_public", PropertyType::kBool},
           Expected{"0-3", "amount", PropertyType::kNumber},
           Expected{"0-3", "closedate", PropertyType::kDate},
           Expected{"0-3", "dealstage", PropertyType::kEnumeration},
           Expected{"0-5", "hs_ticket_priority", PropertyType::kEnumeration},
           Expected{"0-5", "subject", PropertyType::kString},
       }) {
    const PropertyDefinition* p =
        FindObjectType(e.type_id)->FindProperty(e.property);
    ASSERT_NE(p, nullptr) << e.type_id << " " << e.property;
    EXPECT_EQ(p->type, e.type) << e.property;
  }
  // Internal names are case-sensitive, as HubSpot's are.
  EXPECT_EQ(FindObjectType("0-1")->FindProperty("Email"), nullptr);
  EXPECT_EQ(FindObjectType("0-3")->FindProperty("email"), nullptr);
}

TEST(CrmSchemaTest, EnumerationOptions) {
  const PropertyDefinition* stage =
      FindObjectType("0-1")->FindProperty("lifecyclestage");
  std::set<std::string> values;
  for (const EnumOption& o : stage->options) values.insert(o.value);
  EXPECT_EQ(values, (std::set<std::string>{"subscriber", "lead",
                                           "marketingqualifiedlead",
                                           "salesqualifiedlead", "opportunity",
                                           "customer", "evangelist", "other"}));
  EXPECT_EQ(stage->FindOption("CUSTOMER")->value, "customer");
  EXPECT_EQ(stage->FindOption("sales qualified lead")->value,
            "salesqualifiedlead");
  EXPECT_EQ(stage->FindOption("vip"), nullptr);
  const PropertyDefinition* priority =
      FindObjectType("0-5")->FindProperty("hs_ticket_priority");
  ASSERT_EQ(priority->options.size(), 4u);
  EXPECT_EQ(priority->FindOption("urgent")->value, "URGENT");
}

TEST(CrmSchemaTest, HubSpotTypeNames) {
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kEmail), "string");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kPhone), "string");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kDomain), "string");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kNumber), "number");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kDate), "date");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kDateTime), "datetime");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kEnumeration), "enumeration");
  EXPECT_STREQ(HubSpotTypeName(PropertyType::kBool), "bool");
}

}  // namespace
}  // namespace hubspot_emulator

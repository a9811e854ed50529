#include "emulator/imports/crm_schema.h"

#include <utility>

#include "absl/strings/match.h"

namespace hubspot_emulator {
namespace {

using T = PropertyType;

PropertyDefinition Prop(std::string name, std::string label, PropertyType type,
                        std::vector<EnumOption> options = {}) {
  PropertyDefinition p;
  p.name = std::move(name);
  p.label = std::move(label);
  p.type = type;
  p.options = std::move(options);
  return p;
}

const std::vector<EnumOption>& LifecycleStages() {
  static const auto* const kStages = new std::vector<EnumOption>{
      {"subscriber", "Subscriber"},
      {"lead", "Lead"},
      {"marketingqualifiedlead", "Marketing Qualified Lead"},
      {"salesqualifiedlead", "Sales Qualified Lead"},
      {"opportunity", "Opportunity"},
      {"customer", "Customer"},
      {"evangelist", "Evangelist"},
      {"other", "Other"},
  };
  return *kStages;
}

ObjectTypeDefinition Contacts() {
  ObjectTypeDefinition t;
  t.object_type_id = "0-1";
  t.object_type = "CONTACT";
  t.name = "contacts";
  t.singular = "contact";
  t.unique_property = "email";
  t.properties = {
      Prop("hs_object_id", "Record ID", T::kObjectId),
      Prop("email", "Email", T::kEmail),
      Prop("firstname", "First Name", T::kString),
      Prop("lastname", "Last Name", T::kString),
      Prop("phone", "Phone Number", T::kPhone),
      Prop("mobilephone", "Mobile Phone Number", T::kPhone),
      Prop("company", "Company Name", T::kString),
      Prop("website", "Website URL", T::kString),
      Prop("jobtitle", "Job Title", T::kString),
      Prop("address", "Street Address", T::kString),
      Prop("city", "City", T::kString),
      Prop("state", "State/Region", T::kString),
      Prop("zip", "Postal Code", T::kString),
      Prop("country", "Country/Region", T::kString),
      Prop("industry", "Industry", T::kString),
      Prop("lifecyclestage", "Lifecycle Stage", T::kEnumeration,
           LifecycleStages()),
      Prop("hs_lead_status", "Lead Status", T::kEnumeration,
           {{"NEW", "New"},
            {"OPEN", "Open"},
            {"IN_PROGRESS", "In Progress"},
            {"OPEN_DEAL", "Open Deal"},
            {"UNQUALIFIED", "Unqualified"},
            {"ATTEMPTED_TO_CONTACT", "Attempted to Contact"},
            {"CONNECTED", "Connected"},
            {"BAD_TIMING", "Bad Timing"}}),
      Prop("createdate", "Create Date", T::kDateTime),
      Prop("date_of_birth", "Date of birth", T::kDate),
      Prop("annualrevenue", "Annual Revenue", T::kNumber),
      Prop("numemployees", "Number of Employees", T::kEnumeration,
           {{"1-5", "1-5"},
            {"5-25", "5-25"},
            {"25-50", "25-50"},
            {"50-100", "50-100"},
            {"100-500", "100-500"},
            {"500-1000", "500-1000"},
            {"1000+", "1000+"}}),
  };
  return t;
}

ObjectTypeDefinition Companies() {
  ObjectTypeDefinition t;
  t.object_type_id = "0-2";
  t.object_type = "COMPANY";
  t.name = "companies";
  t.singular = "company";
  t.unique_property = "domain";
  t.properties = {
      Prop("hs_object_id", "Record ID", T::kObjectId),
      Prop("name", "Company name", T::kString),
      Prop("domain", "Company Domain Name", T::kDomain),
      Prop("website", "Website URL", T::kString),
      Prop("industry", "Industry", T::kString),
      Prop("description", "Description", T::kString),
      Prop("numberofemployees", "Number of Employees", T::kNumber),
      Prop("annualrevenue", "Annual Revenue", T::kNumber),
      Prop("founded_year", "Year Founded", T::kString),
      Prop("is_public", "Is Public", T::kBool),
      Prop("phone", "Phone Number", T::kPhone),
      Prop("address", "Street Address", T::kString),
      Prop("city", "City", T::kString),
      Prop("state", "State/Region", T::kString),
      Prop("zip", "Postal Code", T::kString),
      Prop("country", "Country/Region", T::kString),
      Prop("lifecyclestage", "Lifecycle Stage", T::kEnumeration,
           LifecycleStages()),
      Prop("type", "Type", T::kEnumeration,
           {{"PROSPECT", "Prospect"},
            {"PARTNER", "Partner"},
            {"RESELLER", "Reseller"},
            {"VENDOR", "Vendor"},
            {"OTHER", "Other"}}),
      Prop("createdate", "Create Date", T::kDateTime),
  };
  return t;
}

ObjectTypeDefinition Deals() {
  ObjectTypeDefinition t;
  t.object_type_id = "0-3";
  t.object_type = "DEAL";
  t.name = "deals";
  t.singular = "deal";
  t.properties = {
      Prop("hs_object_id", "Record ID", T::kObjectId),
      Prop("dealname", "Deal Name", T::kString),
      Prop("amount", "Amount", T::kNumber),
      Prop("closedate", "Close Date", T::kDate),
      Prop("pipeline", "Pipeline", T::kEnumeration,
           {{"default", "Sales Pipeline"}}),
      Prop("dealstage", "Deal Stage", T::kEnumeration,
           {{"appointmentscheduled", "Appointment Scheduled"},
            {"qualifiedtobuy", "Qualified To Buy"},
            {"presentationscheduled", "Presentation Scheduled"},
            {"decisionmakerboughtin", "Decision Maker Bought-In"},
            {"contractsent", "Contract Sent"},
            {"closedwon", "Closed Won"},
            {"closedlost", "Closed Lost"}}),
      Prop("dealtype", "Deal Type", T::kEnumeration,
           {{"newbusiness", "New Business"},
            {"existingbusiness", "Existing Business"}}),
      Prop("hs_priority", "Priority", T::kEnumeration,
           {{"low", "Low"}, {"medium", "Medium"}, {"high", "High"}}),
      Prop("description", "Deal Description", T::kString),
      Prop("createdate", "Create Date", T::kDateTime),
  };
  return t;
}

ObjectTypeDefinition Tickets() {
  ObjectTypeDefinition t;
  t.object_type_id = "0-5";
  t.object_type = "TICKET";
  t.name = "tickets";
  t.singular = "ticket";
  t.properties = {
      Prop("hs_object_id", "Record ID", T::kObjectId),
      Prop("subject", "Ticket name", T::kString),
      Prop("content", "Ticket description", T::kString),
      Prop("hs_pipeline", "Pipeline", T::kEnumeration,
           {{"0", "Support Pipeline"}}),
      Prop("hs_pipeline_stage", "Ticket status", T::kEnumeration,
           {{"1", "New"},
            {"2", "Waiting on contact"},
            {"3", "Waiting on us"},
            {"4", "Closed"}}),
      Prop("hs_ticket_priority", "Priority", T::kEnumeration,
           {{"LOW", "Low"},
            {"MEDIUM", "Medium"},
            {"HIGH", "High"},
            {"URGENT", "Urgent"}}),
      Prop("hs_ticket_category", "Category", T::kEnumeration,
           {{"PRODUCT_ISSUE", "Product issue"},
            {"BILLING_ISSUE", "Billing issue"},
            {"FEATURE_REQUEST", "Feature request"},
            {"GENERAL_INQUIRY", "General inquiry"}}),
      Prop("source_type", "Source", T::kEnumeration,
           {{"CHAT", "Chat"},
            {"EMAIL", "Email"},
            {"FORM", "Form"},
            {"PHONE", "Phone"}}),
      Prop("createdate", "Create Date", T::kDateTime),
  };
  return t;
}

}  // namespace

const char* HubSpotTypeName(PropertyType type) {
  switch (type) {
    case PropertyType::kNumber:
    case PropertyType::kObjectId:
      return "number";
    case PropertyType::kDate:
      return "date";
    case PropertyType::kDateTime:
      return "datetime";
    case PropertyType::kEnumeration:
      return "enumeration";
    case PropertyType::kBool:
      return "bool";
    case PropertyType::kString:
    case PropertyType::kEmail:
    case PropertyType::kPhone:
    case PropertyType::kDomain:
      break;
  }
  return "string";
}

const EnumOption* PropertyDefinition::FindOption(absl::string_view text) const {
  for (const EnumOption& o : options) {
    if (absl::EqualsIgnoreCase(o.value, text)) return &o;
  }
  // Values first: a label may equal another option's value.
  for (const EnumOption& o : options) {
    if (absl::EqualsIgnoreCase(o.label, text)) return &o;
  }
  return nullptr;
}

const PropertyDefinition* ObjectTypeDefinition::FindProperty(
    absl::string_view property_name) const {
  for (const PropertyDefinition& p : properties) {
    if (p.name == property_name) return &p;
  }
  return nullptr;
}

const std::vector<ObjectTypeDefinition>& DefaultObjectTypes() {
  static const auto* const kTypes = new std::vector<ObjectTypeDefinition>{
      Contacts(), Companies(), Deals(), Tickets()};
  return *kTypes;
}

const ObjectTypeDefinition* FindObjectType(absl::string_view id_or_name) {
  for (const ObjectTypeDefinition& t : DefaultObjectTypes()) {
    if (t.object_type_id == id_or_name || t.name == id_or_name) return &t;
  }
  return nullptr;
}

}  // namespace hubspot_emulator

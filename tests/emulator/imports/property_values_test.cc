#include "emulator/imports/property_values.h"

#include <optional>
#include <string>

#include "emulator/imports/crm_schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

const PropertyDefinition& Prop(const char* type_id, const char* name) {
  const PropertyDefinition* p = FindObjectType(type_id)->FindProperty(name);
  EXPECT_NE(p, nullptr) << type_id << " " << name;
  return *p;
}

TEST(DateOrderTest, NamesRoundTrip) {
  for (const char* name :
       {"MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY"}) {
    std::optional<DateOrder> order = DateOrderFromName(name);
    ASSERT_TRUE(order.has_value()) << name;
    EXPECT_STREQ(DateOrderName(*order), name);
  }
  EXPECT_FALSE(DateOrderFromName("month_day_year").has_value());
  EXPECT_FALSE(DateOrderFromName("").has_value());
}

TEST(NormalizeEmailTest, AcceptsAndLowerCases) {
  EXPECT_THAT(NormalizeEmail("Alice@Example.COM"),
              Optional(std::string("alice@example.com")));
  EXPECT_THAT(NormalizeEmail("first.last+tag@mail.example.co.uk"),
              Optional(std::string("first.last+tag@mail.example.co.uk")));
  EXPECT_THAT(NormalizeEmail("o'brien@example.ie"),
              Optional(std::string("o'brien@example.ie")));
}

TEST(NormalizeEmailTest, RefusesMalformedAddresses) {
  for (const char* bad :
       {"foo@", "@example.com", "foo", "foo@bar", "foo@bar.c", "a b@c.com",
        "a@b@c.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@-b.com",
        "a@b-.com", "a@b..com", "a@b.c0m", "\"quoted\"@example.com",
        "ünï@example.com", "a@exa_mple.com"}) {
    EXPECT_FALSE(NormalizeEmail(bad).has_value()) << bad;
  }
  EXPECT_FALSE(NormalizeEmail(std::string(65, 'a') + "@example.com"));
  EXPECT_FALSE(
      NormalizeEmail("a@" + std::string(250, 'b') + ".com").has_value());
}

TEST(NormalizeDomainTest, StripsSchemeWwwPathAndPort) {
  EXPECT_THAT(NormalizeDomain("Example.com"),
              Optional(std::string("example.com")));
  EXPECT_THAT(NormalizeDomain("https://www.Example.com/about?x=1"),
              Optional(std::string("example.com")));
  EXPECT_THAT(NormalizeDomain("http://shop.example.org:8080/"),
              Optional(std::string("shop.example.org")));
  EXPECT_THAT(NormalizeDomain("example.com."),
              Optional(std::string("example.com")));
}

TEST(NormalizeDomainTest, RefusesNonDomains) {
  for (const char* bad :
       {"localhost", "not a domain", "example", "exa mple.com", "a@b.com",
        "example.com:http", "https://", "-a.com"}) {
    EXPECT_FALSE(NormalizeDomain(bad).has_value()) << bad;
  }
}

TEST(NormalizeNumberTest, AcceptsDecimalNotation) {
  EXPECT_THAT(NormalizeNumber("42"), Optional(std::string("42")));
  EXPECT_THAT(NormalizeNumber("-3.5"), Optional(std::string("-3.5")));
  EXPECT_THAT(NormalizeNumber("+7"), Optional(std::string("7")));
  EXPECT_THAT(NormalizeNumber(".5"), Optional(std::string(".5")));
  EXPECT_THAT(NormalizeNumber("5."), Optional(std::string("5.")));
  EXPECT_THAT(NormalizeNumber("1e6"), Optional(std::string("1e6")));
  EXPECT_THAT(NormalizeNumber("2.5E-3"), Optional(std::string("2.5E-3")));
}

TEST(NormalizeNumberTest, RefusesEverythingElse) {
  for (const char* bad :
       {"", "abc", "1,000", "$5", "5$", "1.2.3", "--1", "+", ".", "1e", "1e+",
        "0x10", "inf", "nan", "1 000", "12abc"}) {
    EXPECT_FALSE(NormalizeNumber(bad).has_value()) << bad;
  }
}

TEST(NormalizeDateTest, FollowsTheDateOrder) {
  EXPECT_THAT(NormalizeDate("01/31/2024", DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-31")));
  EXPECT_THAT(NormalizeDate("1/5/2024", DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-05")));
  EXPECT_THAT(NormalizeDate("31/01/2024", DateOrder::kDayMonthYear),
              Optional(std::string("2024-01-31")));
  EXPECT_THAT(NormalizeDate("31.01.2024", DateOrder::kDayMonthYear),
              Optional(std::string("2024-01-31")));
  EXPECT_THAT(NormalizeDate("2024-01-31", DateOrder::kYearMonthDay),
              Optional(std::string("2024-01-31")));
  EXPECT_THAT(NormalizeDate("2024/1/31", DateOrder::kYearMonthDay),
              Optional(std::string("2024-01-31")));
}

TEST(NormalizeDateTest, RefusesDatesOfAnotherOrderOrInvalid) {
  EXPECT_FALSE(NormalizeDate("31/01/2024", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("2024-01-31", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("01/31/2024", DateOrder::kDayMonthYear));
  EXPECT_FALSE(NormalizeDate("01/31/2024", DateOrder::kYearMonthDay));
  EXPECT_FALSE(NormalizeDate("02/30/2024", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("02/29/2023", DateOrder::kMonthDayYear));
  EXPECT_TRUE(NormalizeDate("02/29/2024", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("02/29/1900", DateOrder::kMonthDayYear));
  EXPECT_TRUE(NormalizeDate("02/29/2000", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("13/01/2024", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("01/31/24", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("01/31-2024", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("tomorrow", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("01/31/2024 10:00", DateOrder::kMonthDayYear));
  EXPECT_FALSE(NormalizeDate("", DateOrder::kMonthDayYear));
}

TEST(NormalizeDateTimeTest, DateWithOptionalTime) {
  EXPECT_THAT(NormalizeDateTime("01/31/2024", DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-31T00:00:00.000Z")));
  EXPECT_THAT(NormalizeDateTime("01/31/2024 13:45", DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-31T13:45:00.000Z")));
  EXPECT_THAT(
      NormalizeDateTime("31/01/2024 13:45:30", DateOrder::kDayMonthYear),
      Optional(std::string("2024-01-31T13:45:30.000Z")));
  EXPECT_THAT(NormalizeDateTime("01/31/2024 1:05 PM", DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-31T13:05:00.000Z")));
  EXPECT_THAT(
      NormalizeDateTime("01/31/2024 12:05 am", DateOrder::kMonthDayYear),
      Optional(std::string("2024-01-31T00:05:00.000Z")));
}

TEST(NormalizeDateTimeTest, IsoAndUnixMillisWhateverTheOrder) {
  EXPECT_THAT(
      NormalizeDateTime("2024-01-31T13:45:00Z", DateOrder::kDayMonthYear),
      Optional(std::string("2024-01-31T13:45:00.000Z")));
  EXPECT_THAT(NormalizeDateTime("2024-01-31T13:45:00.250+02:00",
                                DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-31T11:45:00.250Z")));
  EXPECT_THAT(
      NormalizeDateTime("2024-01-31T23:30:00-0100", DateOrder::kMonthDayYear),
      Optional(std::string("2024-02-01T00:30:00.000Z")));
  EXPECT_THAT(NormalizeDateTime("1706708700000", DateOrder::kMonthDayYear),
              Optional(std::string("2024-01-31T13:45:00.000Z")));
}

TEST(NormalizeDateTimeTest, RefusesMalformedTimes) {
  for (const char* bad :
       {"01/31/2024 25:00", "01/31/2024 10:60", "01/31/2024 13:00 PM",
        "01/31/2024 10", "01/31/2024 10:00 tomorrow", "2024-01-31T", "20240131",
        "31/01/2024", "2024-13-01T00:00:00Z", "2024-01-31T10:00:00+25:00"}) {
    EXPECT_FALSE(NormalizeDateTime(bad, DateOrder::kMonthDayYear).has_value())
        << bad;
  }
}

TEST(NormalizeBoolTest, Spellings) {
  for (const char* yes : {"true", "TRUE", "Yes", "1"}) {
    EXPECT_THAT(NormalizeBool(yes), Optional(std::string("true"))) << yes;
  }
  for (const char* no : {"false", "No", "0"}) {
    EXPECT_THAT(NormalizeBool(no), Optional(std::string("false"))) << no;
  }
  EXPECT_FALSE(NormalizeBool("maybe"));
  EXPECT_FALSE(NormalizeBool("2"));
}

TEST(NormalizePhoneTest, KeepsPlausibleNumbersAsTyped) {
  for (const char* ok : {"+1 (555) 010-0199", "555.0100", "+44 20 7946 0958",
                         "555-0100 ext. 12", "555-0100 x12", "555 0100 #7"}) {
    EXPECT_THAT(NormalizePhone(ok), Optional(std::string(ok))) << ok;
  }
  for (const char* bad :
       {"call me", "12", "555+0100", "555-0100 ext. twelve", "555-0100 ext"}) {
    EXPECT_FALSE(NormalizePhone(bad).has_value()) << bad;
  }
}

TEST(ParseObjectIdTest, PositiveWholeNumbersOnly) {
  EXPECT_THAT(ParseObjectId("1001"), Optional(int64_t{1001}));
  for (const char* bad :
       {"0", "-5", "1.0", "abc", "", " 7", "99999999999999999999"}) {
    EXPECT_FALSE(ParseObjectId(bad).has_value()) << bad;
  }
}

TEST(NormalizePropertyValueTest, ErrorTypesAndMessages) {
  struct Case {
    const char* type_id;
    const char* property;
    const char* cell;
    const char* error_type;
    const char* message_part;
  };
  const Case cases[] = {
      {"0-1", "email", "foo@", "INVALID_EMAIL",
       "Email address foo@ is invalid"},
      {"0-2", "domain", "not a domain", "INVALID_DOMAIN",
       "Domain not a domain is invalid"},
      {"0-1", "annualrevenue", "lots", "COULD_NOT_PARSE_NUMBER",
       "Could not parse number from lots for property annualrevenue"},
      {"0-1", "annualrevenue", "1e999", "INVALID_NUMBER_SIZE", "too large"},
      {"0-1", "date_of_birth", "31/01/1990", "COULD_NOT_PARSE_DATE",
       "with date format MONTH_DAY_YEAR"},
      {"0-1", "createdate", "yesterday", "COULD_NOT_PARSE_DATE",
       "property createdate"},
      {"0-1", "lifecyclestage", "vip", "INVALID_ENUMERATION_OPTION",
       "vip is not a valid option for property lifecyclestage; valid options: "
       "subscriber, lead,"},
      {"0-2", "is_public", "maybe", "INVALID_ENUMERATION_OPTION",
       "valid options: true, false"},
      {"0-1", "phone", "call me", "FAILED_VALIDATION",
       "Phone number call me is invalid"},
      {"0-3", "hs_object_id", "abc", "INVALID_OBJECT_ID", "Record ID abc"},
  };
  for (const Case& c : cases) {
    PropertyValueResult r = NormalizePropertyValue(
        Prop(c.type_id, c.property), c.cell, DateOrder::kMonthDayYear);
    EXPECT_FALSE(r.ok()) << c.property << " " << c.cell;
    EXPECT_EQ(r.error_type, c.error_type) << c.property << " " << c.cell;
    EXPECT_THAT(r.message, HasSubstr(c.message_part));
  }
}

TEST(NormalizePropertyValueTest, StoredValues) {
  const auto value = [](const char* type_id, const char* property,
                        const char* cell, DateOrder order) {
    PropertyValueResult r =
        NormalizePropertyValue(Prop(type_id, property), cell, order);
    EXPECT_TRUE(r.ok()) << r.message;
    return r.value;
  };
  const DateOrder mdy = DateOrder::kMonthDayYear;
  EXPECT_EQ(value("0-1", "firstname", "Ada  Lovelace", mdy), "Ada  Lovelace");
  EXPECT_EQ(value("0-1", "email", "ADA@Example.com", mdy), "ada@example.com");
  EXPECT_EQ(value("0-1", "lifecyclestage", "Marketing Qualified Lead", mdy),
            "marketingqualifiedlead");
  EXPECT_EQ(value("0-1", "lifecyclestage", "LEAD", mdy), "lead");
  EXPECT_EQ(value("0-5", "hs_ticket_priority", "urgent", mdy), "URGENT");
  EXPECT_EQ(value("0-5", "hs_pipeline_stage", "Waiting on us", mdy), "3");
  EXPECT_EQ(value("0-3", "closedate", "2024-12-01", DateOrder::kYearMonthDay),
            "2024-12-01");
  EXPECT_EQ(value("0-2", "is_public", "yes", mdy), "true");
  EXPECT_EQ(value("0-3", "amount", "+1500.50", mdy), "1500.50");
  EXPECT_EQ(value("0-3", "hs_object_id", "1001", mdy), "1001");
}

TEST(NormalizePropertyValueTest, ValuesOverTheLimitAreTooLarge) {
  const std::string big(kMaxValueBytes + 1, 'x');
  PropertyValueResult r = NormalizePropertyValue(Prop("0-1", "firstname"), big,
                                                 DateOrder::kMonthDayYear);
  EXPECT_EQ(r.error_type, "COLUMN_TOO_LARGE");
  EXPECT_TRUE(NormalizePropertyValue(Prop("0-1", "firstname"),
                                     std::string(kMaxValueBytes, 'x'),
                                     DateOrder::kMonthDayYear)
                  .ok());
}

}  // namespace
}  // namespace hubspot_emulator

#include "emulator/imports/crm_store.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const ObjectTypeDefinition* Contacts() { return FindObjectType("0-1"); }
const ObjectTypeDefinition* Deals() { return FindObjectType("0-3"); }

ObjectWrite Contact(const std::string& email, const std::string& first,
                    WriteMode mode = WriteMode::kUpsert) {
  ObjectWrite w;
  w.type = Contacts();
  w.mode = mode;
  if (!email.empty()) w.values.emplace_back("email", email);
  if (!first.empty()) w.values.emplace_back("firstname", first);
  return w;
}

TEST(CrmStoreTest, UpsertCreatesThenUpdatesByEmail) {
  CrmStore crm;
  WriteResult a = crm.Write(Contact("ada@example.com", "Ada"));
  EXPECT_EQ(a.status, WriteStatus::kCreated);
  EXPECT_GT(a.object_id, 0);
  WriteResult b = crm.Write(Contact("ADA@example.com", "Augusta"));
  EXPECT_EQ(b.status, WriteStatus::kUpdated);
  EXPECT_EQ(b.object_id, a.object_id);
  std::optional<CrmObject> got = crm.Get("0-1", a.object_id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->properties.at("firstname"), "Augusta");
  EXPECT_EQ(crm.Count("0-1"), 1);
  EXPECT_EQ(crm.FindByUniqueValue("0-1", "Ada@Example.com")->id, a.object_id);
}

TEST(CrmStoreTest, UpdateKeepsPropertiesItDoesNotName) {
  CrmStore crm;
  const int64_t id = crm.Write(Contact("a@b.com", "Ada")).object_id;
  ObjectWrite w = Contact("a@b.com", "");
  w.values.emplace_back("city", "London");
  crm.Write(w);
  EXPECT_THAT(crm.Get("0-1", id)->properties,
              ElementsAre(Pair("city", "London"), Pair("email", "a@b.com"),
                          Pair("firstname", "Ada")));
}

TEST(CrmStoreTest, CreateOnlyAndUpdateOnly) {
  CrmStore crm;
  EXPECT_EQ(crm.Write(Contact("a@b.com", "A", WriteMode::kUpdate)).status,
            WriteStatus::kNotFound);
  EXPECT_EQ(crm.Count("0-1"), 0);
  const WriteResult created =
      crm.Write(Contact("a@b.com", "A", WriteMode::kCreate));
  EXPECT_EQ(created.status, WriteStatus::kCreated);
  const WriteResult again =
      crm.Write(Contact("a@b.com", "B", WriteMode::kCreate));
  EXPECT_EQ(again.status, WriteStatus::kAlreadyExists);
  EXPECT_EQ(again.object_id, created.object_id);
  EXPECT_EQ(crm.Get("0-1", created.object_id)->properties.at("firstname"), "A");
  EXPECT_EQ(crm.Write(Contact("a@b.com", "C", WriteMode::kUpdate)).status,
            WriteStatus::kUpdated);
  // Without a key an update cannot find anything; a create always creates.
  EXPECT_EQ(crm.Write(Contact("", "D", WriteMode::kUpdate)).status,
            WriteStatus::kNotFound);
  EXPECT_EQ(crm.Write(Contact("", "E", WriteMode::kCreate)).status,
            WriteStatus::kCreated);
  EXPECT_EQ(crm.Write(Contact("", "E", WriteMode::kUpsert)).status,
            WriteStatus::kCreated);
  EXPECT_EQ(crm.Count("0-1"), 3);
}

TEST(CrmStoreTest, DealsWithoutRecordIdAlwaysCreate) {
  CrmStore crm;
  ObjectWrite w;
  w.type = Deals();
  w.values.emplace_back("dealname", "Big");
  const int64_t first = crm.Write(w).object_id;
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kCreated);
  EXPECT_EQ(crm.Count("0-3"), 2);

  w.object_id = first;
  w.values = {{"amount", "10"}};
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kUpdated);
  EXPECT_EQ(crm.Get("0-3", first)->properties.at("amount"), "10");
  EXPECT_EQ(crm.Get("0-3", first)->properties.at("dealname"), "Big");

  w.mode = WriteMode::kCreate;
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kAlreadyExists);
  w.mode = WriteMode::kUpsert;
  w.object_id = 999999;
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kUnknownObjectId);
  w.mode = WriteMode::kUpdate;
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kNotFound);
  EXPECT_EQ(crm.Count("0-3"), 2);
}

TEST(CrmStoreTest, RecordIdOfAnotherTypeIsUnknown) {
  CrmStore crm;
  const int64_t contact = crm.Write(Contact("a@b.com", "A")).object_id;
  ObjectWrite w;
  w.type = Deals();
  w.object_id = contact;
  w.values.emplace_back("dealname", "x");
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kUnknownObjectId);
}

TEST(CrmStoreTest, RecordIdTakesPrecedenceAndMayChangeTheEmail) {
  CrmStore crm;
  const int64_t ada = crm.Write(Contact("ada@example.com", "Ada")).object_id;
  const int64_t bob = crm.Write(Contact("bob@example.com", "Bob")).object_id;
  ObjectWrite w = Contact("ada2@example.com", "");
  w.object_id = ada;
  EXPECT_EQ(crm.Write(w).status, WriteStatus::kUpdated);
  EXPECT_FALSE(crm.FindByUniqueValue("0-1", "ada@example.com").has_value());
  EXPECT_EQ(crm.FindByUniqueValue("0-1", "ada2@example.com")->id, ada);
  // Taking another contact's email is refused.
  w = Contact("bob@example.com", "Imposter");
  w.object_id = ada;
  const WriteResult r = crm.Write(w);
  EXPECT_EQ(r.status, WriteStatus::kDuplicateKey);
  EXPECT_EQ(crm.Get("0-1", ada)->properties.at("firstname"), "Ada");
  EXPECT_EQ(crm.FindByUniqueValue("0-1", "bob@example.com")->id, bob);
}

TEST(CrmStoreTest, LimitPerType) {
  CrmLimits limits;
  limits.max_objects_per_type = 2;
  CrmStore crm(limits);
  EXPECT_EQ(crm.Write(Contact("a@b.com", "")).status, WriteStatus::kCreated);
  EXPECT_EQ(crm.Write(Contact("b@b.com", "")).status, WriteStatus::kCreated);
  EXPECT_EQ(crm.Write(Contact("c@b.com", "")).status,
            WriteStatus::kLimitExceeded);
  // Updates still work.
  EXPECT_EQ(crm.Write(Contact("a@b.com", "A")).status, WriteStatus::kUpdated);
  ObjectWrite deal;
  deal.type = Deals();
  deal.values.emplace_back("dealname", "d");
  EXPECT_EQ(crm.Write(deal).status, WriteStatus::kCreated);
}

TEST(CrmStoreTest, ListAndClear) {
  CrmStore crm;
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(
        crm.Write(Contact(absl::StrCat("p", i, "@x.com"), "")).object_id);
  }
  std::vector<CrmObject> page = crm.List("0-1", ids[1], 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, ids[2]);
  EXPECT_EQ(page[1].id, ids[3]);
  EXPECT_TRUE(crm.List("0-5", 0, 10).empty());
  crm.Clear();
  EXPECT_EQ(crm.Count("0-1"), 0);
  EXPECT_FALSE(crm.FindByUniqueValue("0-1", "p0@x.com").has_value());
  // Ids are not reused.
  EXPECT_GT(crm.Write(Contact("p0@x.com", "")).object_id, ids.back());
}

TEST(CrmStoreTest, ConcurrentUpsertsOfTheSameEmailMakeOneContact) {
  CrmStore crm;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&crm, t] {
      for (int i = 0; i < 200; ++i) {
        crm.Write(
            Contact(absl::StrCat("shared", i, "@x.com"), absl::StrCat(t)));
        crm.Write(Contact(absl::StrCat("own", t, "-", i, "@x.com"), ""));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(crm.Count("0-1"), 200 + 8 * 200);
}

}  // namespace
}  // namespace hubspot_emulator

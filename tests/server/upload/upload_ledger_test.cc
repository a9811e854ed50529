#include "server/upload/upload_ledger.h"

#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

class UploadLedgerTest : public ::testing::Test {
 protected:
  FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  UploadLedger ledger_{&clock_, absl::Hours(1), 3};
};

TEST(UploadSignatureTest, NamesAndFilesCannotBeConfused) {
  EXPECT_EQ(UploadSignature("a", {"b.csv"}), UploadSignature("a", {"b.csv"}));
  EXPECT_NE(UploadSignature("a", {"b.csv"}), UploadSignature("a", {"c.csv"}));
  EXPECT_NE(UploadSignature("a|1:b", {}), UploadSignature("a", {"b"}));
  EXPECT_NE(UploadSignature("a", {"b", "c"}), UploadSignature("a", {"c", "b"}));
}

TEST_F(UploadLedgerTest, AloneUntilAnotherLookAlikeIsInFlight) {
  UploadLedger::Entry mine = ledger_.Enter("s");
  UploadLedger::Entry other_kind = ledger_.Enter("t");
  EXPECT_EQ(ledger_.Others(mine), 0);
  {
    UploadLedger::Entry twin = ledger_.Enter("s");
    EXPECT_EQ(ledger_.Others(mine), 1);
  }
  EXPECT_EQ(ledger_.Others(mine), 0) << "the twin's entry left with it";
}

TEST_F(UploadLedgerTest, MovedEntryLeavesOnce) {
  UploadLedger::Entry mine = ledger_.Enter("s");
  UploadLedger::Entry twin = ledger_.Enter("s");
  UploadLedger::Entry moved = std::move(twin);
  EXPECT_EQ(ledger_.Others(mine), 1);
  moved = UploadLedger::Entry();
  EXPECT_EQ(ledger_.Others(mine), 0);
}

// An upload that ended without knowing its import may own a look-alike
// import, until the ledger's memory passes.
TEST_F(UploadLedgerTest, UnresolvedLookAlikesCountForTheirMemory) {
  UploadLedger::Entry mine = ledger_.Enter("s");
  {
    UploadLedger::Entry gone = ledger_.Enter("s");
    ledger_.EndedUnresolved(gone);
  }
  EXPECT_EQ(ledger_.Others(mine), 1);
  clock_.Advance(absl::Hours(2));
  ledger_.Answered(1);  // any write forgets what is past its memory
  EXPECT_EQ(ledger_.Others(mine), 0);
}

TEST_F(UploadLedgerTest, AnsweredImportsAreRememberedBoundedly) {
  for (int64_t id = 1; id <= 4; ++id) ledger_.Answered(id);
  EXPECT_FALSE(ledger_.WasAnswered(1)) << "at most 3 are kept";
  EXPECT_TRUE(ledger_.WasAnswered(4));
  clock_.Advance(absl::Hours(2));
  ledger_.Answered(5);
  EXPECT_FALSE(ledger_.WasAnswered(4));
  EXPECT_TRUE(ledger_.WasAnswered(5));
}

}  // namespace
}  // namespace hubspot_gateway

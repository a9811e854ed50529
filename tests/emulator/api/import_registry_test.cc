#include "emulator/api/import_registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

class ImportRegistryTest : public ::testing::Test {
 protected:
  ImportRecord Record(bool failed = false) {
    ImportRecord r;
    r.name = "test";
    r.outcome.failed = failed;
    for (int i = 0; i < 10; ++i) r.outcome.errors.push_back(RowError());
    return r;
  }

  hubspot_gateway::FakeClock clock_;
  ImportRegistry registry_{&clock_, {absl::Seconds(1), absl::Seconds(4)}, 100};
};

TEST_F(ImportRegistryTest, StatesFollowTheTimeline) {
  const ImportView added = registry_.Add(Record());
  const int64_t id = added.record->id;
  EXPECT_EQ(added.State(), ImportState::kStarted);
  EXPECT_EQ(added.Progress(), 0);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(registry_.Get(id)->State(), ImportState::kProcessing);
  clock_.Advance(absl::Seconds(2));
  EXPECT_DOUBLE_EQ(registry_.Get(id)->Progress(), 0.5);
  EXPECT_EQ(registry_.Get(id)->UpdatedAt(),
            added.record->created_at + absl::Seconds(1));
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(registry_.Get(id)->State(), ImportState::kDone);
  EXPECT_EQ(registry_.Get(id)->Progress(), 1);
  EXPECT_EQ(registry_.Get(id)->UpdatedAt(),
            added.record->created_at + absl::Seconds(5));
}

TEST_F(ImportRegistryTest, FailedImportEndsFailed) {
  const int64_t id = registry_.Add(Record(/*failed=*/true)).record->id;
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(registry_.Get(id)->State(), ImportState::kFailed);
}

TEST_F(ImportRegistryTest, OnlyActiveImportsCanBeCanceled) {
  const int64_t id = registry_.Add(Record()).record->id;
  clock_.Advance(absl::Seconds(2));
  ImportState state;
  EXPECT_EQ(registry_.Cancel(id, &state),
            ImportRegistry::CancelResult::kCanceled);
  const absl::Time canceled_at = clock_.Now();
  clock_.Advance(absl::Seconds(10));
  const ImportView view = *registry_.Get(id);
  EXPECT_EQ(view.State(), ImportState::kCanceled);
  EXPECT_EQ(view.UpdatedAt(), canceled_at);
  // Processing stopped a quarter of the way through.
  EXPECT_DOUBLE_EQ(view.Progress(), 0.25);
  EXPECT_EQ(registry_.Cancel(id, &state),
            ImportRegistry::CancelResult::kNotActive);
  EXPECT_EQ(state, ImportState::kCanceled);

  const int64_t done = registry_.Add(Record()).record->id;
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(registry_.Cancel(done, &state),
            ImportRegistry::CancelResult::kNotActive);
  EXPECT_EQ(state, ImportState::kDone);
  EXPECT_EQ(registry_.Cancel(12345, &state),
            ImportRegistry::CancelResult::kNotFound);
}

TEST_F(ImportRegistryTest, ActiveListsRunningImportsBetweenCursors) {
  const int64_t old = registry_.Add(Record()).record->id;
  clock_.Advance(absl::Seconds(10));  // `old` is DONE
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(registry_.Add(Record()).record->id);
  auto active = registry_.Active(0, std::numeric_limits<int64_t>::max());
  ASSERT_EQ(active.size(), 4u);
  EXPECT_EQ(active[0].record->id, ids[0]);
  EXPECT_GT(ids[0], old);
  active = registry_.Active(ids[1], ids[3]);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].record->id, ids[2]);
}

TEST_F(ImportRegistryTest, EvictsOldestFinishedImportsBeyondTheLimit) {
  ImportRegistry small(&clock_, {absl::Seconds(1), absl::Seconds(1)}, 2);
  const int64_t first = small.Add(Record()).record->id;
  const int64_t second = small.Add(Record()).record->id;
  // Both still active: nothing to evict, the limit is exceeded for now.
  const int64_t third = small.Add(Record()).record->id;
  EXPECT_EQ(small.size(), 3u);
  clock_.Advance(absl::Seconds(5));
  const int64_t fourth = small.Add(Record()).record->id;
  EXPECT_EQ(small.size(), 2u);
  EXPECT_FALSE(small.Get(first).has_value());
  EXPECT_FALSE(small.Get(second).has_value());
  EXPECT_TRUE(small.Get(third).has_value());
  EXPECT_TRUE(small.Get(fourth).has_value());
}

TEST_F(ImportRegistryTest, AllListsEveryStateAndCountsEvictions) {
  ImportRegistry small(&clock_, {absl::Seconds(1), absl::Seconds(1)}, 2);
  const int64_t first = small.Add(Record()).record->id;
  clock_.Advance(absl::Seconds(5));
  const int64_t second = small.Add(Record(/*failed=*/true)).record->id;
  ImportState state;
  const int64_t third = small.Add(Record()).record->id;
  ASSERT_EQ(small.Cancel(third, &state),
            ImportRegistry::CancelResult::kCanceled);
  // `first` is DONE and the oldest: gone to make room.
  ImportRegistry::Listing listing = small.All();
  EXPECT_EQ(listing.evicted, 1);
  ASSERT_EQ(listing.imports.size(), 2u);
  EXPECT_EQ(listing.imports[0].record->id, second);
  EXPECT_EQ(listing.imports[1].record->id, third);
  EXPECT_EQ(listing.imports[1].State(), ImportState::kCanceled);
  EXPECT_NE(first, second);
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(small.All().imports[0].State(), ImportState::kFailed);
}

TEST_F(ImportRegistryTest, IdsAreDistinct) {
  EXPECT_NE(registry_.NewFileId(), registry_.NewFileId());
  EXPECT_NE(registry_.NewListId(), registry_.NewListId());
}

}  // namespace
}  // namespace hubspot_emulator

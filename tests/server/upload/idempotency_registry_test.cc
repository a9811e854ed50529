#include "server/upload/idempotency_registry.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"

namespace hubspot_gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kWindow = absl::Hours(24);

// What one AwaitResult call got, if anything yet.
struct Outcome {
  int calls = 0;
  std::optional<absl::StatusOr<std::string>> result;

  bool done() const { return calls > 0; }
  absl::StatusCode code() const {
    return result.has_value() ? result->status().code()
                              : absl::StatusCode::kUnknown;
  }
  std::string message() const {
    return result.has_value() ? std::string(result->status().message()) : "";
  }
};

class IdempotencyRegistryTest : public ::testing::Test {
 protected:
  IdempotencyRegistry& registry() {
    if (registry_ == nullptr) {
      registry_ =
          std::make_unique<IdempotencyRegistry>(kWindow, max_keys_, &clock_);
    }
    return *registry_;
  }

  std::shared_ptr<Outcome> Await(const std::string& key,
                                 const std::string& fingerprint) {
    auto outcome = std::make_shared<Outcome>();
    registry().AwaitResult(key, fingerprint,
                           [outcome](absl::StatusOr<std::string> r) {
                             ++outcome->calls;
                             outcome->result = std::move(r);
                           });
    return outcome;
  }

  // An owner that ran to the end and created `import`.
  void Created(const std::string& key, const std::string& fingerprint,
               const std::string& import) {
    ASSERT_TRUE(registry().Claim(key));
    registry().SetFingerprint(key, fingerprint);
    registry().Complete(key, import);
  }

  size_t max_keys_ = 1000;
  FakeClock clock_;
  std::unique_ptr<IdempotencyRegistry> registry_;
};

// --- Claim -------------------------------------------------------------------

TEST_F(IdempotencyRegistryTest, FirstClaimOwnsTheKeyAndRepeatsDoNot) {
  EXPECT_TRUE(registry().Claim("k"));
  EXPECT_FALSE(registry().Claim("k"));
  EXPECT_FALSE(registry().Claim("k"));
  EXPECT_TRUE(registry().Claim("other"));
}

TEST_F(IdempotencyRegistryTest, CreatedKeyCannotBeClaimedAgain) {
  Created("k", "fp", "import-1");
  EXPECT_FALSE(registry().Claim("k"));
}

// --- Answers to repeats ------------------------------------------------------

TEST_F(IdempotencyRegistryTest, RepeatAfterCreationGetsTheImportInline) {
  Created("k", "fp", "import-1");
  auto outcome = Await("k", "fp");
  ASSERT_TRUE(outcome->done());
  ASSERT_TRUE(outcome->result->ok()) << outcome->result->status();
  EXPECT_EQ(**outcome->result, "import-1");
}

TEST_F(IdempotencyRegistryTest, RepeatWhileOwnerRunsWaitsForTheImport) {
  ASSERT_TRUE(registry().Claim("k"));
  auto early = Await("k", "fp");  // Before the owner's content is verified.
  EXPECT_FALSE(early->done());
  registry().SetFingerprint("k", "fp");
  auto late = Await("k", "fp");  // Verified, not yet created.
  EXPECT_FALSE(early->done());
  EXPECT_FALSE(late->done());

  registry().Complete("k", "import-1");
  for (const auto& outcome : {early, late}) {
    ASSERT_EQ(outcome->calls, 1);
    ASSERT_TRUE(outcome->result->ok());
    EXPECT_EQ(**outcome->result, "import-1");
  }
}

// Different content under the same key is a client mistake, known as soon as
// both fingerprints are: there is no need to wait for the owner's outcome.
TEST_F(IdempotencyRegistryTest, DifferentContentIsRefusedWithoutWaiting) {
  ASSERT_TRUE(registry().Claim("k"));
  auto before = Await("k", "other");
  EXPECT_FALSE(before->done());
  registry().SetFingerprint("k", "fp");
  EXPECT_EQ(before->code(), absl::StatusCode::kAlreadyExists);

  auto after = Await("k", "other");
  EXPECT_EQ(after->code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(after->message(), HasSubstr("start.idempotency_key"));
}

TEST_F(IdempotencyRegistryTest, DifferentContentAfterCreationIsRefused) {
  Created("k", "fp", "import-1");
  auto outcome = Await("k", "other");
  ASSERT_TRUE(outcome->done());
  EXPECT_EQ(outcome->code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(IdempotencyRegistryTest, MatchingAndDifferentRepeatsAreToldApart) {
  ASSERT_TRUE(registry().Claim("k"));
  auto same = Await("k", "fp");
  auto different = Await("k", "other");
  registry().SetFingerprint("k", "fp");
  EXPECT_FALSE(same->done());
  EXPECT_EQ(different->code(), absl::StatusCode::kAlreadyExists);
  registry().Complete("k", "import-1");
  ASSERT_TRUE(same->done());
  EXPECT_EQ(**same->result, "import-1");
  EXPECT_EQ(different->calls, 1);
}

// --- Abandon -----------------------------------------------------------------

TEST_F(IdempotencyRegistryTest, AbandonFailsWaitersAndFreesTheKey) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().SetFingerprint("k", "fp");
  auto waiting = Await("k", "fp");
  registry().Abandon("k", absl::InvalidArgumentError("HubSpot said no"));

  ASSERT_EQ(waiting->calls, 1);
  EXPECT_EQ(waiting->code(), absl::StatusCode::kAborted);
  EXPECT_THAT(waiting->message(), HasSubstr("HubSpot said no"));
  EXPECT_THAT(waiting->message(), HasSubstr("no import was created"));
  EXPECT_TRUE(registry().Claim("k")) << "a retry must run anew";
}

TEST_F(IdempotencyRegistryTest, AbandonFailsWaitersBeforeTheFingerprintToo) {
  ASSERT_TRUE(registry().Claim("k"));
  auto waiting = Await("k", "fp");
  registry().Abandon("k", absl::CancelledError("client went away"));
  EXPECT_EQ(waiting->code(), absl::StatusCode::kAborted);
}

// The repeat's stream ended after the owner gave up: nothing to wait for.
TEST_F(IdempotencyRegistryTest, RepeatOfAnAbandonedKeyIsAborted) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().Abandon("k", absl::UnavailableError("reset"));
  auto outcome = Await("k", "fp");
  ASSERT_TRUE(outcome->done());
  EXPECT_EQ(outcome->code(), absl::StatusCode::kAborted);
}

TEST_F(IdempotencyRegistryTest, AbandonedKeyClaimedAgainCanBeCreated) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().Abandon("k", absl::UnavailableError("reset"));
  Created("k", "fp", "import-2");
  auto outcome = Await("k", "fp");
  ASSERT_TRUE(outcome->result->ok());
  EXPECT_EQ(**outcome->result, "import-2");
}

// --- MarkUnknown -------------------------------------------------------------

TEST_F(IdempotencyRegistryTest, UnknownOutcomeFailsWaitersAndLaterRepeats) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().SetFingerprint("k", "fp");
  auto waiting = Await("k", "fp");
  registry().MarkUnknown("k", absl::DeadlineExceededError("no answer"));

  ASSERT_EQ(waiting->calls, 1);
  EXPECT_EQ(waiting->code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(waiting->message(), HasSubstr("no answer"));
  EXPECT_THAT(waiting->message(), HasSubstr("ListImports"));

  // HubSpot may have the import: a repeat must not upload it a second time.
  EXPECT_FALSE(registry().Claim("k"));
  auto later = Await("k", "fp");
  EXPECT_EQ(later->code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(IdempotencyRegistryTest, UnknownOutcomeStillRefusesDifferentContent) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().SetFingerprint("k", "fp");
  registry().MarkUnknown("k", absl::UnavailableError("reset"));
  EXPECT_EQ(Await("k", "other")->code(), absl::StatusCode::kAlreadyExists);
}

// --- Calls for keys nobody holds -----------------------------------------------

TEST_F(IdempotencyRegistryTest, OwnerCallsForUnknownKeysAreIgnored) {
  registry().SetFingerprint("ghost", "fp");
  registry().Complete("ghost", "import-1");
  registry().MarkUnknown("ghost", absl::UnavailableError("x"));
  registry().Abandon("ghost", absl::UnavailableError("x"));
  EXPECT_TRUE(registry().Claim("ghost"));
}

// --- The window --------------------------------------------------------------

TEST_F(IdempotencyRegistryTest, CreatedImportIsRememberedForTheWindow) {
  Created("k", "fp", "import-1");
  clock_.Advance(kWindow - absl::Seconds(1));
  EXPECT_FALSE(registry().Claim("k"));
  auto outcome = Await("k", "fp");
  ASSERT_TRUE(outcome->result->ok());
  EXPECT_EQ(**outcome->result, "import-1");

  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(registry().Claim("k")) << "the window has passed";
}

TEST_F(IdempotencyRegistryTest, UnknownOutcomeIsRememberedForTheWindow) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().SetFingerprint("k", "fp");
  registry().MarkUnknown("k", absl::UnavailableError("reset"));
  clock_.Advance(kWindow - absl::Nanoseconds(1));
  EXPECT_FALSE(registry().Claim("k"));
  registry().ReleaseRepeat("k");  // a repeat Claim pins the key until then
  clock_.Advance(absl::Nanoseconds(1));
  EXPECT_TRUE(registry().Claim("k"));
}

// A slow upload must not lose its key while it runs, and its window starts
// when the import is created, not when the upload began.
TEST_F(IdempotencyRegistryTest, WindowStartsWhenTheOwnerSettles) {
  ASSERT_TRUE(registry().Claim("k"));
  clock_.Advance(kWindow * 3);
  EXPECT_FALSE(registry().Claim("k")) << "a running key never expires";
  registry().ReleaseRepeat("k");
  registry().SetFingerprint("k", "fp");
  registry().Complete("k", "import-1");
  clock_.Advance(kWindow - absl::Seconds(1));
  EXPECT_FALSE(registry().Claim("k"));
  registry().ReleaseRepeat("k");
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(registry().Claim("k"));
}

TEST_F(IdempotencyRegistryTest, EachKeyHasItsOwnWindow) {
  Created("a", "fp", "import-a");
  clock_.Advance(absl::Hours(12));
  Created("b", "fp", "import-b");
  clock_.Advance(absl::Hours(12));
  EXPECT_TRUE(registry().Claim("a"));
  EXPECT_FALSE(registry().Claim("b"));
  registry().ReleaseRepeat("b");
  clock_.Advance(absl::Hours(12));
  EXPECT_TRUE(registry().Claim("b"));
}

// --- max_keys ----------------------------------------------------------------

TEST_F(IdempotencyRegistryTest, WhenFullTheOldestSettledKeyIsEvicted) {
  max_keys_ = 2;
  Created("a", "fp", "import-a");
  clock_.Advance(absl::Seconds(1));
  Created("b", "fp", "import-b");
  clock_.Advance(absl::Seconds(1));

  EXPECT_TRUE(registry().Claim("c"));
  EXPECT_FALSE(registry().Claim("b")) << "only the oldest had to go";
  EXPECT_EQ(Await("b", "fp")->result->value_or("<error>"), "import-b");
  EXPECT_TRUE(registry().Claim("a")) << "the oldest key was evicted";
}

TEST_F(IdempotencyRegistryTest, UnknownOutcomesAreEvictedLikeCreatedOnes) {
  max_keys_ = 1;
  ASSERT_TRUE(registry().Claim("a"));
  registry().SetFingerprint("a", "fp");
  registry().MarkUnknown("a", absl::UnavailableError("reset"));
  EXPECT_TRUE(registry().Claim("b"));
  EXPECT_TRUE(registry().Claim("a"));
}

// Running uploads are never dropped: their owners still have to settle them.
TEST_F(IdempotencyRegistryTest, RunningKeysAreNotEvicted) {
  max_keys_ = 2;
  ASSERT_TRUE(registry().Claim("a"));
  ASSERT_TRUE(registry().Claim("b"));
  EXPECT_TRUE(registry().Claim("c")) << "running keys may exceed max_keys";
  EXPECT_FALSE(registry().Claim("a"));
  EXPECT_FALSE(registry().Claim("b"));
  EXPECT_FALSE(registry().Claim("c"));

  registry().SetFingerprint("a", "fp");
  registry().Complete("a", "import-a");
  auto outcome = Await("a", "fp");
  ASSERT_TRUE(outcome->result->ok());
  EXPECT_EQ(**outcome->result, "import-a");
}

TEST_F(IdempotencyRegistryTest, EvictionPrefersSettledKeysOverRunningOnes) {
  max_keys_ = 2;
  ASSERT_TRUE(registry().Claim("running"));
  Created("settled", "fp", "import-s");
  EXPECT_TRUE(registry().Claim("new"));
  EXPECT_FALSE(registry().Claim("running"));
  EXPECT_TRUE(registry().Claim("settled"));
}

// Keys settled at the same clock reading (a coarse or stepping clock) must
// still be evicted one at a time: evicting "b" with "a" would let a repeat of
// "b" inside its window start a duplicate import.
TEST_F(IdempotencyRegistryTest,
       EvictionDropsOnlyOneKeyWhenSeveralSettledAtOnce) {
  max_keys_ = 2;
  Created("a", "fp", "import-a");
  Created("b", "fp", "import-b");  // Same instant as "a".
  EXPECT_TRUE(registry().Claim("c"));
  EXPECT_FALSE(registry().Claim("b")) << "one eviction made room for \"c\"";
}

// A repeat that started inside the window keeps the key until it asks for
// the result: told "no import was created", its caller would upload twice.
TEST_F(IdempotencyRegistryTest, RepeatOutlivingTheWindowStillGetsTheImport) {
  Created("k", "fp", "import-1");
  clock_.Advance(kWindow - absl::Minutes(1));
  ASSERT_FALSE(registry().Claim("k"));  // The repeat starts in the window...
  clock_.Advance(absl::Minutes(2));     // ...and its stream ends after it.
  EXPECT_TRUE(registry().Claim("other"));  // Forgetting runs meanwhile.
  auto outcome = Await("k", "fp");
  ASSERT_TRUE(outcome->done());
  ASSERT_TRUE(outcome->result->ok()) << outcome->message();
  EXPECT_EQ(**outcome->result, "import-1");
  // Then the key is gone: a new call owns it.
  EXPECT_TRUE(registry().Claim("k"));
}

TEST_F(IdempotencyRegistryTest, PinnedKeyIsNotEvicted) {
  max_keys_ = 1;
  Created("k", "fp", "import-1");
  ASSERT_FALSE(registry().Claim("k"));  // a repeat streams
  EXPECT_TRUE(registry().Claim("new"));  // no room made by evicting "k"
  auto outcome = Await("k", "fp");
  ASSERT_TRUE(outcome->result.has_value() && outcome->result->ok());
}

TEST_F(IdempotencyRegistryTest, ReleasedRepeatLetsAnExpiredKeyGo) {
  Created("k", "fp", "import-1");
  ASSERT_FALSE(registry().Claim("k"));
  clock_.Advance(kWindow + absl::Minutes(1));
  EXPECT_TRUE(registry().Claim("other"));
  registry().ReleaseRepeat("k");  // the repeat's stream broke
  EXPECT_TRUE(registry().Claim("k"));
}

// --- Concurrency -------------------------------------------------------------

TEST_F(IdempotencyRegistryTest, ConcurrentClaimsHaveOneOwner) {
  constexpr int kThreads = 8;
  IdempotencyRegistry& shared = registry();
  absl::Mutex mu;
  int owners = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      if (shared.Claim("k")) {
        absl::MutexLock lock(&mu);
        ++owners;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(owners, 1);
}

// Waiters are answered after the registry's lock is released: a waiter may
// call back into the registry.
TEST_F(IdempotencyRegistryTest, WaiterMayCallTheRegistryFromItsCallback) {
  ASSERT_TRUE(registry().Claim("k"));
  registry().SetFingerprint("k", "fp");
  bool reentered = false;
  registry().AwaitResult("k", "fp", [&](absl::StatusOr<std::string>) {
    reentered = !registry().Claim("k");
  });
  registry().Complete("k", "import-1");
  EXPECT_TRUE(reentered);
}

}  // namespace
}  // namespace hubspot_gateway

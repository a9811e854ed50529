#include "server/common/log.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::MatchesRegex;

// What Log writes to stderr while `fn` runs.
template <typename Fn>
std::string CaptureStderr(Fn fn) {
  std::fflush(stderr);
  FILE* capture = std::tmpfile();
  const int saved = dup(fileno(stderr));
  dup2(fileno(capture), fileno(stderr));
  fn();
  std::fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  std::string out;
  std::rewind(capture);
  for (int c; (c = std::fgetc(capture)) != EOF;) out += static_cast<char>(c);
  std::fclose(capture);
  return out;
}

class LogTest : public ::testing::Test {
 protected:
  ~LogTest() override {
    SetLogFormat(LogFormat::kJson);
    SetMinLogLevel(LogLevel::kInfo);
  }
};

TEST_F(LogTest, JsonLinesQuoteEverything) {
  const std::string out = CaptureStderr([] {
    Log(LogLevel::kWarning, "hello \"world\"", {{"k", "v\nw"}});
  });
  EXPECT_THAT(out, MatchesRegex(R"(\{"time":"[0-9T:.Z-]+","level":"warning",)"
                                R"("msg":"hello \\"world\\"","k":"v\\nw"\}
)"));
}

TEST_F(LogTest, TextLinesStayOneLine) {
  SetLogFormat(LogFormat::kText);
  const std::string out = CaptureStderr([] {
    Log(LogLevel::kInfo, "rpc",
        {{"method", "GetImport"}, {"error", "two words\nand a line"}});
  });
  EXPECT_THAT(out,
              MatchesRegex(R"([0-9T:.Z-]+ INFO rpc method=GetImport )"
                           R"(error="two words\\nand a line"
)"));
}

TEST_F(LogTest, LevelsBelowTheMinimumAreDropped) {
  SetMinLogLevel(LogLevel::kWarning);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_EQ(CaptureStderr([] { Log(LogLevel::kInfo, "quiet"); }), "");
  EXPECT_NE(CaptureStderr([] { Log(LogLevel::kError, "loud"); }), "");
}

}  // namespace
}  // namespace hubspot_gateway

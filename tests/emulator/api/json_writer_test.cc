#include "emulator/api/json_writer.h"

#include "gtest/gtest.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

TEST(JsonWriterTest, NestsAndSeparates) {
  JsonWriter w;
  w.BeginObject()
      .Field("a", "x\"y")
      .Field("b", int64_t{-3})
      .Key("c")
      .BeginArray()
      .String("1")
      .BeginObject()
      .EndObject()
      .Bool(true)
      .EndArray()
      .Key("d")
      .Raw("{\"e\":null}")
      .EndObject();
  EXPECT_EQ(w.str(),
            R"({"a":"x\"y","b":-3,"c":["1",{},true],"d":{"e":null}})");
  EXPECT_TRUE(hubspot_gateway::ParseJsonObject(w.str()).ok());
}

}  // namespace
}  // namespace hubspot_emulator

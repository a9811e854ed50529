#include "server/http/url.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

TEST(UrlEncodeTest, KeepsUnreservedCharacters) {
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
}

TEST(UrlEncodeTest, EmptyStaysEmpty) { EXPECT_EQ(UrlEncode(""), ""); }

TEST(UrlEncodeTest, EncodesSpaceAsPercent20NotPlus) {
  EXPECT_EQ(UrlEncode("a b"), "a%20b");
}

TEST(UrlEncodeTest, EncodesReservedCharactersWithUpperCaseHex) {
  EXPECT_EQ(UrlEncode("&=+/?#%:@!$'()*,;[]"),
            "%26%3D%2B%2F%3F%23%25%3A%40%21%24%27%28%29%2A%2C%3B%5B%5D");
}

TEST(UrlEncodeTest, EncodesControlAndNulBytes) {
  EXPECT_EQ(UrlEncode(std::string("\0\n\x7f", 3)), "%00%0A%7F");
}

TEST(UrlEncodeTest, EncodesUtf8BytesOneByOne) {
  EXPECT_EQ(UrlEncode("\xC3\xA9"), "%C3%A9");  // é
  EXPECT_EQ(UrlEncode("\xff"), "%FF");
}

TEST(FormEncodeTest, EmptyParamsGiveEmptyString) {
  EXPECT_EQ(FormEncode({}), "");
}

TEST(FormEncodeTest, SingleParam) {
  EXPECT_EQ(FormEncode({{"a", "1"}}), "a=1");
}

TEST(FormEncodeTest, JoinsPairsWithAmpersandInOrder) {
  EXPECT_EQ(FormEncode({{"b", "2"}, {"a", "1"}, {"c", "3"}}), "b=2&a=1&c=3");
}

TEST(FormEncodeTest, EncodesValues) {
  EXPECT_EQ(FormEncode({{"q", "a b&c=d"}}), "q=a%20b%26c%3Dd");
}

TEST(FormEncodeTest, KeepsEmptyValues) {
  EXPECT_EQ(FormEncode({{"a", ""}, {"b", "x"}}), "a=&b=x");
}

TEST(FormEncodeTest, RefreshTokenGrantBody) {
  EXPECT_EQ(FormEncode({{"grant_type", "refresh_token"},
                        {"client_id", "id-1"},
                        {"client_secret", "s/e+c"},
                        {"refresh_token", "r t"}}),
            "grant_type=refresh_token&client_id=id-1&client_secret=s%2Fe%2Bc&"
            "refresh_token=r%20t");
}

}  // namespace
}  // namespace hubspot_gateway

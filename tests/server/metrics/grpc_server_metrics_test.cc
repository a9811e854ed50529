#include "server/metrics/grpc_server_metrics.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

TEST(GrpcMethodLabelsTest, OnlyServedMethodsKeepTheirNames) {
  EXPECT_EQ(GrpcMethodLabels("/hubspot.crm.imports.v1.ImportService/GetImport"),
            std::make_pair(std::string("hubspot.crm.imports.v1.ImportService"),
                           std::string("GetImport")));
  EXPECT_EQ(GrpcMethodLabels("/grpc.health.v1.Health/Check"),
            std::make_pair(std::string("grpc.health.v1.Health"),
                           std::string("Check")));
  for (const char* path : {"/hubspot.crm.imports.v1.ImportService/Drop",
                           "/x.Evil/Label\"Injection", "", "/", "GetImport"}) {
    EXPECT_EQ(GrpcMethodLabels(path),
              std::make_pair(std::string("unknown"), std::string("unknown")))
        << path;
  }
}

}  // namespace
}  // namespace hubspot_gateway

#include "tests/support/uploads.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "tests/support/test_env.h"

namespace hubspot_gateway::testing {

namespace v1 = ::hubspot::crm::imports::v1;

std::string Sha256(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

std::string Hex(absl::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Csv(int rows) {
  std::string csv = "email,firstname\n";
  for (int i = 0; i < rows; ++i) {
    csv += absl::StrCat("person", i, "@example.com,Person ", i, "\n");
  }
  return csv;
}

v1::StartImportRequest Start(const std::vector<std::string>& names,
                             const std::vector<std::string>& contents,
                             bool declare_sizes_and_hashes) {
  v1::StartImportRequest m;
  std::string files;
  for (const std::string& name : names) {
    absl::StrAppend(&files, files.empty() ? "" : ",", R"({"fileName":")", name,
                    R"(","fileFormat":"CSV","fileImportPage":{"hasHeader":true,
                    "columnMappings":[{"columnName":"email","propertyName":"email",
                    "columnObjectTypeId":"0-1"}]}})");
  }
  m.mutable_start()->set_import_request_json(absl::StrCat(
      R"({"name":"contacts upload","dateFormat":"DAY_MONTH_YEAR","files":[)",
      files, "]}"));
  for (size_t i = 0; i < names.size(); ++i) {
    v1::UploadFile* f = m.mutable_start()->add_files();
    f->set_file_name(names[i]);
    if (declare_sizes_and_hashes) {
      f->set_size_bytes(static_cast<int64_t>(contents[i].size()));
      f->set_sha256(Sha256(contents[i]));
    }
  }
  return m;
}

v1::StartImportRequest End() {
  v1::StartImportRequest m;
  m.mutable_end();
  return m;
}

v1::StartImportRequest Chunk(uint32_t file, absl::string_view data) {
  v1::StartImportRequest m;
  m.mutable_chunk()->set_file_index(file);
  m.mutable_chunk()->set_data(std::string(data));
  return m;
}

grpc::Status SendStartImport(v1::ImportService::Stub& stub,
                             const std::vector<v1::StartImportRequest>& messages,
                             v1::Import* import) {
  auto context = ContextWithTimeout(absl::Seconds(60));
  auto writer = stub.StartImport(context.get(), import);
  for (const auto& m : messages) {
    if (!writer->Write(m)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

const google::protobuf::Map<std::string, google::protobuf::Value>&
UploadedFile(const google::protobuf::ListValue& uploads, int upload,
             int file) {
  return uploads.values(upload)
      .struct_value()
      .fields()
      .at("files")
      .list_value()
      .values(file)
      .struct_value()
      .fields();
}

}  // namespace hubspot_gateway::testing

#ifndef HUBSPOT_GATEWAY_UPLOAD_UPLOAD_SPOOL_H_
#define HUBSPOT_GATEWAY_UPLOAD_UPLOAD_SPOOL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/http/body_source.h"
#include "server/metrics/metric_registry.h"
#include "server/upload/import_request.h"
#include "server/upload/multipart.h"

namespace hubspot_gateway {

// The multipart body of one upload while it is being streamed. Framing is
// kept in memory, file bytes in an anonymous spool file (0600, gone when
// closed or when the process dies) so that no file is ever held in memory.
// The caller's side appends; the HTTP loop reads behind it. The closing
// delimiter is readable only after Seal(): until the stream is verified,
// HubSpot cannot receive a complete body.
//
// With a window, the spool file is a ring of that many bytes: the caller's
// side waits for room (WaitForRoom) instead of running ahead of HubSpot,
// disk use is bounded by the window, and rewritten pages stay in the page
// cache (writing fresh pages cost more than the rest of the path, see the
// README's performance notes). The body can be sent again only while no
// byte has been overwritten.
class UploadSpool final : public BodySource {
 public:
  static absl::StatusOr<std::shared_ptr<UploadSpool>> Create(
      const std::string& directory, std::string import_request_json,
      std::vector<UploadFileSpec> files, int64_t window_bytes = 0);
  ~UploadSpool() override;

  // Bytes of every spool's file on disk now, in this process.
  static int64_t BytesOnDiskOfAll();
  // Adds every byte Read hands out (each attempt's) to `counter`, which
  // must outlive the spool.
  void CountReadsIn(Counter* counter) { read_counter_ = counter; }

  // Bytes of the current file; at most Room().
  absl::Status Append(absl::string_view data);
  // Bytes Append may take now without overwriting bytes still to be sent.
  int64_t Room() const;
  // True when Room() >= bytes now. Otherwise false, and `ready` runs once
  // on the HTTP loop's thread when there is room, unless taken back by
  // CancelWait first. One wait at a time.
  bool WaitForRoom(int64_t bytes, absl::AnyInvocable<void()> ready);
  // The pending `ready`, which will then not run; empty when none.
  absl::AnyInvocable<void()> CancelWait();
  // The current file is complete; the next one's part begins.
  void NextFile();
  // Every file arrived whole: the body may end.
  void Seal();
  const MultipartFraming& framing() const { return framing_; }

  size_t Read(char* buffer, size_t n) override;
  int64_t Length() const override { return length_; }
  bool Rewindable() const override;
  bool Rewind() override;
  void SetWaker(absl::AnyInvocable<void()> waker) override;

 private:
  struct Segment {
    std::string memory;  // framing, when not in the file
    bool in_file = false;
    int64_t file_offset = 0;
    int64_t file_length = 0;  // grows while this file arrives
  };

  UploadSpool(int fd, std::string json, std::vector<UploadFileSpec> files,
              int64_t window_bytes);
  void WakeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  size_t ReadLocked(char* buffer, size_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int64_t RoomLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool RewindableLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Where logical file byte `offset` lives in the spool file, and how many
  // bytes from there are contiguous.
  int64_t Position(int64_t offset) const;
  int64_t Contiguous(int64_t offset) const;

  // The file's extent after `spooled` bytes: a ring never grows past its
  // window.
  int64_t ExtentAfter(int64_t spooled) const;

  const int fd_;
  Counter* read_counter_ = nullptr;
  const MultipartFraming framing_;
  const std::vector<UploadFileSpec> files_;
  const int64_t length_;
  const int64_t window_;  // 0: the whole upload is kept

  mutable absl::Mutex mu_;
  std::vector<Segment> segments_ ABSL_GUARDED_BY(mu_);
  size_t current_file_ ABSL_GUARDED_BY(mu_) = 0;
  // File bytes appended / read by the current attempt, all files together.
  int64_t spooled_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t consumed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t room_wanted_ ABSL_GUARDED_BY(mu_) = 0;
  absl::AnyInvocable<void()> room_ready_ ABSL_GUARDED_BY(mu_);
  bool sealed_ ABSL_GUARDED_BY(mu_) = false;
  size_t read_segment_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t read_offset_ ABSL_GUARDED_BY(mu_) = 0;
  bool reader_waiting_ ABSL_GUARDED_BY(mu_) = false;
  absl::AnyInvocable<void()> waker_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_UPLOAD_UPLOAD_SPOOL_H_

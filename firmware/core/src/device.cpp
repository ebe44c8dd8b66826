#include "device.h"

#include <cstring>

#include "civil-time.h"

namespace tw {

Device::Device(Clock& clock, Connection& connection, Random& random, FlashRing& ring, KeyRing& keys, const DeviceSettings& settings)
    : clock_(clock),
      random_(random),
      ring_(ring),
      keys_(keys),
      settings_(settings),
      session_(connection, clock, settings.timeouts),
      endpoints_(settings.backoff),
      schedule_(settings.frame_interval_s) {
  if (settings_.batch_max == 0 || settings_.batch_max > kMaxBatch) settings_.batch_max = kMaxBatch;
}

void Device::on_gps_byte(char c) {
  Fix fix;
  if (gps_.feed(c, fix)) record_fix(fix);
}

void Device::record_fix(const Fix& fix) {
  utc_.sync_from_gps(fix.utc_ms, clock_.monotonic_ms());
  if (ring_.append(fix)) stats_.fixes_recorded++;
  else stats_.flash_errors++;
  watch_braking(fix);
}

void Device::watch_braking(const Fix& fix) {
  const Fix previous = previous_fix_;
  const bool had = have_previous_fix_;
  previous_fix_ = fix;
  have_previous_fix_ = true;
  if (!had || fix.speed_ckmh == kNoU16 || previous.speed_ckmh == kNoU16 || fix.speed_ckmh >= previous.speed_ckmh) return;
  const int64_t dt_ms = fix.utc_ms - previous.utc_ms;
  if (dt_ms <= 0 || dt_ms > 3000) return;
  // Δv [km/h × 100] → m/s: / 360; deceleration × 10 = Δv / 360 / (dt / 1000) × 10.
  const int64_t decel_x10 = int64_t(previous.speed_ckmh - fix.speed_ckmh) * 10000 / (360 * dt_ms);
  const uint64_t now = clock_.monotonic_ms();
  if (decel_x10 >= settings_.harsh_braking_ms2_x10 && (last_braking_trigger_ms_ == 0 || now - last_braking_trigger_ms_ > 10000)) {
    last_braking_trigger_ms_ = now;
    trigger_frame("harsh_braking");
  }
}

void Device::trigger_frame(const char* reason) {
  if (!reason || !reason[0]) return;
  std::strncpy(trigger_, reason, kMaxTriggerLength);
  trigger_[kMaxTriggerLength] = '\0';
}

bool Device::capture_due(uint64_t now) {
  // Without a clock there is no captured_at, and without captured_at a retried frame would be stored twice.
  if (!camera_ || !frames_ || !utc_.known()) return false;
  const bool triggered = trigger_[0] != '\0';
  if (!triggered && !schedule_.routine_due(now)) return false;
  CameraFrame shot;
  if (!camera_->capture(shot)) {
    stats_.camera_failures++;
    if (!triggered) schedule_.routine_taken(now);  // try again at the next slot, not in a tight loop
    trigger_[0] = '\0';
    return false;
  }
  int64_t captured = utc_.now(now);
  if (captured <= last_captured_ms_) captured = last_captured_ms_ + 1;  // the server tells frames apart by it
  last_captured_ms_ = captured;
  if (frames_->push(shot.data, shot.size, captured, trigger_)) stats_.frames_captured++;
  camera_->release(shot);
  if (!triggered) schedule_.routine_taken(now);
  trigger_[0] = '\0';
  return true;
}

Device::Sent Device::send(const char* path, const char* content_type, const Header* extra, int extra_count, const RequestBody& body) {
  const uint64_t now = clock_.monotonic_ms();
  uint64_t wait;
  const int i = endpoints_.pick(now, wait);
  if (i < 0) return Sent::retry;
  if (last_endpoint_ >= 0 && i != last_endpoint_) stats_.failovers++;
  last_endpoint_ = i;
  char used_key[kMaxKeyLength + 1];
  std::strcpy(used_key, keys_.current());
  RequestHead head;
  head.path = path;
  head.key = used_key;
  head.content_type = content_type;
  for (int k = 0; k < extra_count && k < 3; k++) head.extra[head.extra_count++] = extra[k];
  HttpResponse response;
  stats_.requests++;
  const Exchange exchange = session_.perform(i, endpoints_.endpoint(size_t(i)), settings_.user_agent, head, body, response);
  stats_.connections = session_.connections_opened();
  const uint64_t after = clock_.monotonic_ms();
  if (exchange != Exchange::answered) {
    stats_.retries++;
    endpoints_.on_failure(i, after, -1, random_);
    return Sent::retry;
  }
  utc_.sync_from_server(response.date_ms, after);
  const int status = response.status;
  const KeyEvent key_event = keys_.on_answer(used_key, response);
  if (key_event == KeyEvent::rotated) stats_.key_rotations++;
  if (status >= 200 && status < 300) {
    endpoints_.on_success(i);
    schedule_.on_server_interval(response.frame_interval_s);
    schedule_.on_routine_advice(response.routine_interval_s, after);
    refused_until_ms_ = 0;
    last_implausible_ = response.implausible > 0 ? uint32_t(response.implausible) : 0;
    return Sent::stored;
  }
  if (status == 401) {
    if (key_event == KeyEvent::reverted) {
      stats_.key_reverts++;
      return Sent::retry;  // at once, with the key that still works
    }
    refused_until_ms_ = after + settings_.refused_probe_ms;
    return Sent::refused;
  }
  if (status == 408 || status == 429 || status == 404 || status >= 500) {
    stats_.retries++;
    endpoints_.on_failure(i, after, response.retry_after_s, random_);
    return Sent::retry;
  }
  return Sent::rejected;
}

bool Device::send_heartbeat(uint64_t now) {
  HeartbeatInfo info;
  info.firmware_version = settings_.firmware_version;
  info.battery_pct = battery_pct_;
  info.rssi = rssi_;
  info.uptime_s = now / 1000;
  info.queued_items = ring_.pending() + uint32_t(frames_queued());
  const Sent sent = send(kHeartbeatPath, "application/json", nullptr, 0, HeartbeatBody(info));
  // A heartbeat is not worth keeping: whatever the answer, the next one is due a period later.
  if (sent == Sent::stored) stats_.heartbeats++;
  if (sent != Sent::retry) {
    last_heartbeat_ms_ = now;
    heartbeat_sent_ = true;
  }
  return sent != Sent::retry;
}

bool Device::send_fixes(uint64_t now) {
  uint32_t last_seq = 0;
  const size_t count = ring_.peek(batch_, settings_.batch_max, last_seq);
  if (count == 0) return false;
  // Fixes the server would refuse as too old would make it refuse the whole batch: leave them out.
  size_t fresh = 0;
  const int64_t oldest_allowed = utc_.known() ? utc_.now(now) - int64_t(settings_.max_fix_age_days) * 86400000 : INT64_MIN;
  for (size_t k = 0; k < count; k++) {
    if (batch_[k].utc_ms >= oldest_allowed) batch_[fresh++] = batch_[k];
  }
  const uint32_t expired = uint32_t(count - fresh);
  Sent sent = Sent::stored;
  if (fresh > 0) sent = send(kTrackingPath, "application/json", nullptr, 0, FixBatchBody(batch_, fresh));
  if (sent == Sent::retry || sent == Sent::refused) return sent != Sent::retry;
  last_fix_send_ms_ = now;
  if (!ring_.ack(last_seq)) {
    stats_.flash_errors++;
    return true;
  }
  stats_.fixes_expired += expired;
  if (sent == Sent::stored) {
    // The filter applies the server's jump rule a little stricter, so this stays 0; counted so the report can never
    // call stored what the server dropped.
    const uint32_t dropped = fresh > 0 && last_implausible_ < fresh ? last_implausible_ : uint32_t(fresh);
    stats_.fixes_implausible += fresh > 0 ? dropped : 0;
    stats_.fixes_stored += uint32_t(fresh) - (fresh > 0 ? dropped : 0);
  } else {
    stats_.fixes_rejected += uint32_t(fresh);
  }
  return true;
}

bool Device::send_frame() {
  QueuedFrame frame;
  if (!frames_ || !frames_->front(frame)) return false;
  char captured_at[32];
  format_iso8601(frame.captured_ms, captured_at);
  Header extra[2];
  int n = 0;
  if (frame.trigger[0]) extra[n++] = {"X-Frame-Trigger", frame.trigger};
  Sent sent;
  if (settings_.multipart_frames) {
    static const char kHex[] = "0123456789abcdef";
    char boundary[32] = "taxiwatch-";
    for (int k = 0; k < 16; k++) boundary[10 + k] = kHex[random_.next_u32() & 15];
    boundary[26] = '\0';
    char content_type[64] = "multipart/form-data; boundary=";
    std::strcat(content_type, boundary);
    sent = send(kFramePath, content_type, extra, n, MultipartFrameBody(frame, boundary, captured_at));
  } else {
    extra[n++] = {"X-Captured-At", captured_at};
    sent = send(kFramePath, "image/jpeg", extra, n, RawFrameBody(frame));
  }
  if (sent == Sent::retry || sent == Sent::refused) return sent != Sent::retry;
  frames_->pop();
  if (sent == Sent::stored) stats_.frames_stored++;
  else stats_.frames_rejected++;
  return true;
}

uint32_t Device::poll() {
  const uint64_t now = clock_.monotonic_ms();
  session_.close_if_idle();
  if (capture_due(now)) return 0;
  if (!keys_.has_key() || endpoints_.count() == 0) return 1000;
  if (keys_.refused() && now < refused_until_ms_) return uint32_t(refused_until_ms_ - now);
  uint64_t wait = 0;
  if (endpoints_.pick(now, wait) < 0) return wait > 60000 ? 60000 : uint32_t(wait == 0 ? 1 : wait);

  const bool heartbeat_due = !heartbeat_sent_ || now - last_heartbeat_ms_ >= settings_.heartbeat_every_ms;
  const uint32_t pending = ring_.pending();
  const bool fixes_due = pending > 0 && (pending >= settings_.batch_max || now - last_fix_send_ms_ >= settings_.batch_every_ms);
  bool worked = false;
  if (heartbeat_due) worked = send_heartbeat(now);
  else if (fixes_due) worked = send_fixes(now);
  else if (frames_queued() > 0) worked = send_frame();
  else {
    // Nothing due: sleep until the next heartbeat, batch or frame slot, whichever is first.
    uint64_t next = last_heartbeat_ms_ + settings_.heartbeat_every_ms;
    if (pending > 0 && last_fix_send_ms_ + settings_.batch_every_ms < next) next = last_fix_send_ms_ + settings_.batch_every_ms;
    const uint32_t until = next > now ? uint32_t(next - now) : 1;
    return until < 1000 ? until : 1000;  // the GPS and the camera need attention at least every second
  }
  (void)worked;
  return 0;
}

}  // namespace tw

// The virtual device: the firmware core on POSIX sockets and files, driving a recorded track (as NMEA) and a set
// of JPEGs against a real TaxiWatch server. Prints its counters as one JSON line and exits 0 once everything it
// recorded was delivered (3 when the drain time ran out first, 2 on bad arguments).
//
//   virtual-device --state DIR --server URL [--server URL …] --key twd_… --track drive.csv
//                  [--start ISO] [--frames a.jpg,b.jpg] [--frame-count N] [--frame-interval S] [--multipart]
//                  [--provision qr.json] [--seed N] [--real-time] [--drain-limit-s S] [--points FROM:TO]
//                  [--connection-per-request]   (the unit keeps its connection open between requests by default)
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "civil-time.h"
#include "device.h"
#include "file-flash.h"
#include "file-settings.h"
#include "host-ports.h"
#include "posix-connection.h"
#include "provisioning.h"
#include "real-clock.h"
#include "track-nmea.h"

using namespace tw;
using namespace tw::host;

namespace {

struct Options {
  std::string state_dir, key, track, provision_file;
  std::vector<std::string> servers, frames;
  int64_t start_ms = -1;
  size_t from_point = 0, to_point = SIZE_MAX;  // a slice of the track: a later run goes on where an earlier stopped
  size_t frame_count = 0;
  uint32_t frame_interval_s = 60, batch_every_ms = 30000, heartbeat_every_ms = 60000;
  uint64_t seed = 1, drain_limit_s = 7200;
  bool multipart = false, real_time = false, connection_per_request = false;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--state") o.state_dir = value();
    else if (a == "--server") o.servers.push_back(value());
    else if (a == "--key") o.key = value();
    else if (a == "--provision") o.provision_file = value();
    else if (a == "--track") o.track = value();
    else if (a == "--frames") o.frames = split(value(), ',');
    else if (a == "--frame-count") o.frame_count = std::stoul(value());
    else if (a == "--frame-interval") o.frame_interval_s = static_cast<uint32_t>(std::stoul(value()));
    else if (a == "--batch-every-ms") o.batch_every_ms = static_cast<uint32_t>(std::stoul(value()));
    else if (a == "--heartbeat-every-ms") o.heartbeat_every_ms = static_cast<uint32_t>(std::stoul(value()));
    else if (a == "--seed") o.seed = std::stoull(value());
    else if (a == "--drain-limit-s") o.drain_limit_s = std::stoull(value());
    else if (a == "--multipart") o.multipart = true;
    else if (a == "--connection-per-request") o.connection_per_request = true;
    else if (a == "--points") {
      const std::string v = value();
      const size_t colon = v.find(':');
      if (colon == std::string::npos) throw std::runtime_error("--points needs FROM:TO");
      o.from_point = std::stoul(v.substr(0, colon));
      o.to_point = std::stoul(v.substr(colon + 1));
    }
    else if (a == "--real-time") o.real_time = true;
    else if (a == "--start") {
      const std::string v = value();
      if (!parse_iso8601(v.c_str(), v.size(), o.start_ms)) throw std::runtime_error("--start must be ISO-8601 with Z or an offset");
    } else {
      throw std::runtime_error("unknown option " + a);
    }
  }
  if (o.state_dir.empty() || o.track.empty()) throw std::runtime_error("--state and --track are required");
  if (o.frame_count == 0) o.frame_count = o.frames.size();
  return true;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void print_stats(const Device& d, const FlashRing& ring, const KeyRing& keys, bool drained) {
  const DeviceStats& s = d.stats();
  const GpsCounters& g = d.gps().counters();
  std::printf(
      "{\"drained\":%s,\"fixes_recorded\":%u,\"fixes_stored\":%u,\"fixes_implausible\":%u,\"fixes_rejected\":%u,\"fixes_expired\":%u,\"fixes_pending\":%u,"
      "\"fixes_dropped\":%u,\"frames_captured\":%u,\"frames_stored\":%u,\"frames_rejected\":%u,\"frames_queued\":%zu,"
      "\"heartbeats\":%u,\"requests\":%u,\"connections\":%u,\"retries\":%u,\"failovers\":%u,\"key_rotations\":%u,\"key_reverts\":%u,"
      "\"flash_errors\":%u,\"nmea_lines\":%u,\"nmea_bad_checksum\":%u,\"gps_accepted\":%u,\"gps_epochs\":%u,\"key\":\"%s\","
      "\"frame_interval_s\":%u,\"gps_rejected\":{",
      drained ? "true" : "false", s.fixes_recorded, s.fixes_stored, s.fixes_implausible, s.fixes_rejected, s.fixes_expired, ring.pending(), ring.dropped(),
      s.frames_captured, s.frames_stored, s.frames_rejected, d.frames_queued(), s.heartbeats, s.requests, s.connections, s.retries, s.failovers,
      s.key_rotations, s.key_reverts, s.flash_errors, g.lines, g.bad_checksum, g.accepted, g.epochs, keys.current(),
      d.frame_schedule().interval_s());
  for (int v = 1; v < 8; v++) std::printf("%s\"%s\":%u", v > 1 ? "," : "", to_string(static_cast<FixVerdict>(v)), g.rejected[v]);
  std::printf("}}\n");
  std::fflush(stdout);
}

int run(const Options& o) {
  ::mkdir(o.state_dir.c_str(), 0755);
  FileFlash flash(o.state_dir + "/flash.bin", 4096, 48);
  if (!flash.ok()) throw std::runtime_error("cannot open the flash file in " + o.state_dir);
  FlashRing ring(flash);
  if (!ring.mount()) throw std::runtime_error("cannot mount the flash ring");
  FileSettings settings(o.state_dir);
  KeyRing keys(settings);

  std::vector<Endpoint> endpoints;
  std::string key = o.key;
  if (!o.provision_file.empty()) {
    const std::string json = read_file(o.provision_file);
    Provisioning p;
    const ProvisioningError error = parse_provisioning(json.data(), json.size(), p);
    if (error != ProvisioningError::none) throw std::runtime_error(std::string("provisioning JSON refused: ") + to_string(error));
    for (size_t i = 0; i < p.server_count; i++) endpoints.push_back(p.servers[i]);
    key = p.key;
  }
  for (const std::string& url : o.servers) {
    Endpoint e;
    if (!parse_endpoint_url(url.c_str(), url.size(), e)) throw std::runtime_error("bad --server URL " + url);
    endpoints.push_back(e);
  }
  // --provision applies its key as scanning a QR code would; --key only on a fresh unit: later runs go on with the
  // saved key (which a rotation may have replaced).
  const bool loaded = keys.load();
  if (!o.provision_file.empty() || !loaded) {
    if (key.empty() || !keys.provision(key.c_str())) throw std::runtime_error("no usable key: give --key twd_… or --provision");
  }

  const std::vector<TrackPoint> track = load_normalized_track(o.track);
  const int64_t duration = track.back().utc_ms - track.front().utc_ms;
  const int64_t now_utc = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const int64_t start = o.start_ms >= 0 ? o.start_ms : now_utc - duration - 60000;

  VirtualClock virtual_clock;
  RealClock real_clock;
  Clock& clock = o.real_time ? static_cast<Clock&>(real_clock) : virtual_clock;
  PosixConnection connection;
  SeededRandom random(o.seed);
  DeviceSettings ds;
  ds.frame_interval_s = o.frame_interval_s;
  ds.batch_every_ms = o.batch_every_ms;
  ds.heartbeat_every_ms = o.heartbeat_every_ms;
  ds.multipart_frames = o.multipart;
  if (o.connection_per_request) ds.timeouts.keep_alive_idle_ms = 0;
  ds.user_agent = "TaxiWatch-VirtualDevice/0.1.0";
  ds.firmware_version = "0.1.0-host";
  Device device(clock, connection, random, ring, keys, ds);
  for (const Endpoint& e : endpoints) device.add_endpoint(e);
  FileCamera camera(o.frames, o.frame_count);
  constexpr size_t kSlots = 4, kSlotBytes = 512 * 1024;
  std::unique_ptr<uint8_t[]> pool(new uint8_t[kSlots * kSlotBytes]);
  FrameQueue frames(pool.get(), kSlotBytes, kSlots);
  if (!o.frames.empty()) device.attach_camera(&camera, &frames);

  auto run_until = [&](uint64_t target_ms) {
    while (clock.monotonic_ms() < target_ms) {
      const uint32_t wait = device.poll();
      if (wait == 0) continue;
      const uint64_t left = target_ms - clock.monotonic_ms();
      clock.sleep_ms(static_cast<uint32_t>(wait < left ? wait : left));
    }
  };
  const uint64_t t0 = clock.monotonic_ms();
  const size_t first = o.from_point, last = std::min(o.to_point, track.size());
  for (size_t i = first; i < last; i++) {
    run_until(t0 + static_cast<uint64_t>(track[i].utc_ms - track[first].utc_ms));
    const std::string nmea = nmea_for_point(track[i], i ? &track[i - 1] : nullptr, start + (track[i].utc_ms - track.front().utc_ms));
    for (char c : nmea) device.on_gps_byte(c);
  }
  const uint64_t deadline = clock.monotonic_ms() + o.drain_limit_s * 1000;
  while (clock.monotonic_ms() < deadline && (ring.pending() > 0 || device.frames_queued() > 0)) {
    const uint32_t wait = device.poll();
    if (wait > 0) clock.sleep_ms(wait);
  }
  const bool drained = ring.pending() == 0 && device.frames_queued() == 0;
  print_stats(device, ring, keys, drained);
  return drained ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    parse_options(argc, argv, options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "virtual-device: %s\n", e.what());
    return 2;
  }
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "virtual-device: %s\n", e.what());
    return 1;
  }
}

// NMEA parsing: checksums, empty fields, vendor variants, and whole receiver logs recorded by gpsd and traccar.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "civil-time.h"
#include "gps-receiver.h"
#include "nmea.h"
#include "shared-data.h"

using namespace tw;
using tw::test::read_lines;
using tw::test::shared_data;

namespace {

NmeaStatus split(const std::string& line, NmeaSentence& s, std::string& storage, bool allow_missing = false) {
  storage = line;
  return split_sentence(storage.data(), storage.size(), allow_missing, s);
}

RmcData rmc(const std::string& line) {
  NmeaSentence s;
  std::string storage;
  EXPECT_EQ(split(line, s, storage), NmeaStatus::ok) << line;
  RmcData out;
  EXPECT_EQ(parse_rmc(s, out), NmeaStatus::ok) << line;
  return out;
}

GgaData gga(const std::string& line) {
  NmeaSentence s;
  std::string storage;
  EXPECT_EQ(split(line, s, storage), NmeaStatus::ok) << line;
  GgaData out;
  EXPECT_EQ(parse_gga(s, out), NmeaStatus::ok) << line;
  return out;
}

std::vector<Fix> feed_all(GpsReceiver& gps, const std::vector<std::string>& lines) {
  std::vector<Fix> fixes;
  Fix fix;
  for (const std::string& line : lines) {
    for (char c : line + "\r\n") {
      if (gps.feed(c, fix)) fixes.push_back(fix);
    }
  }
  if (gps.flush(fix)) fixes.push_back(fix);
  return fixes;
}

}  // namespace

TEST(Nmea, ChecksumIsVerifiedAndCaseInsensitive) {
  NmeaSentence s;
  std::string storage;
  EXPECT_EQ(split("$GPGSV,1,1,00*79", s, storage), NmeaStatus::ok);
  EXPECT_STREQ(s.talker, "GP");
  EXPECT_STREQ(s.type, "GSV");
  EXPECT_EQ(split("$GPGSV,1,1,00*78", s, storage), NmeaStatus::bad_checksum);
  EXPECT_EQ(split("$GNRMC,091232.000,A,4813.0535,N,00824.8697,E,0.00,0.00,101015,,,A,V*06", s, storage), NmeaStatus::ok);
  EXPECT_EQ(split("$GNTXT,01,01,02,u-blox AG - www.u-blox.com*4e", s, storage), NmeaStatus::ok);
  EXPECT_EQ(split("$GPRMA,V,0000.00,S,00000.00,E,,,00.0,000.,11.,E*7", s, storage), NmeaStatus::bad_checksum);  // one digit
  EXPECT_EQ(split("$GPRMC,082350.000,A,5355.0314,N,01044.1271,E,26.20,184.27,080518,,", s, storage), NmeaStatus::missing_checksum);
  EXPECT_EQ(split("$GPRMC,082350.000,A,5355.0314,N,01044.1271,E,26.20,184.27,080518,,", s, storage, true), NmeaStatus::ok);
  EXPECT_EQ(split("GPRMC,1*00", s, storage), NmeaStatus::malformed);
}

TEST(Nmea, EmptyFieldsOfANoFixReceiverParseAsNoFix) {
  const RmcData r = rmc("$GPRMC,,V,,,,,,,,,,N*53");
  EXPECT_FALSE(r.valid);
  EXPECT_FALSE(r.has_position);
  EXPECT_EQ(r.time_of_day_ms, kNoTime);
  EXPECT_EQ(r.date_days, -1);
  const GgaData g = gga("$GPGGA,,,,,,0,00,99.99,,,,,,*48");
  EXPECT_EQ(g.quality, 0);
  EXPECT_FALSE(g.has_position);
  EXPECT_EQ(g.hdop_c, 9999);
}

TEST(Nmea, CoordinatesAreExactFixedPoint) {
  int32_t e7;
  ASSERT_TRUE(parse_nmea_coordinate("4813.0535", 9, 'N', false, e7));
  EXPECT_EQ(e7, 482175583);  // 48 + 13.0535/60 = 48.21755833…
  ASSERT_TRUE(parse_nmea_coordinate("00603.046984", 12, 'W', true, e7));
  EXPECT_EQ(e7, -60507831);  // 6 + 3.046984/60 = 6.0507830667 → 6.0507831
  ASSERT_TRUE(parse_nmea_coordinate("2517.0545", 9, 'S', false, e7));
  EXPECT_EQ(e7, -252842417);
  EXPECT_FALSE(parse_nmea_coordinate("4860.0000", 9, 'N', false, e7));  // 60 minutes
  EXPECT_FALSE(parse_nmea_coordinate("9100.0000", 9, 'N', false, e7));
  EXPECT_FALSE(parse_nmea_coordinate("4813.0535", 9, 'E', false, e7));  // wrong hemisphere letter for a latitude
  EXPECT_FALSE(parse_nmea_coordinate("48a3.0535", 9, 'N', false, e7));
}

TEST(Nmea, RmcVariantsFromTrackersAndReceivers) {
  // NMEA 4.1 (u-blox 8): mode and navigation status fields.
  RmcData r = rmc("$GNRMC,091503.000,A,4813.0509,N,00824.8699,E,6.56,175.87,101015,,,A,V*0B");
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.time_of_day_ms, (9 * 3600 + 15 * 60 + 3) * 1000);
  EXPECT_EQ(r.speed_ckmh, 1215);  // 6.56 kn = 12.149 km/h
  EXPECT_EQ(r.course_cdeg, 17587);
  EXPECT_EQ(r.date_days, days_from_civil(2015, 10, 10));
  // NMEA 2.0 without a mode field, a time without fraction and a longitude short of its leading zero.
  r = rmc("$GPRMC,012006,A,4828.10,N,1353.52,E,0.00,0.00,180915,020.3,E*42");
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.lon_e7, 138920000);
  // Empty speed and course; centisecond time.
  r = rmc("$GPRMC,115528.000,A,6000.5432,N,03020.4948,E,,,091111,,*06");
  EXPECT_EQ(r.speed_ckmh, kNoU16);
  EXPECT_EQ(r.course_cdeg, kNoU16);
  r = rmc("$GPRMC,152505.50,A,5547.82119,N,02334.14124,E,0.265,,091209,,,A*75");
  EXPECT_EQ(r.time_of_day_ms % 1000, 500);
  // Mode 'N' overrides status 'A'.
  r = rmc("$GPRMC,152505.00,A,5547.82113,N,02334.14130,E,0.253,,091209,,,N*75");
  EXPECT_FALSE(r.valid);
}

TEST(Nmea, VtgWithAndWithoutUnitLetters) {
  NmeaSentence s;
  std::string storage;
  VtgData v;
  ASSERT_EQ(split("$GNVTG,175.87,T,,M,6.56,N,12.1,K,A*28", s, storage), NmeaStatus::ok);
  ASSERT_EQ(parse_vtg(s, v), NmeaStatus::ok);
  EXPECT_EQ(v.course_cdeg, 17587);
  EXPECT_EQ(v.speed_ckmh, 1210);
  EXPECT_TRUE(v.valid);
  ASSERT_EQ(split("$GPVTG,,,,,,,,,N*30", s, storage), NmeaStatus::ok);
  ASSERT_EQ(parse_vtg(s, v), NmeaStatus::ok);
  EXPECT_FALSE(v.valid);
  ASSERT_EQ(split("$GPVTG,054.7,034.4,005.5,010.2", s, storage, true), NmeaStatus::ok);  // NMEA 1.5
  ASSERT_EQ(parse_vtg(s, v), NmeaStatus::ok);
  EXPECT_EQ(v.course_cdeg, 5470);
  EXPECT_EQ(v.speed_ckmh, 1020);
}

TEST(Nmea, LineReaderDropsNoiseAndOverlongLines) {
  NmeaLineReader reader;
  std::string got;
  for (char c : std::string(1, '\0') + "\xff garbage $GPGSV,1,1,00*79\r\n") {
    if (reader.feed(c)) got = reader.line();
  }
  EXPECT_EQ(got, "$GPGSV,1,1,00*79");
  // A line cut by a new '$' is dropped; the new one is kept.
  got.clear();
  for (char c : std::string("$GPRMC,12$GPGSV,1,1,00*79\n")) {
    if (reader.feed(c)) got = reader.line();
  }
  EXPECT_EQ(got, "$GPGSV,1,1,00*79");
  got.clear();
  for (char c : "$" + std::string(200, 'A') + "\r\n") {
    if (reader.feed(c)) got = reader.line();
  }
  EXPECT_EQ(got, "");
  EXPECT_EQ(reader.overflows(), 1u);
}

// Every sentence of traccar's T55 test corpus (vendor variants): what the unit does with it.
TEST(Nmea, TraccarVendorSentences) {
  const std::string path = shared_data("gps/device-messages/traccar_t55_nmea_sentences.txt");
  ASSERT_FALSE(path.empty()) << "shared data not found (set SHARED_DATA_DIR)";
  int ok = 0, bad = 0, missing = 0;
  for (const std::string& line : read_lines(path)) {
    NmeaSentence s;
    std::string storage;
    const NmeaStatus st = split(line, s, storage);
    ok += st == NmeaStatus::ok;
    bad += st == NmeaStatus::bad_checksum;
    missing += st == NmeaStatus::missing_checksum;
    if (st == NmeaStatus::ok && !std::strcmp(s.type, "RMC")) {
      RmcData r;
      EXPECT_EQ(parse_rmc(s, r), NmeaStatus::ok) << line;
    }
  }
  // 13 with a correct checksum; 6 whose checksum is wrong (hand-edited test lines, a one-digit checksum, a vendor
  // that checksums a different span); 4 without one, refused by default.
  EXPECT_EQ(ok, 13);
  EXPECT_EQ(bad, 6);
  EXPECT_EQ(missing, 4);
}

TEST(Nmea, GpsdBt451LogIndoorsThenStationaryThenDriving) {
  const std::string path = shared_data("gps/nmea/gpsd_bt451.log");
  ASSERT_FALSE(path.empty());
  GpsReceiver gps;
  const std::vector<Fix> fixes = feed_all(gps, read_lines(path));
  const GpsCounters& c = gps.counters();
  EXPECT_EQ(c.bad_checksum, 0u);
  EXPECT_GT(c.rejected[int(FixVerdict::no_fix)], 0u);  // the indoor part: RMC V, GGA quality 0
  // 2009 is before any plausible date for a unit in service: the filter refuses every fix of it.
  EXPECT_TRUE(fixes.empty());
  EXPECT_EQ(c.rejected[int(FixVerdict::implausible_time)], 14u);
}

TEST(Nmea, GpsdBt451LogWithDatesAllowed) {
  const std::string path = shared_data("gps/nmea/gpsd_bt451.log");
  ASSERT_FALSE(path.empty());
  FixFilterSettings settings;
  settings.min_utc_ms = 0;
  settings.min_interval_ms = 0;
  GpsReceiver gps(settings);
  const std::vector<Fix> fixes = feed_all(gps, read_lines(path));
  // 8 stationary epochs at 2 Hz; the "moving in car" section was recorded earlier that day (gpsd pasted it after),
  // so its 6 epochs go back in time and are refused; 4 indoor epochs have no fix.
  ASSERT_EQ(fixes.size(), 8u);
  EXPECT_EQ(gps.counters().rejected[int(FixVerdict::not_newer)], 6u);
  EXPECT_EQ(gps.counters().rejected[int(FixVerdict::no_fix)], 4u);
  for (size_t i = 1; i < fixes.size(); i++) EXPECT_GT(fixes[i].utc_ms, fixes[i - 1].utc_ms);
  const Fix& first = fixes.front();
  char iso[32];
  format_iso8601(first.utc_ms, iso);
  EXPECT_STREQ(iso, "2009-12-09T15:25:05.000Z");
  EXPECT_EQ(first.lat_e7, 557970188);  // 55°47.82113'
  EXPECT_EQ(first.hdop_c, 272);
  EXPECT_EQ(first.altitude_dm, 370);
  EXPECT_EQ(first.satellites, 4);
}

TEST(Nmea, GpsdNl2008uLogJoinsRmcVtgGgaIntoOneFixPerEpoch) {
  const std::string path = shared_data("gps/nmea/gpsd_nl2008u.log");
  ASSERT_FALSE(path.empty());
  FixFilterSettings settings;
  settings.min_utc_ms = 0;
  GpsReceiver gps(settings);
  const std::vector<Fix> fixes = feed_all(gps, read_lines(path));
  const GpsCounters& c = gps.counters();
  EXPECT_EQ(c.bad_checksum, 0u);
  EXPECT_EQ(c.malformed, 0u);
  ASSERT_EQ(fixes.size(), 9u);  // gpsd kept 9 RMC+GGA epochs of the drive
  EXPECT_EQ(fixes[2].speed_ckmh, 1215);
  EXPECT_EQ(fixes[2].heading_cdeg, 17587);
  EXPECT_EQ(fixes[2].hdop_c, 70);
  EXPECT_EQ(fixes[2].satellites, 12);
  EXPECT_EQ(fixes[2].altitude_dm, 7662);
}

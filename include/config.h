/*
 * config.h - every default and limit, with its unit and its reason.
 *
 * Options in main.c override the run-time ones; the compile-time caps bound
 * memory.  Nothing else in the tree hard-codes a tunable.
 */
#ifndef SW_CONFIG_H
#define SW_CONFIG_H

#define SW_VERSION		"0.1.0"

/* --- capture ------------------------------------------------------------ */

/* Ring between capture and analyzer threads, bytes.  32 MiB holds about a
 * second of a saturated 100 Mbit/s mirror port of full-size frames, enough
 * to ride out a notice write or a flow-table sweep without dropping. */
#define SW_RING_BYTES		(32u << 20)

/* Ring for replay, bytes.  A file reader is always ahead of the analyzer,
 * so the ring stays full: a small one lets packets pass between the two
 * threads through the shared cache instead of through memory.  Its
 * largest record (a quarter) still holds any 256 KiB frame. */
#define SW_REPLAY_RING_BYTES	(2u << 20)

/* Live snap length, bytes.  Whole frames: DNS answers, TLS ClientHellos and
 * HTTP headers are parsed later, and payloads are never stored. */
#define SW_SNAPLEN		65535

/* Kernel capture buffer for live capture, bytes (pcap_set_buffer_size). */
#define SW_PCAP_BUFFER		(16 << 20)

/* stdio buffer for replayed files, bytes.  libpcap's default 4 KiB buffer
 * makes a read loop spend more time in read(2) than in user space (DESIGN:
 * 2.47 s vs 0.57 s for 7.2 M packets). */
#define SW_FILE_BUFFER		(1 << 20)

/* Live capture read timeout, milliseconds: how late a quiet network's
 * wall-clock tick may be. */
#define SW_PCAP_TIMEOUT_MS	250

/* --- flow table ---------------------------------------------------------- */

/* Cap on tracked connections.  About 480 bytes each (struct flow, with
 * its TLS, DNS and beacon state and a handle to its interned server
 * name, plus its hash slot), so the default costs about 60 MiB at the
 * cap, touched only as connections come; a shelter network of a few
 * dozen devices rarely holds more than 10,000 (5 MiB). */
#define SW_FLOW_MAX		131072
/* Distinct server names of live connections held (strtab.h): 272 bytes
 * each when used, so at most 17 MiB; past it a new name is refused and
 * counted (the connection keeps no name).  Many connections share a name,
 * so a million connections need far fewer. */
#define SW_STRTAB_MAX		65536

/* Idle timeouts, seconds: Zeek's defaults (init-bare.zeek):
 * tcp_inactivity_timeout 5 min, udp/icmp_inactivity_timeout 1 min,
 * tcp_close_delay and tcp_reset_delay 5 s. */
#define SW_TCP_TIMEOUT		300
#define SW_UDP_TIMEOUT		60
#define SW_ICMP_TIMEOUT		60
#define SW_TCP_CLOSE_DELAY	5

/* How often, in network-time seconds, idle flows are swept.  Expiry is
 * exact to this granularity; each sweep only walks expired entries. */
#define SW_SWEEP_INTERVAL	1

/* --- notices ------------------------------------------------------------- */

/* Zeek's Notice::default_suppression_interval, seconds. */
#define SW_SUPPRESS_FOR		3600

/* Cap on (note, identifier) suppression entries; oldest evicted first. */
#define SW_SUPPRESS_MAX		65536

/* Severities (Wazuh-like levels; the seed's meta rule is level 15). */
#define SW_SEV_C2		12
#define SW_SEV_BEACON		10
#define SW_SEV_SURVIVOR		15
/* A visit to a stalkerware vendor's website (only with --vendor-sites):
 * people research the app, survivors among them; not evidence. */
#define SW_SEV_WEBSITE		3
/* A stalkerware app's download site: someone fetching the app is likely
 * installing it on this device; strong, below a C2 exchange. */
#define SW_SEV_DISTRIBUTION	10
/* Watchware (family locators, parental apps, usually installed openly):
 * staff check with the person; never makes the urgent verdict alone. */
#define SW_SEV_WATCHWARE	5

/* --- beacon detection ----------------------------------------------------- */

/* (device, destination) trackers: 712 bytes each, so 11.8 MiB at the cap;
 * the least recently updated is evicted (counted) when full. */
#define SW_BEACON_MAX		16384

/* Events before any notice: the fewest that can show a rhythm (5
 * intervals); at 0% jitter 6 beats reach full recall (make eval). */
#define SW_BEACON_MIN_EVENTS	6

/* Notice threshold on the score (evidence / 10 bans, a ban being a factor
 * of 10 against random arrivals): 0.35 = 1 in 3000 for one window of a
 * tracker, after the price of the windows it has already been tested on.
 * make eval (1000 device-days, 3 seeds): at 0.35, recall 0.973 on the
 * target set and 0 false notices per 100 device-days of background (0.13
 * counting the 497 device-days of the beacon runs' own backgrounds).
 * Over 3000 device-days (tests/eval -d 3000 -m T), recall and false
 * notices per 100 device-days: 0.30: 0.978, 0.17; 0.35: 0.969, 0.03;
 * 0.40: 0.955, 0.03; 0.45: 0.944, 0.  0.35 keeps the recall target with a
 * margin of two standard errors and the false notices 30 times under
 * theirs.
 * The unit tests' must-not-fire series (random arrivals with identical
 * sizes, human gaps near the coalescing floor) hold at 0.35. */
#define SW_BEACON_MIN_SCORE	0.35

/* Low-volume gate, payload bytes per event.  Measured on real HTTPS
 * (pcaps-real: 113 port-443 connections of phones and browsers): bytes up
 * median 663, 90th percentile 2309; bytes down median 4121, largest 16557
 * (a full handshake alone sends 1.4-16.5 KB down).  Real beacons: 236-841
 * bytes up, 141-6000 down.  The seed's Zeek rule (< 512 B each way) would
 * miss every new-connection TLS beacon: the ClientHello alone is 517 B. */
#define SW_BEACON_MAX_UP	8192
#define SW_BEACON_MAX_DOWN	32768

/* Client silence that ends a burst inside a kept-alive connection, s. */
#define SW_BEACON_IDLE_GAP	10

/* Periods considered, seconds: below 20 s, streams and polling loops;
 * above 2 h, too few beats in a day to tell. */
#define SW_BEACON_MIN_PERIOD	20
#define SW_BEACON_MAX_PERIOD	7200

/* --- statistics ---------------------------------------------------------- */

/* stats.log period, network-time seconds (Zeek's stats.log: 5 min). */
#define SW_STATS_INTERVAL	300

/* --- indicator files --- */

/* Longest line of an indicator file, bytes.  A longer one is an error,
 * never truncated: a cut indicator would silently match something else. */
#define SW_INTEL_MAX_LINE	4096
/* Largest indicator file, bytes; files are read whole (Echap's STIX 2.1
 * bundle is 4 MB, its MISP event 3 MB). */
#define SW_INTEL_MAX_FILE	(64u << 20)
/* Cap on indicators in one set, all files together: about 100 bytes each
 * plus strings, so about 200 MiB at the cap. */
#define SW_INTEL_MAX_ITEMS	(1u << 20)
/* Most columns in a Zeek Intel `#fields` header or a CSV row. */
#define SW_INTEL_MAX_FIELDS	64
/* Visits per node a walk of a YAML indicator document may make: a tree
 * needs at most 5 scans of an app's keys, 3 of its c2's, plus its values;
 * aliases can make a small file name one subtree a million times. */
#define SW_INTEL_YAML_VISITS	8

#endif /* SW_CONFIG_H */

/*
 * fuzz_pipeline.c - libFuzzer target for the whole sensor after capture:
 * frames in, through decode, the flow table, the app layer, the detectors
 * (intel, names, beacons, devices, the correlator, the policy) and the
 * notices, records, stats lines and triage report out.
 *
 * Input: a capture file (pcap or pcapng), read by libpcap through
 * fmemopen() as replay reads a file (pcapfile.c reads the same packets:
 * fuzz_pcapfile.c holds the two together), so an input that crashes is a
 * capture that `stalkerwatch -r FILE` replays as is: keep it under
 * tests/crashes/.  The packets go through a ring with the replay capture
 * thread's classifier (analyzer_classify()), then analyzer_run() and
 * analyzer_finish(), in one thread.
 *
 * Each input gets a fresh analyzer with a fixed seed and the built-in
 * indicator set below (an address, a subnet, domains of each role and
 * category, a shared platform, a known-good list), every log on, beacon
 * detection on for the home network's LAN too, and writes into a
 * directory made once per process whose files are removed after each
 * input: runs are deterministic and one input's state never reaches the
 * next.  Every table is cut to FUZZ_TABLE_MAX entries.
 */
#include <malloc.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer.h"
#include "capture.h"
#include "communityid.h"
#include "config.h"
#include "correlate.h"
#include "intel_load.h"
#include "recmeta.h"
#include "report.h"
#include "ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Entries of every table (connections, names, trackers, devices,
 * suppression...): small, so that an input of a few hundred packets
 * fills them and eviction runs, and a fresh analyzer costs 2 MiB, not
 * the default's 90 (the sanitizers' shadow of 90 MiB made an input take
 * 10 ms). */
#define FUZZ_TABLE_MAX	 64
/* Ring per batch of packets, bytes: a quarter is the largest record
 * (ring.h), so 1 MiB holds any 256 KiB frame libpcap hands out. */
#define FUZZ_RING_BYTES	 (1u << 20)
/* Packets per input: enough for every scenario cut of the corpus,
 * bounded so that one input cannot run long. */
#define FUZZ_MAX_PACKETS 4096

/* The indicators: one of each kind the matchers tell apart. */
static const char fuzz_iocs[] = "# app: mSpy\n"
				"# category: stalkerware\n"
				"# role: c2\n"
				"212.129.6.180\n"
				"212.83.137.0/24\n"
				"2001:db8::bad\n"
				"17.0.0.0/8 port 5223\n"
				"thd.cc\n"
				"mspyonline.com\n"
				"1ca43.appspot.com\n"
				"mtechn.zendesk.com\n"
				"# role: distribution\n"
				"uploads.spy2mobile.com\n"
				"# role: website\n"
				"www.mspy.com\n"
				"spy2mobile.com\n"
				"# match: exact\n"
				"# role: c2\n"
				"push.tele-metrics.example\n"
				"# match: subdomains\n"
				"# app: FamiSafe\n"
				"# category: watchware\n"
				"famisafe.com\n"
				"198.51.100.0/24\n";
static const char fuzz_platforms[] = "appspot.com\nzendesk.com\n";
static const char fuzz_good[] = "# match: subdomains\n"
				"mtalk.google.com\n"
				"connectivitycheck.gstatic.com\n"
				"pool.ntp.org\n";

static char fuzz_dir[64];
static struct intel *fuzz_intel, *fuzz_good_set;

static void
fuzz_fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz_pipeline: %s: %s\n", what, err);
	abort();
}

static struct intel *
fuzz_set(const char *name, const char *buf, const char *platforms)
{
	struct intel_load_opts lo;
	struct intel *in;
	char err[SW_ERRLEN];

	memset(&lo, 0, sizeof(lo));
	if ((in = intel_new()) == NULL)
		fuzz_fail(name, "out of memory");
	if (platforms != NULL &&
	    intel_load_buf(in, "shared-platforms.txt", platforms,
		strlen(platforms), &lo, err, sizeof(err)) != 0)
		fuzz_fail(name, err);
	if (intel_load_buf(in, name, buf, strlen(buf), &lo, err, sizeof(err)) !=
		0 ||
	    intel_finalize(in, err, sizeof(err)) != 0)
		fuzz_fail(name, err);
	return in;
}

/* Remove what one input wrote. */
static void
fuzz_clean(void)
{
	static const char *const files[] = { "notice.log", "conn.log",
		"dns.log", "ssl.log", "stats.log", "report.html" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir, files[i]);
		(void)unlink(path);
	}
}

static void
fuzz_rmdir(void)
{
	fuzz_clean();
	(void)rmdir(fuzz_dir);
}

/* Once per process: the log directory and the indicator sets.  The sets
 * live until the process ends (LeakSanitizer counts them reachable). */
static void
fuzz_init(void)
{
	const char *tmp = getenv("TMPDIR");

	if (fuzz_intel != NULL)
		return;
	/* memory, not a disk: six files are made and removed per input */
	if (tmp == NULL || tmp[0] == '\0')
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	if ((size_t)snprintf(fuzz_dir, sizeof(fuzz_dir),
		"%s/fuzz_pipeline.XXXXXX", tmp) >= sizeof(fuzz_dir))
		snprintf(fuzz_dir, sizeof(fuzz_dir),
		    "/tmp/fuzz_pipeline.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail(fuzz_dir, "mkdtemp failed");
	atexit(fuzz_rmdir);
	/*
	 * A fixed threshold: glibc's adapts to the largest block freed, and
	 * then serves the next analyzer's tables (the names cache alone is
	 * 20 MiB) from the heap and zeroes them, three quarters of an
	 * input's time.  Mapped fresh, they cost only the pages touched,
	 * as in the sensor.  (A sanitizer's allocator ignores this.)
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 1 << 20);
	recmeta_set("fuzz", 0);
	community_id_set_seed(0);
	fuzz_intel = fuzz_set("fuzz-iocs.txt", fuzz_iocs, fuzz_platforms);
	fuzz_good_set = fuzz_set("known-good.txt", fuzz_good, NULL);
}

static struct analyzer *
fuzz_analyzer(void)
{
	struct analyzer_config cfg;
	struct analyzer *a;
	char err[SW_ERRLEN];

	memset(&cfg, 0, sizeof(cfg));
	cfg.logdir = fuzz_dir;
	cfg.conn_log = 1;
	cfg.stats_log = 1;
	cfg.dns_log = 1;
	cfg.ssl_log = 1;
	cfg.vendor_sites = 1;
	cfg.suppress_for_s = SW_SUPPRESS_FOR;
	/* a stats line a minute of network time: the periodic path runs */
	cfg.stats_interval_s = 60;
	flow_config_default(&cfg.flow);
	cfg.flow.max_flows = FUZZ_TABLE_MAX;
	cfg.table_max = FUZZ_TABLE_MAX;
	cfg.flow.seed = 1;
	beacon_config_default(&cfg.beacon);
	cfg.beacon.seed = 1;
	cfg.beacon.max_trackers = FUZZ_TABLE_MAX;
	homenet_default(&cfg.home);
	cfg.beacon_lan = 1;
	cfg.name_hold_s = SW_NAME_HOLD_S;
	if ((a = analyzer_new(&cfg, fuzz_intel, err, sizeof(err))) == NULL)
		fuzz_fail("analyzer_new", err);
	analyzer_set_known_good(a, fuzz_good_set);
	return a;
}

/* The ring's records so far through the loop, as the analyzer thread
 * takes them from the replay capture thread. */
static void
fuzz_drain(struct analyzer *a, struct ring *r)
{
	ring_close(r);
	analyzer_run(a, r, NULL, NULL);
	ring_free(r);
}

static struct ring *
fuzz_ring(void)
{
	struct ring *r;
	char err[SW_ERRLEN];

	if ((r = ring_new(FUZZ_RING_BYTES, err, sizeof(err))) == NULL)
		fuzz_fail("ring_new", err);
	return r;
}

/* Every packet of p (at most FUZZ_MAX_PACKETS), a ring at a time. */
static void
fuzz_packets(struct analyzer *a, pcap_t *p, int dlt)
{
	_Alignas(8) unsigned char meta[RING_META_MAX];
	struct pcap_pkthdr *h;
	struct ring_rec rec;
	const u_char *d;
	struct ring *r = fuzz_ring();
	unsigned n;

	for (n = 0; n < FUZZ_MAX_PACKETS && pcap_next_ex(p, &h, &d) == 1; n++) {
		/* as capture.c's deliver(): skipped */
		if (capture_ts_us(h->ts.tv_sec, h->ts.tv_usec, &rec.ts_us) != 0)
			continue;
		rec.caplen = h->caplen;
		rec.wirelen = h->len;
		rec.dlt = dlt;
		/* as capture.c's deliver() */
		if (rec.caplen > ring_max_payload(r))
			rec.caplen = (uint32_t)ring_max_payload(r);
		rec.meta_len = analyzer_classify(analyzer_classify_ctx(a), &rec,
		    d, meta);
		if (ring_put(r, &rec, meta, d) == 0)
			continue;
		/* full: analyse what it holds, go on in a new one */
		fuzz_drain(a, r);
		r = fuzz_ring();
		if (ring_put(r, &rec, meta, d) != 0)
			fuzz_fail("ring_put", "a record fits no empty ring");
	}
	fuzz_drain(a, r);
}

/* The triage report, as main.c writes it at the end of a replay. */
static void
fuzz_report(struct analyzer *a)
{
	static const char *const files[] = { "fuzz.pcap" };
	const struct corr_device **devs;
	struct report_input in;
	char path[128], err[SW_ERRLEN];

	if ((devs = calloc(SW_CORR_MAX_DEVICES, sizeof(*devs))) == NULL)
		fuzz_fail("report", "out of memory");
	analyzer_grade_pending(a);
	memset(&in, 0, sizeof(in));
	in.ndevs = analyzer_verdicts(a, devs, SW_CORR_MAX_DEVICES, &in.now_us);
	in.files = files;
	in.nfiles = 1;
	in.ctr = analyzer_get_counters(a);
	in.connections = analyzer_flow_stats(a)->created;
	in.indicators = intel_count_all(fuzz_intel);
	in.apps = intel_count_apps(fuzz_intel, INTEL_CAT_STALKERWARE) +
	    intel_count_apps(fuzz_intel, INTEL_CAT_WATCHWARE);
	in.ioc_files = 1;
	in.corr = analyzer_correlate(a);
	in.devs = devs;
	in.tl = analyzer_timeline(a);
	in.written = 1700000000; /* fixed: deterministic */
	snprintf(path, sizeof(path), "%s/report.html", fuzz_dir);
	if (report_write(path, &in, err) != 0)
		fuzz_fail("report_write", err);
	free(devs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct analyzer *a;
	pcap_t *p;
	FILE *fp;
	int dlt;

	fuzz_init();
	if (size == 0 ||
	    (fp = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return 0;
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (p == NULL) {
		fclose(fp);
		return 0; /* replay refuses it too */
	}
	dlt = pcap_datalink(p);
	a = fuzz_analyzer();
	fuzz_packets(a, p, dlt);
	pcap_close(p);
	analyzer_finish(a, NULL);
	fuzz_report(a);
	analyzer_free(a);
	fuzz_clean();
	return 0;
}

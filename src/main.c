/*
 * main.c - command line, signals, start-up and shutdown.  Thin on purpose:
 * everything else lives in the library.  The only globals of the program
 * are the signal flags below.
 *
 * Exit status: 0 success; 1 runtime error (unreadable or truncated
 * capture, unwritable log directory, log lines lost in a replay); 2 bad
 * usage or configuration (bad option, bad IOC file, bad BPF filter).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyzer.h"
#include "beacon.h"
#include "capture.h"
#include "config.h"
#include "decode.h"
#include "flow.h"
#include "intel.h"
#include "intel_load.h"
#include "geo.h"
#include "notice.h"
#include "communityid.h"
#include "policy.h"
#include "recmeta.h"
#include "report.h"
#include "syslog_out.h"
#include "ring.h"

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define ERRLEN		(2 * SW_ERRLEN)	/* a path, then the reason */

static volatile sig_atomic_t sig_stop;
static volatile sig_atomic_t sig_hup;
static volatile sig_atomic_t sig_usr1;

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		sig_stop = 1;
		break;
	case SIGHUP:
		sig_hup = 1;
		break;
	case SIGUSR1:
		sig_usr1 = 1;
		break;
	default:
		break;
	}
}

static void
usage(FILE *fp)
{
	struct beacon_config bc;

	beacon_config_default(&bc);
	/* the text laid out as it prints */
	/* clang-format off */
	fprintf(fp,
"usage: stalkerwatch -r FILE [-r FILE ...] [options]\n"
"       stalkerwatch -i IFACE [options]\n"
"\n"
"Passive sensor: tells whether a device talks to known stalkerware\n"
"command-and-control (C2) infrastructure; writes notices as JSON lines.\n"
"\n"
"  -r, --read FILE        replay a pcap or pcapng file (repeatable; - is stdin)\n"
"  -i, --interface IFACE  capture live from IFACE\n"
"  -o, --logdir DIR       log directory (default .); - writes notices to stdout\n"
"      --syslog HOST:PORT each notice to a syslog collector too (TCP,\n"
"                         RFC 5424, octet-counted; a numeric address)\n"
"      --sensor-name NAME every record's peer_descr (default the host name)\n"
"      --community-id-seed N  Community ID seed, 0-65535 (default 0, as\n"
"                         Zeek and Suricata)\n"
"      --report FILE.html the triage report: written at the end of a\n"
"                         replay, on SIGUSR1 and at exit when live\n"
"      --geoip-db FILE    a MaxMind DB (City or Country, and ASN): where\n"
"                         each notice's remote side is (repeatable, 2)\n"
"      --append           replay into a log directory whose notice.log\n"
"                         already holds notices (refused without it)\n"
"  -I, --intel FILE       indicator file, added to the bundled iocs/ (repeatable)\n"
"      --no-default-iocs  start from an empty indicator set (only -I files)\n"
"      --allow-empty-iocs run even when no indicator is loaded\n"
"      --check-iocs       load the indicator files, print the counts, exit\n"
"                         (0 ok, 2 bad file); reads no packets\n"
"  -A, --known-good FILE  known-good (allowlist) file (repeatable; default:\n"
"                         the bundled iocs/known-good.txt); never hides an\n"
"                         indicator hit\n"
"  -C, --conn-log         also write conn.log (off by default: privacy)\n"
"      --dns-log          also write dns.log (off by default: privacy)\n"
"      --ssl-log          also write ssl.log (off by default: privacy)\n"
"      --vendor-sites     notice visits to stalkerware vendors' websites\n"
"                         (Spyware::Vendor_Website, severity %d; off by default)\n"
"  -f, --filter EXPR      BPF filter\n"
"  -u, --user USER        drop privileges to USER after opening everything\n"
"      --suppress-for S   seconds a repeated notice is suppressed (default %d)\n"
"      --max-flows N      cap on tracked connections (default %d)\n"
"      --stats-interval S stats.log period in network seconds (default %d)\n"
"      --lenient          skip bad IOC lines (reported) instead of failing\n"
"                         (SIGHUP re-reads every indicator file)\n"
"      --seed N           fixed seed for uids and hashing (tests)\n"
"      --home-net CIDR    the devices' network (repeatable; default the\n"
"                         private and link-local ranges)\n"
"      --name-hold S      keep a place's server name S network seconds\n"
"                         after it was last seen or used (default %u; 0 off)\n"
"      --verdict-window S the verdict's window, network seconds: evidence\n"
"                         older no longer counts; one Survivor_Risk a device\n"
"                         in it (default 86400)\n"
"beacon detection (Spyware::Suspicious_Beaconing), see stalkerwatch(8):\n"
"      --no-beacon        off\n"
"      --beacon-min-events N   events before a notice (default %u)\n"
"      --beacon-min-score PCT  score threshold, percent (default %u)\n"
"      --beacon-max-up B       low-volume gate, bytes up an event (default %u)\n"
"      --beacon-max-down B     same, bytes down an event (default %u)\n"
"      --beacon-idle-gap S     silence that ends a burst (default %u)\n"
"      --beacon-min-period S   shortest, over the idle gap (default %u)\n"
"      --beacon-max-period S   longest period (default %u)\n"
"      --beacon-trackers N     (device, destination) pairs (default %u)\n"
"      --beacon-fast-events N  fast scale (2-20 s): events before a notice\n"
"                              (default %u; 0 off)\n"
"      --beacon-lan            also between two home-network hosts\n"
"  -q, --quiet            no summary on stderr\n"
"  -h, --help             this help\n"
"  -V, --version          version\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 bad usage or configuration.\n"
"See stalkerwatch(8) and stalkerwatch-iocs(5).\n",
	    SW_SEV_WEBSITE, SW_SUPPRESS_FOR, SW_FLOW_MAX, SW_STATS_INTERVAL,
	    SW_NAME_HOLD_S, bc.min_events, (unsigned)(bc.min_score * 100 + 0.5), bc.max_up,
	    bc.max_down, bc.idle_gap_s, bc.min_period_s, bc.max_period_s,
	    bc.max_trackers, bc.fast_min_events);
	/* clang-format on */
}

static void
die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "stalkerwatch: ");
	fprintf(stderr, "%s", fmt);
	if (arg != NULL)
		fprintf(stderr, " \"%s\"", arg);
	fprintf(stderr, " (see --help)\n");
	exit(EXIT_USAGE);
}

/* A whole non-negative number within [0, max], or exit 2. */
static unsigned long long
parse_num(const char *opt, const char *s, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (s[0] == '-' || s[0] == '\0')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		goto bad;
	return v;
bad:
	fprintf(stderr, "stalkerwatch: %s: \"%s\" is not a number from 0 to "
	    "%llu\n", opt, s, max);
	exit(EXIT_USAGE);
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The bundled indicators: iocs/ beside the executable (a source tree),
 * else the installed SW_DATADIR/iocs.
 */
static const char *
find_ioc_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%s/iocs", exe) < len &&
			    is_dir(buf))
				return buf;
			/* sanitizer builds live in build/asan/ */
			if ((size_t)snprintf(buf, len, "%s/../../iocs", exe) <
			    len && is_dir(buf))
				return buf;
		}
	}
	snprintf(buf, len, "%s/iocs", SW_DATADIR);
	return is_dir(buf) ? buf : NULL;
}

/* Every bad IOC line, one stderr line each; ctx counts them. */
static void
warn_ioc(void *ctx, const char *msg)
{
	(*(unsigned *)ctx)++;
	fprintf(stderr, "stalkerwatch: %s\n", msg);
}

/*
 * Become user for good, as OpenBSD's privsep code does: its group alone,
 * then real, effective and saved IDs all its own, each set in one call
 * (setresgid() first, while groups may still change) and read back.
 * setgid() and setuid() change the saved ID only for a privileged caller,
 * so they alone would not show that root cannot come back.
 */
static int
drop_privileges(const char *user, char *errbuf, size_t errlen)
{
	struct passwd *pw;
	uid_t uid, ruid, euid, suid;
	gid_t gid, rgid, egid, sgid;
	int ok;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(errbuf, errlen, "-u %s: no such user", user);
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		snprintf(errbuf, errlen, "-u %s: cannot drop privileges: %s",
		    user, strerror(errno));
		return -1;
	}
	/* verify: every id is the user's, so no way back to root */
	ok = getresuid(&ruid, &euid, &suid) == 0 &&
	    getresgid(&rgid, &egid, &sgid) == 0;
	ok = ok && ruid == uid && euid == uid && suid == uid;
	ok = ok && rgid == gid && egid == gid && sgid == gid;
	if (!ok || (uid != 0 && setuid(0) == 0)) {
		snprintf(errbuf, errlen, "-u %s: privileges not dropped", user);
		return -1;
	}
	return 0;
}

/* What to read, kept for SIGHUP: the indicator and known-good files. */
struct iocset {
	const char **iocs;	/* -I files, added to the bundled dir */
	int niocs;
	int no_default;		/* --no-default-iocs: -I files only */
	const char **good;	/* -A files, or NULL for the bundled ones */
	int ngood;
	const char *iocdir;	/* bundled directory */
	struct intel_load_opts lopts;
	unsigned *warnings;
	size_t files, skipped, bad;	/* of the last load */
	struct intel *intel;	/* current sets */
	struct intel *known_good;
};

/*
 * Read every indicator file into a new set, and every known-good file
 * into another.  Returns 0, or -1 with errbuf set (or, when bad lines were
 * reported one by one, an empty errbuf).
 */
static int
load_sets(struct iocset *s, struct intel **intel, struct intel **good,
    char *err, size_t errlen)
{
	char path[PATH_MAX];
	int i, rc = 0;

	*intel = intel_new();
	*good = intel_new();
	err[0] = '\0';
	if (*intel == NULL || *good == NULL) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	*s->warnings = 0;
	s->files = s->skipped = s->bad = 0;
	s->lopts.files = &s->files;
	s->lopts.skipped = &s->skipped;
	s->lopts.bad = &s->bad;
	if (!s->no_default)
		rc = intel_load_dir(*intel, s->iocdir, &s->lopts, err, errlen);
	for (i = 0; i < s->niocs && rc == 0; i++)
		rc = intel_load_file(*intel, s->iocs[i], &s->lopts, err,
		    errlen);
	if (s->ngood == 0 && rc == 0 && s->iocdir != NULL) {
		/* the bundled allowlist, when there is one */
		snprintf(path, sizeof(path), "%s/known-good.txt", s->iocdir);
		if (access(path, R_OK) == 0)
			rc = intel_load_file(*good, path, &s->lopts, err,
			    errlen);
	}
	for (i = 0; i < s->ngood && rc == 0; i++)
		rc = intel_load_file(*good, s->good[i], &s->lopts, err, errlen);
	if (rc == 0)
		rc = intel_finalize(*intel, err, errlen);
	if (rc == 0)
		rc = intel_finalize(*good, err, errlen);
	s->lopts.files = s->lopts.skipped = s->lopts.bad = NULL;
out:
	if (rc != 0) {
		if (*s->warnings > 0)
			err[0] = '\0';	/* each bad line was said already */
		intel_free(*intel);
		intel_free(*good);
		*intel = *good = NULL;
	}
	return rc;
}

/*
 * What a load gave, in one line: the apps, then per category the C2
 * names and addresses, distribution and website indicators.
 */
static void
print_loaded(FILE *fp, const char *verb, const struct iocset *s,
    const struct intel *in)
{
	static const enum intel_category cats[] = { INTEL_CAT_STALKERWARE,
	    INTEL_CAT_WATCHWARE };
	size_t i, c2n, c2a;

	fprintf(fp, "stalkerwatch: %s %zu indicators of %zu apps from %zu "
	    "files", verb, intel_count_all(in),
	    intel_count_apps(in, INTEL_CAT_STALKERWARE) +
	    intel_count_apps(in, INTEL_CAT_WATCHWARE), s->files);
	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++) {
		c2n = intel_count_of(in, cats[i], INTEL_ROLE_C2, INTEL_DOMAIN);
		c2a = intel_count_of(in, cats[i], INTEL_ROLE_C2, INTEL_ADDR) +
		    intel_count_of(in, cats[i], INTEL_ROLE_C2, INTEL_SUBNET);
		fprintf(fp, "; %s: %zu apps, %zu C2 names, %zu C2 addresses, "
		    "%zu distribution, %zu websites",
		    intel_category_name(cats[i]), intel_count_apps(in, cats[i]),
		    c2n, c2a, intel_count_role(in, cats[i],
		    INTEL_ROLE_DISTRIBUTION), intel_count_role(in, cats[i],
		    INTEL_ROLE_WEBSITE));
	}
	if (s->skipped > 0)
		fprintf(fp, "; %zu rules or items not indicators, skipped",
		    s->skipped);
	if (s->bad > 0)
		fprintf(fp, "; %zu bad lines skipped (--lenient)", s->bad);
	fprintf(fp, "\n");
}

/* SIGHUP: a file with errors keeps the old sets and says why. */
static void
reload_sets(void *ctx, struct analyzer *an)
{
	struct iocset *s = ctx;
	struct intel *in, *good;
	char err[ERRLEN];

	if (load_sets(s, &in, &good, err, sizeof(err)) != 0) {
		fprintf(stderr, "stalkerwatch: reload failed, keeping the "
		    "previous indicators%s%s\n", err[0] ? ": " : "", err);
		return;
	}
	analyzer_set_intel(an, in);
	analyzer_set_known_good(an, good);
	intel_free(s->intel);
	intel_free(s->known_good);
	s->intel = in;
	s->known_good = good;
	print_loaded(stderr, "reloaded", s, in);
}

enum {
	OPT_SUPPRESS = 256,
	OPT_MAX_FLOWS,
	OPT_STATS_INTERVAL,
	OPT_LENIENT,
	OPT_SEED,
	OPT_HOME_NET,
	OPT_BEACON_LAN,
	OPT_APPEND,
	OPT_GEOIP_DB,
	OPT_REPORT,
	OPT_SENSOR_NAME,
	OPT_SYSLOG,
	OPT_CID_SEED,
	OPT_NAME_HOLD,
	OPT_VERDICT_WINDOW,
	OPT_B_FAST,
	OPT_DNS_LOG,
	OPT_SSL_LOG,
	OPT_VENDOR_SITES,
	OPT_NO_BEACON,
	OPT_B_EVENTS,
	OPT_B_SCORE,
	OPT_B_UP,
	OPT_B_DOWN,
	OPT_B_GAP,
	OPT_B_PMIN,
	OPT_B_PMAX,
	OPT_B_TRACKERS,
	OPT_NO_DEFAULT_IOCS,
	OPT_ALLOW_EMPTY,
	OPT_CHECK_IOCS
};

/* What the sensor could not see, in sentences (for stderr and the
 * report); blind: no IP traffic at all could be read (an error: nothing
 * can be said); why: the reason an empty result is not an all-clear. */
struct unseen {
	char line[REPORT_UNSEEN][400];
	int n;
	int blind;
	char why[200];
};

static void unseen_add(struct unseen *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
unseen_add(struct unseen *u, const char *fmt, ...)
{
	va_list ap;

	if (u->n == REPORT_UNSEEN)
		return;
	va_start(ap, fmt);
	vsnprintf(u->line[u->n++], sizeof(u->line[0]), fmt, ap);
	va_end(ap);
}

static void
unseen_collect(const struct analyzer_counters *ctr, int replay,
    struct unseen *u)
{
	double span = (double)(ctr->last_ts_us - ctr->first_ts_us) / 1e6;
	uint64_t undecoded = ctr->decode[DS_UNSUPPORTED_DLT];
	uint64_t no_ip = ctr->decode[DS_NOT_IP];

	memset(u, 0, sizeof(*u));
	if (ctr->decode[DS_OK] == 0) {
		/* a live sensor stopped on a quiet network has nothing to
		 * say, which is no error of the sensor's */
		u->blind = replay;
		if (ctr->packets == 0)
			unseen_add(u,
			    "the %s holds no packets: nothing can be "
			    "said about any device",
			    replay ? "capture" : "interface's traffic");
		else if (undecoded > 0)
			unseen_add(u,
			    "no IP traffic could be read: the "
			    "capture's link type is %s (%d), which stalkerwatch "
			    "does not decode (Wi-Fi monitor mode, Apple PKTAP "
			    "and NFLOG captures: see stalkerwatch(8)); nothing "
			    "can be said about any device",
			    capture_dlt_name(ctr->undecoded_dlt),
			    (int)ctr->undecoded_dlt);
		else
			unseen_add(u,
			    "none of the %llu packets carried a "
			    "connection stalkerwatch reads (TCP, UDP or ICMP "
			    "over IP): %llu without IP, %llu malformed, %llu "
			    "other (tunnels, fragments, other IP protocols); "
			    "nothing can be said about any device",
			    (unsigned long long)ctr->packets,
			    (unsigned long long)no_ip,
			    (unsigned long long)ctr->malformed,
			    (unsigned long long)(ctr->packets - no_ip -
				ctr->malformed));
		return;
	}
	if (undecoded > 0)
		unseen_add(u,
		    "%llu packets of link type %s could not be "
		    "decoded",
		    (unsigned long long)undecoded,
		    capture_dlt_name(ctr->undecoded_dlt));
	if (no_ip > 0)
		unseen_add(u,
		    "%llu packets carried no IP (ARP, LLDP, ...) and "
		    "were not looked at",
		    (unsigned long long)no_ip);
	if (ctr->cut > 0) {
		unseen_add(u,
		    "%llu packets were cut by the snap length (at "
		    "most %u bytes kept): names in them (DNS, TLS server "
		    "names) may not have been read; capture with -s 0",
		    (unsigned long long)ctr->cut, (unsigned)ctr->cut_caplen);
		snprintf(u->why, sizeof(u->why),
		    "the snap length cut %llu "
		    "packets, whose names may be missing",
		    (unsigned long long)ctr->cut);
	}
	if (ctr->flood_lost > 0) {
		unseen_add(u,
		    "the sensor was flooded (Spyware::Sensor_Under_Attack): "
		    "it gave up %llu beacon trackers, reassembly slots or "
		    "devices' evidence to spoofed or abnormal traffic, so "
		    "some evidence may be missing",
		    (unsigned long long)ctr->flood_lost);
		snprintf(u->why, sizeof(u->why),
		    "the sensor was flooded and gave up %llu pieces of state",
		    (unsigned long long)ctr->flood_lost);
	}
	if (ctr->tcp_unanswered >= SW_ONE_WAY_MIN && ctr->tcp_answered == 0) {
		unseen_add(u,
		    "none of the %llu TCP connections looked at for beacons "
		    "was answered: a capture of one direction only (a mirror "
		    "port or tap that sees only the uplink?); beacons cannot "
		    "be seen without the replies",
		    (unsigned long long)ctr->tcp_unanswered);
		snprintf(u->why, sizeof(u->why),
		    "no TCP connection was answered: a one-way capture");
	}
	if (ctr->not_devices > 0)
		unseen_add(u,
		    "%llu indicator hits came from addresses outside the "
		    "home network, which are never devices (no verdict): if "
		    "the devices here have public addresses, give their "
		    "network with --home-net",
		    (unsigned long long)ctr->not_devices);
	if (ctr->flood_unwritten > 0)
		unseen_add(u,
		    "%llu notices past their sender's budget were not "
		    "written (their evidence counted towards the verdicts)",
		    (unsigned long long)ctr->flood_unwritten);
	if (replay && span < SW_TRIAGE_MIN_S) {
		unseen_add(u,
		    "the capture spans %.0f s of network time: too "
		    "short for beacon evidence (a beacon every 5 to 10 "
		    "minutes needs about %u minutes: see README)",
		    (double)(int64_t)span, SW_TRIAGE_MIN_S / 60);
		if (u->why[0] == '\0')
			snprintf(u->why, sizeof(u->why),
			    "the capture (%.0f "
			    "s) is too short to show a beacon",
			    (double)(int64_t)span);
	}
}

/* What the report needs besides the analyzer. */
struct reportctx {
	const char *path; /* --report, or NULL */
	const char *const *files;
	int nfiles;
	const char *iface;
	const struct iocset *sets;
	struct capture *cap;
};

/* The newest modification time of path, or of the files of a
 * directory. */
static time_t
newest_mtime(const char *path, time_t best)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (path == NULL || stat(path, &st) != 0)
		return best;
	if (!S_ISDIR(st.st_mode))
		return st.st_mtime > best ? st.st_mtime : best;
	if ((d = opendir(path)) == NULL)
		return best;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
			de->d_name) >= sizeof(sub))
			continue;
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_mtime > best)
			best = st.st_mtime;
	}
	closedir(d);
	return best;
}

static int
emit_report(const struct reportctx *x, struct analyzer *an,
    const struct unseen *u, const struct corr_device **devs, size_t ndevs,
    int64_t now_us)
{
	struct report_input in;
	char err[SW_ERRLEN];
	time_t date = 0;
	int i;

	memset(&in, 0, sizeof(in));
	in.files = x->files;
	in.nfiles = x->nfiles;
	in.iface = x->iface;
	in.ctr = analyzer_get_counters(an);
	in.connections = analyzer_flow_stats(an)->created;
	for (i = 0; i < u->n; i++)
		in.unseen[i] = u->line[i];
	in.nunseen = u->n;
	in.blind = u->blind;
	if (x->sets->intel != NULL) {
		in.indicators = intel_count_all(x->sets->intel);
		in.apps = intel_count_apps(x->sets->intel,
			      INTEL_CAT_STALKERWARE) +
		    intel_count_apps(x->sets->intel, INTEL_CAT_WATCHWARE);
	}
	in.ioc_files = x->sets->files;
	if (!x->sets->no_default)
		date = newest_mtime(x->sets->iocdir, date);
	for (i = 0; i < x->sets->niocs; i++)
		date = newest_mtime(x->sets->iocs[i], date);
	in.ioc_date = date;
	in.corr = analyzer_correlate(an);
	in.devs = devs;
	in.ndevs = ndevs;
	in.now_us = now_us;
	in.tl = analyzer_timeline(an);
	in.geo = analyzer_geo(an);
	in.written = time(NULL);
	if (report_write(x->path, &in, err) != 0) {
		fprintf(stderr, "stalkerwatch: report: %s\n", err);
		return -1;
	}
	return 0;
}

/* SIGUSR1 on a live sensor: the report as of now. */
static void
report_on_usr1(void *ctx, struct analyzer *an)
{
	const struct reportctx *x = ctx;
	const struct corr_device **devs;
	struct unseen u;
	int64_t now = 0;
	size_t n = 0;

	if ((devs = calloc(SW_CORR_MAX_DEVICES, sizeof(*devs))) == NULL) {
		fprintf(stderr,
		    "stalkerwatch: report: out of memory; not "
		    "written\n");
		return;
	}
	/* a C2 connection held open for hours has exchanged data already */
	analyzer_grade_pending(an);
	n = analyzer_verdicts(an, devs, SW_CORR_MAX_DEVICES, &now);
	unseen_collect(analyzer_get_counters(an), x->iface == NULL, &u);
	(void)emit_report(x, an, &u, devs, n, now);
	free(devs);
}

/*
 * A replay into a directory whose notice.log holds notices already would
 * add to them, and a reader would count an earlier run's notices as this
 * capture's: refused (with the reason) unless --append.
 */
static int
earlier_run(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/notice.log", dir);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 0;
	fprintf(stderr,
	    "stalkerwatch: %s already holds %lld bytes of "
	    "notices from an earlier run: replaying would add to them; "
	    "use another -o directory, remove the file, or give --append\n",
	    path, (long long)st.st_size);
	return 1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = { { "read", required_argument,
						      NULL, 'r' },
		{ "interface", required_argument, NULL, 'i' },
		{ "logdir", required_argument, NULL, 'o' },
		{ "intel", required_argument, NULL, 'I' },
		{ "conn-log", no_argument, NULL, 'C' },
		{ "filter", required_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "suppress-for", required_argument, NULL, OPT_SUPPRESS },
		{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
		{ "stats-interval", required_argument, NULL,
		    OPT_STATS_INTERVAL },
		{ "lenient", no_argument, NULL, OPT_LENIENT },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "home-net", required_argument, NULL, OPT_HOME_NET },
		{ "beacon-lan", no_argument, NULL, OPT_BEACON_LAN },
		{ "append", no_argument, NULL, OPT_APPEND },
		{ "geoip-db", required_argument, NULL, OPT_GEOIP_DB },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "sensor-name", required_argument, NULL, OPT_SENSOR_NAME },
		{ "syslog", required_argument, NULL, OPT_SYSLOG },
		{ "community-id-seed", required_argument, NULL, OPT_CID_SEED },
		{ "name-hold", required_argument, NULL, OPT_NAME_HOLD },
		{ "verdict-window", required_argument, NULL,
		    OPT_VERDICT_WINDOW },
		{ "known-good", required_argument, NULL, 'A' },
		{ "dns-log", no_argument, NULL, OPT_DNS_LOG },
		{ "ssl-log", no_argument, NULL, OPT_SSL_LOG },
		{ "vendor-sites", no_argument, NULL, OPT_VENDOR_SITES },
		{ "no-beacon", no_argument, NULL, OPT_NO_BEACON },
		{ "beacon-min-events", required_argument, NULL, OPT_B_EVENTS },
		{ "beacon-min-score", required_argument, NULL, OPT_B_SCORE },
		{ "beacon-max-up", required_argument, NULL, OPT_B_UP },
		{ "beacon-max-down", required_argument, NULL, OPT_B_DOWN },
		{ "beacon-idle-gap", required_argument, NULL, OPT_B_GAP },
		{ "beacon-min-period", required_argument, NULL, OPT_B_PMIN },
		{ "beacon-max-period", required_argument, NULL, OPT_B_PMAX },
		{ "beacon-trackers", required_argument, NULL, OPT_B_TRACKERS },
		{ "beacon-fast-events", required_argument, NULL, OPT_B_FAST },
		{ "no-default-iocs", no_argument, NULL, OPT_NO_DEFAULT_IOCS },
		{ "allow-empty-iocs", no_argument, NULL, OPT_ALLOW_EMPTY },
		{ "check-iocs", no_argument, NULL, OPT_CHECK_IOCS },
		{ NULL, 0, NULL, 0 } };
	const char *files[SW_MAX_FILES];
	const char *iocs[SW_MAX_FILES];
	const char *good[SW_MAX_FILES];
	struct iocset sets;
	int ngood = 0;
	int nfiles = 0, niocs = 0, quiet = 0, have_seed = 0, have_home = 0, ch,
	    i, rc;
	int no_default_iocs = 0, allow_empty = 0, check_iocs = 0, append = 0;
	const char *geo_paths[2], *sensor_name = NULL, *syslog_to = NULL;
	struct syslog_out *slog = NULL;
	char hostbuf[256];
	uint16_t cid_seed = 0;
	int ngeo = 0;
	struct geo *geo = NULL;
	const char *iface = NULL, *bpf = NULL, *user = NULL;
	struct analyzer_config acfg;
	struct intel_load_opts lopts;
	struct analyzer_signals sigs;
	struct sigaction sa;
	struct intel *intel = NULL;
	struct capture *cap = NULL;
	struct ring *ring = NULL;
	struct analyzer *an = NULL;
	const struct analyzer_counters *ctr;
	const struct notice_stats *ns;
	const struct flow_stats *fs;
	struct capture_stats cs;
	char err[ERRLEN], dirbuf[PATH_MAX];
	uint64_t seed = 0, lost;
	unsigned ioc_warnings = 0;
	const struct corr_device **verdicts = NULL;
	size_t nverd = 0, vi;
	int64_t vnow = 0;
	char vline[1024];
	struct unseen uns;
	struct reportctx rep;
	int blind;

	memset(&acfg, 0, sizeof(acfg));
	memset(&rep, 0, sizeof(rep));
	acfg.logdir = ".";
	acfg.stats_log = 1;
	acfg.suppress_for_s = SW_SUPPRESS_FOR;
	acfg.stats_interval_s = SW_STATS_INTERVAL;
	flow_config_default(&acfg.flow);
	beacon_config_default(&acfg.beacon);
	homenet_default(&acfg.home);
	acfg.name_hold_s = SW_NAME_HOLD_S;
	memset(&lopts, 0, sizeof(lopts));
	lopts.warn = warn_ioc;
	lopts.warn_ctx = &ioc_warnings;

	while ((ch = getopt_long(argc, argv, "r:i:o:I:A:Cf:u:qhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (nfiles == SW_MAX_FILES)
				die_usage("too many -r files", NULL);
			files[nfiles++] = optarg;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'o':
			acfg.logdir = optarg;
			break;
		case 'I':
			if (niocs == SW_MAX_FILES)
				die_usage("too many -I files", NULL);
			iocs[niocs++] = optarg;
			break;
		case 'A':
			if (ngood == SW_MAX_FILES)
				die_usage("too many -A files", NULL);
			good[ngood++] = optarg;
			break;
		case 'C':
			acfg.conn_log = 1;
			break;
		case OPT_DNS_LOG:
			acfg.dns_log = 1;
			break;
		case OPT_SSL_LOG:
			acfg.ssl_log = 1;
			break;
		case OPT_VENDOR_SITES:
			acfg.vendor_sites = 1;
			break;
		case OPT_NO_BEACON:
			acfg.no_beacon = 1;
			break;
		case OPT_B_EVENTS:
			acfg.beacon.min_events = (uint32_t)parse_num(
			    "--beacon-min-events", optarg, SW_BEACON_HISTORY);
			if (acfg.beacon.min_events < 3)
				die_usage("--beacon-min-events must be at "
				    "least 3", NULL);
			break;
		case OPT_B_SCORE:
			acfg.beacon.min_score = (double)parse_num(
			    "--beacon-min-score", optarg, 100) / 100.0;
			break;
		case OPT_B_UP:
			acfg.beacon.max_up = (uint32_t)parse_num(
			    "--beacon-max-up", optarg, UINT32_MAX);
			break;
		case OPT_B_DOWN:
			acfg.beacon.max_down = (uint32_t)parse_num(
			    "--beacon-max-down", optarg, UINT32_MAX);
			break;
		case OPT_B_GAP:
			acfg.beacon.idle_gap_s = (uint32_t)parse_num(
			    "--beacon-idle-gap", optarg, 86400);
			break;
		case OPT_B_PMIN:
			acfg.beacon.min_period_s = (uint32_t)parse_num(
			    "--beacon-min-period", optarg, 86400);
			break;
		case OPT_B_PMAX:
			acfg.beacon.max_period_s = (uint32_t)parse_num(
			    "--beacon-max-period", optarg, 7 * 86400);
			break;
		case OPT_B_FAST:
			acfg.beacon.fast_min_events = (uint32_t)parse_num(
			    "--beacon-fast-events", optarg, SW_BEACON_HISTORY);
			break;
		case OPT_B_TRACKERS:
			acfg.beacon.max_trackers = (uint32_t)parse_num(
			    "--beacon-trackers", optarg, 1u << 22);
			break;
		case 'f':
			bpf = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("stalkerwatch %s\n", SW_VERSION);
			return 0;
		case OPT_SUPPRESS:
			acfg.suppress_for_s = (uint32_t)parse_num(
			    "--suppress-for", optarg, 365u * 86400);
			break;
		case OPT_MAX_FLOWS:
			acfg.flow.max_flows = (uint32_t)parse_num(
			    "--max-flows", optarg, 1u << 26);
			if (acfg.flow.max_flows == 0)
				die_usage("--max-flows must be at least 1",
				    NULL);
			break;
		case OPT_STATS_INTERVAL:
			acfg.stats_interval_s = (uint32_t)parse_num(
			    "--stats-interval", optarg, 86400);
			break;
		case OPT_LENIENT:
			lopts.lenient = 1;
			break;
		case OPT_NO_DEFAULT_IOCS:
			no_default_iocs = 1;
			break;
		case OPT_ALLOW_EMPTY:
			allow_empty = 1;
			break;
		case OPT_CHECK_IOCS:
			check_iocs = 1;
			break;
		case OPT_SEED:
			seed = parse_num("--seed", optarg, UINT64_MAX);
			have_seed = 1;
			break;
		case OPT_HOME_NET:
			/* the first --home-net replaces the defaults */
			if (!have_home)
				homenet_clear(&acfg.home);
			have_home = 1;
			if (homenet_add(&acfg.home, optarg, err) != 0)
				die_usage(err, NULL);
			break;
		case OPT_NAME_HOLD:
			acfg.name_hold_s = (uint32_t)parse_num("--name-hold",
			    optarg, 30 * 86400);
			break;
		case OPT_VERDICT_WINDOW:
			acfg.verdict_window_s = (uint32_t)parse_num(
			    "--verdict-window", optarg, 365 * 86400);
			if (acfg.verdict_window_s == 0)
				die_usage("--verdict-window: must be at least "
					  "1 second",
				    NULL);
			break;
		case OPT_APPEND:
			append = 1;
			break;
		case OPT_REPORT:
			rep.path = optarg;
			break;
		case OPT_SYSLOG:
			syslog_to = optarg;
			break;
		case OPT_SENSOR_NAME:
			if (optarg[0] == '\0' || strlen(optarg) >= RECMETA_NAME)
				die_usage("--sensor-name: 1 to 63 bytes", NULL);
			sensor_name = optarg;
			break;
		case OPT_CID_SEED:
			cid_seed = (uint16_t)parse_num("--community-id-seed",
			    optarg, 65535);
			break;
		case OPT_GEOIP_DB:
			if (ngeo == 2)
				die_usage(
				    "--geoip-db: at most two files (a "
				    "City or Country and an ASN database)",
				    NULL);
			geo_paths[ngeo++] = optarg;
			break;
		case OPT_BEACON_LAN:
			acfg.beacon_lan = 1;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		die_usage("unexpected argument", argv[optind]);
	if (!acfg.no_beacon && beacon_config_check(&acfg.beacon, err) != 0)
		die_usage(err, NULL);
	/* replay on a terminal: show that a long capture is moving */
	acfg.progress = !quiet && nfiles > 0 && isatty(STDERR_FILENO);
	if (check_iocs && (nfiles > 0 || iface != NULL))
		die_usage("--check-iocs reads no packets: drop -r and -i",
		    NULL);
	if (nfiles == 0 && iface == NULL && !check_iocs)
		die_usage("nothing to read: give -r FILE or -i IFACE", NULL);
	if (nfiles > 0 && iface != NULL)
		die_usage("-r and -i cannot be combined", NULL);
	if (no_default_iocs && niocs == 0 && !allow_empty)
		die_usage("--no-default-iocs needs -I FILE (or "
		    "--allow-empty-iocs)", NULL);
	if (!check_iocs && strcmp(acfg.logdir, "-") != 0 &&
	    !is_dir(acfg.logdir)) {
		fprintf(stderr, "stalkerwatch: log directory %s: %s\n",
		    acfg.logdir, errno == ENOENT ? "does not exist" :
		    "not a directory");
		return EXIT_RUNTIME;
	}
	if (capture_check_filter(bpf, err, sizeof(err)) != 0) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		return EXIT_USAGE;
	}
	if (!have_seed && getrandom(&seed, sizeof(seed), 0) !=
	    (ssize_t)sizeof(seed)) {
		fprintf(stderr, "stalkerwatch: getrandom: %s\n",
		    strerror(errno));
		return EXIT_RUNTIME;
	}
	acfg.flow.seed = seed;
	/* every record's peer_descr, and _path when logs share stdout */
	if (sensor_name == NULL && gethostname(hostbuf, sizeof(hostbuf)) == 0) {
		hostbuf[sizeof(hostbuf) - 1] = '\0';
		sensor_name = hostbuf;
	}
	recmeta_set(sensor_name,
	    strcmp(acfg.logdir, "-") == 0 &&
		(acfg.conn_log || acfg.dns_log || acfg.ssl_log));
	community_id_set_seed(cid_seed);
	/* one seed: each table derives its own key from it and its name */
	acfg.beacon.seed = seed;

	/* indicators first: a bad IOC file is a configuration error */
	memset(&sets, 0, sizeof(sets));
	sets.iocs = iocs;
	sets.niocs = niocs;
	sets.no_default = no_default_iocs;
	sets.good = good;
	sets.ngood = ngood;
	sets.lopts = lopts;
	sets.warnings = &ioc_warnings;
	if (!no_default_iocs || ngood == 0)
		sets.iocdir = find_ioc_dir(dirbuf, sizeof(dirbuf));
	if (!no_default_iocs && sets.iocdir == NULL) {
		fprintf(stderr, "stalkerwatch: bundled indicators not found "
		    "(looked for iocs/ beside the program and in %s/iocs); "
		    "give --no-default-iocs -I FILE\n", SW_DATADIR);
		return EXIT_USAGE;
	}
	if (load_sets(&sets, &sets.intel, &sets.known_good, err,
	    sizeof(err)) != 0) {
		if (err[0] != '\0')
			fprintf(stderr, "stalkerwatch: %s\n", err);
		return EXIT_USAGE;
	}
	intel = sets.intel;
	if (!quiet || check_iocs)
		print_loaded(check_iocs ? stdout : stderr, "loaded", &sets,
		    intel);
	if (intel_count_all(intel) == 0 && !allow_empty) {
		fprintf(stderr, "stalkerwatch: no indicator loaded (empty "
		    "files%s): nothing could be recognised; give "
		    "--allow-empty-iocs to run anyway\n", lopts.lenient ?
		    ", or every line skipped by --lenient" : "");
		rc = EXIT_USAGE;
		goto out;
	}
	if (check_iocs) {
		rc = 0;
		goto out;
	}

	if (nfiles > 0)
		cap = capture_open_files(files, nfiles, bpf, err, sizeof(err));
	else
		cap = capture_open_live(iface, bpf, SW_SNAPLEN, err,
		    sizeof(err));
	if (cap == NULL) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		rc = EXIT_RUNTIME;
		goto out;
	}
	/* a damaged or wrong GeoIP file is a configuration error too */
	if (ngeo > 0 && (geo = geo_open(geo_paths, ngeo, seed, err)) == NULL) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	acfg.geo = geo;
	if (syslog_to != NULL &&
	    (slog = syslog_out_new(syslog_to, recmeta_sensor(), err)) == NULL) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		rc = EXIT_USAGE;
		goto out;
	}
	acfg.syslog = slog;
	/* after every configuration check: those errors come first */
	if (nfiles > 0 && !append && strcmp(acfg.logdir, "-") != 0 &&
	    earlier_run(acfg.logdir)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if ((ring = ring_new(iface != NULL ? SW_RING_BYTES :
	    SW_REPLAY_RING_BYTES, err, sizeof(err))) == NULL ||
	    (an = analyzer_new(&acfg, intel, err, sizeof(err))) == NULL) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		rc = EXIT_RUNTIME;
		goto out;
	}
	analyzer_set_known_good(an, sets.known_good);
	if (user != NULL && drop_privileges(user, err, sizeof(err)) != 0) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		rc = EXIT_RUNTIME;
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout is a write error */

	/* the capture thread decodes and hashes: see analyzer_classify() */
	capture_set_classifier(cap, analyzer_classify,
	    analyzer_classify_ctx(an));
	if (capture_start(cap, ring, err, sizeof(err)) != 0) {
		fprintf(stderr, "stalkerwatch: %s\n", err);
		rc = EXIT_RUNTIME;
		goto out;
	}
	sigs.stop = &sig_stop;
	sigs.hup = &sig_hup;
	sigs.usr1 = &sig_usr1;
	sigs.reload = reload_sets;
	sigs.reload_ctx = &sets;
	rep.files = files;
	rep.nfiles = nfiles;
	rep.iface = iface;
	rep.sets = &sets;
	rep.cap = cap;
	if (rep.path != NULL) {
		/* a live sensor's report on demand (SIGUSR1) and at exit */
		sigs.usr1_cb = report_on_usr1;
		sigs.usr1_ctx = &rep;
	}
	analyzer_run(an, ring, cap, &sigs);
	capture_join(cap);
	analyzer_finish(an, cap);

	rc = 0;
	for (i = 0; i < capture_error_count(cap); i++) {
		fprintf(stderr, "stalkerwatch: %s\n", capture_error(cap, i));
		rc = EXIT_RUNTIME;
	}
	/* a replay that lost log lines did not leave the whole answer on
	 * disk (each cause was told as it came); live keeps running */
	lost = analyzer_log_errors(an);
	if (lost != 0 && nfiles > 0)
		rc = EXIT_RUNTIME;
	capture_get_stats(cap, &cs);
	if (cs.bad_ts > 0)
		fprintf(stderr,
		    "stalkerwatch: %llu packets had a time stamp beyond "
		    "the year 9999 or before 1901 and were skipped "
		    "(corrupt capture)\n",
		    (unsigned long long)cs.bad_ts);
	ctr = analyzer_get_counters(an);
	/* what could not be seen, before what was; no IP traffic at all is
	 * an error, not an all-clear */
	unseen_collect(ctr, iface == NULL, &uns);
	blind = uns.blind;
	if (blind)
		rc = EXIT_RUNTIME;
	for (i = 0; i < uns.n; i++)
		if (!quiet || blind)
			fprintf(stderr, "stalkerwatch: %s\n", uns.line[i]);
	verdicts = calloc(SW_CORR_MAX_DEVICES, sizeof(*verdicts));
	if (verdicts != NULL) {
		nverd = analyzer_verdicts(an, verdicts, SW_CORR_MAX_DEVICES,
		    &vnow);
	} else {
		/* not an all-clear: the verdicts exist, unlisted */
		fprintf(stderr,
		    "stalkerwatch: out of memory listing the "
		    "verdicts: could not tell; see the notices\n");
		rc = EXIT_RUNTIME;
		quiet = 1;
	}
	if (rep.path != NULL && verdicts != NULL &&
	    emit_report(&rep, an, &uns, verdicts, nverd, vnow) != 0)
		rc = EXIT_RUNTIME;
	if (!quiet) {
		ns = analyzer_notice_stats(an);
		fs = analyzer_flow_stats(an);
		capture_get_stats(cap, &cs);
		fprintf(stderr, "stalkerwatch: %llu packets, %llu connections, "
		    "%llu notices (%llu suppressed), %llu malformed, "
		    "%llu dropped\n",
		    (unsigned long long)ctr->packets,
		    (unsigned long long)fs->created,
		    (unsigned long long)ns->written,
		    (unsigned long long)ns->suppressed,
		    (unsigned long long)ctr->malformed,
		    (unsigned long long)(cs.ring_drops + cs.kernel_drops));
		if (lost != 0)
			fprintf(stderr,
			    "stalkerwatch: %llu log lines "
			    "could not be written\n",
			    (unsigned long long)lost);
		/* the answer an analyst replaying a phone's capture wants:
		 * one line per device, most urgent first */
		for (vi = 0; vi < nverd; vi++) {
			policy_verdict_words(analyzer_correlate(an),
			    verdicts[vi], vnow, vline, sizeof(vline));
			fprintf(stderr, "stalkerwatch: %s\n", vline);
		}
		if (nverd == 0 && !blind && uns.why[0] != '\0')
			fprintf(stderr,
			    "stalkerwatch: could not tell: nothing "
			    "was found, but %s\n",
			    uns.why);
		else if (nverd == 0 && !blind)
			fprintf(stderr,
			    "stalkerwatch: no device showed "
			    "stalkerware evidence in what could be seen\n");
	}
	free(verdicts);
out:
	analyzer_free(an);
	ring_free(ring);
	capture_free(cap);
	intel_free(sets.intel);
	intel_free(sets.known_good);
	geo_free(geo);
	syslog_out_free(slog);
	return rc;
}

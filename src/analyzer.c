/*
 * analyzer.c - decode, track, match, notify: the analyzer thread's work.
 *
 * struct analyzer holds the flow table, the notice context, the sinks and
 * the counters.  The per-packet path (analyzer_run() decodes into a
 * struct packet, process() takes it) updates one flow, and only on a new
 * connection does more (two intel lookups).  Everything periodic (idle
 * sweeps, stats lines, rotation checks) runs when network time crosses a
 * whole second, so its cost does not grow with the packet rate.
 */
#include "analyzer.h"

#include "beacon.h"
#include "correlate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "config.h"
#include "dns.h"
#include "http.h"
#include "jbuf.h"
#include "logw.h"
#include "names.h"
#include "policy.h"
#include "strtab.h"
#include "notice.h"
#include "reasm.h"
#include "tls.h"

/* app_flow.flags bits */
#define APP_HTTP_DONE	0x01	/* first client payload looked at for HTTP */

/* The app layer's extension slot in every flow (flow_ext()). */
struct app_flow {
	struct tls_flow tls[2];	  /* ClientHello search per direction */
	uint32_t dns_next_seq[2]; /* DNS over TCP: next message start */
	uint16_t dns_body_len[2]; /* DNS over TCP: prefix came alone */
	uint8_t flags;		  /* APP_* */
};

/* The beacon events' slot (only when beacon detection is on): the
 * current burst of client data. */
struct burst {
	int64_t start_us;
	int64_t last_us; /* last payload of the burst, either way */
	uint32_t up, down;
};

struct analyzer {
	struct analyzer_config cfg;
	const struct intel *intel;
	struct flow_table *flows;
	struct notice_ctx *notices;
	struct logw *notice_log;
	struct logw *conn_log;		/* NULL unless enabled */
	struct logw *stats_log;		/* NULL unless enabled */
	struct capture *cap;		/* for stats, may be NULL */
	struct reasm *reasm;		/* TLS first-flight reassembly */
	struct strtab *snames;		/* connections' server names */
	struct names_cache *names;	/* (device, address) -> DNS name */
	struct beacon_table *beacons;	/* NULL when beacon detection is off */
	struct correlate *corr;		/* per-device evidence */
	struct policy *policy;		/* what becomes a notice */
	const struct intel *known_good;
	struct logw *dns_log;		/* NULL unless enabled */
	struct logw *ssl_log;		/* NULL unless enabled */
	struct dns_msg dnsmsg;		/* 17 KB: too big for the stack */
	uint32_t app_off;		/* struct app_flow in each flow */
	uint32_t burst_off;		/* struct burst in each flow */

	int64_t now_us;			/* network time */
	time_t progress_wall;		/* last progress line, wall clock */
	time_t flush_wall;		/* bulk logs last flushed, wall clock */
	int64_t next_tick_us;		/* next whole-second work */
	int64_t next_stats_us;
	struct analyzer_counters ctr;
	int intel_logged;		/* the set's stats.log record written */
	char line[SW_LOG_LINE_MAX];	/* conn.log line being built */
	char stats_line[SW_STATS_LINE_MAX];
};

static void on_flow_end(void *ctx, struct flow *f,
    enum flow_end_reason why);
static void set_server_name(struct analyzer *a, struct flow *f,
    const char *name, uint8_t src);
static void process_flow(struct analyzer *a, struct flow *f,
    const struct packet *p, int is_new, int from_orig);
static void beacon_burst_end(struct analyzer *a, const struct flow *f);
static uint64_t logs_lost(const struct analyzer *a);

struct analyzer *
analyzer_new(const struct analyzer_config *cfg, const struct intel *intel,
    char *errbuf, size_t errlen)
{
	struct analyzer *a;
	struct names_config ncfg;
	struct flow_config fcfg;
	int to_stdout;

	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	a->cfg = *cfg;
	a->intel = intel;
	to_stdout = strcmp(cfg->logdir, "-") == 0;
	a->notice_log = logw_open(cfg->logdir, "notice.log", errbuf, errlen);
	if (a->notice_log == NULL)
		goto fail;
	if (cfg->conn_log && (a->conn_log = logw_open(cfg->logdir, "conn.log",
	    errbuf, errlen)) == NULL)
		goto fail;
	if (cfg->stats_log && !to_stdout && (a->stats_log =
	    logw_open(cfg->logdir, "stats.log", errbuf, errlen)) == NULL)
		goto fail;
	a->notices = notice_ctx_new(a->notice_log, cfg->suppress_for_s, 0,
	    cfg->flow.seed, errbuf, errlen);
	if (a->notices == NULL)
		goto fail;
	/* each layer's per-flow state, in slots of the flow's entry */
	fcfg = cfg->flow;
	a->app_off = flow_ext_add(&fcfg, sizeof(struct app_flow));
	if (!cfg->no_beacon)
		a->burst_off = flow_ext_add(&fcfg, sizeof(struct burst));
	a->flows = flow_table_new(&fcfg, on_flow_end, a, errbuf);
	if (a->flows == NULL)
		goto fail;
	a->reasm = reasm_new(0, 0, errbuf);
	if (a->reasm == NULL)
		goto fail;
	if ((a->snames = strtab_new(0, cfg->flow.seed ^ 0x736e616d6573ULL,
	    errbuf)) == NULL)	/* "snames" */
		goto fail;
	names_config_default(&ncfg);
	ncfg.seed = cfg->flow.seed ^ 0x6e616d6573ULL;	/* "names" */
	if ((a->names = names_new(&ncfg, errbuf)) == NULL)
		goto fail;
	if (!cfg->no_beacon && (a->beacons = beacon_new(&cfg->beacon,
	    errbuf)) == NULL)
		goto fail;
	if ((a->corr = correlate_new(0, cfg->flow.seed ^ 0x636f7272ULL,
	    errbuf)) == NULL)
		goto fail;
	if ((a->policy = policy_new(a->notices, a->corr, cfg->vendor_sites,
	    errbuf)) == NULL)
		goto fail;
	if (cfg->dns_log && (a->dns_log = logw_open(cfg->logdir, "dns.log",
	    errbuf, errlen)) == NULL)
		goto fail;
	if (cfg->ssl_log && (a->ssl_log = logw_open(cfg->logdir, "ssl.log",
	    errbuf, errlen)) == NULL)
		goto fail;
	if ((a->conn_log != NULL &&
		logw_set_buffer(a->conn_log, SW_LOG_BUFFER) != 0) ||
	    (a->dns_log != NULL &&
		logw_set_buffer(a->dns_log, SW_LOG_BUFFER) != 0) ||
	    (a->ssl_log != NULL &&
		logw_set_buffer(a->ssl_log, SW_LOG_BUFFER) != 0)) {
		snprintf(errbuf, errlen, "out of memory for the log buffers");
		goto fail;
	}
	a->now_us = INT64_MIN;
	return a;
fail:
	analyzer_free(a);
	return NULL;
}

void
analyzer_set_intel(struct analyzer *a, const struct intel *intel)
{
	a->intel = intel;
	a->intel_logged = 0;	/* say what the reload gave */
}

void
analyzer_set_known_good(struct analyzer *a, const struct intel *good)
{
	a->known_good = good;
}

void
analyzer_free(struct analyzer *a)
{
	if (a == NULL)
		return;
	flow_table_free(a->flows);
	reasm_free(a->reasm);
	strtab_free(a->snames);
	names_free(a->names);
	beacon_free(a->beacons);
	policy_free(a->policy);
	correlate_free(a->corr);
	logw_close(a->dns_log);
	logw_close(a->ssl_log);
	notice_ctx_free(a->notices);
	logw_close(a->notice_log);
	logw_close(a->conn_log);
	logw_close(a->stats_log);
	free(a);
}

/* One conn.log line, Zeek's field names and order. */
static void
on_flow_end(void *ctx, struct flow *f, enum flow_end_reason why)
{
	struct analyzer *a = ctx;
	struct app_flow *af = flow_ext(f, a->app_off);
	struct jbuf j;

	(void)why;
	/* a ClientHello still being collected gives its slot back */
	tls_flow_end(&af->tls[0], a->reasm);
	tls_flow_end(&af->tls[1], a->reasm);
	beacon_burst_end(a, f);
	strtab_release(a->snames, f->name_id);
	f->name_id = 0;
	if (a->conn_log == NULL)
		return;
	jbuf_init(&j, a->line, sizeof(a->line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", f->first_us);
	notice_put_conn_id(&j, f);
	jbuf_str(&j, "proto", flow_proto_name(f));
	/* Zeek leaves these unset for a connection of zero duration */
	if (f->last_us > f->first_us) {
		jbuf_interval(&j, "duration", f->last_us - f->first_us);
		jbuf_u64(&j, "orig_bytes", f->orig_bytes);
		jbuf_u64(&j, "resp_bytes", f->resp_bytes);
	}
	jbuf_str(&j, "conn_state", flow_conn_state(f));
	jbuf_u64(&j, "missed_bytes", f->missed_bytes);
	jbuf_strn(&j, "history", f->history, f->history_len);
	jbuf_u64(&j, "orig_pkts", f->orig_pkts);
	jbuf_u64(&j, "orig_ip_bytes", f->orig_ip_bytes);
	jbuf_u64(&j, "resp_pkts", f->resp_pkts);
	jbuf_u64(&j, "resp_ip_bytes", f->resp_ip_bytes);
	if (f->has_orig_l2)
		jbuf_mac(&j, "orig_l2_addr", f->orig_l2);
	if (f->has_resp_l2)
		jbuf_mac(&j, "resp_l2_addr", f->resp_l2);
	if (f->vlan != 0)
		jbuf_u64(&j, "vlan", f->vlan);
	if (f->inner_vlan != 0)
		jbuf_u64(&j, "inner_vlan", f->inner_vlan);
	jbuf_close(&j);
	if (j.overflow || logw_write(a->conn_log, j.buf, j.len) != 0)
		a->ctr.conn_log_errors++;
}

/* Match both ends of a new connection, as Zeek's Intel framework does. */
static void
intel_check_conn(struct analyzer *a, struct flow *f)
{
	static const char *const where[2] = { "Conn::IN_RESP",
	    "Conn::IN_ORIG" };
	const uint8_t *hit_addr[2] = { f->resp_h, f->orig_h };
	const uint8_t *other[2] = { f->orig_h, f->resp_h };
	const struct intel_item *it;
	int i;

	for (i = 0; i < 2; i++) {
		it = intel_match_addr(a->intel, hit_addr[i]);
		if (it != NULL)
			policy_intel(a->policy, f, it, other[i], hit_addr[i],
			    NULL, strtab_get(a->snames, f->name_id), where[i],
			    f->first_us);
	}
}

/* A name seen on the wire: a domain indicator? */
static const struct intel_item *
intel_check_name(struct analyzer *a, const struct flow *f, const char *name,
    const uint8_t *device, const uint8_t *server, const char *where,
    int64_t ts_us)
{
	const struct intel_item *it;

	if (a->intel == NULL || name == NULL || name[0] == '\0')
		return NULL;
	it = intel_match_domain(a->intel, name);
	if (it != NULL)
		policy_intel(a->policy, f, it, device, server, name, NULL,
		    where, ts_us);
	return it;
}

/*
 * A new connection to an address the device resolved: name it, and when
 * the name is a C2 indicator, the address is one too, for this device and
 * for the answer's TTL (the cache's entry).  Not for shared platforms:
 * their addresses serve every tenant.
 */
static void
names_check_conn(struct analyzer *a, struct flow *f)
{
	const struct intel_item *it;
	const char *name, *cname = NULL;

	name = names_lookup(a->names, f->orig_h, f->resp_h, f->first_us,
	    &cname);
	if (name == NULL)
		return;
	set_server_name(a, f, name, FLOW_NAME_DNS);
	if (a->intel == NULL)
		return;
	it = intel_match_domain(a->intel, name);
	if (it == NULL && cname != NULL)
		it = intel_match_domain(a->intel, (name = cname));
	if (it != NULL && !it->platform)
		policy_intel(a->policy, f, it, f->orig_h, f->resp_h, name,
		    NULL, "Conn::IN_RESP", f->first_us);
}

static void
write_stats(struct analyzer *a, int final)
{
	struct capture_stats cs;
	const struct flow_stats *fs;
	const struct notice_stats *ns;
	struct jbuf j;
	int i;

	if (a->stats_log == NULL)
		return;
	memset(&cs, 0, sizeof(cs));
	if (a->cap != NULL)
		capture_get_stats(a->cap, &cs);
	fs = flow_table_stats(a->flows);
	ns = notice_get_stats(a->notices);
	jbuf_init(&j, a->stats_line, sizeof(a->stats_line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", a->now_us == INT64_MIN ? 0 : a->now_us);
	jbuf_str(&j, "peer", "stalkerwatch");
	jbuf_bool(&j, "final", final);
	jbuf_u64(&j, "pkts_proc", a->ctr.packets);
	jbuf_u64(&j, "bytes_recv", a->ctr.bytes);
	jbuf_u64(&j, "pkts_dropped", cs.kernel_drops);
	jbuf_u64(&j, "pkts_ifdropped", cs.iface_drops);
	jbuf_u64(&j, "ring_drops", cs.ring_drops);
	jbuf_u64(&j, "pkts_malformed", a->ctr.malformed);
	jbuf_u64(&j, "active_conns", fs->active);
	jbuf_u64(&j, "max_conns", fs->active_max);
	jbuf_u64(&j, "conns", fs->created);
	jbuf_u64(&j, "conns_evicted", fs->evicted);
	jbuf_u64(&j, "intel_hits", policy_get_stats(a->policy)->intel_hits);
	jbuf_u64(&j, "notices", ns->written);
	jbuf_u64(&j, "notices_suppressed", ns->suppressed);
	jbuf_u64(&j, "log_write_errors",
	    ns->write_errors + a->ctr.conn_log_errors + logs_lost(a));
	jbuf_u64(&j, "vendor_site_hits",
	    policy_get_stats(a->policy)->website_hits);
	jbuf_u64(&j, "devices_with_evidence",
	    correlate_get_stats(a->corr)->devices);
	jbuf_u64(&j, "survivor_risk_devices",
	    correlate_get_stats(a->corr)->verdicts);
	jbuf_u64(&j, "dns_messages", a->ctr.dns[DNS_OK]);
	jbuf_u64(&j, "names_cached", names_stats(a->names)->entries);
	jbuf_u64(&j, "names_evicted", names_stats(a->names)->evicted);
	jbuf_u64(&j, "server_names", strtab_get_stats(a->snames)->entries);
	jbuf_u64(&j, "server_names_refused",
	    strtab_get_stats(a->snames)->refused);
	jbuf_u64(&j, "tls_client_hellos", a->ctr.tls[TLS_OK]);
	if (a->beacons != NULL) {
		jbuf_u64(&j, "beacon_events", beacon_get_stats(a->beacons)->events);
		jbuf_u64(&j, "beacon_gated", a->ctr.beacon_gated +
		    beacon_get_stats(a->beacons)->gated);
		jbuf_u64(&j, "beacon_known_good", a->ctr.beacon_known_good);
		jbuf_u64(&j, "beacon_trackers",
		    beacon_get_stats(a->beacons)->trackers);
		jbuf_u64(&j, "beacon_evicted",
		    beacon_get_stats(a->beacons)->evicted);
	}
	jbuf_u64(&j, "http_hosts", a->ctr.http_hosts);
	jbuf_u64(&j, "reasm_in_use_max", reasm_stats(a->reasm)->in_use_max);
	jbuf_u64(&j, "reasm_exhausted", reasm_stats(a->reasm)->exhausted);
	jbuf_key_open(&j, "decoder");
	for (i = 1; i < DS__COUNT; i++)
		if (a->ctr.decode[i] != 0)
			jbuf_u64(&j, decode_status_key((enum decode_status)i),
			    a->ctr.decode[i]);
	for (i = 1; i < DNS__COUNT; i++)
		if (a->ctr.dns[i] != 0)
			jbuf_u64(&j, dns_status_key((enum dns_status)i),
			    a->ctr.dns[i]);
	if (a->ctr.dns_tcp_partial != 0)
		jbuf_u64(&j, "dns.tcp_partial", a->ctr.dns_tcp_partial);
	for (i = 0; i < TLS__COUNT; i++)
		if (a->ctr.tls[i] != 0)
			jbuf_u64(&j, tls_status_key((enum tls_status)i),
			    a->ctr.tls[i]);
	for (i = 0; i < HTTP__COUNT; i++)
		if (a->ctr.http[i] != 0)
			jbuf_u64(&j, http_status_key((enum http_status)i),
			    a->ctr.http[i]);
	jbuf_close(&j);
	jbuf_close(&j);
	if (!j.overflow)
		logw_write(a->stats_log, j.buf, j.len);
}

/*
 * What the indicator set holds, as one stats.log record: the counts per
 * category, role and type, and the apps.  Written at the first packet
 * (network time is known then) and after each reload, so an analyst can
 * tell which indicators a run was judged against.
 */
static void
write_intel_stats(struct analyzer *a)
{
	static const enum intel_category cats[] = { INTEL_CAT_STALKERWARE,
	    INTEL_CAT_WATCHWARE };
	static const enum intel_role roles[] = { INTEL_ROLE_C2,
	    INTEL_ROLE_DISTRIBUTION, INTEL_ROLE_WEBSITE };
	static const struct {
		enum intel_type type;
		const char *key;
	} types[] = {
		{ INTEL_DOMAIN, "domains" },
		{ INTEL_ADDR, "addrs" },
		{ INTEL_SUBNET, "subnets" },
		{ INTEL_OTHER, "other" },
	};
	struct jbuf j;
	size_t c, r, t;

	a->intel_logged = 1;
	if (a->stats_log == NULL || a->intel == NULL)
		return;
	jbuf_init(&j, a->stats_line, sizeof(a->stats_line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", a->now_us == INT64_MIN ? 0 : a->now_us);
	jbuf_str(&j, "peer", "stalkerwatch");
	jbuf_key_open(&j, "indicators");
	jbuf_u64(&j, "total", intel_count_all(a->intel));
	jbuf_u64(&j, "shared_platforms", intel_count_platforms(a->intel));
	jbuf_u64(&j, "platform_names_dropped", intel_count_ignored(a->intel));
	for (c = 0; c < sizeof(cats) / sizeof(cats[0]); c++) {
		jbuf_key_open(&j, intel_category_name(cats[c]));
		jbuf_u64(&j, "apps", intel_count_apps(a->intel, cats[c]));
		for (r = 0; r < sizeof(roles) / sizeof(roles[0]); r++) {
			jbuf_key_open(&j, roles[r] == INTEL_ROLE_C2 ? "c2" :
			    intel_role_name(roles[r]));
			for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
				jbuf_u64(&j, types[t].key, intel_count_of(
				    a->intel, cats[c], roles[r],
				    types[t].type));
			jbuf_close(&j);
		}
		jbuf_close(&j);
	}
	jbuf_close(&j);
	jbuf_close(&j);
	if (!j.overflow)
		logw_write(a->stats_log, j.buf, j.len);
}

/*
 * A progress line on a terminal's stderr, at most once a wall-clock
 * second: a long replay should not look hung.  `done` ends the line.
 */
static void
progress(struct analyzer *a, int done)
{
	time_t now = time(NULL);
	char when[32];
	struct tm tm;
	time_t nt;

	if (!done && now == a->progress_wall)
		return;
	a->progress_wall = now;
	nt = (time_t)(a->now_us / 1000000);
	if (a->now_us == INT64_MIN || gmtime_r(&nt, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(when, sizeof(when), "-");
	fprintf(stderr, "\rstalkerwatch: %llu packets, network time %s UTC, "
	    "%llu notices%s", (unsigned long long)a->ctr.packets, when,
	    (unsigned long long)notice_get_stats(a->notices)->written,
	    done ? "\n" : "");
}

/* Write what the bulk logs hold, at most once a wall-clock second
 * unless `now`: a tailer sees records within a second. */
static void
flush_logs(struct analyzer *a, int now)
{
	time_t w = time(NULL);

	if (!now && w == a->flush_wall)
		return;
	a->flush_wall = w;
	if (a->conn_log != NULL)
		(void)logw_flush(a->conn_log);
	if (a->dns_log != NULL)
		(void)logw_flush(a->dns_log);
	if (a->ssl_log != NULL)
		(void)logw_flush(a->ssl_log);
}

/* Lines of the bulk logs lost to failed writes. */
static uint64_t
logs_lost(const struct analyzer *a)
{
	return (a->conn_log != NULL ? logw_lost(a->conn_log) : 0) +
	    (a->dns_log != NULL ? logw_lost(a->dns_log) : 0) +
	    (a->ssl_log != NULL ? logw_lost(a->ssl_log) : 0);
}

/* Work due when network time crosses a whole second. */
static void
tick(struct analyzer *a)
{
	if (!a->intel_logged)
		write_intel_stats(a);
	flow_expire(a->flows, a->now_us);
	if (a->stats_log != NULL && a->cfg.stats_interval_s > 0) {
		if (a->next_stats_us == 0)
			a->next_stats_us = a->now_us +
			    (int64_t)a->cfg.stats_interval_s * 1000000;
		else if (a->now_us >= a->next_stats_us) {
			write_stats(a, 0);
			a->next_stats_us = a->now_us +
			    (int64_t)a->cfg.stats_interval_s * 1000000;
		}
	}
	a->next_tick_us = a->now_us + (int64_t)SW_SWEEP_INTERVAL * 1000000;
	flush_logs(a, 0);
	if (a->cfg.progress)
		progress(a, 0);
}

static void
advance_time(struct analyzer *a, int64_t ts_us)
{
	if (ts_us <= a->now_us)
		return;		/* network time never goes backwards */
	if (a->now_us == INT64_MIN)
		a->next_tick_us = ts_us;
	a->now_us = ts_us;
	if (a->now_us >= a->next_tick_us)
		tick(a);
}

/*
 * Record a name for the connection's server when it is at least as good
 * as the one known (SNI over Host over DNS).  Names with bytes outside
 * printable ASCII are not names a device resolved: they are left out.
 */
static void
set_server_name(struct analyzer *a, struct flow *f, const char *name,
    uint8_t src)
{
	uint32_t id;

	if (src < f->name_src || name[0] == '\0')
		return;
	/* interned: the connection holds a handle, the name is held once
	 * for every connection to it (a full table keeps the old name) */
	if ((id = strtab_intern(a->snames, name, strlen(name))) == 0)
		return;
	strtab_release(a->snames, f->name_id);
	f->name_id = id;
	f->name_src = src;
}

/* TLS version number as Zeek's ssl.log writes it. */
static const char *
tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv10";
	case 0x0302: return "TLSv11";
	case 0x0303: return "TLSv12";
	case 0x0304: return "TLSv13";
	default: return "unknown";
	}
}

/* One ssl.log line per ClientHello (opt-in): what the client asked for. */
static void
log_ssl(struct analyzer *a, const struct flow *f, const struct packet *p,
    const struct tls_hello *h)
{
	struct jbuf j;

	jbuf_init(&j, a->line, sizeof(a->line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", p->ts_us);
	notice_put_conn_id(&j, f);
	jbuf_str(&j, "version", tls_version_name(h->version));
	if (h->has_sni)
		jbuf_str(&j, "server_name", h->sni);
	if (h->alpn[0] != '\0')
		jbuf_str(&j, "client_alpn", h->alpn);
	jbuf_close(&j);
	if (!j.overflow)
		logw_write(a->ssl_log, j.buf, j.len);
}

/*
 * TCP payload: the client's first flight may hold a TLS ClientHello (SNI)
 * or an HTTP/1.x request (Host).  Bounded: TLS stops looking after a few
 * segments, HTTP after the first.
 */
static void
app_tcp(struct analyzer *a, struct flow *f, const struct packet *p,
    int from_orig)
{
	struct tls_hello hello;
	struct http_request req;
	enum tls_feed_result r;
	enum tls_status st;
	enum http_status hst;
	int dir = from_orig ? 0 : 1;
	const struct tcp_endpoint *d = &f->tcp[dir];
	const uint8_t *dev = from_orig ? f->orig_h : f->resp_h;
	const uint8_t *srv = from_orig ? f->resp_h : f->orig_h;
	struct app_flow *af = flow_ext(f, a->app_off);

	if (!(af->tls[dir].flags & TLS_FLOW_DONE)) {
		r = tls_feed(&af->tls[dir], a->reasm, d->syn != 0, d->isn,
		    p->seq + ((p->tcp_flags & TCPF_SYN) ? 1 : 0), p->payload,
		    p->payload_caplen, &hello, &st);
		if (st < TLS__COUNT)
			a->ctr.tls[st]++;
		if (r != TLS_FEED_NONE) {
			if (a->ssl_log != NULL)
				log_ssl(a, f, p, &hello);
			if (hello.has_sni && !hello.sni_odd &&
			    !hello.sni_trunc) {
				set_server_name(a, f, hello.sni,
				    FLOW_NAME_SNI);
				intel_check_name(a, f, hello.sni, dev, srv,
				    "SSL::IN_SERVER_NAME", p->ts_us);
			}
		}
	}
	if (from_orig && !(af->flags & APP_HTTP_DONE)) {
		af->flags |= APP_HTTP_DONE;
		hst = http_parse_host(p->payload, p->payload_caplen, &req);
		a->ctr.http[hst]++;
		if (hst == HTTP_OK && !req.host_trunc) {
			a->ctr.http_hosts++;
			set_server_name(a, f, req.host, FLOW_NAME_HTTP);
			intel_check_name(a, f, req.host, dev, srv,
			    "HTTP::IN_HOST_HEADER", p->ts_us);
		}
	}
}

/* One dns.log line per message with a question (opt-in). */
static void
log_dns(struct analyzer *a, const struct flow *f, const struct packet *p,
    const struct dns_msg *m)
{
	char name[DNS_NAME_STR_MAX];
	struct jbuf j;
	size_t i;

	jbuf_init(&j, a->line, sizeof(a->line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", p->ts_us);
	notice_put_conn_id(&j, f);
	jbuf_str(&j, "proto", flow_proto_name(f));
	jbuf_u64(&j, "trans_id", m->id);
	dns_name_str(&m->qname, name, sizeof(name), 0);
	jbuf_str(&j, "query", name[0] != '\0' ? name : ".");
	jbuf_u64(&j, "qtype", m->qtype);
	jbuf_bool(&j, "is_response", m->qr);
	if (m->qr) {
		jbuf_u64(&j, "rcode", m->rcode);
		jbuf_key_array(&j, "answers");
		for (i = 0; i < m->n_answers; i++) {
			if (m->answers[i].type == DNS_TYPE_CNAME) {
				dns_name_str(&m->answers[i].target, name,
				    sizeof(name), 0);
				jbuf_elem_str(&j, name);
			} else {
				jbuf_addr_fmt(m->answers[i].addr, name,
				    sizeof(name));
				jbuf_elem_str(&j, name);
			}
		}
		jbuf_array_close(&j);
	}
	jbuf_close(&j);
	if (!j.overflow)
		logw_write(a->dns_log, j.buf, j.len);
}

/*
 * One DNS message (RFC 1035).  Queries: the name a device looks up is
 * matched.  Responses: CNAME targets are matched, and each address
 * answer fills the names cache for the device that asked, so its next
 * connection to that address is named even without SNI.  Only answers
 * rooted in the question count (an unsolicited record proves nothing).
 */
static void
app_dns(struct analyzer *a, const struct flow *f, const struct packet *p,
    const uint8_t *msg, size_t caplen, size_t len, int cache)
{
	const struct dns_name *chain[DNS_CHAIN_MAX];
	struct dns_msg *m = &a->dnsmsg;
	char q[NAMES_NAME_BUF], c[NAMES_NAME_BUF], t[DNS_NAME_STR_MAX];
	enum dns_status st;
	size_t i, n;
	int rooted;

	st = dns_parse(m, msg, caplen, len);
	a->ctr.dns[st]++;
	if (!m->has_header || !m->has_question)
		return;
	if (a->dns_log != NULL)
		log_dns(a, f, p, m);
	if (!m->qr) {
		dns_name_str(&m->qname, t, sizeof(t), DNS_STR_LOWER);
		intel_check_name(a, f, t, p->src, NULL, "DNS::IN_REQUEST",
		    p->ts_us);
		return;
	}
	for (i = 0; i < m->n_answers; i++) {
		if (m->answers[i].type != DNS_TYPE_CNAME)
			continue;
		dns_name_str(&m->answers[i].target, t, sizeof(t),
		    DNS_STR_LOWER);
		intel_check_name(a, f, t, p->dst, NULL, "DNS::IN_RESPONSE",
		    p->ts_us);
	}
	if (!cache || m->rcode != 0)
		return;
	for (i = 0; i < m->n_answers; i++) {
		n = dns_chain(m, i, chain, &rooted);
		if (n == 0 || !rooted)
			continue;
		dns_name_str(chain[0], q, sizeof(q), DNS_STR_LOWER);
		dns_name_str(chain[n - 1], c, sizeof(c), DNS_STR_LOWER);
		names_insert(a->names, p->dst, m->answers[i].addr, q,
		    n > 1 ? c : NULL, m->answers[i].ttl, p->ts_us);
	}
}

/* DNS ports: 53 (DNS), 5353 (mDNS, RFC 6762), 5355 (LLMNR, RFC 4795). */
static int
dns_port(uint16_t port)
{
	return port == 53 || port == 5353 || port == 5355;
}

/*
 * DNS over TCP: no reassembly; follow message boundaries per direction so
 * a segment that continues a message is not misread as a new one.
 */
static void
app_dns_tcp(struct analyzer *a, struct flow *f, const struct packet *p,
    int from_orig)
{
	struct dns_tcp_iter it;
	enum dns_tcp_next r;
	const uint8_t *msg;
	size_t cap, len, resume;
	int dir = from_orig ? 0 : 1;
	uint32_t seq = p->seq;
	struct app_flow *af = flow_ext(f, a->app_off);

	/* 0 = nothing expected yet; the stored value is seq + 1 */
	if (af->dns_next_seq[dir] != 0 && af->dns_next_seq[dir] - 1 != seq)
		return;
	if (af->dns_body_len[dir] != 0)
		dns_tcp_iter_body(&it, p->payload, p->payload_caplen,
		    af->dns_body_len[dir]);
	else
		dns_tcp_iter_init(&it, p->payload, p->payload_caplen);
	af->dns_body_len[dir] = 0;
	while ((r = dns_tcp_next(&it, &msg, &cap, &len)) != DNS_TCP_END) {
		if (r == DNS_TCP_PARTIAL) {
			a->ctr.dns_tcp_partial++;
			if (msg != NULL && cap == 0 && len <= UINT16_MAX)
				af->dns_body_len[dir] = (uint16_t)len;
			else if (msg != NULL)
				app_dns(a, f, p, msg, cap, len, 1);
			break;
		}
		app_dns(a, f, p, msg, cap, len, 1);
	}
	resume = dns_tcp_resume(&it);
	if (resume == SIZE_MAX || resume > UINT32_MAX - 1)
		af->dns_next_seq[dir] = UINT32_MAX; /* lost: stop */
	else
		af->dns_next_seq[dir] = seq + (uint32_t)resume + 1;
}

/*
 * Beacon events.  A connection's client data comes in bursts: the first
 * starts with the connection, and each later one after an idle gap of
 * beacon.idle_gap_s (keep-alive and HTTP/2 reuse: one connection, many
 * beats).  A burst becomes an event when the next one starts or the
 * connection ends; its sizes are the payload bytes each way.  The
 * destination is the server's name when known (a name rotating over
 * addresses is one destination), else "address:port".
 */
static int
beacon_candidate(const struct analyzer *a, const struct flow *f)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	if (a->beacons == NULL)
		return 0;
	if (f->proto != IPPROTO_NUM_TCP && f->proto != IPPROTO_NUM_UDP)
		return 0;
	/* DNS and mDNS are the lookups, not the beacons; NTP polls by
	 * design (RFC 5905), often without a lookup to name its server */
	if (dns_port(f->resp_p) || dns_port(f->orig_p))
		return 0;
	if (f->proto == IPPROTO_NUM_UDP && (f->resp_p == 123 ||
	    f->orig_p == 123))
		return 0;
	/* multicast and broadcast destinations are not servers */
	if (f->resp_h[0] == 0xff)
		return 0;
	if (memcmp(f->resp_h, v4mapped, 12) == 0 && (f->resp_h[12] >= 224 ||
	    (f->resp_h[12] == 255)))
		return 0;
	return 1;
}

static void
beacon_burst_end(struct analyzer *a, const struct flow *f)
{
	struct beacon_tracker *tr;
	struct beacon_event e;
	struct beacon_score sc;
	char dest[BEACON_DEST_MAX], ip[48];
	const char *name;
	const struct burst *b;
	int level, is_name;

	if (a->beacons == NULL)
		return;
	b = flow_ext(f, a->burst_off);
	if (b->start_us == 0 || !beacon_candidate(a, f))
		return;
	if (b->up == 0 && b->down == 0 && f->proto == IPPROTO_NUM_TCP &&
	    b->start_us != f->first_us)
		return;		/* pure ACKs are no burst */
	/* the low-volume gate first: most connections are over it, and
	 * need no name formatting nor lookup */
	if (b->up > a->cfg.beacon.max_up || b->down > a->cfg.beacon.max_down) {
		a->ctr.beacon_gated++;
		return;
	}
	name = strtab_get(a->snames, f->name_id);
	is_name = name[0] != '\0' && strlen(name) < sizeof(dest);
	if (a->known_good != NULL && ((is_name &&
	    intel_match_domain(a->known_good, name) != NULL) ||
	    intel_match_addr(a->known_good, f->resp_h) != NULL)) {
		a->ctr.beacon_known_good++;
		return;
	}
	jbuf_addr_fmt(f->resp_h, ip, sizeof(ip));
	if (is_name)
		memcpy(dest, name, strlen(name) + 1);
	else
		snprintf(dest, sizeof(dest), "%s:%u", ip, f->resp_p);
	e.ts_us = b->start_us;
	e.up = b->up;
	e.down = b->down;
	tr = beacon_observe(a->beacons, f->orig_h, dest, is_name, &e,
	    a->now_us);
	if (tr == NULL)
		return;
	if (!beacon_score_tracker(tr, &a->cfg.beacon, &sc))
		return;
	level = beacon_level(&sc, &a->cfg.beacon);
	if (level <= tr->notified)
		return;
	tr->notified = (uint8_t)level;
	policy_beacon(a->policy, f, dest, is_name, &sc, level, a->now_us);
}

/* Account one payload packet to the connection's current burst. */
static void
beacon_packet(struct analyzer *a, struct flow *f, const struct packet *p,
    int from_orig, int is_new)
{
	struct burst *b;

	if (a->beacons == NULL)
		return;
	b = flow_ext(f, a->burst_off);
	if (is_new) {
		b->start_us = p->ts_us;
		b->last_us = p->ts_us;
	}
	if (p->payload_len == 0)
		return;
	if (from_orig && b->last_us != 0 &&
	    p->ts_us - b->last_us >
		(int64_t)a->cfg.beacon.idle_gap_s * 1000000) {
		beacon_burst_end(a, f);
		b->start_us = p->ts_us;
		b->up = b->down = 0;
	}
	if (from_orig)
		b->up += p->payload_len;
	else
		b->down += p->payload_len;
	b->last_us = p->ts_us;
}

/*
 * The part of a packet's work that happens in network-time order:
 * advance the clock, count, update the flow, match intel on a new one.
 */
static void
process(struct analyzer *a, const struct ring_rec *rec,
    const struct packet *p, enum decode_status st, uint64_t hash)
{
	struct flow *f;
	int is_new, from_orig;

	a->ctr.packets++;
	a->ctr.bytes += rec->wirelen;
	if (a->ctr.first_ts_us == 0)
		a->ctr.first_ts_us = rec->ts_us;
	a->ctr.last_ts_us = rec->ts_us;
	advance_time(a, rec->ts_us);
	a->ctr.decode[st]++;
	if (st != DS_OK) {
		if (decode_status_is_malformed(st))
			a->ctr.malformed++;
		return;
	}
	f = flow_update_hashed(a->flows, p, hash, &is_new, &from_orig);
	if (f == NULL)
		return;
	process_flow(a, f, p, is_new, from_orig);
	/* a connection the table ended for this one (full: evicted) is
	 * reported now, after the packet, as Zeek does */
	flow_drain(a->flows);
}

/* The packet's work on its flow: intel, names, beacons, the app layer. */
static void
process_flow(struct analyzer *a, struct flow *f, const struct packet *p,
    int is_new, int from_orig)
{
	if (is_new) {
		if (a->intel != NULL)
			intel_check_conn(a, f);
		names_check_conn(a, f);
	}
	beacon_packet(a, f, p, from_orig, is_new);
	if (p->payload_caplen == 0)
		return;
	if (p->ip_proto == IPPROTO_NUM_UDP) {
		if (dns_port(p->sport) || dns_port(p->dport))
			app_dns(a, f, p, p->payload, p->payload_caplen,
			    p->payload_len, p->sport == 53);
	} else if (p->ip_proto == IPPROTO_NUM_TCP) {
		if (p->sport == 53 || p->dport == 53)
			app_dns_tcp(a, f, p, from_orig);
		else
			app_tcp(a, f, p, from_orig);
	}
}

static void
reopen_logs(struct analyzer *a)
{
	flush_logs(a, 1);
	logw_check_rotation(a->notice_log);
	if (a->conn_log != NULL)
		logw_check_rotation(a->conn_log);
	if (a->dns_log != NULL)
		logw_check_rotation(a->dns_log);
	if (a->ssl_log != NULL)
		logw_check_rotation(a->ssl_log);
	if (a->stats_log != NULL)
		logw_check_rotation(a->stats_log);
}

/*
 * Packets in flight between decode and processing: SW_LOOKAHEAD of them
 * (config.h says why).  Order is unchanged.
 */
struct inflight {
	const struct ring_rec *rec;
	struct packet p;
	enum decode_status st;
	uint64_t hash;
};

void
analyzer_run(struct analyzer *a, struct ring *r, struct capture *c,
    const struct analyzer_signals *sig)
{
	struct inflight q[SW_LOOKAHEAD], *e;
	const struct ring_rec *rec;
	unsigned qh = 0, qn = 0, idle = 0;
	time_t last_wall = time(NULL), now;

	a->cap = c;
	for (;;) {
		rec = ring_peek(r);
		/* the producer may have put a last record after our peek and
		 * before closing: look once more when it says it is closed */
		if (rec == NULL && qn == 0 && ring_closed(r) &&
		    (rec = ring_peek(r)) == NULL)
			break;
		if (rec != NULL) {
			/* stage 1: decode, hash, prefetch the bucket */
			e = &q[(qh + qn) & (SW_LOOKAHEAD - 1)];
			e->rec = rec;
			e->st = decode_packet(&e->p, rec->dlt,
			    (const uint8_t *)(rec + 1), rec->caplen,
			    rec->wirelen, rec->ts_us);
			e->hash = 0;
			if (e->st == DS_OK) {
				e->hash = flow_hash(a->flows, &e->p);
				flow_prefetch(a->flows, e->hash, 0);
			}
			if (++qn < SW_LOOKAHEAD)
				continue;
		} else if (qn == 0) {
			/* on stop, the capture thread ends and closes the
			 * ring; what is already in it is still analysed */
			if (sig != NULL && sig->stop != NULL && *sig->stop)
				capture_stop(c);
			if (sig != NULL && sig->hup != NULL && *sig->hup) {
				*sig->hup = 0;
				reopen_logs(a);
				if (sig->reload != NULL)
					sig->reload(sig->reload_ctx, a);
			}
			if (sig != NULL && sig->usr1 != NULL && *sig->usr1) {
				*sig->usr1 = 0;
				write_stats(a, 0);
			}
			/* live: a quiet network still needs its timeouts */
			if (capture_is_live(c) &&
			    (now = time(NULL)) != last_wall) {
				if (a->now_us != INT64_MIN)
					advance_time(a, a->now_us +
					    (int64_t)(now - last_wall) *
					    1000000);
				last_wall = now;
				logw_check_rotation(a->notice_log);
			}
			if (++idle >= 64) {
				flush_logs(a, 0);
				ring_wait(r);
			}
			continue;
		}
		/* stage 2: the next packet's entry; stage 3: the oldest */
		idle = 0;
		if (qn > 1 && q[(qh + 1) & (SW_LOOKAHEAD - 1)].st == DS_OK)
			flow_prefetch(a->flows,
			    q[(qh + 1) & (SW_LOOKAHEAD - 1)].hash, 1);
		e = &q[qh];
		process(a, e->rec, &e->p, e->st, e->hash);
		ring_release(r, e->rec);
		qh = (qh + 1) & (SW_LOOKAHEAD - 1);
		qn--;
	}
}

void
analyzer_finish(struct analyzer *a, struct capture *c)
{
	if (c != NULL)
		a->cap = c;
	flow_flush(a->flows);
	flush_logs(a, 1);
	if (!a->intel_logged)
		write_intel_stats(a);	/* a capture without packets */
	write_stats(a, 1);
	if (a->cfg.progress && a->progress_wall != 0)
		progress(a, 1);
}

const struct analyzer_counters *
analyzer_get_counters(const struct analyzer *a)
{
	return &a->ctr;
}

const struct flow_stats *
analyzer_flow_stats(const struct analyzer *a)
{
	return flow_table_stats(a->flows);
}

void
analyzer_devices(const struct analyzer *a, uint64_t *with_evidence,
    uint64_t *at_risk)
{
	*with_evidence = correlate_get_stats(a->corr)->devices;
	*at_risk = correlate_get_stats(a->corr)->verdicts;
}

const struct notice_stats *
analyzer_notice_stats(const struct analyzer *a)
{
	return notice_get_stats(a->notices);
}

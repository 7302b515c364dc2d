/*
 * analyzer.c - the sensor loop: everything after the ring.
 *
 * struct analyzer holds the layers and the loop's own state: network
 * time, the whole-second ticks, the counters and stats.log.  Per packet
 * the loop decodes (a few packets ahead, to prefetch the flow's bucket),
 * advances network time, updates the flow table and hands the flow to
 * the app layer and the beacon events; connections that ended meanwhile
 * are reported after the packet (flow_drain()).  Everything periodic
 * (idle sweeps, stats lines, flushes, rotation checks) runs when network
 * time crosses a whole second, so its cost does not grow with the packet
 * rate.  The loop knows the layers below it, none of them knows it:
 *
 *   analyzer (loop) -> applayer, bursts -> policy -> notice, records
 *                      detectors: intel, names, beacon, correlate
 */
#include "analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "applayer.h"
#include "bursts.h"
#include "capture.h"
#include "config.h"
#include "correlate.h"
#include "device.h"
#include "geo.h"
#include "homenet.h"
#include "jbuf.h"
#include "logw.h"
#include "notice.h"
#include "policy.h"
#include "records.h"
#include "recmeta.h"
#include "syslog_out.h"
#include "timeline.h"

struct analyzer {
	struct analyzer_config cfg;
	const struct intel *intel;
	struct flow_table *flows;
	/* flows' hash key on lines of its own: analyzer_classify() reads
	 * it on the capture thread while this one writes the table */
	struct flow_hash_key *hkey;
	struct notice_ctx *notices;
	struct logw *notice_log;
	struct logw *stats_log;		/* NULL unless enabled */
	struct capture *cap;		/* for stats, may be NULL */
	struct records *rec;		/* conn, dns, ssl records */
	struct applayer *app;		/* DNS, TLS, HTTP; server names */
	struct bursts *bursts;		/* NULL when beacon detection is off */
	struct correlate *corr;		/* per-device evidence */
	struct devices *devices;	/* address, MAC, DHCP names */
	struct policy *policy;		/* what becomes a notice */

	int64_t now_us;			/* network time */
	time_t progress_wall;		/* last progress line, wall clock */
	time_t rotation_wall;		/* last rotation check, wall clock */
	int64_t next_tick_us;		/* next whole-second work */
	int64_t next_stats_us;
	struct analyzer_counters ctr;
	int intel_logged; /* the set's stats.log record written */
	char stats_line[SW_STATS_LINE_MAX];
};

static void on_flow_end(void *ctx, struct flow *f, enum flow_end_reason why);
static void process_flow(struct analyzer *a, struct flow *f,
    const struct packet *p, int is_new, int from_orig,
    const struct conn_hint *hint);

struct analyzer *
analyzer_new(const struct analyzer_config *cfg, const struct intel *intel,
    char *errbuf, size_t errlen)
{
	struct analyzer *a;
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
	if ((a->rec = records_new(cfg->logdir, cfg->conn_log, cfg->dns_log,
		 cfg->ssl_log, errbuf, errlen)) == NULL)
		goto fail;
	if (cfg->stats_log && !to_stdout && (a->stats_log =
	    logw_open(cfg->logdir, "stats.log", errbuf, errlen)) == NULL)
		goto fail;
	a->notices = notice_ctx_new(a->notice_log, cfg->suppress_for_s,
	    cfg->table_max, cfg->flow.seed, errbuf, errlen);
	if (a->notices == NULL)
		goto fail;
	notice_set_syslog(a->notices, cfg->syslog);
	if ((a->devices = devices_new(cfg->table_max, cfg->flow.seed,
		 errbuf)) == NULL)
		goto fail;
	if ((a->corr = correlate_new(cfg->table_max, cfg->verdict_window_s,
		 cfg->flow.seed, errbuf)) == NULL)
		goto fail;
	if ((a->policy = policy_new(a->notices, a->corr, a->devices,
		 cfg->vendor_sites, cfg->flow.seed, errbuf)) == NULL)
		goto fail;
	policy_set_geo(a->policy, cfg->geo);
	policy_set_home(a->policy, &a->cfg.home);
	/* each layer registers its per-flow slot before the table is made */
	fcfg = cfg->flow;
	fcfg.home = &a->cfg.home;
	if ((a->app = applayer_new(&fcfg, a->policy, a->rec, cfg->flow.seed,
		 cfg->name_hold_s, cfg->table_max, errbuf)) == NULL)
		goto fail;
	applayer_set_intel(a->app, intel);
	applayer_set_home(a->app, &a->cfg.home);
	applayer_set_devices(a->app, a->devices);
	if (!cfg->no_beacon &&
	    (a->bursts = bursts_new(&fcfg, &cfg->beacon, a->policy, a->app,
		 errbuf)) == NULL)
		goto fail;
	if (a->bursts != NULL)
		bursts_set_home(a->bursts, &a->cfg.home, cfg->beacon_lan);
	a->flows = flow_table_new(&fcfg, on_flow_end, a, errbuf);
	if (a->flows == NULL)
		goto fail;
	a->hkey = aligned_alloc(SW_CACHE_PAIR, SW_CACHE_PAIR);
	if (a->hkey == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		goto fail;
	}
	flow_hash_key_get(a->flows, a->hkey);
	a->now_us = INT64_MIN;
	a->ctr.undecoded_dlt = -1;
	return a;
fail:
	analyzer_free(a);
	return NULL;
}

void
analyzer_set_intel(struct analyzer *a, const struct intel *intel)
{
	a->intel = intel;
	applayer_set_intel(a->app, intel);
	a->intel_logged = 0;	/* say what the reload gave */
}

void
analyzer_set_known_good(struct analyzer *a, const struct intel *good)
{
	if (a->bursts != NULL)
		bursts_set_known_good(a->bursts, good);
}

void
analyzer_free(struct analyzer *a)
{
	if (a == NULL)
		return;
	flow_table_free(a->flows);
	free(a->hkey);
	bursts_free(a->bursts);
	applayer_free(a->app);
	policy_free(a->policy);
	correlate_free(a->corr);
	devices_free(a->devices);
	notice_ctx_free(a->notices);
	logw_close(a->notice_log);
	records_free(a->rec);
	logw_close(a->stats_log);
	free(a);
}

/* A connection ended: its last beacon event, its app-layer state, its
 * conn.log record. */
static void
on_flow_end(void *ctx, struct flow *f, enum flow_end_reason why)
{
	struct analyzer *a = ctx;

	(void)why;
	/* the event first: it names the destination by the server name,
	 * which the app layer then lets go */
	if (a->bursts != NULL)
		bursts_conn_end(a->bursts, f, a->now_us);
	policy_conn_end(a->policy, f);
	applayer_conn_end(a->app, f);
	records_conn(a->rec, f);
}

static void
write_stats(struct analyzer *a, int final)
{
	struct capture_stats cs;
	const struct flow_stats *fs;
	const struct notice_stats *ns;
	const struct applayer_counters *ac = applayer_get_counters(a->app);
	struct applayer_stats as;
	struct jbuf j;
	int i;

	if (a->stats_log == NULL)
		return;
	applayer_get_stats(a->app, &as);
	memset(&cs, 0, sizeof(cs));
	if (a->cap != NULL)
		capture_get_stats(a->cap, &cs);
	fs = flow_table_stats(a->flows);
	ns = notice_get_stats(a->notices);
	jbuf_init(&j, a->stats_line, sizeof(a->stats_line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", a->now_us == INT64_MIN ? 0 : a->now_us);
	jbuf_str(&j, "peer", recmeta_sensor());
	jbuf_bool(&j, "final", final);
	jbuf_u64(&j, "pkts_proc", a->ctr.packets);
	jbuf_u64(&j, "bytes_recv", a->ctr.bytes);
	jbuf_u64(&j, "pkts_dropped", cs.kernel_drops);
	jbuf_u64(&j, "pkts_ifdropped", cs.iface_drops);
	jbuf_u64(&j, "ring_drops", cs.ring_drops);
	jbuf_u64(&j, "pkts_malformed", a->ctr.malformed);
	jbuf_u64(&j, "pkts_bad_ts", cs.bad_ts);
	jbuf_u64(&j, "pkts_unread_at_stop", a->ctr.unread_at_stop);
	jbuf_u64(&j, "active_conns", fs->active);
	jbuf_u64(&j, "max_conns", fs->active_max);
	jbuf_u64(&j, "conns", fs->created);
	jbuf_u64(&j, "conns_evicted", fs->evicted);
	jbuf_u64(&j, "conns_flipped_home", fs->flipped_home);
	jbuf_u64(&j, "intel_hits", policy_get_stats(a->policy)->intel_hits);
	jbuf_u64(&j, "notices", ns->written);
	jbuf_u64(&j, "notices_suppressed", ns->suppressed);
	jbuf_u64(&j, "log_write_errors", analyzer_log_errors(a));
	jbuf_u64(&j, "vendor_site_hits",
	    policy_get_stats(a->policy)->website_hits);
	jbuf_u64(&j, "devices_with_evidence",
	    correlate_get_stats(a->corr)->devices);
	jbuf_u64(&j, "survivor_risk_devices",
	    correlate_get_stats(a->corr)->verdicts);
	jbuf_u64(&j, "pkts_cut_by_snaplen", a->ctr.cut);
	if (a->cfg.syslog != NULL) {
		struct syslog_stats ss;

		syslog_out_stats(a->cfg.syslog, &ss);
		jbuf_u64(&j, "syslog_queued", ss.queued);
		jbuf_u64(&j, "syslog_sent", ss.sent);
		jbuf_u64(&j, "syslog_dropped", ss.dropped);
		jbuf_u64(&j, "syslog_connects", ss.connects);
		jbuf_u64(&j, "syslog_disconnects", ss.disconnects);
	}
	if (a->cfg.geo != NULL) {
		jbuf_u64(&j, "geo_lookups", geo_get_stats(a->cfg.geo)->lookups);
		jbuf_u64(&j, "geo_cached", geo_get_stats(a->cfg.geo)->cached);
		jbuf_u64(&j, "geo_errors", geo_get_stats(a->cfg.geo)->errors);
	}
	jbuf_u64(&j, "devices", devices_get_stats(a->devices)->devices);
	jbuf_u64(&j, "devices_replaced",
	    devices_get_stats(a->devices)->replaced);
	jbuf_u64(&j, "devices_named_replaced",
	    devices_get_stats(a->devices)->named_replaced);
	jbuf_u64(&j, "device_lease_changes",
	    devices_get_stats(a->devices)->lease_changes);
	jbuf_u64(&j, "devices_dhcp_named",
	    devices_get_stats(a->devices)->dhcp_named);
	jbuf_u64(&j, "c2_flows_lost",
	    policy_get_stats(a->policy)->c2_flows_lost);
	jbuf_u64(&j, "notices_over_budget",
	    policy_get_stats(a->policy)->over_budget);
	jbuf_u64(&j, "notice_sources_over_budget",
	    policy_get_stats(a->policy)->sources_over);
	jbuf_u64(&j, "under_attack_notices",
	    policy_get_stats(a->policy)->attack_notices);
	jbuf_u64(&j, "timeline_evicted",
	    timeline_evicted(policy_timeline(a->policy)));
	jbuf_u64(&j, "dns_messages", ac->dns[DNS_OK]);
	jbuf_u64(&j, "names_cached", as.names_cached);
	jbuf_u64(&j, "names_evicted", as.names_evicted);
	jbuf_u64(&j, "server_names", as.server_names);
	jbuf_u64(&j, "server_names_refused", as.server_names_refused);
	jbuf_u64(&j, "tls_client_hellos", ac->tls[TLS_OK]);
	if (a->bursts != NULL) {
		const struct beacon_stats *bs = bursts_beacon_stats(a->bursts);
		const struct bursts_counters *bc = bursts_get_counters(
		    a->bursts);

		jbuf_u64(&j, "beacon_events", bs->events);
		jbuf_u64(&j, "beacon_gated", bc->beacon_gated + bs->gated);
		jbuf_u64(&j, "beacon_known_good", bc->beacon_known_good);
		jbuf_u64(&j, "beacon_not_server", bc->beacon_not_server);
		jbuf_u64(&j, "beacon_fast", bc->beacon_fast);
		jbuf_u64(&j, "beacon_unanswered", bc->beacon_unanswered);
		jbuf_u64(&j, "beacon_trackers", bs->trackers);
		jbuf_u64(&j, "beacon_evicted", bs->evicted);
		jbuf_u64(&j, "beacon_evicted_earned", bs->earned_evicted);
		jbuf_u64(&j, "beacon_over_budget", bs->budget_evicted);
		jbuf_u64(&j, "beacon_expired", bs->expired);
	}
	jbuf_u64(&j, "http_hosts", ac->http_hosts);
	jbuf_u64(&j, "reasm_in_use_max", as.reasm_in_use_max);
	jbuf_u64(&j, "reasm_exhausted", as.reasm_exhausted);
	jbuf_u64(&j, "reasm_reclaimed", as.reasm_reclaimed);
	jbuf_u64(&j, "reasm_source_limited", as.reasm_source_limited);
	jbuf_u64(&j, "names_held", as.names_held);
	jbuf_u64(&j, "names_held_hits", as.names_held_hits);
	jbuf_u64(&j, "names_held_evicted", as.names_held_evicted);
	jbuf_key_open(&j, "decoder");
	for (i = 1; i < DS__COUNT; i++)
		if (a->ctr.decode[i] != 0)
			jbuf_u64(&j, decode_status_key((enum decode_status)i),
			    a->ctr.decode[i]);
	for (i = 1; i < DNS__COUNT; i++)
		if (ac->dns[i] != 0)
			jbuf_u64(&j, dns_status_key((enum dns_status)i),
			    ac->dns[i]);
	if (ac->dns_tcp_partial != 0)
		jbuf_u64(&j, "dns.tcp_partial", ac->dns_tcp_partial);
	for (i = 0; i < TLS__COUNT; i++)
		if (ac->tls[i] != 0)
			jbuf_u64(&j, tls_status_key((enum tls_status)i),
			    ac->tls[i]);
	for (i = 0; i < HTTP__COUNT; i++)
		if (ac->http[i] != 0)
			jbuf_u64(&j, http_status_key((enum http_status)i),
			    ac->http[i]);
	for (i = 0; i < DHCP__COUNT; i++)
		if (ac->dhcp[i] != 0)
			jbuf_u64(&j, dhcp_status_key((enum dhcp_status)i),
			    ac->dhcp[i]);
	if (ac->dhcp_subnets != 0)
		jbuf_u64(&j, "dhcp.subnets_learned", ac->dhcp_subnets);
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
	jbuf_str(&j, "peer", recmeta_sensor());
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

/* What every layer was made to refuse or give up so far. */
static void
pressure(struct analyzer *a, struct policy_pressure *pr)
{
	struct applayer_stats as;

	memset(pr, 0, sizeof(*pr));
	pr->notices = policy_get_stats(a->policy)->over_budget;
	if (a->bursts != NULL) {
		const struct beacon_stats *bs = bursts_beacon_stats(a->bursts);

		pr->trackers = bs->budget_evicted + bs->earned_evicted;
	}
	applayer_get_stats(a->app, &as);
	pr->reasm = as.reasm_exhausted + as.reasm_reclaimed +
	    as.reasm_source_limited;
	pr->evidence = correlate_get_stats(a->corr)->earned_evicted +
	    devices_get_stats(a->devices)->named_replaced;
	a->ctr.flood_unwritten = pr->notices;
	a->ctr.flood_lost = pr->trackers + pr->reasm + pr->evidence;
	a->ctr.not_devices = policy_get_stats(a->policy)->not_devices;
	if (a->bursts != NULL) {
		a->ctr.tcp_answered =
		    bursts_get_counters(a->bursts)->beacon_answered;
		a->ctr.tcp_unanswered =
		    bursts_get_counters(a->bursts)->beacon_unanswered;
	}
}

/*
 * Every log follows a move or a removal by itself, whatever rotation
 * tool moved it and whether or not it sent SIGHUP: at most once a
 * wall-clock second, one stat(2) a log (notice.log is also checked at
 * each notice).
 */
static void
check_rotation(struct analyzer *a, int now)
{
	time_t w = time(NULL);

	if (!now && w == a->rotation_wall)
		return;
	a->rotation_wall = w;
	logw_check_rotation(a->notice_log);
	records_check_rotation(a->rec);
	if (a->stats_log != NULL)
		logw_check_rotation(a->stats_log);
}

/* Work due when network time crosses a whole second. */
static void
tick(struct analyzer *a)
{
	struct policy_pressure pr;

	if (!a->intel_logged)
		write_intel_stats(a);
	flow_expire(a->flows, a->now_us);
	pressure(a, &pr);
	policy_check_pressure(a->policy, &pr, a->now_us);
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
	check_rotation(a, 0);
	records_flush(a->rec, 0);
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
 * The part of a packet's work that happens in network-time order:
 * advance the clock, count, update the flow, match intel on a new one.
 */
static void
process(struct analyzer *a, const struct ring_rec *rec, const struct packet *p,
    enum decode_status st, uint64_t hash, const struct conn_hint *hint)
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
	if (rec->caplen < rec->wirelen) {
		a->ctr.cut++;
		if (rec->caplen > a->ctr.cut_caplen)
			a->ctr.cut_caplen = rec->caplen;
	}
	if (st == DS_UNSUPPORTED_DLT)
		a->ctr.undecoded_dlt = rec->dlt;
	if (st != DS_OK) {
		if (decode_status_is_malformed(st))
			a->ctr.malformed++;
		return;
	}
	f = flow_update_hashed(a->flows, p, hash, &is_new, &from_orig);
	if (f == NULL)
		return;
	process_flow(a, f, p, is_new, from_orig, hint);
	/* a connection the table ended for this one (full: evicted) is
	 * reported now, after the packet, as Zeek does */
	flow_drain(a->flows);
}

/* The packet's work on its flow: the app layer, the beacon events. */
static void
process_flow(struct analyzer *a, struct flow *f, const struct packet *p,
    int is_new, int from_orig, const struct conn_hint *hint)
{
	if (is_new) {
		struct flow_addrs fa;

		/* the home network's ends are devices (device.h) */
		flow_get_addrs(f, &fa);
		if (homenet_contains(&a->cfg.home, fa.orig_h))
			(void)devices_seen(a->devices, fa.orig_h,
			    f->has_orig_l2 ? f->orig_l2 : NULL, p->ts_us);
		if (homenet_contains(&a->cfg.home, fa.resp_h))
			(void)devices_seen(a->devices, fa.resp_h,
			    f->has_resp_l2 ? f->resp_l2 : NULL, p->ts_us);
		applayer_conn(a->app, f, hint);
	}
	if (a->bursts != NULL)
		bursts_packet(a->bursts, f, p, from_orig, is_new, a->now_us);
	applayer_packet(a->app, f, p, from_orig);
}

static void
reopen_logs(struct analyzer *a)
{
	records_flush(a->rec, 1);
	check_rotation(a, 1);
}

/*
 * What the capture thread works out for each packet (the record's meta
 * area): the decoded headers and the flow hash.  Decoding and hashing
 * were a fifth of this thread's time, and the capture thread, which only
 * copies, had the time to spare: the two cores now share the work.  The
 * payload pointer is an offset until the record is in this thread.
 */
struct pkt_meta {
	struct packet p;
	uint64_t hash;
	uint32_t payload_off; /* payload - frame, UINT32_MAX: none */
	uint8_t st;	      /* enum decode_status */
};
_Static_assert(sizeof(struct pkt_meta) <= RING_META_MAX,
    "struct pkt_meta outgrew the ring's meta area");

const void *
analyzer_classify_ctx(const struct analyzer *a)
{
	return a->hkey;
}

uint32_t
analyzer_classify(const void *ctx, const struct ring_rec *rec,
    const uint8_t *data, void *meta)
{
	const struct flow_hash_key *key = ctx;
	struct pkt_meta *m = meta;

	m->st = (uint8_t)decode_packet(&m->p, rec->dlt, data, rec->caplen,
	    rec->wirelen, rec->ts_us);
	m->hash = 0;
	m->payload_off = UINT32_MAX;
	if (m->p.payload != NULL)
		m->payload_off = (uint32_t)(m->p.payload - data);
	m->p.payload = NULL;
	/* the table's hash key is fixed at its creation: safe to read here */
	if (m->st == DS_OK)
		m->hash = flow_hash_with(key, &m->p);
	return (uint32_t)((sizeof(*m) + 7) & ~(size_t)7);
}

/*
 * Packets in flight between decode and processing: SW_LOOKAHEAD of them
 * (config.h says why).  Order is unchanged.
 */
struct inflight {
	const struct ring_rec *rec;
	struct pkt_meta own; /* the decode, when the record has none */
	struct packet *p;
	enum decode_status st;
	uint64_t hash;
	struct conn_hint hint; /* a SYN's, from halfway along */
};

/* The record's packet, decoded here if the capture thread did not (live
 * capture): into e's own meta. */
static void
inflight_fill(struct analyzer *a, struct inflight *e,
    const struct ring_rec *rec)
{
	struct pkt_meta *m = (struct pkt_meta *)(void *)ring_rec_meta(rec);
	const uint8_t *data = ring_rec_data(rec);

	if (rec->meta_len < sizeof(*m)) {
		m = &e->own;
		(void)analyzer_classify(a->hkey, rec, data, m);
	}
	if (m->payload_off != UINT32_MAX)
		m->p.payload = data + m->payload_off;
	e->rec = rec;
	e->p = &m->p;
	e->st = (enum decode_status)m->st;
	e->hash = m->hash;
	e->hint.set = 0;
}

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * The flags main.c's handlers set, acted on between packets: a stop ends
 * the capture thread, which closes the ring (*stop_at: when, monotonic;
 * what is in the ring is still analysed, for SW_STOP_DRAIN_MS at most);
 * a hangup reopens the logs and reloads; SIGUSR1 writes a stats line.
 */
static void
check_signals(struct analyzer *a, struct capture *c,
    const struct analyzer_signals *sig, int64_t *stop_at)
{
	if (sig == NULL)
		return;
	if (sig->stop != NULL && *sig->stop && *stop_at == 0) {
		capture_stop(c);
		*stop_at = mono_us();
	}
	if (sig->hup != NULL && *sig->hup) {
		*sig->hup = 0;
		reopen_logs(a);
		if (sig->reload != NULL)
			sig->reload(sig->reload_ctx, a);
	}
	if (sig->usr1 != NULL && *sig->usr1) {
		*sig->usr1 = 0;
		write_stats(a, 0);
		if (sig->usr1_cb != NULL)
			sig->usr1_cb(sig->usr1_ctx, a);
	}
}

/*
 * Live network time on an empty ring: the newest packet's time (or the
 * clock as it stood when the ring emptied) plus the time the loop has sat
 * idle since, so a quiet network's timeouts still fire.  Measured from
 * when the ring emptied, not from the last idle moment: after an
 * overload, the busy minutes had already passed in the packets' own
 * stamps (older than the wall clock, as the ring held them), and adding
 * them again put network time minutes ahead.  Monotonic, so a step of
 * the wall clock does not move it.
 */
static void
idle_clock(struct analyzer *a, int64_t *idle_from, int64_t *idle_base)
{
	int64_t now = mono_us();

	if (*idle_from == 0) {
		*idle_from = now;
		*idle_base = a->now_us;
		return;
	}
	if (a->now_us != INT64_MIN && *idle_base != INT64_MIN)
		advance_time(a, *idle_base + (now - *idle_from));
}

/* Stopping took too long (an overload): what is left in the ring is
 * released unread and counted, so the final flush comes in time. */
static void
drop_rest(struct analyzer *a, struct ring *r, struct inflight *q, unsigned qh,
    unsigned qn)
{
	const struct ring_rec *rec;

	for (; qn > 0; qn--, qh = (qh + 1) & (SW_LOOKAHEAD - 1)) {
		ring_release(r, q[qh].rec);
		a->ctr.unread_at_stop++;
	}
	/* the capture thread ends at once, and closes the ring; a last
	 * record may come just before it closes (as in analyzer_run()) */
	for (;;) {
		if ((rec = ring_peek(r)) == NULL) {
			if (ring_closed(r) && (rec = ring_peek(r)) == NULL)
				break;
			if (rec == NULL) {
				ring_wait(r);
				continue;
			}
		}
		ring_release(r, rec);
		a->ctr.unread_at_stop++;
	}
}

/* Flow prefetch `stage` for the packet `ahead` places after the oldest
 * in flight (flow.h); at stage 1, a SYN's connection lookups too. */
static void
prefetch_stage(const struct analyzer *a, struct inflight *q, unsigned qh,
    unsigned qn, unsigned ahead, int stage)
{
	struct inflight *e = &q[(qh + ahead) & (SW_LOOKAHEAD - 1)];

	if (qn <= ahead || e->st != DS_OK)
		return;
	flow_prefetch(a->flows, e->hash, stage);
	if (stage == 1 && e->p->ip_proto == IPPROTO_NUM_TCP &&
	    (e->p->tcp_flags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN)
		applayer_conn_hint(a->app, e->p, &e->hint);
}

void
analyzer_run(struct analyzer *a, struct ring *r, struct capture *c,
    const struct analyzer_signals *sig)
{
	struct inflight q[SW_LOOKAHEAD], *e;
	const struct ring_rec *rec;
	unsigned qh = 0, qn = 0, idle = 0, since_check = 0;
	int64_t stop_at = 0, idle_from = 0, idle_base = INT64_MIN;
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
			/* stage 1: the decoded packet, prefetch its bucket */
			e = &q[(qh + qn) & (SW_LOOKAHEAD - 1)];
			/* the record is ours until released: the payload
			 * pointer is fixed in place */
			inflight_fill(a, e, rec);
			if (e->st == DS_OK)
				flow_prefetch(a->flows, e->hash, 0);
			if (++qn < SW_LOOKAHEAD)
				continue;
		} else if (qn == 0) {
			check_signals(a, c, sig, &stop_at);
			/* live: a quiet network still needs its timeouts */
			if (capture_is_live(c)) {
				idle_clock(a, &idle_from, &idle_base);
				if ((now = time(NULL)) != last_wall) {
					last_wall = now;
					check_rotation(a, 0);
				}
			}
			if (++idle >= 64) {
				records_flush(a->rec, 0);
				ring_wait(r);
			}
			continue;
		}
		/* the packets halfway along: their bucket's first entry; a
		 * quarter along: the entry itself; then the oldest */
		idle = 0;
		idle_from = 0;
		prefetch_stage(a, q, qh, qn, SW_LOOKAHEAD / 2, 1);
		prefetch_stage(a, q, qh, qn, SW_LOOKAHEAD / 4, 2);
		e = &q[qh];
		process(a, e->rec, e->p, e->st, e->hash, &e->hint);
		ring_release(r, e->rec);
		qh = (qh + 1) & (SW_LOOKAHEAD - 1);
		qn--;
		/* a loaded ring is never empty: signals between batches */
		if (++since_check >= SW_SIGNAL_BATCH) {
			since_check = 0;
			check_signals(a, c, sig, &stop_at);
			if (stop_at != 0 &&
			    mono_us() - stop_at >
				(int64_t)SW_STOP_DRAIN_MS * 1000) {
				drop_rest(a, r, q, qh, qn);
				break;
			}
		}
	}
}

void
analyzer_finish(struct analyzer *a, struct capture *c)
{
	if (c != NULL)
		a->cap = c;
	struct policy_pressure pr;

	flow_flush(a->flows);
	records_flush(a->rec, 1);
	pressure(a, &pr); /* the counters as of the end */
	/* what the collector got or lost goes in the final stats line */
	syslog_out_stop(a->cfg.syslog);
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

size_t
analyzer_verdicts(const struct analyzer *a, const struct corr_device **out,
    size_t max, int64_t *now_us)
{
	*now_us = a->now_us == INT64_MIN ? 0 : a->now_us;
	return correlate_list(a->corr, *now_us, out, max);
}

const struct correlate *
analyzer_correlate(const struct analyzer *a)
{
	return a->corr;
}

void
analyzer_grade_pending(struct analyzer *a)
{
	policy_grade_pending(a->policy);
}

struct timeline *
analyzer_timeline(struct analyzer *a)
{
	return policy_timeline(a->policy);
}

struct geo *
analyzer_geo(struct analyzer *a)
{
	return a->cfg.geo;
}

const struct notice_stats *
analyzer_notice_stats(const struct analyzer *a)
{
	return notice_get_stats(a->notices);
}

uint64_t
analyzer_log_errors(const struct analyzer *a)
{
	return notice_get_stats(a->notices)->write_errors +
	    records_errors(a->rec) +
	    (a->stats_log != NULL ? logw_lost(a->stats_log) : 0);
}

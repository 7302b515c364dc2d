/*
 * analyzer.c - decode, track, match, notify: the analyzer thread's work.
 *
 * struct analyzer holds the flow table, the notice context, the sinks and
 * the counters.  The per-packet path (analyzer_packet) decodes into a
 * struct packet on the stack, updates one flow, and only on a new
 * connection does more (two intel lookups).  Everything periodic (idle
 * sweeps, stats lines, rotation checks) runs when network time crosses a
 * whole second, so its cost does not grow with the packet rate.
 */
#include "analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "config.h"
#include "http.h"
#include "jbuf.h"
#include "logw.h"
#include "notice.h"
#include "reasm.h"
#include "tls.h"

#define LINE_MAX_BYTES	4096
#define STATS_LINE_MAX	8192

/* flow->intel_flags bits */
#define INTEL_CHECKED	0x1u

/* flow->app_flags bits */
#define APP_HTTP_DONE	0x01	/* first client payload looked at for HTTP */

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

	int64_t now_us;			/* network time */
	int64_t next_tick_us;		/* next whole-second work */
	int64_t next_stats_us;
	struct analyzer_counters ctr;
	char line[LINE_MAX_BYTES];	/* conn.log line being built */
	char stats_line[STATS_LINE_MAX];
};

static void on_flow_end(void *ctx, struct flow *f,
    enum flow_end_reason why);

struct analyzer *
analyzer_new(const struct analyzer_config *cfg, const struct intel *intel,
    char *errbuf, size_t errlen)
{
	struct analyzer *a;
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
	a->notices = notice_ctx_new(a->notice_log, cfg->suppress_for_s,
	    errbuf, errlen);
	if (a->notices == NULL)
		goto fail;
	a->flows = flow_table_new(&cfg->flow, on_flow_end, a, errbuf);
	if (a->flows == NULL)
		goto fail;
	a->reasm = reasm_new(0, 0, errbuf);
	if (a->reasm == NULL)
		goto fail;
	a->now_us = INT64_MIN;
	return a;
fail:
	analyzer_free(a);
	return NULL;
}

void
analyzer_free(struct analyzer *a)
{
	if (a == NULL)
		return;
	flow_table_free(a->flows);
	reasm_free(a->reasm);
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
	struct jbuf j;

	(void)why;
	/* a ClientHello still being collected gives its slot back */
	tls_flow_end(&f->tls[0], a->reasm);
	tls_flow_end(&f->tls[1], a->reasm);
	if (a->conn_log == NULL)
		return;
	jbuf_init(&j, a->line, sizeof(a->line));
	jbuf_open(&j);
	jbuf_ts(&j, "ts", f->first_us);
	jbuf_str(&j, "uid", f->uid);
	jbuf_addr(&j, "id.orig_h", f->orig_h);
	jbuf_u64(&j, "id.orig_p", f->orig_p);
	jbuf_addr(&j, "id.resp_h", f->resp_h);
	jbuf_u64(&j, "id.resp_p", f->resp_p);
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
	struct notice n;
	char msg[512], ident[256], dev[48];
	int i;

	f->intel_flags |= INTEL_CHECKED;
	for (i = 0; i < 2; i++) {
		it = intel_match_addr(a->intel, hit_addr[i]);
		if (it == NULL)
			continue;
		a->ctr.intel_hits++;
		jbuf_addr_fmt(other[i], dev, sizeof(dev));
		snprintf(msg, sizeof(msg),
		    "%s exchanged traffic with known stalkerware C2 address "
		    "%s%s%s", dev, it->indicator, it->desc != NULL ? ": " : "",
		    it->desc != NULL ? it->desc : "");
		/* one notice per device and indicator per window */
		snprintf(ident, sizeof(ident), "%s-%s", it->indicator, dev);
		memset(&n, 0, sizeof(n));
		n.ts_us = f->first_us;
		n.note = NOTE_C2_TRAFFIC;
		n.msg = msg;
		n.sub = it->indicator;
		n.identifier = ident;
		n.severity = SW_SEV_C2;
		n.conn = f;
		n.src = other[i];
		n.dst = hit_addr[i];
		n.server_name = f->server_name;
		n.intel = it;
		n.intel_where = where[i];
		notice_raise(a->notices, &n);
	}
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
	jbuf_u64(&j, "intel_hits", a->ctr.intel_hits);
	jbuf_u64(&j, "notices", ns->written);
	jbuf_u64(&j, "notices_suppressed", ns->suppressed);
	jbuf_u64(&j, "log_write_errors", ns->write_errors +
	    a->ctr.conn_log_errors);
	jbuf_u64(&j, "tls_client_hellos", a->ctr.tls[TLS_OK]);
	jbuf_u64(&j, "http_hosts", a->ctr.http_hosts);
	jbuf_u64(&j, "reasm_in_use_max", reasm_stats(a->reasm)->in_use_max);
	jbuf_u64(&j, "reasm_exhausted", reasm_stats(a->reasm)->exhausted);
	jbuf_key_open(&j, "decoder");
	for (i = 1; i < DS__COUNT; i++)
		if (a->ctr.decode[i] != 0)
			jbuf_u64(&j, decode_status_key((enum decode_status)i),
			    a->ctr.decode[i]);
	jbuf_close(&j);
	jbuf_close(&j);
	if (!j.overflow)
		logw_write(a->stats_log, j.buf, j.len);
}

/* Work due when network time crosses a whole second. */
static void
tick(struct analyzer *a)
{
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
set_server_name(struct flow *f, const char *name, uint8_t src)
{
	size_t n;

	if (src < f->name_src || name[0] == '\0')
		return;
	n = strlen(name);
	if (n >= sizeof(f->server_name))
		return;
	memcpy(f->server_name, name, n + 1);
	f->name_src = src;
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
	int dir = from_orig ? 0 : 1;
	const struct flow_tcp_dir *d = &f->tcp[dir];

	if (!(f->tls[dir].flags & TLS_FLOW_DONE)) {
		r = tls_feed(&f->tls[dir], a->reasm, d->syn != 0, d->isn,
		    p->seq + ((p->tcp_flags & TCPF_SYN) ? 1 : 0), p->payload,
		    p->payload_caplen, &hello, &st);
		if (st < TLS__COUNT)
			a->ctr.tls[st]++;
		if (r != TLS_FEED_NONE && hello.has_sni && !hello.sni_odd &&
		    !hello.sni_trunc)
			set_server_name(f, hello.sni, FLOW_NAME_SNI);
	}
	if (from_orig && !(f->app_flags & APP_HTTP_DONE)) {
		f->app_flags |= APP_HTTP_DONE;
		if (http_parse_host(p->payload, p->payload_caplen, &req) ==
		    HTTP_OK && !req.host_trunc) {
			a->ctr.http_hosts++;
			set_server_name(f, req.host, FLOW_NAME_HTTP);
		}
	}
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
	if (is_new && a->intel != NULL)
		intel_check_conn(a, f);
	if (p->ip_proto == IPPROTO_NUM_TCP && p->payload_caplen > 0)
		app_tcp(a, f, p, from_orig);
}

void
analyzer_packet(struct analyzer *a, const struct ring_rec *rec,
    const uint8_t *data)
{
	struct packet p;
	enum decode_status st;

	st = decode_packet(&p, rec->dlt, data, rec->caplen, rec->wirelen,
	    rec->ts_us);
	process(a, rec, &p, st, st == DS_OK ? flow_hash(a->flows, &p) : 0);
}

static void
reopen_logs(struct analyzer *a)
{
	logw_check_rotation(a->notice_log);
	if (a->conn_log != NULL)
		logw_check_rotation(a->conn_log);
	if (a->stats_log != NULL)
		logw_check_rotation(a->stats_log);
}

/*
 * Packets in flight between decode and processing.  A big flow table
 * costs two cache misses per packet (bucket, then entry); decoding a few
 * packets ahead lets their prefetches overlap the work on the packets
 * before, the way DPDK applications batch.  Order is unchanged.
 */
#define LOOKAHEAD	4	/* power of two */

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
	struct inflight q[LOOKAHEAD], *e;
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
			e = &q[(qh + qn) & (LOOKAHEAD - 1)];
			e->rec = rec;
			e->st = decode_packet(&e->p, rec->dlt,
			    (const uint8_t *)(rec + 1), rec->caplen,
			    rec->wirelen, rec->ts_us);
			e->hash = 0;
			if (e->st == DS_OK) {
				e->hash = flow_hash(a->flows, &e->p);
				flow_prefetch(a->flows, e->hash, 0);
			}
			if (++qn < LOOKAHEAD)
				continue;
		} else if (qn == 0) {
			/* on stop, the capture thread ends and closes the
			 * ring; what is already in it is still analysed */
			if (sig != NULL && sig->stop != NULL && *sig->stop)
				capture_stop(c);
			if (sig != NULL && sig->hup != NULL && *sig->hup) {
				*sig->hup = 0;
				reopen_logs(a);
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
			if (++idle >= 64)
				ring_wait(r);
			continue;
		}
		/* stage 2: the next packet's entry; stage 3: the oldest */
		idle = 0;
		if (qn > 1 && q[(qh + 1) & (LOOKAHEAD - 1)].st == DS_OK)
			flow_prefetch(a->flows,
			    q[(qh + 1) & (LOOKAHEAD - 1)].hash, 1);
		e = &q[qh];
		process(a, e->rec, &e->p, e->st, e->hash);
		ring_release(r, e->rec);
		qh = (qh + 1) & (LOOKAHEAD - 1);
		qn--;
	}
}

void
analyzer_finish(struct analyzer *a, struct capture *c)
{
	if (c != NULL)
		a->cap = c;
	flow_flush(a->flows);
	write_stats(a, 1);
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

const struct notice_stats *
analyzer_notice_stats(const struct analyzer *a)
{
	return notice_get_stats(a->notices);
}

/*
 * notice.c - notice suppression and the notice.log line format.
 *
 * struct notice_ctx: the sink, the window, and a table (table.h) of struct
 * supp keyed by note NUL identifier.  An entry outlives its window so that
 * the next notice after the window can report how many were suppressed
 * during it; entries are only dropped when the table is full.  Every
 * window has the same length, so the entry renewed longest ago is the one
 * whose window ended first: a renewal touches its entry to the recent end
 * of the table's list, and a full table evicts the oldest end (counted).
 * No allocation per notice, no scan.
 */
#include "notice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "communityid.h"
#include "config.h"
#include "hash.h"
#include "jbuf.h"
#include "logw.h"
#include "recmeta.h"
#include "syslog_out.h"
#include "beacon.h"
#include "correlate.h"
#include "device.h"
#include "flow.h"
#include "geo.h"
#include "intel.h"
#include "table.h"

#define KEY_HASH_OFF (SW_SUPPRESS_KEY_MAX - 8) /* see supp_key() */

struct supp {
	int64_t until_us;	/* window end (network time) */
	uint64_t count;		/* suppressed since the last written one */
};

struct notice_ctx {
	struct logw *sink;
	uint32_t suppress_for_s;
	struct table *supp; /* NULL when suppression is off */
	uint64_t k0, k1;    /* for the hash of a key too long to keep */
	struct notice_stats st;
	struct syslog_out *syslog; /* NULL: none */
	char line[SW_NOTICE_LINE_MAX];
};

struct notice_ctx *
notice_ctx_new(struct logw *sink, uint32_t suppress_for_s, uint32_t max_entries,
    uint64_t seed, char *errbuf, size_t errlen)
{
	struct table_config tc;
	struct notice_ctx *nc;
	char err[SW_ERRLEN];

	nc = calloc(1, sizeof(*nc));
	if (nc == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	nc->sink = sink;
	nc->suppress_for_s = suppress_for_s;
	if (suppress_for_s == 0)
		return nc;
	memset(&tc, 0, sizeof(tc));
	tc.name = "notice";
	tc.max = max_entries != 0 ? max_entries : SW_SUPPRESS_MAX;
	tc.key_max = SW_SUPPRESS_KEY_MAX;
	tc.val_size = sizeof(struct supp);
	tc.nlists = 1;
	tc.seed = seed;
	if ((nc->supp = table_new(&tc, err)) == NULL) {
		snprintf(errbuf, errlen, "%s", err);
		free(nc);
		return NULL;
	}
	/* keys of their own: the table's are not ours to know */
	seed ^= 0x6e6f74696365ULL; /* "notice" */
	nc->k0 = hash_splitmix64(&seed);
	nc->k1 = hash_splitmix64(&seed);
	return nc;
}

void
notice_ctx_free(struct notice_ctx *nc)
{
	if (nc == NULL)
		return;
	table_free(nc->supp);
	free(nc);
}

/*
 * The suppression key of (note, identifier) into key[SW_SUPPRESS_KEY_MAX];
 * returns its length.  A pair that fits in fewer bytes is kept whole:
 * note NUL identifier, which is every pair the sensor makes (config.h).
 * A longer one (an API caller's) is neither refused, which would never
 * suppress it, nor cut, which would merge identifiers that differ after
 * the cut: its first KEY_HASH_OFF bytes are followed by a 64-bit keyed
 * hash of the whole pair (of the identifier, under a key derived from
 * the note's hash), and its length is exactly SW_SUPPRESS_KEY_MAX, which
 * no whole key has.  Two long pairs merge only when their first bytes
 * and their hashes agree: 1 in 2^64 for pairs that differ, and not
 * aimable from the wire, the hash being keyed by the run's seed.
 */
static size_t
supp_key(const struct notice_ctx *nc, const char *note, const char *ident,
    char key[SW_SUPPRESS_KEY_MAX])
{
	size_t nl = strlen(note), il = strlen(ident), o;
	uint64_t h;

	if (nl + 1 + il < SW_SUPPRESS_KEY_MAX) {
		memcpy(key, note, nl);
		key[nl] = '\0';
		memcpy(key + nl + 1, ident, il);
		return nl + 1 + il;
	}
	o = nl < KEY_HASH_OFF ? nl : KEY_HASH_OFF;
	memcpy(key, note, o);
	if (o < KEY_HASH_OFF)
		key[o++] = '\0';
	if (o < KEY_HASH_OFF) {
		memcpy(key + o, ident, KEY_HASH_OFF - o);
		o = KEY_HASH_OFF;
	}
	h = hash_siphash13(nc->k0, nc->k1, note, nl);
	h = hash_siphash13(nc->k0, nc->k1 ^ h, ident, il);
	memcpy(key + o, &h, sizeof(h));
	return SW_SUPPRESS_KEY_MAX;
}

/*
 * Decide suppression.  Returns 1 to suppress; else 0 with *prior set to
 * the count suppressed in the window that just ended.
 */
static int
suppress_check(struct notice_ctx *nc, const struct notice *n,
    uint64_t *prior)
{
	char key[SW_SUPPRESS_KEY_MAX];
	const struct table_stats *ts;
	struct supp *e;
	size_t kl;
	uint64_t h;

	*prior = 0;
	if (n->identifier == NULL || nc->supp == NULL)
		return 0;
	kl = supp_key(nc, n->note, n->identifier, key);
	h = table_hash(nc->supp, key, kl);
	if ((e = table_find(nc->supp, key, kl, h)) != NULL) {
		if (n->ts_us < e->until_us) {
			e->count++; /* not a renewal: stays where it is */
			return 1;
		}
		*prior = e->count;
		e->count = 0;
		e->until_us = n->ts_us + (int64_t)nc->suppress_for_s * 1000000;
		table_touch(nc->supp, e, 0);
		return 0;
	}
	if ((e = table_insert(nc->supp, key, kl, h, 1)) == NULL)
		return 0; /* cannot happen when evicting: write it */
	e->until_us = n->ts_us + (int64_t)nc->suppress_for_s * 1000000;
	ts = table_get_stats(nc->supp);
	nc->st.table_evictions = ts->evicted;
	return 0;
}

int
notice_would_suppress(const struct notice_ctx *nc, const struct notice *n)
{
	char key[SW_SUPPRESS_KEY_MAX];
	const struct supp *e;
	size_t kl;

	if (n->identifier == NULL || nc->supp == NULL)
		return 0;
	kl = supp_key(nc, n->note, n->identifier, key);
	e = table_find(nc->supp, key, kl, table_hash(nc->supp, key, kl));
	return e != NULL && n->ts_us < e->until_us;
}

void
notice_put_conn_id(struct jbuf *j, const struct flow *f)
{
	char uid[FLOW_UID_LEN], cid[COMMUNITY_ID_LEN];
	struct flow_addrs fa;

	flow_uid(f, uid);
	flow_get_addrs(f, &fa);
	jbuf_str(j, "uid", uid);
	jbuf_addr(j, "id.orig_h", fa.orig_h);
	jbuf_u64(j, "id.orig_p", f->orig_p);
	jbuf_addr(j, "id.resp_h", fa.resp_h);
	jbuf_u64(j, "id.resp_p", f->resp_p);
	community_id_flow(f, cid);
	jbuf_str(j, "community_id", cid);
}

size_t
notice_format(const struct notice *n, uint32_t suppress_for_s,
    uint64_t suppressed, char *buf, size_t cap)
{
	struct jbuf j;
	const struct flow *f = n->conn;
	const struct intel_item *it = n->intel;

	jbuf_init(&j, buf, cap);
	jbuf_open(&j);
	recmeta_path(&j, "notice");
	jbuf_ts(&j, "ts", n->ts_us);
	if (f != NULL) {
		notice_put_conn_id(&j, f);
		jbuf_str(&j, "proto", flow_proto_name(f));
	}
	jbuf_str(&j, "note", n->note);
	jbuf_str(&j, "msg", n->msg);
	if (n->sub != NULL)
		jbuf_str(&j, "sub", n->sub);
	if (n->src != NULL)
		jbuf_addr(&j, "src", n->src);
	if (n->dst != NULL)
		jbuf_addr(&j, "dst", n->dst);
	if (f != NULL && f->proto != IPPROTO_NUM_ICMP &&
	    f->proto != IPPROTO_NUM_ICMP6 && n->dst != NULL) {
		/* the port on the indicator's side: an integer, as Zeek's
		 * JSON writer gives a port (the protocol is in proto) */
		jbuf_u64(&j, "p",
		    flow_addr_is(f, 0, n->dst) ? f->orig_p : f->resp_p);
	}
	jbuf_dbl(&j, "suppress_for", (double)suppress_for_s, 1);
	jbuf_key_array(&j, "actions");
	jbuf_elem_str(&j, "Notice::ACTION_LOG");
	jbuf_array_close(&j);
	jbuf_u64(&j, "severity", (uint64_t)(n->severity < 0 ? 0 :
	    n->severity));
	if (n->server_name != NULL && n->server_name[0] != '\0')
		jbuf_str(&j, "server_name", n->server_name);
	if (f != NULL && n->src != NULL) {
		if (flow_addr_is(f, 0, n->src) && f->has_orig_l2)
			jbuf_mac(&j, "orig_l2_addr", f->orig_l2);
		else if (flow_addr_is(f, 1, n->src) && f->has_resp_l2)
			jbuf_mac(&j, "orig_l2_addr", f->resp_l2);
	}
	if (n->device != NULL) {
		const struct device_info *dv = n->device;

		jbuf_key_open(&j, "device");
		jbuf_addr(&j, "ip", dv->addr);
		if (dv->has_mac)
			jbuf_mac(&j, "mac", dv->mac);
		if (dv->hostname[0] != '\0')
			jbuf_str(&j, "hostname", dv->hostname);
		if (dv->vendor[0] != '\0')
			jbuf_str(&j, "vendor_class", dv->vendor);
		if (dv->fqdn[0] != '\0')
			jbuf_str(&j, "fqdn", dv->fqdn);
		jbuf_close(&j);
	}
	if (n->geo != NULL) {
		const struct geo_info *gi = n->geo;

		jbuf_key_open(&j, "geo");
		if (gi->country[0] != '\0')
			jbuf_str(&j, "country", gi->country);
		if (gi->city[0] != '\0')
			jbuf_str(&j, "city", gi->city);
		if (gi->asn != 0)
			jbuf_u64(&j, "asn", gi->asn);
		if (gi->as_org[0] != '\0')
			jbuf_str(&j, "as_org", gi->as_org);
		jbuf_close(&j);
	}
	if (suppressed > 0)
		jbuf_u64(&j, "suppressed", suppressed);
	if (it != NULL) {
		jbuf_key_open(&j, "intel");
		jbuf_str(&j, "indicator", it->indicator);
		jbuf_str(&j, "indicator_type", it->zeek_type != NULL ?
		    it->zeek_type : "Intel::ADDR");
		if (n->intel_where != NULL)
			jbuf_str(&j, "where", n->intel_where);
		if (it->app != NULL)
			jbuf_str(&j, "app", it->app);
		jbuf_str(&j, "category", intel_category_name(it->category));
		jbuf_str(&j, "role", intel_role_name(it->role));
		if (it->source != NULL)
			jbuf_str(&j, "source", it->source);
		if (it->desc != NULL)
			jbuf_str(&j, "description", it->desc);
		jbuf_close(&j);
	}
	if (n->beacon != NULL) {
		const struct beacon_score *b = n->beacon;

		jbuf_key_open(&j, "beacon");
		jbuf_u64(&j, "events", b->events);
		jbuf_ts(&j, "first_seen", b->first_us);
		jbuf_ts(&j, "last_seen", b->last_us);
		jbuf_dbl(&j, "period", b->period_s, 1);
		jbuf_dbl(&j, "interval_dispersion", b->interval_dispersion, 3);
		jbuf_u64(&j, "missed", b->missed);
		jbuf_u64(&j, "retries", b->retries);
		jbuf_dbl(&j, "up_median", b->up_median, 0);
		jbuf_dbl(&j, "up_dispersion", b->up_dispersion, 3);
		jbuf_dbl(&j, "down_median", b->down_median, 0);
		jbuf_dbl(&j, "down_dispersion", b->down_dispersion, 3);
		jbuf_dbl(&j, "evidence", b->evidence, 2);
		jbuf_dbl(&j, "score", b->score, 3);
		jbuf_close(&j);
	}
	if (n->evidence != NULL) {
		const struct corr_device *d = n->evidence;
		uint8_t i;

		jbuf_str(&j, "verdict", "very likely");
		jbuf_key_array(&j, "apps");
		for (i = 0; i < d->napps; i++)
			jbuf_elem_str(&j, d->apps[i]);
		jbuf_array_close(&j);
		jbuf_key_array(&j, "evidence");
		for (i = 0; i < d->n; i++) {
			jbuf_open(&j);
			jbuf_ts(&j, "ts", d->ev[i].ts_us);
			jbuf_str(&j, "grade",
			    correlate_grade_key(
				(enum corr_grade)d->ev[i].grade));
			jbuf_str(&j, "note", d->ev[i].note);
			if (d->ev[i].uid[0] != '\0')
				jbuf_str(&j, "uid", d->ev[i].uid);
			jbuf_str(&j, "sub", d->ev[i].sub);
			jbuf_close(&j);
		}
		jbuf_array_close(&j);
	}
	recmeta_peer(&j);
	jbuf_close(&j);
	return j.overflow ? 0 : j.len;
}

int
notice_raise(struct notice_ctx *nc, const struct notice *n)
{
	uint64_t prior;
	size_t len;

	nc->st.raised++;
	if (suppress_check(nc, n, &prior)) {
		nc->st.suppressed++;
		return 0;
	}
	len = notice_format(n, nc->suppress_for_s, prior, nc->line,
	    sizeof(nc->line));
	if (len == 0) {
		nc->st.write_errors++;
		return -1;
	}
	/* the collector gets it even when the disk is full */
	syslog_out_notice(nc->syslog, n->note, n->severity, n->ts_us, nc->line,
	    len);
	logw_check_rotation(nc->sink);
	if (logw_write(nc->sink, nc->line, len) != 0) {
		nc->st.write_errors++;
		return -1;
	}
	nc->st.written++;
	return 1;
}

void
notice_set_syslog(struct notice_ctx *nc, struct syslog_out *s)
{
	nc->syslog = s;
}

const struct notice_stats *
notice_get_stats(const struct notice_ctx *nc)
{
	return &nc->st;
}

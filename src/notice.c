/*
 * notice.c - notice suppression and the notice.log line format.
 *
 * struct notice_ctx: the sink, the window, and a chained hash of struct
 * supp entries keyed by (note, identifier).  An entry outlives its window
 * so that the next notice after the window can report how many were
 * suppressed during it; entries are only dropped when the table is full
 * (the one whose window ended first goes, counted).  Notices are rare (a
 * few per device per hour at most), so the table allocates per entry.
 */
#include "notice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "jbuf.h"
#include "logw.h"

struct supp {
	struct supp *next;
	uint64_t hash;
	int64_t until_us;	/* window end (network time) */
	uint64_t count;		/* suppressed since the last written one */
	char *key;		/* note NUL identifier */
	size_t keylen;
};

struct notice_ctx {
	struct logw *sink;
	uint32_t suppress_for_s;
	struct supp *buckets[SW_SUPPRESS_BUCKETS];
	size_t n_entries;
	struct notice_stats st;
	char line[SW_NOTICE_LINE_MAX];
};

struct notice_ctx *
notice_ctx_new(struct logw *sink, uint32_t suppress_for_s, char *errbuf,
    size_t errlen)
{
	struct notice_ctx *nc;

	nc = calloc(1, sizeof(*nc));
	if (nc == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	nc->sink = sink;
	nc->suppress_for_s = suppress_for_s;
	return nc;
}

void
notice_ctx_free(struct notice_ctx *nc)
{
	struct supp *e, *next;
	size_t i;

	if (nc == NULL)
		return;
	for (i = 0; i < SW_SUPPRESS_BUCKETS; i++)
		for (e = nc->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e->key);
			free(e);
		}
	free(nc);
}

/* FNV-1a: the table is not exposed to attacker-chosen keys at volume. */
static uint64_t
key_hash(const char *k, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Drop the entry whose window ended first (table full). */
static void
evict_one(struct notice_ctx *nc)
{
	struct supp **best = NULL, **pp;
	struct supp *e;
	size_t i;

	for (i = 0; i < SW_SUPPRESS_BUCKETS; i++)
		for (pp = &nc->buckets[i]; *pp != NULL; pp = &(*pp)->next)
			if (best == NULL || (*pp)->until_us < (*best)->until_us)
				best = pp;
	if (best == NULL)
		return;
	e = *best;
	*best = e->next;
	free(e->key);
	free(e);
	nc->n_entries--;
	nc->st.table_evictions++;
}

/*
 * Decide suppression.  Returns 1 to suppress; else 0 with *prior set to
 * the count suppressed in the window that just ended.
 */
static int
suppress_check(struct notice_ctx *nc, const struct notice *n,
    uint64_t *prior)
{
	struct supp *e, **head;
	size_t nl, il, kl;
	uint64_t h;
	char *key;

	*prior = 0;
	if (n->identifier == NULL || nc->suppress_for_s == 0)
		return 0;
	nl = strlen(n->note);
	il = strlen(n->identifier);
	kl = nl + 1 + il;
	key = malloc(kl + 1);
	if (key == NULL)
		return 0;	/* fail open: write it */
	memcpy(key, n->note, nl);
	key[nl] = '\0';
	memcpy(key + nl + 1, n->identifier, il + 1);
	h = key_hash(key, kl);
	head = &nc->buckets[h & (SW_SUPPRESS_BUCKETS - 1)];
	for (e = *head; e != NULL; e = e->next)
		if (e->hash == h && e->keylen == kl &&
		    memcmp(e->key, key, kl) == 0)
			break;
	if (e != NULL) {
		free(key);
		if (n->ts_us < e->until_us) {
			e->count++;
			return 1;
		}
		*prior = e->count;
		e->count = 0;
		e->until_us = n->ts_us + (int64_t)nc->suppress_for_s * 1000000;
		return 0;
	}
	if (nc->n_entries >= SW_SUPPRESS_MAX)
		evict_one(nc);
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		free(key);
		return 0;
	}
	e->hash = h;
	e->key = key;
	e->keylen = kl;
	e->until_us = n->ts_us + (int64_t)nc->suppress_for_s * 1000000;
	e->next = *head;
	*head = e;
	nc->n_entries++;
	return 0;
}

void
notice_put_conn_id(struct jbuf *j, const struct flow *f)
{
	jbuf_str(j, "uid", f->uid);
	jbuf_addr(j, "id.orig_h", f->orig_h);
	jbuf_u64(j, "id.orig_p", f->orig_p);
	jbuf_addr(j, "id.resp_h", f->resp_h);
	jbuf_u64(j, "id.resp_p", f->resp_p);
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
		/* the port on the indicator's side, in Zeek's "N/proto" form */
		char port[16];
		uint16_t pn;

		pn = memcmp(n->dst, f->orig_h, 16) == 0 ? f->orig_p :
		    f->resp_p;
		snprintf(port, sizeof(port), "%u/%s", pn, flow_proto_name(f));
		jbuf_str(&j, "p", port);
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
		if (memcmp(n->src, f->orig_h, 16) == 0 && f->has_orig_l2)
			jbuf_mac(&j, "orig_l2_addr", f->orig_l2);
		else if (memcmp(n->src, f->resp_h, 16) == 0 && f->has_resp_l2)
			jbuf_mac(&j, "orig_l2_addr", f->resp_l2);
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

		jbuf_key_array(&j, "evidence");
		for (i = 0; i < d->n; i++) {
			jbuf_open(&j);
			jbuf_ts(&j, "ts", d->ev[i].ts_us);
			jbuf_str(&j, "note", d->ev[i].note);
			if (d->ev[i].uid[0] != '\0')
				jbuf_str(&j, "uid", d->ev[i].uid);
			jbuf_str(&j, "sub", d->ev[i].sub);
			jbuf_close(&j);
		}
		jbuf_array_close(&j);
	}
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
	logw_check_rotation(nc->sink);
	if (logw_write(nc->sink, nc->line, len) != 0) {
		nc->st.write_errors++;
		return -1;
	}
	nc->st.written++;
	return 1;
}

const struct notice_stats *
notice_get_stats(const struct notice_ctx *nc)
{
	return &nc->st;
}

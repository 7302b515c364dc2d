/*
 * dns.c - DNS message parsing (RFC 1035, RFC 3596, RFC 2181) into a flat
 * struct dns_msg, name rendering, CNAME chains and DNS-over-TCP framing.
 *
 * The central structure is the caller's struct dns_msg, filled front to
 * back while one bounded reader (struct rd) walks the message: the header,
 * every question (the first one kept), then the answer section, where A,
 * AAAA and CNAME records are kept and the rest skipped by rdlength.  The
 * authority and additional sections are not read: attribution needs only
 * the answers.  Names are decoded by dns_name_read(), which follows
 * compression pointers through a second reader over the whole message and
 * enforces the limits of dns.h (63-byte labels, 255-byte names, no pointer
 * target visited twice, SW_DNS_PTR_HOPS_MAX hops).
 *
 * Nothing is allocated or logged: this runs once per DNS packet.
 */
#include "dns.h"

#include <stdio.h>
#include <string.h>

#include "rd.h"

/* Minimal sizes used to reject impossible counts up front. */
#define DNS_MIN_QUESTION	5	/* root name + type + class */
#define DNS_MIN_RR		11	/* root name + type, class, ttl, rdlen */

static const char *const dns_status_keys[] = {
	[DNS_OK] = "dns.ok",
	[DNS_TRUNCATED] = "dns.truncated",
	[DNS_BAD_NAME] = "dns.bad_name",
	[DNS_BAD_COUNTS] = "dns.bad_counts",
	[DNS_COMPRESSION_LOOP] = "dns.compression_loop",
	[DNS_NOT_DNS] = "dns.not_dns",
	[DNS_BAD_RDATA] = "dns.bad_rdata",
};

const char *
dns_status_key(enum dns_status s)
{
	if ((unsigned)s >= DNS__COUNT)
		return "dns.unknown";
	return dns_status_keys[s];
}

/* The message as a whole, for pointer jumps. */
struct dns_ctx {
	const uint8_t *buf;
	size_t caplen;		/* readable */
	size_t len;		/* on the wire */
};

/*
 * Read the name at r's offset into *out.  r advances past the name's
 * in-place part (up to and including the first pointer).  Pointers are
 * followed through a reader over the whole message.
 */
static enum dns_status
dns_name_read(const struct dns_ctx *c, struct rd *r, struct dns_name *out)
{
	struct rd jump;
	struct rd *cur = r;
	uint16_t visited[SW_DNS_PTR_HOPS_MAX];
	size_t nvis = 0, i, target;
	const uint8_t *p;
	uint8_t b, lo;

	out->len = 0;
	out->nlabels = 0;
	for (;;) {
		b = rd_u8(cur);
		if (cur->err)
			return DNS_TRUNCATED;
		switch (b & 0xc0) {
		case 0x00:
			if (b == 0) {
				/* Room is kept for this byte below. */
				out->wire[out->len++] = 0;
				return DNS_OK;
			}
			/* Label, its length byte, and the final root byte. */
			if ((size_t)out->len + 1 + b + 1 > DNS_NAME_WIRE_MAX)
				return DNS_BAD_NAME;
			if ((p = rd_ptr(cur, b)) == NULL)
				return DNS_TRUNCATED;
			out->wire[out->len] = b;
			memcpy(out->wire + out->len + 1, p, b);
			out->len = (uint8_t)(out->len + 1 + b);
			out->nlabels++;
			break;
		case 0xc0:
			lo = rd_u8(cur);
			if (cur->err)
				return DNS_TRUNCATED;
			target = (size_t)(b & 0x3f) << 8 | lo;
			/*
			 * A name that revisits a target would repeat forever;
			 * the hop cap bounds pointer-to-pointer chains, which
			 * add no bytes and so escape the 255-byte cap.
			 */
			if (nvis == SW_DNS_PTR_HOPS_MAX)
				return DNS_COMPRESSION_LOOP;
			for (i = 0; i < nvis; i++)
				if (visited[i] == target)
					return DNS_COMPRESSION_LOOP;
			visited[nvis++] = (uint16_t)target;
			if (target >= c->len)
				return DNS_BAD_NAME;
			if (target >= c->caplen)
				return DNS_TRUNCATED;
			rd_init(&jump, c->buf, c->caplen);
			rd_skip(&jump, target);
			cur = &jump;
			break;
		default:
			/* 0x40 extended and 0x80 reserved label types. */
			return DNS_BAD_NAME;
		}
	}
}

/*
 * Step over the name at r without following its pointer: for a name that
 * is not kept, so that its record costs its own bytes, not the 255 bytes
 * and SW_DNS_PTR_HOPS_MAX hops a 2-byte pointer may lead to.  The labels
 * in place are checked as dns_name_read() checks them, and the pointer's
 * target against the message length; what lies behind it is not read
 * (so a loop there is not seen).
 */
static enum dns_status
dns_name_skip(const struct dns_ctx *c, struct rd *r)
{
	size_t len = 1, target;
	uint8_t b, lo;

	for (;;) {
		b = rd_u8(r);
		if (r->err)
			return DNS_TRUNCATED;
		switch (b & 0xc0) {
		case 0x00:
			if (b == 0)
				return DNS_OK;
			if ((len += 1u + b) > DNS_NAME_WIRE_MAX)
				return DNS_BAD_NAME;
			rd_skip(r, b);
			if (r->err)
				return DNS_TRUNCATED;
			break;
		case 0xc0:
			lo = rd_u8(r);
			if (r->err)
				return DNS_TRUNCATED;
			target = (size_t)(b & 0x3f) << 8 | lo;
			return target >= c->len ? DNS_BAD_NAME : DNS_OK;
		default:
			return DNS_BAD_NAME;
		}
	}
}

/* The name at offset off of the message, decompressed. */
static enum dns_status
dns_name_at(const struct dns_ctx *c, size_t off, struct dns_name *out)
{
	struct rd r;

	rd_init(&r, c->buf, c->caplen);
	rd_skip(&r, off);
	return dns_name_read(c, &r, out);
}

static void
dns_msg_reset(struct dns_msg *m)
{
	m->has_header = 0;
	m->has_question = 0;
	m->qname.len = 0;
	m->qname.nlabels = 0;
	m->qtype = 0;
	m->qclass = 0;
	m->n_answers = 0;
	m->answers_dropped = 0;
	m->cnames_folded = 0;
	m->records_unread = 0;
}

static void
dns_read_header(struct dns_msg *m, struct rd *r)
{
	uint16_t flags;

	m->id = rd_be16(r);
	flags = rd_be16(r);
	m->qdcount = rd_be16(r);
	m->ancount = rd_be16(r);
	m->nscount = rd_be16(r);
	m->arcount = rd_be16(r);
	m->qr = (uint8_t)(flags >> 15);
	m->opcode = (uint8_t)(flags >> 11 & 0xf);
	m->aa = (uint8_t)(flags >> 10 & 1);
	m->tc = (uint8_t)(flags >> 9 & 1);
	m->rd = (uint8_t)(flags >> 8 & 1);
	m->ra = (uint8_t)(flags >> 7 & 1);
	m->rcode = (uint8_t)(flags & 0xf);
	m->has_header = 1;
}

/*
 * The CNAME chain as the answer section is walked: the last kept CNAME
 * and where the chain's tail name (its target, or the target of the last
 * record folded into it) starts in the message.
 */
struct dns_fold {
	struct dns_rr *last; /* NULL: no CNAME kept yet */
	size_t tail_off;
	int pending;	 /* last->target is not the tail yet */
	unsigned cnames; /* CNAMEs kept */
};

/*
 * Parse one answer record at r.  Kept records land in m->answers; others
 * are skipped by rdlength, their owner names stepped over in place.  A
 * CNAME past the SW_DNS_MAX_CNAMES kept (or past SW_DNS_MAX_ANSWERS)
 * whose owner is a pointer to the chain's tail, as resolvers compress a
 * chain, is folded into the last kept CNAME (see dns.h): its target is
 * only checked in place here, and read once, at the end (dns_fold_end()).
 */
static enum dns_status
dns_read_answer(const struct dns_ctx *c, struct dns_msg *m, struct rd *r,
    struct dns_fold *fold)
{
	struct dns_rr *rr;
	struct rd rdata, tr;
	enum dns_status st;
	uint16_t type, rclass, rdlen;
	uint32_t ttl;
	size_t owner_off = r->off, rdata_off;
	int keep;

	if ((st = dns_name_skip(c, r)) != DNS_OK)
		return st;
	type = rd_be16(r);
	rclass = rd_be16(r);
	ttl = rd_be32(r);
	rdlen = rd_be16(r);
	rdata_off = r->off;
	rdata = rd_sub(r, rdlen);
	if (r->err)
		return DNS_TRUNCATED;

	/* mDNS uses bit 15 of the class as the cache-flush flag (RFC 6762). */
	keep = (rclass & 0x7fff) == DNS_CLASS_IN &&
	    ((type == DNS_TYPE_A && rdlen == 4) ||
	    (type == DNS_TYPE_AAAA && rdlen == 16) || type == DNS_TYPE_CNAME);
	if (!keep)
		return DNS_OK;
	if (m->n_answers == SW_DNS_MAX_ANSWERS ||
	    (type == DNS_TYPE_CNAME && fold->cnames == SW_DNS_MAX_CNAMES)) {
		if (type == DNS_TYPE_CNAME && fold->last != NULL &&
		    fold->tail_off <= 0x3fff &&
		    c->buf[owner_off] == (0xc0 | fold->tail_off >> 8) &&
		    c->buf[owner_off + 1] == (fold->tail_off & 0xff)) {
			rd_init(&tr, c->buf, c->caplen);
			rd_skip(&tr, rdata_off);
			if ((st = dns_name_skip(c, &tr)) != DNS_OK)
				return st;
			if (tr.off - rdata_off > rdlen)
				return DNS_BAD_RDATA;
			fold->tail_off = rdata_off;
			fold->pending = 1;
			if (m->cnames_folded < UINT16_MAX)
				m->cnames_folded++;
			return DNS_OK;
		}
		if (m->answers_dropped < UINT16_MAX)
			m->answers_dropped++;
		return DNS_OK;
	}
	rr = &m->answers[m->n_answers];
	if ((st = dns_name_at(c, owner_off, &rr->owner)) != DNS_OK)
		return st;
	rr->type = type;
	rr->rclass = rclass;
	/* RFC 2181 8: a TTL with the top bit set is treated as zero. */
	rr->ttl = ttl & 0x80000000u ? 0 : ttl;
	memset(rr->addr, 0, sizeof(rr->addr));
	rr->target.len = 0;
	rr->target.nlabels = 0;
	if (type == DNS_TYPE_A) {
		rr->addr[10] = 0xff;
		rr->addr[11] = 0xff;
		rd_bytes(&rdata, rr->addr + 12, 4);
	} else if (type == DNS_TYPE_AAAA) {
		rd_bytes(&rdata, rr->addr, 16);
	} else {
		/*
		 * The target may use pointers anywhere in the message, so it
		 * is read through a reader over the whole message; only its
		 * in-place part must fit in rdlength.
		 */
		rd_init(&tr, c->buf, c->caplen);
		rd_skip(&tr, rdata_off);
		if ((st = dns_name_read(c, &tr, &rr->target)) != DNS_OK)
			return st;
		if (tr.off - rdata_off > rdlen)
			return DNS_BAD_RDATA;
		fold->last = rr;
		fold->tail_off = rdata_off;
		fold->pending = 0;
		fold->cnames++;
	}
	m->n_answers++;
	return DNS_OK;
}

/* The folded chain's tail becomes the last kept CNAME's target: one read
 * for the whole chain.  On failure the target stays the kept one's. */
static enum dns_status
dns_fold_end(const struct dns_ctx *c, struct dns_fold *fold)
{
	struct dns_name tail;
	enum dns_status st;

	if (!fold->pending)
		return DNS_OK;
	fold->pending = 0;
	if ((st = dns_name_at(c, fold->tail_off, &tail)) != DNS_OK)
		return st;
	fold->last->target = tail;
	return DNS_OK;
}

enum dns_status
dns_parse(struct dns_msg *m, const uint8_t *buf, size_t caplen, size_t len)
{
	struct dns_ctx c;
	struct dns_fold fold;
	struct rd r;
	enum dns_status st, fst;
	uint64_t need;
	unsigned i;

	dns_msg_reset(m);
	if (len < caplen)
		len = caplen;
	c.buf = buf;
	c.caplen = caplen;
	c.len = len;
	if (len < DNS_HDR_LEN)
		return DNS_NOT_DNS;
	if (caplen < DNS_HDR_LEN)
		return DNS_TRUNCATED;
	rd_init(&r, buf, caplen);
	dns_read_header(m, &r);

	/* Opcodes 3 and 7-15 are unassigned (IANA DNS parameters). */
	if (m->opcode == 3 || m->opcode > 6)
		return DNS_NOT_DNS;
	need = (uint64_t)m->qdcount * DNS_MIN_QUESTION +
	    ((uint64_t)m->ancount + m->nscount + m->arcount) * DNS_MIN_RR;
	if (need > len - DNS_HDR_LEN)
		return DNS_BAD_COUNTS;

	/* the first question is kept; the others are stepped over */
	for (i = 0; i < m->qdcount; i++) {
		if (i == SW_DNS_MAX_RECORDS) {
			m->records_unread = m->ancount;
			return DNS_OK;
		}
		st = i == 0 ? dns_name_read(&c, &r, &m->qname) :
			      dns_name_skip(&c, &r);
		if (st != DNS_OK) {
			if (i == 0)
				m->qname.len = 0;
			return st;
		}
		if (i == 0) {
			m->qtype = rd_be16(&r);
			m->qclass = rd_be16(&r);
		} else
			rd_skip(&r, 4);
		if (r.err) {
			if (i == 0)
				m->qname.len = 0;
			return DNS_TRUNCATED;
		}
		if (i == 0)
			m->has_question = 1;
	}
	memset(&fold, 0, sizeof(fold));
	st = DNS_OK;
	for (i = 0; i < m->ancount && st == DNS_OK; i++) {
		if (m->qdcount + i >= SW_DNS_MAX_RECORDS) {
			m->records_unread = (uint16_t)(m->ancount - i);
			break;
		}
		st = dns_read_answer(&c, m, &r, &fold);
	}
	if ((fst = dns_fold_end(&c, &fold)) != DNS_OK && st == DNS_OK)
		st = fst;
	return st;
}

/* --- names --------------------------------------------------------------- */

int
dns_name_eq(const struct dns_name *a, const struct dns_name *b)
{
	size_t i;
	uint8_t x, y;

	if (a->len != b->len)
		return 0;
	/* the common case, equal bytes, without a loop per byte */
	if (memcmp(a->wire, b->wire, a->len) == 0)
		return 1;
	/* Length bytes are <= 63, below 'A', so folding them is harmless. */
	for (i = 0; i < a->len; i++) {
		x = a->wire[i];
		y = b->wire[i];
		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* Output cursor for dns_name_str(): whole units or nothing. */
struct dns_out {
	char *dst;
	size_t cap;
	size_t n;		/* bytes written */
	size_t total;		/* bytes the whole form needs */
	int cut;
};

static void
dns_out_put(struct dns_out *o, const char *s, size_t n)
{
	o->total += n;
	if (o->cut)
		return;
	/* Keep room for the NUL. */
	if (o->cap == 0 || n > o->cap - 1 - o->n) {
		o->cut = 1;
		return;
	}
	memcpy(o->dst + o->n, s, n);
	o->n += n;
}

/* A run of printable ASCII, each byte a whole unit: as many as fit, in
 * one copy (one call per byte made rendering a long name cost as much
 * as the rest of its packet). */
static void
dns_out_ascii(struct dns_out *o, const char *s, size_t n)
{
	size_t room;

	o->total += n;
	if (o->cut)
		return;
	room = o->cap == 0 ? 0 : o->cap - 1 - o->n;
	if (n > room) {
		n = room;
		o->cut = 1;
	}
	memcpy(o->dst + o->n, s, n);
	o->n += n;
}

/*
 * Code points shown as \uXXXX: C1 controls, private use and the format
 * characters that are invisible or reorder text (Unicode category Cf),
 * which GLib's g_unichar_isprint() (used by Wireshark) rejects.
 */
static int
dns_cp_escaped(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c ||
	    cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    (cp >= 0xe000 && cp <= 0xf8ff) || cp == 0xfeff ||
	    (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f) ||
	    cp >= 0xf0000;
}

/*
 * Length of the well-formed UTF-8 sequence at p[0 .. n) (RFC 3629), or 0
 * with *bad set to the bytes to replace with one U+FFFD.  Ill-formed input
 * is delimited as Wireshark does, so both show the same number of U+FFFD:
 * the lead byte gives the length (2 to 6), a sequence cut by a
 * non-continuation byte or the label's end is one U+FFFD, and so is a
 * whole sequence that decodes to a surrogate or beyond U+10FFFF.  Overlong
 * forms are one U+FFFD too (Wireshark decodes them, e.g. C0 80 as \u0000):
 * an overlong letter must not render as that letter.
 */
static size_t
dns_utf8_seq(const uint8_t *p, size_t n, uint32_t *cp, size_t *bad)
{
	static const uint32_t min_cp[7] = { 0, 0, 0x80, 0x800, 0x10000,
	    0x200000, 0x4000000 };
	uint8_t b0 = p[0];
	size_t need, i;

	if (b0 >= 0xc0 && b0 <= 0xdf)
		need = 2;
	else if (b0 >= 0xe0 && b0 <= 0xef)
		need = 3;
	else if (b0 >= 0xf0 && b0 <= 0xf7)
		need = 4;
	else if (b0 >= 0xf8 && b0 <= 0xfb)
		need = 5;
	else if (b0 >= 0xfc && b0 <= 0xfd)
		need = 6;
	else {
		*bad = 1;	/* lone continuation byte, 0xfe, 0xff */
		return 0;
	}
	*cp = b0 & (0x7f >> need);
	for (i = 1; i < need; i++) {
		if (i >= n || (p[i] & 0xc0) != 0x80) {
			*bad = i;
			return 0;
		}
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (need > 4 || *cp < min_cp[need] || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff)) {
		*bad = need;
		return 0;
	}
	return need;
}

static void
dns_label_str(struct dns_out *o, const uint8_t *p, size_t n, unsigned flags)
{
	static const char ctl[] = "abtnvfr";	/* 7 .. 13 */
	char esc[16], run[DNS_LABEL_MAX];
	size_t i = 0, j, k, bad;
	uint32_t cp;
	uint8_t b;

	while (i < n) {
		b = p[i];
		if (b >= 0x20 && b < 0x7f) {
			/* the run of printable ASCII from here, lowered into
			 * run[] (a label is at most 63 bytes) */
			for (k = 1; i + k < n && p[i + k] >= 0x20 &&
			     p[i + k] < 0x7f && k < sizeof(run);
			     k++)
				;
			memcpy(run, p + i, k);
			if (flags & DNS_STR_LOWER)
				for (j = 0; j < k; j++)
					if (run[j] >= 'A' && run[j] <= 'Z')
						run[j] = (char)(run[j] + 32);
			dns_out_ascii(o, run, k);
			i += k;
		} else if (b < 0x80) {
			if (b >= 7 && b <= 13) {
				esc[0] = '\\';
				esc[1] = ctl[b - 7];
				dns_out_put(o, esc, 2);
			} else {
				snprintf(esc, sizeof(esc), "\\%03o", b);
				dns_out_put(o, esc, 4);
			}
			i++;
		} else if ((k = dns_utf8_seq(p + i, n - i, &cp, &bad)) > 0) {
			if (dns_cp_escaped(cp)) {
				if (cp > 0xffff)
					snprintf(esc, sizeof(esc), "\\U%08X",
					    (unsigned)cp);
				else
					snprintf(esc, sizeof(esc), "\\u%04X",
					    (unsigned)cp);
				dns_out_put(o, esc, strlen(esc));
			} else
				dns_out_put(o, (const char *)p + i, k);
			i += k;
		} else {
			dns_out_put(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			i += bad;
		}
	}
}

size_t
dns_name_str(const struct dns_name *n, char *dst, size_t dstlen,
    unsigned flags)
{
	struct dns_out o = { dst, dstlen, 0, 0, 0 };
	size_t off = 0, lab;

	if (n->len == 1)
		dns_out_put(&o, ".", 1);
	while (off < n->len && n->wire[off] != 0) {
		lab = n->wire[off];
		if (off + 1 + lab > n->len)
			break;		/* not from dns_name_read(): stop */
		if (off > 0)
			dns_out_put(&o, ".", 1);
		dns_label_str(&o, n->wire + off + 1, lab, flags);
		off += 1 + lab;
	}
	if (dstlen > 0)
		dst[o.n] = '\0';
	return o.total;
}

/* --- CNAME chains -------------------------------------------------------- */

size_t
dns_chain(const struct dns_msg *m, size_t i,
    const struct dns_name *names[DNS_CHAIN_MAX], int *rooted)
{
	const struct dns_name *rev[DNS_CHAIN_MAX];
	const struct dns_name *cur;
	uint8_t used[SW_DNS_MAX_ANSWERS];
	size_t n = 0, j, k;
	int root = 0;

	*rooted = 0;
	if (i >= m->n_answers || (m->answers[i].type != DNS_TYPE_A &&
	    m->answers[i].type != DNS_TYPE_AAAA))
		return 0;
	memset(used, 0, sizeof(used));
	cur = &m->answers[i].owner;
	rev[n++] = cur;
	for (;;) {
		if (m->has_question && dns_name_eq(cur, &m->qname)) {
			root = 1;
			break;
		}
		for (j = 0; j < m->n_answers; j++)
			if (!used[j] && m->answers[j].type == DNS_TYPE_CNAME &&
			    dns_name_eq(&m->answers[j].target, cur))
				break;
		/* Each CNAME is used once, so n stays <= DNS_CHAIN_MAX. */
		if (j == m->n_answers || n == DNS_CHAIN_MAX)
			break;
		used[j] = 1;
		cur = &m->answers[j].owner;
		rev[n++] = cur;
	}
	for (k = 0; k < n; k++)
		names[k] = rev[n - 1 - k];
	/* The question keeps the case the client asked with. */
	if (root)
		names[0] = &m->qname;
	*rooted = root;
	return n;
}

/* --- DNS over TCP -------------------------------------------------------- */

void
dns_tcp_iter_init(struct dns_tcp_iter *it, const uint8_t *seg, size_t len)
{
	it->seg = seg;
	it->len = len;
	it->off = 0;
	it->resume = 0;
	it->body = SIZE_MAX;
}

void
dns_tcp_iter_body(struct dns_tcp_iter *it, const uint8_t *seg, size_t len,
    size_t msglen)
{
	dns_tcp_iter_init(it, seg, len);
	it->body = msglen;
}

enum dns_tcp_next
dns_tcp_next(struct dns_tcp_iter *it, const uint8_t **msg, size_t *caplen,
    size_t *len)
{
	struct rd r;
	size_t n, hdr = 2;

	*msg = NULL;
	*caplen = 0;
	*len = 0;
	/* off is SIZE_MAX once a partial message ended the walk. */
	if (it->off >= it->len)
		return DNS_TCP_END;
	rd_init(&r, it->seg + it->off, it->len - it->off);
	if (it->body != SIZE_MAX) {
		/* Its prefix came in the previous segment. */
		n = it->body;
		it->body = SIZE_MAX;
		hdr = 0;
	} else
		n = rd_be16(&r);
	if (r.err) {
		it->resume = SIZE_MAX;
		it->off = SIZE_MAX;
		return DNS_TCP_PARTIAL;
	}
	if (!rd_has(&r, n)) {
		*caplen = rd_left(&r);
		*msg = rd_ptr(&r, *caplen);
		*len = n;
		it->resume = it->off + hdr + n;
		it->off = SIZE_MAX;
		return DNS_TCP_PARTIAL;
	}
	*msg = rd_ptr(&r, n);
	*caplen = n;
	*len = n;
	it->off += hdr + n;
	it->resume = it->off;
	return DNS_TCP_MSG;
}

size_t
dns_tcp_resume(const struct dns_tcp_iter *it)
{
	return it->resume;
}

/*
 * tls.c - TLS ClientHello reader (SNI, ALPN, version) and its per-flow
 * driver over reassembled client segments.
 *
 * Central data structure: struct tls_hello, filled from the handshake
 * message after it is gathered out of its records into a bounded stack
 * buffer (SW_TLS_HELLO_MAX bytes), so a hello split across records reads like
 * one in a single record.  References: RFC 8446 5.1 (record layer) and
 * 4.1.2 (ClientHello), RFC 5246 7.4.1.2, RFC 6066 3 (server_name),
 * RFC 7301 3.1 (ALPN), RFC 8446 4.2.1 (supported_versions), RFC 8701
 * (GREASE).
 */
#include <string.h>

#include "rd.h"
#include "reasm.h"
#include "tls.h"

#define TLS_CT_HANDSHAKE	22	/* RFC 8446 5.1 ContentType */
#define TLS_HS_CLIENT_HELLO	1	/* RFC 8446 4 HandshakeType */
#define TLS_RECORD_MAX		(16384 + 2048)	/* RFC 5246 6.2.3: largest
						 * record any version sends */
#define TLS_EXT_SERVER_NAME	0
#define TLS_EXT_ALPN		16
#define TLS_EXT_SUPPORTED_VERSIONS 43
#define TLS_SNI_HOST_NAME	0

int
tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

int
tls_probe(const uint8_t *buf, size_t len)
{
	/* type 22, then version major 3 and minor 0 (SSL 3.0) .. 4; real
	 * clients put 0x0301 or 0x0303 in the first record */
	if (len >= 1 && buf[0] != TLS_CT_HANDSHAKE)
		return 0;
	if (len >= 2 && buf[1] != 3)
		return 0;
	if (len >= 3 && buf[2] > 4)
		return 0;
	return len >= 1;
}

const char *
tls_status_key(enum tls_status s)
{
	switch (s) {
	case TLS_OK:		return "tls.ok";
	case TLS_NEED_MORE:	return "tls.need_more";
	case TLS_NOT_TLS:	return "tls.not_tls";
	case TLS_MALFORMED:	return "tls.malformed";
	default:		return "tls.unknown";
	}
}

/*
 * Gather the first handshake message out of the records at the start of
 * buf into msg[0 .. *have).  Returns TLS_OK when the whole message (4-byte
 * header and body) is in msg, TLS_NEED_MORE with a lower bound of the
 * stream bytes needed in *need, or TLS_NOT_TLS / TLS_MALFORMED.
 */
static enum tls_status
tls_gather(const uint8_t *buf, size_t len, uint8_t *msg, size_t *have,
    size_t *need, uint16_t *recver)
{
	struct rd r, body;
	size_t want = 4, n, left;
	uint8_t type;
	uint16_t ver, rlen;
	int first = 1;

	*have = 0;
	*need = 5;
	if (len == 0)
		return TLS_NEED_MORE;
	if (!tls_probe(buf, len))
		return TLS_NOT_TLS;
	rd_init(&r, buf, len);
	while (*have < want) {
		if (!rd_has(&r, 5)) {
			/* stops at a record header: one more header at least */
			*need = r.off + 5 + (want - *have);
			return TLS_NEED_MORE;
		}
		type = rd_u8(&r);
		ver = rd_be16(&r);
		rlen = rd_be16(&r);
		/* a later record of another type (alert, change_cipher_spec)
		 * before the hello is whole cannot be a well-formed flight */
		if (type != TLS_CT_HANDSHAKE || ver >> 8 != 3)
			return first ? TLS_NOT_TLS : TLS_MALFORMED;
		if (first)
			*recver = ver;
		/* RFC 8446 5.1: no zero-length handshake fragments */
		if (rlen == 0 || rlen > TLS_RECORD_MAX)
			return TLS_MALFORMED;
		first = 0;
		left = rd_left(&r);
		n = rlen < left ? rlen : left;
		body = rd_sub(&r, n);
		while (rd_left(&body) > 0 && *have < want) {
			/* copy what this record holds, up to what is wanted */
			size_t take = rd_left(&body);

			if (take > want - *have)
				take = want - *have;
			rd_bytes(&body, msg + *have, take);
			*have += take;
			if (*have == 4 && want == 4) {
				/* header complete: type, then 24-bit length */
				if (msg[0] != TLS_HS_CLIENT_HELLO)
					return TLS_NOT_TLS;
				want = 4 + ((size_t)msg[1] << 16 |
				    (size_t)msg[2] << 8 | msg[3]);
				if (want > SW_TLS_HELLO_MAX)
					return TLS_MALFORMED;
			} else if (*have >= 1 && msg[0] != TLS_HS_CLIENT_HELLO) {
				return TLS_NOT_TLS;
			}
		}
		if (*have < want && n < rlen) {
			/* the record is cut short by the end of the bytes */
			*need = len + (want - *have);
			return TLS_NEED_MORE;
		}
	}
	return TLS_OK;
}

/* Copy an SNI host_name as sent (RFC 6066 3), noting odd bytes. */
static void
tls_take_sni(struct tls_hello *h, const uint8_t *p, size_t n)
{
	size_t i, keep = n < TLS_NAME_MAX - 1 ? n : TLS_NAME_MAX - 1;

	memcpy(h->sni, p, keep);
	h->sni[keep] = '\0';
	h->sni_trunc = keep < n;
	for (i = 0; i < n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			h->sni_odd = 1;
	h->has_sni = 1;
}

/* server_name: ServerNameList of (type, opaque<1..2^16-1>); first
 * host_name wins.  Returns -1 when inconsistent. */
static int
tls_ext_sni(struct tls_hello *h, struct rd *e)
{
	struct rd list = rd_sub(e, rd_be16(e));
	const uint8_t *p;
	uint8_t type;
	uint16_t n;

	while (!list.err && rd_left(&list) > 0) {
		type = rd_u8(&list);
		n = rd_be16(&list);
		p = rd_ptr(&list, n);
		if (p == NULL)
			return -1;
		if (type == TLS_SNI_HOST_NAME && n > 0 && !h->has_sni)
			tls_take_sni(h, p, n);
	}
	return list.err || e->err ? -1 : 0;
}

/* ALPN: ProtocolNameList of opaque<1..2^8-1>; GREASE ids skipped. */
static int
tls_ext_alpn(struct tls_hello *h, struct rd *e)
{
	struct rd list = rd_sub(e, rd_be16(e));
	const uint8_t *p;
	size_t used = strlen(h->alpn), i, need;
	uint8_t n;

	while (!list.err && rd_left(&list) > 0) {
		n = rd_u8(&list);
		if ((p = rd_ptr(&list, n)) == NULL || n == 0)
			return -1;
		if (n == 2 && tls_is_grease((uint16_t)(p[0] << 8 | p[1])))
			continue;
		h->alpn_count++;
		need = (used > 0) + n;
		if (h->alpn_trunc || used + need >= TLS_ALPN_MAX) {
			h->alpn_trunc = 1;
			continue;
		}
		if (used > 0)
			h->alpn[used++] = ',';
		for (i = 0; i < n; i++)
			h->alpn[used++] = p[i] < 0x21 || p[i] > 0x7e ||
			    p[i] == ',' ? '?' : (char)p[i];
		h->alpn[used] = '\0';
	}
	return list.err || e->err ? -1 : 0;
}

/* supported_versions (ClientHello form): versions<2..254>. */
static int
tls_ext_versions(struct tls_hello *h, struct rd *e)
{
	struct rd list = rd_sub(e, rd_u8(e));
	uint16_t v, best = 0, other = 0;

	while (rd_left(&list) >= 2) {
		v = rd_be16(&list);
		if (tls_is_grease(v))
			continue;
		/* 3.x are ordered; drafts (0x7fxx) and others only when
		 * nothing else is offered */
		if (v >> 8 == 3) {
			if (v > best)
				best = v;
		} else if (other == 0) {
			other = v;
		}
	}
	if (best != 0)
		h->version = best;
	else if (other != 0)
		h->version = other;
	return list.err || e->err ? -1 : 0;
}

/*
 * Read the ClientHello body in b.  whole says b holds the whole message:
 * running out of bytes is then malformed, else expected.  Returns 0, or -1
 * on an inconsistency (or, when !whole, when the bytes run out).
 */
static int
tls_hello_body(struct tls_hello *h, struct rd *b, int whole)
{
	struct rd exts, e;
	uint16_t type, n, extlen;
	uint8_t sid;
	int rc = 0;

	h->legacy_version = rd_be16(b);
	h->version = h->legacy_version;
	rd_skip(b, 32);			/* random */
	sid = rd_u8(b);
	if (sid > 32)			/* legacy_session_id<0..32> */
		return -1;
	rd_skip(b, sid);
	rd_skip(b, rd_be16(b));		/* cipher_suites */
	rd_skip(b, rd_u8(b));		/* legacy_compression_methods */
	if (b->err)
		return -1;
	if (rd_left(b) == 0)		/* no extensions (TLS <= 1.2) */
		return 0;
	extlen = rd_be16(b);
	if (b->err)
		return -1;
	if (rd_left(b) < extlen) {
		if (whole)
			return -1;
		/* partial hello: read the extensions that are here */
		rd_init(&exts, b->base + b->off, rd_left(b));
		rc = -1;
	} else {
		exts = rd_sub(b, extlen);
	}
	while (rd_left(&exts) >= 4) {
		type = rd_be16(&exts);
		n = rd_be16(&exts);
		if (!rd_has(&exts, n))
			return -1;
		e = rd_sub(&exts, n);
		switch (type) {
		case TLS_EXT_SERVER_NAME:
			if (tls_ext_sni(h, &e) != 0)
				return -1;
			break;
		case TLS_EXT_ALPN:
			if (tls_ext_alpn(h, &e) != 0)
				return -1;
			break;
		case TLS_EXT_SUPPORTED_VERSIONS:
			if (tls_ext_versions(h, &e) != 0)
				return -1;
			break;
		default:
			break;
		}
	}
	if (rc == 0 && rd_left(&exts) != 0)
		return -1;		/* 1-3 stray bytes in the block */
	return rc;
}

enum tls_status
tls_parse_client_hello(const uint8_t *buf, size_t len, struct tls_hello *out)
{
	uint8_t msg[SW_TLS_HELLO_MAX];
	enum tls_status st;
	struct rd b;
	size_t have, need;

	memset(out, 0, sizeof(*out));
	st = tls_gather(buf, len, msg, &have, &need, &out->record_version);
	if (st == TLS_NOT_TLS || st == TLS_MALFORMED)
		return st;
	if (have > 4) {
		rd_init(&b, msg + 4, have - 4);
		if (tls_hello_body(out, &b, st == TLS_OK) != 0 &&
		    st == TLS_OK)
			return TLS_MALFORMED;
	}
	out->need = st == TLS_NEED_MORE ? need : 0;
	return st;
}

/* --- per-flow driver ---------------------------------------------------- */

static const struct reasm_ref no_slot = { 0, 0, 0 };

static enum tls_feed_result
tls_feed_give_up(struct tls_flow *tf, struct reasm *pool, int partial)
{
	reasm_release(pool, tf->slot);
	tf->slot = no_slot;
	tf->flags |= TLS_FLOW_DONE;
	return partial ? TLS_FEED_PARTIAL : TLS_FEED_NONE;
}

/* Act on a parse of an in-order prefix of n bytes (a slot's, or one
 * segment's when tf->slot.id is 0). */
static enum tls_feed_result
tls_feed_result(struct tls_flow *tf, struct reasm *pool, enum tls_status st,
    const struct tls_hello *out, size_t n)
{
	size_t cap = pool != NULL ? reasm_slot_bytes(pool) : 0;

	switch (st) {
	case TLS_OK:
		tf->flags |= TLS_FLOW_TLS;
		(void)tls_feed_give_up(tf, pool, 0);
		return TLS_FEED_HELLO;
	case TLS_NEED_MORE:
		tf->flags |= TLS_FLOW_TLS;
		if (tf->slot.id == 0 || out->need > cap || n >= cap ||
		    tf->nseg >= SW_TLS_FEED_MAX_SEGS)
			return tls_feed_give_up(tf, pool, 1);
		return TLS_FEED_NONE;
	case TLS_MALFORMED:
		tf->flags |= TLS_FLOW_TLS;
		return tls_feed_give_up(tf, pool, out->has_sni);
	default:
		/* not (or not yet) TLS: a protocol that upgrades later
		 * (STARTTLS, CONNECT, SOCKS) gets a few more segments */
		reasm_release(pool, tf->slot);
		tf->slot = no_slot;
		if (tf->nseg >= SW_TLS_FEED_MAX_PROBES)
			tf->flags |= TLS_FLOW_DONE;
		return TLS_FEED_NONE;
	}
}

/* Parse one segment that may start a hello; keep it in a slot when the
 * hello is not whole. */
static enum tls_feed_result
tls_feed_start(struct tls_flow *tf, struct reasm *pool,
    const struct reasm_owner *owner, int64_t now_us, uint32_t seq,
    const uint8_t *data, size_t len, struct tls_hello *out,
    enum tls_status *status)
{
	enum tls_status st;

	st = tls_parse_client_hello(data, len, out);
	if (status != NULL)
		*status = st;
	if (st == TLS_NEED_MORE && pool != NULL &&
	    out->need <= reasm_slot_bytes(pool) &&
	    (tf->slot = reasm_open(pool, seq, owner, now_us)).id != 0)
		reasm_add(pool, tf->slot, seq, data, len, now_us);
	return tls_feed_result(tf, pool, st, out, len);
}

enum tls_feed_result
tls_feed(struct tls_flow *tf, struct reasm *pool,
    const struct reasm_owner *owner, int64_t now_us, int isn_known,
    uint32_t isn, uint32_t seq, const uint8_t *data, size_t len,
    struct tls_hello *out, enum tls_status *status)
{
	enum tls_status st;
	const uint8_t *p;
	int first;
	size_t n;

	if (status != NULL)
		*status = TLS__COUNT;
	if ((tf->flags & TLS_FLOW_DONE) || len == 0)
		return TLS_FEED_NONE;
	first = tf->nseg == 0;
	if (tf->nseg < UINT8_MAX)
		tf->nseg++;
	if (tf->slot.id == 0) {
		/* the stream start, as far as we know it */
		if ((isn_known && seq == isn + 1) || (!isn_known && first))
			return tls_feed_start(tf, pool, owner, now_us, seq,
			    data, len, out, status);
		/*
		 * A later segment came first (the first one was lost or
		 * reordered): hold it in a slot until the start shows whether
		 * this is TLS.  Only with a known ISN, else we cannot tell
		 * where the stream starts; a stream that then proves not to
		 * be TLS returns the slot at once.
		 */
		if (first && isn_known && pool != NULL &&
		    seq - (isn + 1) < reasm_slot_bytes(pool)) {
			tf->slot = reasm_open(pool, isn + 1, owner, now_us);
			if (tf->slot.id == 0)
				return tls_feed_give_up(tf, pool, 0);
			reasm_add(pool, tf->slot, seq, data, len, now_us);
			return TLS_FEED_NONE;
		}
		/* after a plaintext preamble: a segment that starts a
		 * handshake record may start the hello */
		if (tls_probe(data, len))
			return tls_feed_start(tf, pool, owner, now_us, seq,
			    data, len, out, status);
		if (tf->nseg >= SW_TLS_FEED_MAX_PROBES)
			tf->flags |= TLS_FLOW_DONE;
		return TLS_FEED_NONE;
	}
	/* the slot went to another stream (idle, or no handshake): what
	 * this one sent so far is gone */
	if (!reasm_held(pool, tf->slot))
		return tls_feed_give_up(tf, pool, 0);
	reasm_add(pool, tf->slot, seq, data, len, now_us);
	reasm_contiguous(pool, tf->slot, &p, &n);
	if (n == 0) {
		if (tf->nseg >= SW_TLS_FEED_MAX_SEGS)
			return tls_feed_give_up(tf, pool, 0);
		return TLS_FEED_NONE;
	}
	st = tls_parse_client_hello(p, n, out);
	if (status != NULL)
		*status = st;
	return tls_feed_result(tf, pool, st, out, n);
}

void
tls_flow_end(struct tls_flow *tf, struct reasm *pool)
{
	reasm_release(pool, tf->slot);
	tf->slot = no_slot;
	tf->flags |= TLS_FLOW_DONE;
}

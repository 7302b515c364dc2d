/*
 * tls.h - TLS ClientHello reader: server name (SNI), ALPN and version.
 *
 * tls_parse_client_hello() reads the start of a client's TCP byte stream:
 * one or more TLS records of content type 22 (handshake) carrying a
 * handshake message of type 1 (ClientHello, RFC 8446 4.1.2; RFC 5246 7.4.1.2
 * for TLS 1.0-1.2).  A ClientHello may span several records (it is then
 * defragmented into a bounded stack buffer) and the records may span TCP
 * segments (the caller reassembles them, see reasm.h and tls_feed()).  It
 * extracts the server_name extension's host_name (RFC 6066 3), the ALPN
 * protocol list (RFC 7301), the legacy_version and the highest
 * supported_versions entry (RFC 8446 4.2.1), skipping GREASE values
 * (RFC 8701).  Every byte is read through rd.h; nothing is allocated.
 *
 * Out of scope, by design: SSLv2-compatible hellos (RFC 5246 E.2: reported
 * as TLS_NOT_TLS), DTLS (UDP; not parsed) and QUIC Initial packets (the
 * ClientHello inside is encrypted with keys derived from the connection id;
 * not parsed).  Only the first ClientHello of a connection is read: a second
 * one after a HelloRetryRequest carries the same server_name (RFC 8446
 * 4.1.2: the client MUST send the same ClientHello except for key shares,
 * cookie, early data and padding).
 *
 * Cost per packet (tls_feed()): a copy of the segment into its slot and
 * one parse of the contiguous prefix, at most SW_TLS_HELLO_MAX bytes, for
 * the first SW_TLS_FEED_MAX_SEGS segments of a direction; nothing after.
 */
#ifndef SW_TLS_H
#define SW_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#include "reasm.h"

#define TLS_NAME_MAX	256	/* host_name bytes kept, with NUL; DNS names
				 * are at most 253 characters */
#define TLS_ALPN_MAX	64	/* ALPN list kept, "h2,http/1.1", with NUL */

enum tls_status {
	TLS_OK = 0,	/* a whole ClientHello was read; fields are filled */
	TLS_NEED_MORE,	/* a ClientHello so far; more stream bytes needed */
	TLS_NOT_TLS,	/* not a TLS handshake record, or not a ClientHello
			 * (includes SSLv2-compatible hellos) */
	TLS_MALFORMED,	/* a TLS handshake record, but the ClientHello is
			 * inconsistent or larger than SW_TLS_HELLO_MAX */
	TLS__COUNT
};

struct tls_hello {
	uint16_t record_version;	/* first record's version field */
	uint16_t legacy_version;	/* ClientHello.legacy_version */
	uint16_t version;	/* highest non-GREASE supported_versions entry,
				 * else legacy_version */
	uint8_t has_sni;	/* a host_name was found */
	uint8_t sni_trunc;	/* host_name longer than TLS_NAME_MAX - 1:
				 * sni holds its first bytes */
	uint8_t sni_odd;	/* host_name has bytes outside 0x21..0x7e
				 * (kept as sent; caller may ignore it) */
	uint8_t alpn_trunc;	/* ALPN list did not fit: whole entries kept */
	uint16_t alpn_count;	/* non-GREASE protocols offered */
	char sni[TLS_NAME_MAX];	/* host_name as sent, NUL-terminated */
	char alpn[TLS_ALPN_MAX];	/* protocols, comma-separated; bytes
					 * outside 0x21..0x7e and ',' as '?' */
	/*
	 * On TLS_NEED_MORE: a lower bound of the stream bytes needed (from
	 * the record and handshake lengths seen so far), 0 when unknown.
	 * Fields already complete in the bytes given are filled (best
	 * effort), so a caller that must give up can still use has_sni.
	 */
	size_t need;
};

/*
 * Parse the ClientHello at the start of a client byte stream buf[0..len).
 * Always fills *out (zeroed first).  Cost: linear in len, bounded by
 * SW_TLS_HELLO_MAX plus record headers; uses up to SW_TLS_HELLO_MAX bytes of
 * stack when the hello spans records.
 */
enum tls_status tls_parse_client_hello(const uint8_t *buf, size_t len,
    struct tls_hello *out);

/* "tls.ok", "tls.need_more", ... stable stats keys. */
const char *tls_status_key(enum tls_status s);

/*
 * Quick test on the first stream bytes (len may be < 5): 1 when they can
 * start a TLS handshake record (type 22, version 3.x), 0 when not.
 */
int tls_probe(const uint8_t *buf, size_t len);

/* Nonzero for a GREASE value (RFC 8701: 0x0A0A, 0x1A1A, ... 0xFAFA). */
int tls_is_grease(uint16_t v);

/*
 * --- Per-flow driver: ClientHello over reassembled client segments. ---
 *
 * The flow table keeps one struct tls_flow (6 bytes, zeroed with the flow)
 * per direction of a TCP connection (the originator's, and the
 * responder's too if orientation may be wrong: tshark finds a ClientHello
 * in either direction) and calls tls_feed() for every segment with
 * payload in that direction, until TLS_FLOW_DONE is set.  tls_feed()
 * parses the stream's first segment; when it starts a ClientHello that is
 * not whole, it takes a reassembly slot and collects later segments (any
 * order, retransmitted, overlapping) until the hello is whole, bounded by
 * the slot size and SW_TLS_FEED_MAX_SEGS segments.  When the stream does
 * not start with TLS, the next SW_TLS_FEED_MAX_PROBES - 1 segments are
 * probed for a ClientHello at their start (STARTTLS, HTTP CONNECT, SOCKS
 * and PostgreSQL's SSLRequest put plaintext before the hello).  The caller
 * must call tls_flow_end() when the flow ends, to return a slot still
 * held.  A slot reclaimed for another stream (reasm.h: idle, or no
 * handshake) ends the search.  Both limits, and SW_TLS_HELLO_MAX, are in
 * config.h.
 */

#define TLS_FLOW_DONE	0x01	/* nothing more to look for */
#define TLS_FLOW_TLS	0x02	/* stream started with a handshake record */

struct tls_flow {
	struct reasm_ref slot;	/* reassembly slot, id 0 = none */
	uint8_t flags;		/* TLS_FLOW_* */
	uint8_t nseg;		/* segments fed, saturating at 255 */
};

enum tls_feed_result {
	TLS_FEED_NONE = 0,	/* nothing yet (or never: see flags) */
	TLS_FEED_HELLO,		/* *out holds a whole ClientHello */
	TLS_FEED_PARTIAL	/* gave up (pool exhausted, too big, too many
				 * segments): *out holds what the bytes in hand
				 * gave; check out->has_sni */
};

/*
 * Feed one client segment: seq is its TCP sequence number, data/len its
 * captured payload.  isn_known says the originator's SYN was seen, with
 * isn its sequence number (the stream starts at isn + 1); otherwise the
 * first segment fed is taken as the stream start.  pool may be NULL (no
 * reassembly: each flow's first segment alone is parsed).  *status, when
 * not NULL, receives the parse status of this call (for counters), or
 * TLS__COUNT when nothing was parsed.  For a segment with the SYN flag
 * (TCP Fast Open data), pass seq + 1: the SYN takes one sequence number.
 * owner (may be NULL, see reasm_open()) and now_us, the segment's network
 * time, are for the pool.
 */
enum tls_feed_result tls_feed(struct tls_flow *tf, struct reasm *pool,
    const struct reasm_owner *owner, int64_t now_us, int isn_known,
    uint32_t isn, uint32_t seq, const uint8_t *data, size_t len,
    struct tls_hello *out, enum tls_status *status);

/* The flow ends: return its slot, if any.  NULL-safe pool. */
void tls_flow_end(struct tls_flow *tf, struct reasm *pool);

#endif /* SW_TLS_H */

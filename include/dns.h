/*
 * dns.h - DNS message parsing into a flat struct dns_msg (RFC 1035, RFC 3596
 * AAAA, RFC 2181 TTLs), for name attribution.
 *
 * dns_parse() reads one DNS message through the bounded reader (rd.h) and
 * fills a caller-provided struct dns_msg: the header, the first question
 * and up to SW_DNS_MAX_ANSWERS answer records of type A, AAAA and CNAME.  No
 * allocation; the struct holds no pointer into the message, so it outlives
 * the packet buffer.  Other record types, the authority and additional
 * sections are not decoded.  Every message that cannot be parsed gets a
 * named status with a stable stats key (dns_status_key()), like the packet
 * decoder's.
 *
 * Names are kept in uncompressed wire form (struct dns_name), so labels
 * that contain '.' or odd bytes stay unambiguous and comparisons follow
 * RFC 4343 (ASCII case-insensitive).  dns_name_str() renders the display
 * form, which follows Wireshark 4.0 (tshark -e dns.qry.name) so that the
 * names we log and the names an analyst sees in Wireshark are the same
 * string:
 *   - printable ASCII 0x20-0x7e as is (space, '\\', '"' and a '.' inside a
 *     label included: Wireshark does not escape them either);
 *   - \a \b \t \n \v \f \r for those controls, \ooo (octal) for other
 *     bytes below 0x20 and 0x7f;
 *   - well-formed UTF-8 as is, except C1 controls and the invisible /
 *     bidirectional format characters (U+200B-U+200F, U+202A-U+202E,
 *     U+2060-U+2064, U+FEFF), which become \uXXXX so a name cannot hide
 *     or reorder text in a notice;
 *   - each ill-formed UTF-8 sequence as one U+FFFD, delimited as Wireshark
 *     does (see dns.c); overlong forms too, where Wireshark decodes them;
 *   - the root (empty) name as "." (Wireshark shows "<Root>").
 * DNS_STR_LOWER lower-cases A-Z for matching; the output form keeps case.
 *
 * Compression (RFC 1035 4.1.4): a pointer may point anywhere inside the
 * message before or after itself (forward pointers occur in the wild and
 * Wireshark and Zeek accept them), but never to a pointer target already
 * followed for the same name, and at most SW_DNS_PTR_HOPS_MAX times: either
 * is DNS_COMPRESSION_LOOP.  Labels are at most 63 bytes, a name at most
 * 255 wire bytes (RFC 1035 2.3.4); label types 0x40 and 0x80 (RFC 6891
 * 5: extended labels, never deployed) are DNS_BAD_NAME.
 *
 * Long chains (RFC 1034 3.6.2): at most SW_DNS_MAX_CNAMES CNAME records
 * are kept.  A later CNAME whose owner is a compression pointer to the
 * chain's tail name (the last kept target, as resolvers write a chain)
 * is folded into the last kept CNAME: that record's target becomes the
 * later one's, so q -> c1 -> ... -> c100 -> A keeps q -> c1 -> c2 -> c3 -> c100
 * and the address, still rooted in the question (cnames_folded counts
 * the links left out).  Other kept types past the caps are counted in
 * answers_dropped.
 *
 * Cost (the worst case per message): at most SW_DNS_MAX_RECORDS records
 * (questions and answers) are walked; a name that is not kept (other
 * questions, other types, records past the caps, folded links) is
 * stepped over in place, never decompressed: its bytes only; each kept
 * name (the first question, at most SW_DNS_MAX_ANSWERS owners and
 * SW_DNS_MAX_CNAMES targets, the folded tail once) is decompressed once,
 * at most 255 label bytes and SW_DNS_PTR_HOPS_MAX pointer hops.  So a
 * message costs O(its first SW_DNS_MAX_RECORDS records' bytes) plus at
 * most 38 name reads, however it is built.
 */
#ifndef SW_DNS_H
#define SW_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define DNS_PORT		53
#define DNS_HDR_LEN		12
#define DNS_LABEL_MAX		63	/* RFC 1035 2.3.4 */
#define DNS_NAME_WIRE_MAX	255	/* RFC 1035 2.3.4, with the root byte */
/*
 * Display form buffer that never truncates: at most 253 label bytes, each
 * rendered in at most 4 bytes ("\ooo"), plus the NUL.
 */
#define DNS_NAME_STR_MAX	1016

/* RR types and class (RFC 1035 3.2.2, RFC 3596). */
#define DNS_TYPE_A		1
#define DNS_TYPE_CNAME		5
#define DNS_TYPE_AAAA		28
#define DNS_CLASS_IN		1

/* RCODEs and opcodes used by callers (RFC 1035 4.1.1). */
#define DNS_RCODE_NOERROR	0
#define DNS_RCODE_NXDOMAIN	3
#define DNS_OPCODE_QUERY	0

/*
 * Outcome of parsing one message.  Append before DNS__COUNT; keys are
 * stable ("dns.truncated", ...).  On any status the header fields are valid
 * when has_header is set, and the question and answers parsed before the
 * error stay filled (has_question, n_answers), so a truncated response
 * still yields its query name.
 */
enum dns_status {
	DNS_OK = 0,
	DNS_TRUNCATED,		/* a read ran past the captured bytes */
	DNS_BAD_NAME,		/* label > 63, name > 255, label type 0x40/0x80,
				 * pointer outside the message */
	DNS_BAD_COUNTS,		/* section counts cannot fit in the message */
	DNS_COMPRESSION_LOOP,	/* pointer revisited or too many hops */
	DNS_NOT_DNS,		/* shorter than a header, or reserved opcode */
	DNS_BAD_RDATA,		/* a CNAME target longer than its rdlength */
	DNS__COUNT
};

/*
 * A name in uncompressed wire form: length-prefixed labels ending with the
 * zero byte; len counts every byte (the root name is len 1, wire[0] 0).
 * len 0 means "no name".
 */
struct dns_name {
	uint8_t len;
	uint8_t nlabels;
	uint8_t wire[DNS_NAME_WIRE_MAX];
};

/* One A, AAAA or CNAME answer record. */
struct dns_rr {
	uint16_t type;		/* DNS_TYPE_A, _AAAA or _CNAME */
	uint16_t rclass;	/* as on the wire (mDNS sets bit 15) */
	uint32_t ttl;		/* seconds; values with bit 31 set read as 0
				 * (RFC 2181 8) */
	struct dns_name owner;
	/* A: ::ffff:a.b.c.d (as decode.h); AAAA: the 16 bytes; CNAME: zero */
	uint8_t addr[16];
	struct dns_name target;	/* CNAME only (len 0 otherwise) */
};

/*
 * One parsed message: 17,568 bytes on LP64, so keep one in the caller's
 * context (the analyzer's) rather than on a deep stack.
 */
struct dns_msg {
	/* header (RFC 1035 4.1.1) */
	uint8_t has_header;
	uint16_t id;
	uint8_t qr;		/* 1 response, 0 query */
	uint8_t opcode;
	uint8_t aa, tc, rd, ra;
	uint8_t rcode;
	uint16_t qdcount, ancount, nscount, arcount;

	/* first question */
	uint8_t has_question;
	struct dns_name qname;
	uint16_t qtype;
	uint16_t qclass;

	/* answers of type A, AAAA, CNAME, in message order */
	uint16_t n_answers;
	uint16_t answers_dropped; /* kept types beyond the first
					 * SW_DNS_MAX_ANSWERS (or CNAMEs
					 * beyond SW_DNS_MAX_CNAMES) not
					 * folded */
	uint16_t cnames_folded;	  /* CNAMEs folded into the last kept
					 * one (see above) */
	uint16_t records_unread;  /* answers past SW_DNS_MAX_RECORDS */
	struct dns_rr answers[SW_DNS_MAX_ANSWERS];
};

/*
 * Parse one message.  caplen bytes are readable at buf; len is the length
 * the message has on the wire (the UDP payload length or the TCP length
 * prefix; >= caplen), used to tell counts that cannot fit in any message
 * (DNS_BAD_COUNTS) from a capture that cut the message (DNS_TRUNCATED).
 * Pass len = caplen when unknown.  Fills *m (resetting only what it
 * writes: n_answers and the has_ flags first) and returns the status.
 * Never reads outside buf[0 .. caplen).
 */
enum dns_status dns_parse(struct dns_msg *m, const uint8_t *buf,
    size_t caplen, size_t len);

/* Stable stats key for a status, e.g. "dns.compression_loop". */
const char *dns_status_key(enum dns_status s);

/*
 * Render a name's display form (see above) into dst[dstlen] with a NUL.
 * Returns the length of the whole display form, like snprintf; when that
 * is >= dstlen the output was cut at a character boundary (never inside an
 * escape or a UTF-8 sequence).  dstlen DNS_NAME_STR_MAX never cuts.
 * A name with len 0 renders as "".
 */
#define DNS_STR_LOWER	0x1	/* lower-case A-Z (for matching) */
size_t dns_name_str(const struct dns_name *n, char *dst, size_t dstlen,
    unsigned flags);

/* Nonzero when the names are equal under RFC 4343 (ASCII case folded). */
int dns_name_eq(const struct dns_name *a, const struct dns_name *b);

/*
 * The chain of names that resolved to answer i (an A or AAAA record):
 * names[0] is the first name of the chain, names[n - 1] the owner of the
 * address record, and each names[k + 1] the CNAME target of names[k]
 * (query -> cname1 -> cname2 -> owner).  The chain is found by walking
 * CNAME records backwards from the owner, each record used at most once,
 * so a CNAME loop cannot run away.  *rooted is set to 1 when names[0]
 * equals the question name: only then did a resolver following the query
 * reach this address; an unrooted chain is an unsolicited record.
 * Pointers point into *m.  Returns n (1 .. DNS_CHAIN_MAX), or 0 when i is
 * not an A/AAAA answer.  Cost: O(n_answers^2) name comparisons at worst.
 */
#define DNS_CHAIN_MAX	SW_DNS_MAX_ANSWERS	/* CNAMEs used + the owner */
size_t dns_chain(const struct dns_msg *m, size_t i,
    const struct dns_name *names[DNS_CHAIN_MAX], int *rooted);

/*
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message is preceded by a
 * two-byte length.  The iterator walks the messages of one TCP segment
 * payload.  There is no reassembly: a message that continues past the
 * segment ends the walk with DNS_TCP_PARTIAL, giving its captured start
 * (*msg, *caplen) and its full length (*len), so dns_parse(m, msg, caplen,
 * len) still recovers the header and usually the question (status
 * DNS_TRUNCATED); the caller counts it (e.g. "dns.tcp_partial").  When the
 * segment ends inside the length prefix, *msg is NULL and *len 0.
 *
 * A segment that starts in the middle of a message would be misframed
 * (its bytes read as a length).  dns_tcp_resume() says where the next
 * message starts relative to this segment's first byte (possibly past its
 * end), so a caller that keeps it per direction (next_seq = seq + resume)
 * can skip continuation segments: parse a segment only when its sequence
 * number is the expected one, or when nothing is expected yet.
 *
 * Some stacks (Windows, old BINDs) send the length prefix in a segment of
 * its own.  That segment ends with DNS_TCP_PARTIAL, *caplen 0 and *len the
 * message length; the caller remembers len and expects the body at the
 * next sequence number (seq + segment length), and walks that segment with
 * dns_tcp_iter_body(), which takes its first len bytes as the message.
 */
enum dns_tcp_next {
	DNS_TCP_MSG,		/* a complete message: caplen == len */
	DNS_TCP_END,		/* no bytes left */
	DNS_TCP_PARTIAL		/* the rest is an incomplete message */
};

struct dns_tcp_iter {
	const uint8_t *seg;
	size_t len;
	size_t off;		/* next length prefix */
	size_t resume;		/* see dns_tcp_resume() */
	size_t body;		/* first message has no prefix: its length,
				 * or SIZE_MAX */
};

void dns_tcp_iter_init(struct dns_tcp_iter *it, const uint8_t *seg,
    size_t len);
/* As dns_tcp_iter_init(), for a segment that starts with the body of a
 * message of msglen bytes whose prefix came in the previous segment. */
void dns_tcp_iter_body(struct dns_tcp_iter *it, const uint8_t *seg,
    size_t len, size_t msglen);
enum dns_tcp_next dns_tcp_next(struct dns_tcp_iter *it, const uint8_t **msg,
    size_t *caplen, size_t *len);

/*
 * After the walk: the offset from the segment's first byte at which the
 * next message's length prefix starts: the segment length after
 * DNS_TCP_END, 2 + len past the partial message's prefix after
 * DNS_TCP_PARTIAL, or SIZE_MAX when the segment ended inside a length
 * prefix (the stream cannot be followed: stop parsing that direction).
 */
size_t dns_tcp_resume(const struct dns_tcp_iter *it);

/* DNS ports: 53 (DNS), 5353 (mDNS, RFC 6762), 5355 (LLMNR, RFC 4795). */
static inline int
dns_port(uint16_t port)
{
	return port == 53 || port == 5353 || port == 5355;
}

#endif /* SW_DNS_H */

/*
 * fuzz_dns.c - libFuzzer target for the DNS parser, name rendering, CNAME
 * chains and DNS-over-TCP framing (src/dns.c).
 *
 * Input: the first byte picks the mode (bit 0: a TCP segment payload
 * walked with dns_tcp_next(), partial messages parsed too, else one UDP
 * message; bit 1: claim a wire
 * length 64 bytes longer than the capture, as a snapped packet would), the
 * rest is the payload.  Besides the sanitizers' checks it aborts when a
 * result breaks a contract of dns.h: a status out of range, more answers
 * than SW_DNS_MAX_ANSWERS, a name whose wire form is not well formed, a
 * display form that does not fit DNS_NAME_STR_MAX or whose length is not
 * what dns_name_str() returned, a chain that does not end at the answer's
 * owner, or a TCP message outside the segment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_dns_name(const struct dns_name *n)
{
	char buf[DNS_NAME_STR_MAX], small[24];
	size_t off = 0, len, labels = 0;

	/* n->len <= DNS_NAME_WIRE_MAX by its type (uint8_t). */
	if (n->len > 0) {
		while (off < n->len && n->wire[off] != 0) {
			if (n->wire[off] > DNS_LABEL_MAX)
				abort();
			off += 1u + n->wire[off];
			labels++;
		}
		if (off + 1 != n->len || labels != n->nlabels)
			abort();
	}
	len = dns_name_str(n, buf, sizeof(buf), 0);
	if (len >= sizeof(buf) || strlen(buf) != len)
		abort();
	if (dns_name_str(n, small, sizeof(small), 0) != len ||
	    strlen(small) >= sizeof(small) ||
	    strncmp(small, buf, strlen(small)) != 0)
		abort();
	if (dns_name_str(n, buf, sizeof(buf), DNS_STR_LOWER) != len)
		abort();
	if (!dns_name_eq(n, n))
		abort();
}

static void
fuzz_dns_msg(const uint8_t *msg, size_t caplen, size_t len)
{
	static struct dns_msg m;	/* 17 KiB: off the stack */
	const struct dns_name *ch[DNS_CHAIN_MAX];
	enum dns_status st;
	size_t i, n;
	int rooted;

	st = dns_parse(&m, msg, caplen, len);
	if ((unsigned)st >= DNS__COUNT || dns_status_key(st) == NULL)
		abort();
	if (m.n_answers > SW_DNS_MAX_ANSWERS)
		abort();
	if (m.has_question)
		fuzz_dns_name(&m.qname);
	for (i = 0; i < m.n_answers; i++) {
		fuzz_dns_name(&m.answers[i].owner);
		if (m.answers[i].type == DNS_TYPE_CNAME)
			fuzz_dns_name(&m.answers[i].target);
		n = dns_chain(&m, i, ch, &rooted);
		if (m.answers[i].type == DNS_TYPE_CNAME) {
			if (n != 0)
				abort();
			continue;
		}
		if (n == 0 || n > DNS_CHAIN_MAX ||
		    !dns_name_eq(ch[n - 1], &m.answers[i].owner))
			abort();
		if (rooted && !dns_name_eq(ch[0], &m.qname))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_tcp_iter it;
	const uint8_t *msg, *pay;
	size_t cap, msglen, len, extra;
	enum dns_tcp_next r;

	if (size < 1)
		return 0;
	pay = data + 1;
	len = size - 1;
	extra = (data[0] & 2) ? 64 : 0;
	if ((data[0] & 1) == 0) {
		fuzz_dns_msg(pay, len, len + extra);
		return 0;
	}
	/* Bit 2: the segment starts with a body whose prefix came before. */
	if (data[0] & 4)
		dns_tcp_iter_body(&it, pay, len, (size_t)data[0] << 2);
	else
		dns_tcp_iter_init(&it, pay, len);
	while ((r = dns_tcp_next(&it, &msg, &cap, &msglen)) != DNS_TCP_END) {
		if (cap > msglen || (cap > 0 && (msg < pay ||
		    msg + cap > pay + len)))
			abort();
		if (r == DNS_TCP_MSG && cap != msglen)
			abort();
		if (msg != NULL)
			fuzz_dns_msg(msg, cap, msglen);
		if (r == DNS_TCP_PARTIAL)
			break;
	}
	if (dns_tcp_resume(&it) != SIZE_MAX &&
	    (dns_tcp_resume(&it) < len && r != DNS_TCP_PARTIAL))
		abort();
	return 0;
}

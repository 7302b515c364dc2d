/*
 * fuzz_decode.c - libFuzzer target for the packet decoder.
 *
 * Input: the first byte picks a link type from decode_fuzz_dlts[] (every
 * one decode_packet() supports), the rest is the frame, captured whole.
 * Besides the sanitizers' checks it aborts when the decoded packet breaks
 * a contract of decode.h: a status out of range, a payload view outside
 * the frame or longer than the payload the headers claim.
 */
#include <stdint.h>
#include <stdlib.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int decode_fuzz_dlts[] = {
	1,	/* EN10MB */
	113,	/* LINUX_SLL */
	276,	/* LINUX_SLL2 */
	12,	/* RAW */
	14,	/* RAW (OpenBSD) */
	101,	/* LINKTYPE_RAW */
	228,	/* IPV4 */
	229,	/* IPV6 */
	0,	/* NULL */
	108,	/* LOOP */
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct packet p;
	enum decode_status st;
	const uint8_t *frame;
	uint32_t len;
	int dlt;

	if (size < 1 || size - 1 > UINT32_MAX)
		return 0;
	dlt = decode_fuzz_dlts[data[0] % (sizeof(decode_fuzz_dlts) /
	    sizeof(decode_fuzz_dlts[0]))];
	if (!decode_dlt_supported(dlt))
		abort();
	frame = data + 1;
	len = (uint32_t)(size - 1);
	st = decode_packet(&p, dlt, frame, len, len, 0);
	if ((unsigned)st >= DS__COUNT || decode_status_key(st) == NULL)
		abort();
	if (p.payload_caplen > p.payload_len)
		abort();
	if (p.payload_caplen > 0 && (p.payload < frame ||
	    p.payload + p.payload_caplen > frame + len))
		abort();
	if (st != DS_OK && p.has_ports)
		abort();
	return 0;
}

/*
 * fuzz_tls.c - libFuzzer target for the ClientHello reader and the
 * per-flow driver over reassembled segments.
 *
 * The input is a client byte stream.  It is parsed whole; then it is cut
 * into three segments at points taken from the stream's own length and
 * bytes, and fed through tls_feed() and a reassembly pool in a chosen
 * order (in order, reversed, NULL, 0, or with a retransmitted overlap), from a
 * sequence number near 2^32 so offsets wrap.  Besides the sanitizers'
 * checks it aborts when a contract breaks: a status out of range, a string
 * not NUL-terminated in its field, or a driver that, once every byte has
 * arrived, disagrees with the whole-stream parse of a well-formed hello.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_hello(const struct tls_hello *h)
{
	if (memchr(h->sni, '\0', sizeof(h->sni)) == NULL ||
	    memchr(h->alpn, '\0', sizeof(h->alpn)) == NULL)
		abort();
	if (!h->has_sni && h->sni[0] != '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reasm *pool;
	struct tls_hello whole, h;
	struct tls_flow tf;
	enum tls_status st, fst;
	enum tls_feed_result res = TLS_FEED_NONE;
	const uint32_t isn = 0xfffffe00u;
	size_t cut[4], order[3], i, a, b;
	char err[SW_ERRLEN];
	unsigned mode;

	if (pool == NULL && (pool = reasm_new(4, 0, 1, err)) == NULL)
		abort();
	st = tls_parse_client_hello(data, size, &whole);
	if (st >= TLS__COUNT)
		abort();
	fuzz_check_hello(&whole);
	if (st == TLS_NEED_MORE && whole.need <= size)
		abort();
	if (size < 3)
		return 0;

	/* three segments: cut points and order from the bytes */
	a = 1 + (data[size - 1] * 131u + data[size / 2]) % (size - 1);
	b = 1 + (data[size - 2] * 257u) % (size - 1);
	if (a > b) {
		i = a;
		a = b;
		b = i;
	}
	cut[0] = 0;
	cut[1] = a;
	cut[2] = b;
	cut[3] = size;
	mode = data[size - 3] % 3;
	for (i = 0; i < 3; i++)
		order[i] = mode == 1 ? 2 - i : i;

	memset(&tf, 0, sizeof(tf));
	for (i = 0; i < 3; i++) {
		size_t k = order[i], off = cut[k], len = cut[k + 1] - cut[k];

		if (mode == 2 && i == 1 && off >= 7) {
			/* a retransmission reaching back into segment 0 */
			off -= 7;
			len += 7;
		}
		if (len == 0)
			continue;
		res = tls_feed(&tf, pool, NULL, 0, 1, isn,
		    isn + 1 + (uint32_t)off, data + off, len, &h, &fst);
		if (fst > TLS__COUNT)
			abort();
		if (res != TLS_FEED_NONE) {
			fuzz_check_hello(&h);
			break;
		}
	}
	/* every byte arrived: a well-formed hello that fits a slot must be
	 * found, with the same fields */
	if (st == TLS_OK && size <= reasm_slot_bytes(pool)) {
		if (res != TLS_FEED_HELLO)
			abort();
		if (strcmp(h.sni, whole.sni) != 0 ||
		    strcmp(h.alpn, whole.alpn) != 0 ||
		    h.version != whole.version)
			abort();
	}
	tls_flow_end(&tf, pool);
	if (reasm_stats(pool)->in_use != 0)
		abort();
	return 0;
}

/*
 * communityid.c - Community ID v1 (communityid.h), with its own SHA-1:
 * the sensor links no crypto library, and this hash names connections,
 * it protects nothing.
 */
#include "communityid.h"

#include <string.h>

#include "decode.h"
#include "flow.h"

static uint16_t cid_seed;

void
community_id_set_seed(uint16_t seed)
{
	cid_seed = seed;
}

/* --- SHA-1 (FIPS 180-4, 6.1) --- */

static uint32_t
rol32(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static void
sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
sha1(const void *data, size_t len, uint8_t out[20])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
		0xc3d2e1f0 };
	const uint8_t *p = data;
	uint8_t tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t rest, n, i;

	for (; len >= 64; p += 64, len -= 64)
		sha1_block(h, p);
	rest = len;
	memset(tail, 0, sizeof(tail));
	if (rest > 0)
		memcpy(tail, p, rest);
	tail[rest] = 0x80;
	n = rest + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha1_block(h, tail);
	if (n == 128)
		sha1_block(h, tail + 64);
	for (i = 0; i < 20; i++)
		out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* --- the ID --- */

/* The counterpart of an ICMP request or reply type, or -1 (one-way). */
static int
icmp_pair(int v6, uint16_t type)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 0, 8 }, { 13, 14 },
		{ 14, 13 }, { 15, 16 }, { 16, 15 }, { 10, 9 }, { 9, 10 },
		{ 17, 18 }, { 18, 17 } };
	static const uint8_t v6p[][2] = { { 128, 129 }, { 129, 128 },
		{ 133, 134 }, { 134, 133 }, { 135, 136 }, { 136, 135 },
		{ 130, 131 }, { 131, 130 }, { 139, 140 }, { 140, 139 },
		{ 144, 145 }, { 145, 144 } };
	size_t i;

	if (!v6) {
		for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
			if (v4[i][0] == type)
				return v4[i][1];
	} else {
		for (i = 0; i < sizeof(v6p) / sizeof(v6p[0]); i++)
			if (v6p[i][0] == type)
				return v6p[i][1];
	}
	return -1;
}

void
community_id(uint16_t seed, const uint8_t src[16], const uint8_t dst[16],
    uint8_t proto, uint16_t sport, uint16_t dport, char out[COMMUNITY_ID_LEN])
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *a = src, *b = dst;
	uint8_t buf[2 + 16 + 16 + 2 + 4], dig[20];
	int v4 = addr_is_v4mapped(src) && addr_is_v4mapped(dst), one_way = 0,
	    pair, c;
	size_t alen = v4 ? 4 : 16, off = v4 ? 12 : 0, n = 0, i, o;
	int ports = proto == IPPROTO_NUM_TCP || proto == IPPROTO_NUM_UDP ||
	    proto == 132 || proto == IPPROTO_NUM_ICMP ||
	    proto == IPPROTO_NUM_ICMP6;
	uint16_t pa = sport, pb = dport, tmp;
	uint32_t v;

	if (proto == IPPROTO_NUM_ICMP || proto == IPPROTO_NUM_ICMP6) {
		pair = icmp_pair(proto == IPPROTO_NUM_ICMP6, sport);
		if (pair >= 0)
			pb = (uint16_t)pair;
		else
			one_way = 1; /* keeps its code, in the order seen */
	}
	/* the lesser endpoint first, unless one-way */
	c = memcmp(a + off, b + off, alen);
	if (!one_way && (c > 0 || (c == 0 && pa > pb))) {
		a = dst;
		b = src;
		tmp = pa;
		pa = pb;
		pb = tmp;
	}
	buf[n++] = (uint8_t)(seed >> 8);
	buf[n++] = (uint8_t)seed;
	memcpy(buf + n, a + off, alen);
	n += alen;
	memcpy(buf + n, b + off, alen);
	n += alen;
	buf[n++] = proto;
	buf[n++] = 0;
	if (ports) {
		buf[n++] = (uint8_t)(pa >> 8);
		buf[n++] = (uint8_t)pa;
		buf[n++] = (uint8_t)(pb >> 8);
		buf[n++] = (uint8_t)pb;
	}
	sha1(buf, n, dig);
	out[0] = '1';
	out[1] = ':';
	for (i = 0, o = 2; i < 20; i += 3) {
		v = (uint32_t)dig[i] << 16;
		if (i + 1 < 20)
			v |= (uint32_t)dig[i + 1] << 8;
		if (i + 2 < 20)
			v |= dig[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < 20 ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < 20 ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

void
community_id_flow(const struct flow *f, char out[COMMUNITY_ID_LEN])
{
	struct flow_addrs fa;

	flow_get_addrs(f, &fa);
	community_id(cid_seed, fa.orig_h, fa.resp_h, f->proto, f->orig_p,
	    f->resp_p, out);
}

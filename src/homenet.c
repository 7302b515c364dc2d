/*
 * homenet.c - the home network's address ranges (homenet.h).
 *
 * A short list scanned in order: a shelter names a handful of ranges, and
 * the table asks only for a new connection and a beacon event, not per
 * packet.
 */
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "homenet.h"
#include "intel.h"

void
homenet_clear(struct homenet *h)
{
	memset(h, 0, sizeof(*h));
}

void
homenet_default(struct homenet *h)
{
	static const char *const nets[] = { "10.0.0.0/8", "172.16.0.0/12",
		"192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10" };
	char err[SW_ERRLEN];
	size_t i;

	homenet_clear(h);
	for (i = 0; i < sizeof(nets) / sizeof(nets[0]); i++)
		(void)homenet_add(h, nets[i], err);
}

int
homenet_add(struct homenet *h, const char *cidr, char *errbuf)
{
	const char *why = NULL;
	uint8_t a[16], plen;

	if (intel_parse_cidr(cidr, a, &plen, NULL, &why) != 0) {
		snprintf(errbuf, SW_ERRLEN, "home network \"%s\": %s", cidr,
		    why);
		return -1;
	}
	if (h->n >= SW_HOMENET_MAX) {
		snprintf(errbuf, SW_ERRLEN,
		    "home network \"%s\": more than %d ranges", cidr,
		    SW_HOMENET_MAX);
		return -1;
	}
	memcpy(h->net[h->n].addr, a, 16);
	h->net[h->n].prefix = plen;
	h->net[h->n].mhi = plen == 0 ? 0 :
	    plen >= 64		     ? UINT64_MAX :
				       UINT64_MAX << (64 - plen);
	h->net[h->n].mlo = plen <= 64 ? 0 :
	    plen >= 128		      ? UINT64_MAX :
					UINT64_MAX << (128 - plen);
	h->net[h->n].hi = addr_be64(a) & h->net[h->n].mhi;
	h->net[h->n].lo = addr_be64(a + 8) & h->net[h->n].mlo;
	h->n++;
	if (!addr_is_v4mapped(a) && (a[0] & 0xfe) != 0xfc &&
	    !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		h->v6_global = 1;
	return 0;
}

int
homenet_knows(const struct homenet *h, const uint8_t a[16])
{
	return h != NULL && (addr_is_v4mapped(a) || h->v6_global);
}

int
homenet_contains(const struct homenet *h, const uint8_t a[16])
{
	uint64_t hi, lo;
	unsigned i;

	if (h == NULL)
		return 0;
	hi = addr_be64(a);
	lo = addr_be64(a + 8);
	for (i = 0; i < h->n; i++)
		if ((hi & h->net[i].mhi) == h->net[i].hi &&
		    (lo & h->net[i].mlo) == h->net[i].lo)
			return 1;
	return 0;
}

int
homenet_is_broadcast(const struct homenet *h, const uint8_t a[16])
{
	uint32_t ip;
	unsigned i;

	if (!addr_is_v4mapped(a) || h == NULL)
		return 0;
	ip = (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 |
	    (uint32_t)a[14] << 8 | a[15];
	/* a subnet DHCP gave decides: 10.20.3.255 is a host of a /16,
	 * 192.168.1.63 the broadcast of a /26 */
	for (i = 0; i < h->nlearned; i++)
		if ((ip & h->learned[i].mask) == h->learned[i].net)
			return (ip | h->learned[i].mask) == UINT32_MAX;
	return a[15] == 255 && homenet_contains(h, a);
}

int
homenet_learn(struct homenet *h, const uint8_t addr[4], const uint8_t mask[4])
{
	uint8_t a16[16];
	uint32_t ip, m, net;
	unsigned i;

	ip = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
	    (uint32_t)addr[2] << 8 | addr[3];
	m = (uint32_t)mask[0] << 24 | (uint32_t)mask[1] << 16 |
	    (uint32_t)mask[2] << 8 | mask[3];
	/* contiguous, /8 to /30 */
	if ((~m & (~m + 1)) != 0 || m < 0xff000000u || m > 0xfffffffcu)
		return 0;
	addr_from_v4(a16, addr);
	if (!homenet_contains(h, a16))
		return 0;
	net = ip & m;
	for (i = 0; i < h->nlearned; i++)
		if (h->learned[i].net == net && h->learned[i].mask == m)
			return 0;
	h->learned[h->next_learned].net = net;
	h->learned[h->next_learned].mask = m;
	h->next_learned = (h->next_learned + 1) % SW_HOMENET_LEARNED;
	if (h->nlearned < SW_HOMENET_LEARNED)
		h->nlearned++;
	return 1;
}

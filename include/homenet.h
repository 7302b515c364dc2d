/*
 * homenet.h - the home network: the address ranges whose hosts are the
 * devices the sensor watches over (Zeek's Site::local_nets).
 *
 * A connection's device is its home side.  The flow table orients a
 * connection first seen mid-stream by it (the home end becomes the
 * originator when the ports do not say), and the beacon detector never
 * treats traffic that stays inside it, or a home subnet's broadcast
 * address, as a beacon.  By default the private and link-local ranges
 * (RFC 1918, RFC 3927, RFC 4193, RFC 4291's fe80::/10); --home-net
 * replaces them.
 */
#ifndef SW_HOMENET_H
#define SW_HOMENET_H

#include <stdint.h>

#include "config.h"

struct homenet {
	unsigned n;
	struct {
		uint8_t addr[16]; /* network, IPv4-mapped for IPv4 */
		uint8_t prefix;	  /* over 128 bits */
		/* the network and its mask as two big-endian halves: a
		 * test is two ANDs and compares (asked per connection) */
		uint64_t hi, lo, mhi, mlo;
	} net[SW_HOMENET_MAX];
	/* an IPv6 range outside fc00::/7 and fe80::/10 was given: the
	 * home's global IPv6 addresses are known (homenet_knows()) */
	uint8_t v6_global;
	/* IPv4 subnets seen in DHCP acknowledgements (host order) */
	unsigned nlearned, next_learned;
	struct {
		uint32_t net, mask;
	} learned[SW_HOMENET_LEARNED];
};

/* The default ranges. */
void homenet_default(struct homenet *h);

/* Empty the set (before the first --home-net). */
void homenet_clear(struct homenet *h);

/* Add one "a.b.c.d/n" or IPv6 CIDR (or a single address).  Returns 0,
 * or -1 with a one-line reason in errbuf (SW_ERRLEN bytes). */
int homenet_add(struct homenet *h, const char *cidr, char *errbuf);

/* 1 when a (16 bytes, IPv4-mapped for IPv4) lies in the home network;
 * 0 for any address when h is NULL. */
int homenet_contains(const struct homenet *h, const uint8_t a[16]);

/* 1 when the set says for a's family which addresses are at home: for
 * IPv4 always (the private ranges, or those given); for IPv6 only once a
 * global range was given with --home-net, since phones at home use their
 * provider's global IPv6 addresses, which no default can name. */
int homenet_knows(const struct homenet *h, const uint8_t a[16]);

/* 1 when a is the broadcast address of a home IPv4 subnet: of the subnet
 * learned from DHCP that holds it (its host part all ones), else by a /24
 * guess (x.y.z.255 inside the home network). */
int homenet_is_broadcast(const struct homenet *h, const uint8_t a[16]);

/*
 * A DHCP acknowledgement gave a device addr (4 bytes) with this subnet
 * mask: remember the subnet, when the address is at home and the mask a
 * contiguous one of /8 to /30.  Returns 1 when it was new.
 */
int homenet_learn(struct homenet *h, const uint8_t addr[4],
    const uint8_t mask[4]);

#endif /* SW_HOMENET_H */

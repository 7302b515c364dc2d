/*
 * communityid.h - Community ID v1 (corelight's community-id-spec): one
 * string per connection, the same in Zeek's, Suricata's and this sensor's
 * records, to pivot between them in a SIEM.
 *
 * "1:" and the base64 of SHA-1 over the seed (2 bytes), the two endpoints
 * in order (the lesser address first, then the lesser port), the protocol,
 * a zero byte and the two ports, all in network byte order.  ICMP and
 * ICMPv6 use the type as the source port and, for a request or reply
 * type, the type of its counterpart as the destination port (so both
 * directions hash alike; other types are one-way, unordered, with the
 * code).  Protocols without ports hash the addresses only.
 */
#ifndef SW_COMMUNITYID_H
#define SW_COMMUNITYID_H

#include <stddef.h>
#include <stdint.h>

#define COMMUNITY_ID_LEN 31 /* "1:" + 28 base64 bytes + NUL, rounded */

struct flow;

/*
 * The Community ID of one connection: addresses 16 bytes each
 * (IPv4-mapped for IPv4), ports in host order (ICMP: type and code),
 * proto the IP protocol number.  out is NUL-terminated.
 */
void community_id(uint16_t seed, const uint8_t src[16], const uint8_t dst[16],
    uint8_t proto, uint16_t sport, uint16_t dport, char out[COMMUNITY_ID_LEN]);

/* Of a flow: its originator and responder (a flow's ICMP ports are its
 * type and code), under the seed of community_id_set_seed(). */
void community_id_flow(const struct flow *f, char out[COMMUNITY_ID_LEN]);

/* The seed (--community-id-seed, default 0), set before any thread
 * starts. */
void community_id_set_seed(uint16_t seed);

/* SHA-1 of len bytes (FIPS 180-4).  Exposed for tests. */
void sha1(const void *data, size_t len, uint8_t out[20]);

#endif /* SW_COMMUNITYID_H */

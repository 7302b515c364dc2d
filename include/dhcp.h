/*
 * dhcp.h - DHCP messages (RFC 2131, options RFC 2132) off the wire.
 *
 * dhcp_parse() reads one BOOTP/DHCP message (UDP 67/68): the fixed
 * header, the magic cookie and the options the sensor uses: 53 message
 * type, 1 subnet mask, 3 router, 12 host name, 60 vendor class, 81 client
 * FQDN (RFC 4702), 50 requested address, 54 server identifier.  What it
 * learns: the subnet a device was given (yiaddr and the mask of a
 * DHCPACK), so that the subnet's broadcast address is never a beacon
 * destination (homenet.h); the device's names for the device table.
 * Option overload (52) is counted, not followed.  Everything is read
 * through rd.h; nothing is allocated.  A message cut short (snap length)
 * keeps what came before the cut.  Cost per packet: one pass over the
 * captured options.
 */
#ifndef SW_DHCP_H
#define SW_DHCP_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_NAME_MAX 256 /* option text kept, with NUL */

/* Message types (option 53). */
#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_ACK      5

enum dhcp_status {
	DHCP_OK = 0,	 /* header, cookie and options to the end */
	DHCP_TRUNCATED,	 /* cut before the end option: what came
				 * before is filled in */
	DHCP_NOT_DHCP,	 /* not BOOTP over Ethernet addresses, or no
				 * DHCP magic cookie */
	DHCP_BAD_OPTION, /* an option overruns the message, or one
				 * the sensor reads has a wrong length */
	DHCP__COUNT
};

struct dhcp_msg {
	uint8_t op;   /* 1 request, 2 reply */
	uint8_t type; /* option 53, 0 when absent */
	uint32_t xid;
	uint8_t ciaddr[4], yiaddr[4];
	uint8_t chaddr[6]; /* the client's MAC (htype 1, hlen 6) */
	uint8_t header_ok; /* op, htype and hlen checked, chaddr read: a
			    * message cut after this still names its
			    * client */
	uint8_t has_mask, has_router, has_requested, has_server, overload;
	uint8_t mask[4], router[4], requested[4], server[4];
	char hostname[DHCP_NAME_MAX]; /* option 12, "" when absent */
	char vendor[DHCP_NAME_MAX];   /* option 60 */
	char fqdn[DHCP_NAME_MAX];     /* option 81's name, as text */
};

/* Read buf[0..caplen).  Always fills *m (zeroed first). */
enum dhcp_status dhcp_parse(struct dhcp_msg *m, const uint8_t *buf,
    size_t caplen);

/* "dhcp.ok", "dhcp.truncated", ... stable stats keys. */
const char *dhcp_status_key(enum dhcp_status s);

#endif /* SW_DHCP_H */

/*
 * device.h - the devices of the home network: which phone an address is.
 *
 * A bounded table keyed by address.  Each device has the MAC it sends
 * from, the names its DHCP client gave (option 12 host name, 60 vendor
 * class, 81 client FQDN), first and last seen (network time) and an id.
 * An address taken by another MAC (a DHCP lease given to another phone)
 * is another device: it gets a new id, and evidence kept under the old
 * id stays with the old phone.  Only home-network addresses are devices
 * (the caller asks homenet.h): an internet server is never one.  When
 * the table is full the least recently seen device makes room (counted).
 * No allocation after devices_new().
 *
 * What it can and cannot tell: a phone with MAC randomisation shows one
 * MAC per network (Android and iOS keep it per Wi-Fi network, and may
 * renew it): the MAC finds the phone in the router's client list, not
 * across networks.  Behind NAT (a hotspot, a guest network routed
 * through another router) every device behind it is one address and the
 * router's MAC.
 */
#ifndef SW_DEVICE_H
#define SW_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct dhcp_msg;

struct device_info {
	uint8_t addr[16]; /* IPv4-mapped for IPv4 */
	uint8_t mac[6];
	uint8_t has_mac;
	uint32_t id; /* 1, 2, ...: a new one per (address, MAC) */
	int64_t first_us, last_us;
	char hostname[SW_DEVICE_NAME]; /* DHCP option 12, "" when none */
	char vendor[SW_DEVICE_NAME];   /* option 60 */
	char fqdn[SW_DEVICE_NAME];     /* option 81 */
};

struct device_stats {
	uint64_t devices;	/* in the table */
	uint64_t replaced;	/* evicted when full */
	uint64_t named_replaced; /* of them, DHCP-named ones (no unnamed
				  * one was left) */
	uint64_t lease_changes; /* an address taken by another MAC */
	uint64_t dhcp_named;	/* devices given a name by DHCP */
};

struct devices;

/* Room for max devices (0: SW_DEVICE_MAX).  NULL with the reason in
 * errbuf (SW_ERRLEN bytes). */
struct devices *devices_new(uint32_t max, uint64_t seed, char *errbuf);
void devices_free(struct devices *d);

/*
 * Traffic from the device at addr, sending from mac (NULL: no link
 * layer) at ts_us: the device, created when new; a known address seen
 * from another MAC becomes a new device (lease change).  The record is
 * the table's, valid until the next call that adds a device.
 */
const struct device_info *devices_seen(struct devices *d,
    const uint8_t addr[16], const uint8_t *mac, int64_t ts_us);

/*
 * A DHCP message: a client's names are kept by its MAC; an
 * acknowledgement binds its address to that MAC (a lease change when the
 * address was another MAC's) and gives the device those names; a client
 * that renews from its address (ciaddr) names it at once.  Only
 * addresses of the home network are bound (home NULL: any).
 */
struct homenet;
void devices_dhcp(struct devices *d, const struct dhcp_msg *m,
    const struct homenet *home, int64_t ts_us);

/* The device at addr now, or NULL. */
const struct device_info *devices_get(struct devices *d,
    const uint8_t addr[16]);

const struct device_stats *devices_get_stats(const struct devices *d);

/* The MAC as "aa:bb:cc:dd:ee:ff" (18 bytes with the NUL). */
void device_mac_fmt(const uint8_t mac[6], char out[18]);

#endif /* SW_DEVICE_H */

/*
 * device.c - the devices of the home network (device.h).
 *
 * struct devices: a table (table.h) keyed by the 16-byte address whose
 * values are struct device_info, touched on every sighting so that the
 * least recently seen device is the one a full table replaces; and a
 * small ring of DHCP clients' names by MAC, waiting for the
 * acknowledgement that gives the client its address.
 */
#include "device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "dhcp.h"
#include "homenet.h"
#include "table.h"

struct pending {
	uint8_t mac[6];
	uint8_t used;
	char hostname[SW_DEVICE_NAME];
	char vendor[SW_DEVICE_NAME];
	char fqdn[SW_DEVICE_NAME];
};

/* Recently seen devices by a cheap hash of the address: a new connection
 * of a known device, the common case, costs neither SipHash nor a list
 * move.  A slot points into the table's pool, which is never freed: a
 * stale one is told by its address.  As many slots as devices. */
#define DEV_CACHE SW_DEVICE_MAX

struct devices {
	struct table *t;
	struct device_info *cache[DEV_CACHE];
	int64_t touched_us[DEV_CACHE]; /* the slot's last LRU move */
	uint32_t next_id;
	struct pending pend[SW_DEVICE_PENDING];
	unsigned pend_next;
	struct device_stats st;
};

struct devices *
devices_new(uint32_t max, uint64_t seed, char *errbuf)
{
	struct table_config tc;
	struct devices *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "devices: out of memory");
		return NULL;
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "devices";
	tc.max = max != 0 ? max : SW_DEVICE_MAX;
	tc.key_max = 16;
	tc.val_size = sizeof(struct device_info);
	/* by value: list 1 holds the devices a DHCP server gave their
	 * address (devices_dhcp()), list 0 the rest, and room is made from
	 * list 0 first: spoofed addresses cannot push those phones out */
	tc.nlists = 2;
	tc.seed = seed;
	if ((d->t = table_new(&tc, errbuf)) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
devices_free(struct devices *d)
{
	if (d == NULL)
		return;
	table_free(d->t);
	free(d);
}

/* A name from a message, cut to fit; a message without the option keeps
 * the name known. */
static void
copy_name(char *dst, const char *src)
{
	if (src[0] != '\0')
		snprintf(dst, SW_DEVICE_NAME, "%.*s", SW_DEVICE_NAME - 1, src);
}

const struct device_info *
devices_seen(struct devices *d, const uint8_t addr[16], const uint8_t *mac,
    int64_t ts_us)
{
	const struct table_stats *ts;
	struct device_info *v;
	uint64_t h;
	unsigned k;

	memcpy(&h, addr + 8, 8);
	k = (unsigned)((h * UINT64_C(0x9e3779b97f4a7c15)) >> 32) % DEV_CACHE;
	v = d->cache[k];
	if (v != NULL && memcmp(v->addr, addr, 16) == 0 &&
	    (mac == NULL || (v->has_mac && memcmp(v->mac, mac, 6) == 0))) {
		/* the list order is kept to the second, as the flow
		 * table's */
		if (ts_us - d->touched_us[k] >= 1000000) {
			table_touch(d->t, v, table_list(d->t, v));
			d->touched_us[k] = ts_us;
		}
		if (ts_us > v->last_us)
			v->last_us = ts_us;
		return v;
	}
	h = table_hash(d->t, addr, 16);
	if ((v = table_find(d->t, addr, 16, h)) != NULL) {
		table_touch(d->t, v, table_list(d->t, v));
		if (mac != NULL && v->has_mac && memcmp(v->mac, mac, 6) != 0) {
			/* another phone has the address now */
			table_touch(d->t, v, 0);
			memset(v, 0, sizeof(*v));
			memcpy(v->addr, addr, 16);
			v->id = ++d->next_id;
			v->first_us = ts_us;
			d->st.lease_changes++;
		}
	} else {
		/* every device named: the one seen least recently goes
		 * (the table evicts from list 0 by itself) */
		if (table_full(d->t) && table_oldest(d->t, 0) == NULL) {
			table_remove(d->t, table_oldest(d->t, 1));
			d->st.named_replaced++;
		}
		if ((v = table_insert(d->t, addr, 16, h, 1)) == NULL)
			return NULL;
		memcpy(v->addr, addr, 16);
		v->id = ++d->next_id;
		v->first_us = ts_us;
		ts = table_get_stats(d->t);
		d->st.devices = ts->entries;
		d->st.replaced = ts->evicted + d->st.named_replaced;
	}
	if (mac != NULL && !v->has_mac) {
		memcpy(v->mac, mac, 6);
		v->has_mac = 1;
	}
	if (ts_us > v->last_us)
		v->last_us = ts_us;
	d->cache[k] = v;
	d->touched_us[k] = ts_us;
	return v;
}

static struct pending *
pending_of(struct devices *d, const uint8_t mac[6])
{
	unsigned i;

	for (i = 0; i < SW_DEVICE_PENDING; i++)
		if (d->pend[i].used && memcmp(d->pend[i].mac, mac, 6) == 0)
			return &d->pend[i];
	return NULL;
}

static void
name_device(struct devices *d, struct device_info *v, const char *host,
    const char *vendor, const char *fqdn)
{
	int had = v->hostname[0] != '\0' || v->vendor[0] != '\0' ||
	    v->fqdn[0] != '\0';

	copy_name(v->hostname, host);
	copy_name(v->vendor, vendor);
	copy_name(v->fqdn, fqdn);
	if (!had &&
	    (v->hostname[0] != '\0' || v->vendor[0] != '\0' ||
		v->fqdn[0] != '\0')) {
		d->st.dhcp_named++;
	}
}

void
devices_dhcp(struct devices *d, const struct dhcp_msg *m,
    const struct homenet *home, int64_t ts_us)
{
	static const uint8_t zero4[4];
	struct device_info *v;
	struct pending *p;
	uint8_t a[16];
	int names = m->hostname[0] != '\0' || m->vendor[0] != '\0' ||
	    m->fqdn[0] != '\0';

	if (m->op == 1) {
		/* a client: its names wait for its address */
		if (names) {
			if ((p = pending_of(d, m->chaddr)) == NULL) {
				p = &d->pend[d->pend_next++ %
				    SW_DEVICE_PENDING];
				memset(p, 0, sizeof(*p));
				memcpy(p->mac, m->chaddr, 6);
				p->used = 1;
			}
			copy_name(p->hostname, m->hostname);
			copy_name(p->vendor, m->vendor);
			copy_name(p->fqdn, m->fqdn);
		}
		if (memcmp(m->ciaddr, zero4, 4) == 0)
			return;
		addr_from_v4(a, m->ciaddr);
	} else if (m->type == DHCP_ACK && memcmp(m->yiaddr, zero4, 4) != 0) {
		addr_from_v4(a, m->yiaddr);
	} else
		return;
	if (home != NULL && !homenet_contains(home, a))
		return;
	v = (struct device_info *)devices_seen(d, a, m->chaddr, ts_us);
	if (v == NULL)
		return;
	if ((p = pending_of(d, m->chaddr)) != NULL)
		name_device(d, v, p->hostname, p->vendor, p->fqdn);
	if (m->op == 1 || names)
		name_device(d, v, m->hostname, m->vendor, m->fqdn);
	/* kept by value once a server acknowledged the lease: a client's
	 * own message (a spoofed DHCPINFORM) names it but keeps nothing */
	if (m->op == 2 && m->type == DHCP_ACK)
		table_touch(d->t, v, 1);
}

const struct device_info *
devices_get(struct devices *d, const uint8_t addr[16])
{
	return table_find(d->t, addr, 16, table_hash(d->t, addr, 16));
}

const struct device_stats *
devices_get_stats(const struct devices *d)
{
	return &d->st;
}

void
device_mac_fmt(const uint8_t mac[6], char out[18])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 6; i++) {
		out[i * 3] = hex[mac[i] >> 4];
		out[i * 3 + 1] = hex[mac[i] & 15];
		out[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
}

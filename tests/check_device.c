/*
 * check_device.c - the devices of the home network (device.h): a new
 * address is a device, seen again it keeps its id; another MAC at the
 * address is a lease change (a new id, the names cleared); DHCP names a
 * device by its client's REQUEST and the ACK that gives it the address,
 * or at once when it renews from its address; a message without names
 * erases none; a full table replaces the least recently seen device;
 * the MAC's text form; names cut to SW_DEVICE_NAME - 1 bytes.
 */
#include <check.h>
#include <string.h>

#include "device.h"
#include "dhcp.h"
#include "homenet.h"

Suite *device_suite(void);

static const uint8_t mac_m[6] = { 0x8c, 0xf5, 0xa3, 0x4e, 0x27, 0x91 };
static const uint8_t mac_m2[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

/* ::ffff:192.168.1.last */
static void
addr(uint8_t a[16], int last)
{
	memset(a, 0, 16);
	a[10] = a[11] = 0xff;
	a[12] = 192;
	a[13] = 168;
	a[14] = 1;
	a[15] = (uint8_t)last;
}

static void
v4(uint8_t a[4], int last)
{
	a[0] = 192;
	a[1] = 168;
	a[2] = 1;
	a[3] = (uint8_t)last;
}

/* A client's DHCPREQUEST from mac, renewing from ciaddr (0: none). */
static void
request(struct dhcp_msg *m, const uint8_t mac[6], int ciaddr, const char *host,
    const char *vendor, const char *fqdn)
{
	memset(m, 0, sizeof(*m));
	m->op = 1;
	m->type = DHCP_REQUEST;
	m->xid = 0x1234;
	if (ciaddr != 0)
		v4(m->ciaddr, ciaddr);
	memcpy(m->chaddr, mac, 6);
	strcpy(m->hostname, host);
	strcpy(m->vendor, vendor);
	strcpy(m->fqdn, fqdn);
}

/* The server's DHCPACK giving 192.168.1.yiaddr to mac, without names. */
static void
ack(struct dhcp_msg *m, const uint8_t mac[6], int yiaddr)
{
	memset(m, 0, sizeof(*m));
	m->op = 2;
	m->type = DHCP_ACK;
	m->xid = 0x1234;
	v4(m->yiaddr, yiaddr);
	memcpy(m->chaddr, mac, 6);
}

static struct devices *
new_devices(uint32_t max)
{
	char err[SW_ERRLEN];
	struct devices *d = devices_new(max, 1, err);

	ck_assert_msg(d != NULL, "devices_new: %s", err);
	return d;
}

/* The Galaxy's REQUEST and the ACK giving it 192.168.1.23 (test 3). */
static void
galaxy_lease(struct devices *d)
{
	struct dhcp_msg m;

	request(&m, mac_m, 0, "Galaxy-S21", "android-dhcp-13", "");
	devices_dhcp(d, &m, NULL, 1000);
	ack(&m, mac_m, 23);
	devices_dhcp(d, &m, NULL, 1010);
}

START_TEST(test_seen_new_and_again)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	uint8_t a[16], b[16];
	uint32_t id;

	addr(a, 23);
	addr(b, 42);
	ck_assert_ptr_null(devices_get(d, a));
	v = devices_seen(d, a, mac_m, 100);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ge(v->id, 1);
	ck_assert_mem_eq(v->addr, a, 16);
	ck_assert_int_eq(v->first_us, 100);
	ck_assert_int_eq(v->last_us, 100);
	ck_assert_uint_eq(v->has_mac, 1);
	ck_assert_mem_eq(v->mac, mac_m, 6);
	ck_assert_str_eq(v->hostname, "");
	ck_assert_str_eq(v->vendor, "");
	ck_assert_str_eq(v->fqdn, "");
	id = v->id;
	ck_assert_ptr_eq(devices_get(d, a), v);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 1);

	/* the same MAC again: the same device, later */
	v = devices_seen(d, a, mac_m, 200);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->id, id);
	ck_assert_int_eq(v->first_us, 100);
	ck_assert_int_eq(v->last_us, 200);

	/* no link layer: the MAC stays, the device too */
	v = devices_seen(d, a, NULL, 300);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->id, id);
	ck_assert_uint_eq(v->has_mac, 1);
	ck_assert_mem_eq(v->mac, mac_m, 6);
	ck_assert_int_eq(v->first_us, 100);
	ck_assert_int_eq(v->last_us, 300);

	/* a packet out of order does not move last_us back */
	v = devices_seen(d, a, mac_m, 250);
	ck_assert_int_eq(v->last_us, 300);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 0);

	/* another address is another device; without a MAC it has none */
	v = devices_seen(d, b, NULL, 400);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ne(v->id, id);
	ck_assert_uint_eq(v->has_mac, 0);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 2);
	/* its first MAC is taken, not a lease change */
	v = devices_seen(d, b, mac_m2, 500);
	ck_assert_uint_eq(v->has_mac, 1);
	ck_assert_mem_eq(v->mac, mac_m2, 6);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 0);
	devices_free(d);
}
END_TEST

START_TEST(test_lease_change)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	uint8_t a[16];
	uint32_t id, id2;

	galaxy_lease(d);
	addr(a, 23);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	id = v->id;
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 0);

	/* another phone has the address now */
	v = devices_seen(d, a, mac_m2, 5000);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ne(v->id, id);
	ck_assert_uint_ge(v->id, 1);
	id2 = v->id;
	ck_assert_mem_eq(v->addr, a, 16);
	ck_assert_mem_eq(v->mac, mac_m2, 6);
	ck_assert_str_eq(v->hostname, "");
	ck_assert_str_eq(v->vendor, "");
	ck_assert_str_eq(v->fqdn, "");
	ck_assert_int_eq(v->first_us, 5000);
	ck_assert_int_eq(v->last_us, 5000);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 1);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 1);

	/* the new phone again, or without a link layer: still the new one */
	v = devices_seen(d, a, mac_m2, 6000);
	ck_assert_uint_eq(v->id, id2);
	ck_assert_int_eq(v->first_us, 5000);
	ck_assert_int_eq(v->last_us, 6000);
	v = devices_seen(d, a, NULL, 7000);
	ck_assert_uint_eq(v->id, id2);
	ck_assert_mem_eq(v->mac, mac_m2, 6);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 1);

	/* the old phone back: a third device, not the old id again */
	v = devices_seen(d, a, mac_m, 8000);
	ck_assert_uint_ne(v->id, id);
	ck_assert_uint_ne(v->id, id2);
	ck_assert_mem_eq(v->mac, mac_m, 6);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 2);
	devices_free(d);
}
END_TEST

START_TEST(test_dhcp_request_ack)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	struct dhcp_msg m;
	uint8_t a[16];
	uint32_t id;

	addr(a, 23);
	request(&m, mac_m, 0, "Galaxy-S21", "android-dhcp-13", "");
	devices_dhcp(d, &m, NULL, 1000);
	/* a REQUEST without an address is no device yet */
	ck_assert_ptr_null(devices_get(d, a));
	ck_assert_uint_eq(devices_get_stats(d)->devices, 0);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 0);

	/* an OFFER binds nothing */
	ack(&m, mac_m, 23);
	m.type = DHCP_OFFER;
	devices_dhcp(d, &m, NULL, 1005);
	ck_assert_ptr_null(devices_get(d, a));
	ck_assert_uint_eq(devices_get_stats(d)->devices, 0);

	ack(&m, mac_m, 23);
	devices_dhcp(d, &m, NULL, 1010);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ge(v->id, 1);
	ck_assert_uint_eq(v->has_mac, 1);
	ck_assert_mem_eq(v->mac, mac_m, 6);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_str_eq(v->vendor, "android-dhcp-13");
	ck_assert_str_eq(v->fqdn, "");
	ck_assert_int_eq(v->first_us, 1010);
	ck_assert_int_eq(v->last_us, 1010);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 1);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 1);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 0);
	id = v->id;

	/* the ACK again (a retransmission): named once, same device */
	devices_dhcp(d, &m, NULL, 1020);
	v = devices_get(d, a);
	ck_assert_uint_eq(v->id, id);
	ck_assert_int_eq(v->last_us, 1020);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 1);

	/* traffic from the phone finds the named device */
	v = devices_seen(d, a, mac_m, 2000);
	ck_assert_uint_eq(v->id, id);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 1);

	/* no other address was given a device */
	addr(a, 24);
	ck_assert_ptr_null(devices_get(d, a));
	devices_free(d);
}
END_TEST

START_TEST(test_dhcp_other_mac)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	struct dhcp_msg m;
	uint8_t a[16];
	uint32_t id, id2;

	addr(a, 23);
	galaxy_lease(d);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	id = v->id;

	/* the lease to M2, whose client gave no names: a new device with
	 * none of the Galaxy's */
	ack(&m, mac_m2, 23);
	devices_dhcp(d, &m, NULL, 5000);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ne(v->id, id);
	id2 = v->id;
	ck_assert_mem_eq(v->mac, mac_m2, 6);
	ck_assert_str_eq(v->hostname, "");
	ck_assert_str_eq(v->vendor, "");
	ck_assert_str_eq(v->fqdn, "");
	ck_assert_int_eq(v->first_us, 5000);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 1);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 1);

	/* M2's own REQUEST names it, and its ACK gives that name */
	request(&m, mac_m2, 0, "iPhone", "", "");
	devices_dhcp(d, &m, NULL, 6000);
	ack(&m, mac_m2, 23);
	devices_dhcp(d, &m, NULL, 6010);
	v = devices_get(d, a);
	ck_assert_uint_eq(v->id, id2);
	ck_assert_mem_eq(v->mac, mac_m2, 6);
	ck_assert_str_eq(v->hostname, "iPhone");
	ck_assert_str_eq(v->vendor, "");
	ck_assert_str_eq(v->fqdn, "");
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 1);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 2);
	devices_free(d);
}
END_TEST

/* M2 REQUESTs with its name first, then the ACK takes the Galaxy's
 * address: the new device has M2's name at once, not the Galaxy's. */
START_TEST(test_dhcp_other_mac_named)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	struct dhcp_msg m;
	uint8_t a[16];
	uint32_t id;

	addr(a, 23);
	galaxy_lease(d);
	id = devices_get(d, a)->id;
	request(&m, mac_m2, 0, "iPhone", "", "");
	devices_dhcp(d, &m, NULL, 6000);
	/* the REQUEST alone changes nothing at the address */
	v = devices_get(d, a);
	ck_assert_uint_eq(v->id, id);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ack(&m, mac_m2, 23);
	devices_dhcp(d, &m, NULL, 6010);
	v = devices_get(d, a);
	ck_assert_uint_ne(v->id, id);
	ck_assert_mem_eq(v->mac, mac_m2, 6);
	ck_assert_str_eq(v->hostname, "iPhone");
	ck_assert_str_eq(v->vendor, "");
	ck_assert_int_eq(v->first_us, 6010);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 1);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 2);
	devices_free(d);
}
END_TEST

START_TEST(test_dhcp_renewal)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	struct dhcp_msg m;
	uint8_t a[16];

	addr(a, 40);
	request(&m, mac_m, 40, "Pixel-7", "android-dhcp-14", "pixel.home");
	devices_dhcp(d, &m, NULL, 3000);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ge(v->id, 1);
	ck_assert_mem_eq(v->mac, mac_m, 6);
	ck_assert_str_eq(v->hostname, "Pixel-7");
	ck_assert_str_eq(v->vendor, "android-dhcp-14");
	ck_assert_str_eq(v->fqdn, "pixel.home");
	ck_assert_int_eq(v->first_us, 3000);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 1);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 1);

	/* the device was there before: the renewal names it, same id */
	addr(a, 41);
	ck_assert_ptr_null(devices_get(d, a));
	v = devices_seen(d, a, mac_m2, 3100);
	ck_assert_str_eq(v->hostname, "");
	request(&m, mac_m2, 41, "iPad", "", "");
	devices_dhcp(d, &m, NULL, 3200);
	ck_assert_ptr_eq(devices_get(d, a), v);
	ck_assert_str_eq(v->hostname, "iPad");
	ck_assert_int_eq(v->first_us, 3100);
	ck_assert_int_eq(v->last_us, 3200);
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 2);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 0);
	devices_free(d);
}
END_TEST

START_TEST(test_no_names_keeps_names)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	struct dhcp_msg m;
	uint8_t a[16];
	uint32_t id;
	int i;

	addr(a, 23);
	galaxy_lease(d);
	v = devices_get(d, a);
	id = v->id;

	/* a renewal without names */
	request(&m, mac_m, 23, "", "", "");
	devices_dhcp(d, &m, NULL, 4000);
	v = devices_get(d, a);
	ck_assert_uint_eq(v->id, id);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_str_eq(v->vendor, "android-dhcp-13");

	/* a REQUEST with one name only keeps the others */
	request(&m, mac_m, 23, "", "", "galaxy.home");
	devices_dhcp(d, &m, NULL, 4100);
	v = devices_get(d, a);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_str_eq(v->vendor, "android-dhcp-13");
	ck_assert_str_eq(v->fqdn, "galaxy.home");

	/* the client's names pushed out of the pending ring by other
	 * clients: a renewal and an ACK without names still erase none */
	for (i = 0; i < SW_DEVICE_PENDING + 1; i++) {
		uint8_t other[6] = { 0x02, 0, 0, 0, (uint8_t)(i >> 8),
			(uint8_t)i };

		request(&m, other, 0, "other", "", "");
		devices_dhcp(d, &m, NULL, 4200 + i);
	}
	request(&m, mac_m, 23, "", "", "");
	devices_dhcp(d, &m, NULL, 5000);
	ack(&m, mac_m, 23);
	devices_dhcp(d, &m, NULL, 5010);
	v = devices_get(d, a);
	ck_assert_uint_eq(v->id, id);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_str_eq(v->vendor, "android-dhcp-13");
	ck_assert_str_eq(v->fqdn, "galaxy.home");

	/* nor does plain traffic */
	v = devices_seen(d, a, mac_m, 6000);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_uint_eq(devices_get_stats(d)->dhcp_named, 1);
	ck_assert_uint_eq(devices_get_stats(d)->lease_changes, 0);
	devices_free(d);
}
END_TEST

/* the list order is kept to the second (device.c): sightings here are
 * seconds apart */
#define SEC 1000000LL
START_TEST(test_eviction)
{
	struct devices *d = new_devices(4);
	uint8_t a[16];
	int i;

	for (i = 1; i <= 6; i++) {
		addr(a, i);
		ck_assert_ptr_nonnull(devices_seen(d, a, mac_m, i * 100 * SEC));
	}
	ck_assert_uint_eq(devices_get_stats(d)->replaced, 2);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 4);
	addr(a, 1);
	ck_assert_ptr_null(devices_get(d, a));
	addr(a, 2);
	ck_assert_ptr_null(devices_get(d, a));
	for (i = 3; i <= 6; i++) {
		addr(a, i);
		ck_assert_ptr_nonnull(devices_get(d, a));
	}
	addr(a, 6);
	ck_assert_int_eq(devices_get(d, a)->last_us, 600 * SEC);
	devices_free(d);

	/* the oldest seen again is not the one that goes */
	d = new_devices(4);
	for (i = 1; i <= 4; i++) {
		addr(a, i);
		ck_assert_ptr_nonnull(devices_seen(d, a, mac_m, i * 100 * SEC));
	}
	ck_assert_uint_eq(devices_get_stats(d)->replaced, 0);
	addr(a, 1);
	ck_assert_ptr_nonnull(devices_seen(d, a, NULL, 500 * SEC));
	addr(a, 5);
	ck_assert_ptr_nonnull(devices_seen(d, a, mac_m, 600 * SEC));
	ck_assert_uint_eq(devices_get_stats(d)->replaced, 1);
	ck_assert_uint_eq(devices_get_stats(d)->devices, 4);
	addr(a, 1);
	ck_assert_ptr_nonnull(devices_get(d, a));
	ck_assert_int_eq(devices_get(d, a)->first_us, 100 * SEC);
	addr(a, 2);
	ck_assert_ptr_null(devices_get(d, a));
	for (i = 3; i <= 5; i++) {
		addr(a, i);
		ck_assert_ptr_nonnull(devices_get(d, a));
	}
	/* devices_get() is no sighting: 3 goes next, not 4 */
	addr(a, 3);
	ck_assert_ptr_nonnull(devices_get(d, a));
	addr(a, 6);
	ck_assert_ptr_nonnull(devices_seen(d, a, mac_m, 700 * SEC));
	addr(a, 3);
	ck_assert_ptr_null(devices_get(d, a));
	addr(a, 4);
	ck_assert_ptr_nonnull(devices_get(d, a));
	ck_assert_uint_eq(devices_get_stats(d)->replaced, 2);
	devices_free(d);
}
END_TEST

/* Kept by value: a DHCP-named phone outlives a flood of spoofed
 * addresses, unnamed, however long ago it was seen. */
START_TEST(test_named_kept)
{
	struct devices *d = new_devices(4);
	const struct device_info *v;
	uint8_t a[16];
	int i;

	galaxy_lease(d);
	for (i = 100; i < 200; i++) {
		addr(a, i);
		ck_assert_ptr_nonnull(devices_seen(d, a, mac_m2, i * SEC));
	}
	addr(a, 23);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->hostname, "Galaxy-S21");
	ck_assert_uint_eq(devices_get_stats(d)->named_replaced, 0);
	ck_assert_uint_eq(devices_get_stats(d)->replaced, 97);
	devices_free(d);
}
END_TEST

START_TEST(test_mac_fmt)
{
	static const uint8_t zero[6],
	    ff[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	char out[18];

	memset(out, 'x', sizeof(out));
	device_mac_fmt(mac_m, out);
	ck_assert_str_eq(out, "8c:f5:a3:4e:27:91");
	ck_assert_int_eq(out[17], '\0');
	device_mac_fmt(mac_m2, out);
	ck_assert_str_eq(out, "02:11:22:33:44:55");
	device_mac_fmt(zero, out);
	ck_assert_str_eq(out, "00:00:00:00:00:00");
	device_mac_fmt(ff, out);
	ck_assert_str_eq(out, "ff:ff:ff:ff:ff:ff");
}
END_TEST

START_TEST(test_long_names)
{
	struct devices *d = new_devices(0);
	const struct device_info *v;
	struct dhcp_msg m;
	char longname[DHCP_NAME_MAX], fits[SW_DEVICE_NAME];
	uint8_t a[16];

	memset(longname, 'h', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(fits, 'f', sizeof(fits) - 1);
	fits[sizeof(fits) - 1] = '\0';

	/* through the pending names and the ACK */
	addr(a, 23);
	request(&m, mac_m, 0, longname, fits, longname + 100);
	devices_dhcp(d, &m, NULL, 1000);
	ack(&m, mac_m, 23);
	devices_dhcp(d, &m, NULL, 1010);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(strlen(v->hostname), SW_DEVICE_NAME - 1);
	ck_assert_int_eq(v->hostname[SW_DEVICE_NAME - 1], '\0');
	ck_assert_int_eq(strncmp(v->hostname, longname, SW_DEVICE_NAME - 1), 0);
	/* exactly SW_DEVICE_NAME - 1 bytes: kept whole */
	ck_assert_str_eq(v->vendor, fits);
	ck_assert_uint_eq(strlen(v->fqdn), SW_DEVICE_NAME - 1);
	ck_assert_int_eq(v->fqdn[SW_DEVICE_NAME - 1], '\0');

	/* a renewal with a long name, then a shorter one replaces it */
	addr(a, 40);
	request(&m, mac_m2, 40, longname, "", "");
	devices_dhcp(d, &m, NULL, 2000);
	v = devices_get(d, a);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(strlen(v->hostname), SW_DEVICE_NAME - 1);
	ck_assert_int_eq(v->hostname[SW_DEVICE_NAME - 1], '\0');
	request(&m, mac_m2, 40, "short", "", "");
	devices_dhcp(d, &m, NULL, 2100);
	ck_assert_str_eq(v->hostname, "short");
	devices_free(d);
}
END_TEST

/* An acknowledgement for an address outside the home network binds no
 * device (a spoofed or foreign DHCP message). */
START_TEST(test_dhcp_home_only)
{
	struct devices *d = new_devices(0);
	struct homenet home;
	struct dhcp_msg m;
	uint8_t a[16];
	char err[256];

	homenet_clear(&home);
	ck_assert_int_eq(homenet_add(&home, "10.0.0.0/8", err), 0);
	memset(&m, 0, sizeof(m));
	m.op = 2;
	m.type = DHCP_ACK;
	m.yiaddr[0] = 192;
	m.yiaddr[1] = 168;
	m.yiaddr[2] = 1;
	m.yiaddr[3] = 23;
	memcpy(m.chaddr, mac_m, 6);
	devices_dhcp(d, &m, &home, 1000);
	addr(a, 23);
	ck_assert_ptr_null(devices_get(d, a));
	devices_dhcp(d, &m, NULL, 1000);
	ck_assert_ptr_nonnull(devices_get(d, a));
	devices_free(d);
}
END_TEST

Suite *
device_suite(void)
{
	Suite *s = suite_create("device");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_seen_new_and_again);
	tcase_add_test(tc, test_lease_change);
	tcase_add_test(tc, test_dhcp_request_ack);
	tcase_add_test(tc, test_dhcp_other_mac);
	tcase_add_test(tc, test_dhcp_other_mac_named);
	tcase_add_test(tc, test_dhcp_renewal);
	tcase_add_test(tc, test_no_names_keeps_names);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_named_kept);
	tcase_add_test(tc, test_mac_fmt);
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_dhcp_home_only);
	suite_add_tcase(s, tc);
	return s;
}

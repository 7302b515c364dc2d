/*
 * check_pcapfile.c - replay's pcap reader against libpcap, the reference.
 *
 * Every test writes a savefile and reads it with both: the packets (stamp,
 * lengths, bytes), the end (EOF or fault) and the fault's message must be
 * the same.  The file is cut at every byte (the truncation test), records
 * longer than the snapshot are cut to it, impossible capture lengths and
 * stamps past 2038 are read as libpcap reads them, and what the reader
 * does not read (pcapng, the other byte order, old versions, the link
 * types with other limits) is left to libpcap by the probe.
 */
#include <check.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapfile.h"
#include "testfiles.h"

Suite *pcapfile_suite(void);

/* What a reader made of a file. */
struct seen {
	int n;
	int64_t ts[64];
	uint32_t caplen[64], wirelen[64];
	uint32_t sum[64]; /* of the bytes, position-weighted */
	int fault;	  /* ended with a fault, not at EOF */
	char msg[PCAP_ERRBUF_SIZE];
};

static uint32_t
bytes_sum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0, i;

	for (i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

static void
read_libpcap(const char *path, struct seen *out)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int rc;

	memset(out, 0, sizeof(*out));
	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_MICRO, err);
	ck_assert_msg(p != NULL, "libpcap: %s", err);
	while ((rc = pcap_next_ex(p, &h, &d)) == 1 && out->n < 64) {
		out->ts[out->n] = (int64_t)h->ts.tv_sec * 1000000 +
		    h->ts.tv_usec;
		out->caplen[out->n] = h->caplen;
		out->wirelen[out->n] = h->len;
		out->sum[out->n] = bytes_sum(d, h->caplen);
		out->n++;
	}
	if (rc == PCAP_ERROR) {
		out->fault = 1;
		snprintf(out->msg, sizeof(out->msg), "%s", pcap_geterr(p));
	}
	pcap_close(p);
}

/* Our reader, with the snapshot libpcap found; 0 when it declines. */
static int
read_ours(const char *path, struct seen *out)
{
	char err[PCAP_ERRBUF_SIZE];
	uint8_t hdr[PCAPFILE_HDR_LEN];
	struct pcapfile_pkt pkt;
	enum pcapfile_kind kind;
	struct pcapfile *pf;
	pcap_t *p;
	int fd, rc, snap;

	memset(out, 0, sizeof(*out));
	p = pcap_open_offline(path, err);
	ck_assert_msg(p != NULL, "libpcap: %s", err);
	snap = pcap_snapshot(p);
	pcap_close(p);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, hdr, sizeof(hdr), 0), sizeof(hdr));
	kind = pcapfile_probe(hdr, sizeof(hdr));
	if (kind == PCAPFILE_OTHER) {
		close(fd);
		return 0;
	}
	pf = pcapfile_open(fd, PCAPFILE_HDR_LEN, kind, (uint32_t)snap);
	ck_assert_ptr_nonnull(pf);
	while ((rc = pcapfile_next(pf, &pkt, err, sizeof(err))) == 1 &&
	    out->n < 64) {
		out->ts[out->n] = pkt.ts_us;
		out->caplen[out->n] = pkt.caplen;
		out->wirelen[out->n] = pkt.wirelen;
		out->sum[out->n] = bytes_sum(pkt.data, pkt.caplen);
		out->n++;
	}
	if (rc < 0) {
		out->fault = 1;
		snprintf(out->msg, sizeof(out->msg), "%s", err);
	}
	pcapfile_close(pf);
	close(fd);
	return 1;
}

static void
same(const char *path, const char *what)
{
	struct seen a, b;
	int i;

	read_libpcap(path, &a);
	ck_assert_msg(read_ours(path, &b), "%s: the probe declined", what);
	ck_assert_msg(a.n == b.n, "%s: libpcap %d packets, ours %d", what, a.n,
	    b.n);
	for (i = 0; i < a.n; i++) {
		ck_assert_msg(a.ts[i] == b.ts[i], "%s: packet %d stamp", what,
		    i);
		ck_assert_msg(a.caplen[i] == b.caplen[i] &&
			a.wirelen[i] == b.wirelen[i],
		    "%s: packet %d lengths %u/%u"
		    " vs %u/%u",
		    what, i, a.caplen[i], a.wirelen[i], b.caplen[i],
		    b.wirelen[i]);
		ck_assert_msg(a.sum[i] == b.sum[i], "%s: packet %d bytes", what,
		    i);
	}
	ck_assert_msg(a.fault == b.fault, "%s: libpcap %s, ours %s", what,
	    a.fault ? a.msg : "EOF", b.fault ? b.msg : "EOF");
	ck_assert_msg(strcmp(a.msg, b.msg) == 0, "%s: \"%s\" vs \"%s\"", what,
	    a.msg, b.msg);
}

/* A savefile being built: header, then records. */
struct file {
	uint8_t *b;
	size_t n, cap;
};

static void
put(struct file *f, const void *p, size_t n)
{
	if (f->n + n > f->cap) {
		f->cap = (f->n + n) * 2;
		f->b = realloc(f->b, f->cap);
		ck_assert_ptr_nonnull(f->b);
	}
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
put32(struct file *f, uint32_t v)
{
	put(f, &v, 4);
}

static void
file_header(struct file *f, uint32_t magic, uint16_t major, uint16_t minor,
    uint32_t snaplen, uint32_t linktype)
{
	uint16_t v[2] = { major, minor };

	put32(f, magic);
	put(f, v, 4);
	put32(f, 0);
	put32(f, 0);
	put32(f, snaplen);
	put32(f, linktype);
}

/* A record whose bytes are a pattern of its number. */
static void
record(struct file *f, uint32_t sec, uint32_t frac, uint32_t caplen,
    uint32_t len, uint32_t body)
{
	uint32_t i;
	uint8_t c;

	put32(f, sec);
	put32(f, frac);
	put32(f, caplen);
	put32(f, len);
	for (i = 0; i < body; i++) {
		c = (uint8_t)(i * 7 + caplen);
		put(f, &c, 1);
	}
}

static const char *
write_file(const struct file *f, size_t n)
{
	return testfiles_put("t.pcap", (const char *)f->b, (long)n);
}

START_TEST(test_every_cut)
{
	struct file f = { 0 };
	char what[64];
	size_t cut;

	file_header(&f, 0xa1b2c3d4u, 2, 4, 65535, 1);
	record(&f, 1700000000, 1, 60, 60, 60);
	record(&f, 1700000000, 999999, 0, 0, 0);	/* empty */
	record(&f, 1700000001, 5, 120, 1514, 120);	/* cut by snaplen */
	record(&f, 1700000002, 0, 70000, 70000, 70000); /* > snapshot */
	record(&f, 1700000003, 7, 33, 33, 33);
	/* every cut: after the header, inside a record header, inside the
	 * data, inside the part beyond the snapshot, at a record's end */
	for (cut = PCAPFILE_HDR_LEN; cut <= f.n; cut++) {
		if (cut > 400 && cut < f.n - 400 && cut % 997 != 0)
			continue; /* the long record's middle: samples */
		snprintf(what, sizeof(what), "cut at %zu of %zu", cut, f.n);
		same(write_file(&f, cut), what);
	}
	free(f.b);
}
END_TEST

START_TEST(test_nanoseconds_and_stamps)
{
	struct file f = { 0 };

	file_header(&f, 0xa1b23c4du, 2, 4, 262144, 1);
	record(&f, 1700000000, 999999999, 40, 40, 40);
	record(&f, 0x80000001u, 1500, 40, 40, 40); /* past 2038 */
	record(&f, 0xffffffffu, 0xffffffffu, 40, 40, 40);
	record(&f, 5, 2000000000u, 40, 40, 40); /* frac >= 1 s */
	same(write_file(&f, f.n), "nanosecond file");
	free(f.b);
	memset(&f, 0, sizeof(f));
	file_header(&f, 0xa1b2c3d4u, 2, 4, 0, 101);	  /* snaplen 0 */
	record(&f, 0x80000000u, 0x80000000u, 40, 20, 40); /* len < caplen */
	record(&f, 3, 4, 1000, 1000, 1000);
	same(write_file(&f, f.n), "microsecond file, snaplen 0");
	free(f.b);
}
END_TEST

START_TEST(test_impossible_lengths)
{
	struct file f = { 0 };

	/* above 262144 and above the snapshot */
	file_header(&f, 0xa1b2c3d4u, 2, 4, 1500, 1);
	record(&f, 1, 0, 40, 40, 40);
	record(&f, 1, 0, 262145, 262145, 0);
	same(write_file(&f, f.n), "caplen above the maximum and snaplen");
	free(f.b);
	/* above 262144, not above the snapshot (a header claiming more) */
	memset(&f, 0, sizeof(f));
	file_header(&f, 0xa1b2c3d4u, 2, 4, 0x7fffffffu, 1);
	record(&f, 1, 0, 300000, 300000, 10);
	same(write_file(&f, f.n), "caplen above the maximum");
	free(f.b);
	memset(&f, 0, sizeof(f));
	file_header(&f, 0xa1b2c3d4u, 2, 4, 65535, 1);
	record(&f, 1, 0, 0xffffffffu, 0xffffffffu, 10);
	same(write_file(&f, f.n), "caplen 2^32-1");
	free(f.b);
}
END_TEST

START_TEST(test_random_records)
{
	struct file f = { 0 };
	uint32_t x = 12345, cl, i, k;
	char what[64];

	for (k = 0; k < 40; k++) {
		memset(&f, 0, sizeof(f));
		x = x * 1103515245u + 12345u;
		file_header(&f, k & 1 ? 0xa1b23c4du : 0xa1b2c3d4u, 2, 4,
		    (x >> 8) % 3 == 0 ? 96 : 262144, 1);
		for (i = 0; i < 20; i++) {
			x = x * 1103515245u + 12345u;
			cl = (x >> 4) % 2000;
			record(&f, x, x * 3u, cl, cl + (x & 0xff), cl);
		}
		x = x * 1103515245u + 12345u;
		snprintf(what, sizeof(what), "random file %u", k);
		same(write_file(&f, f.n - (x % 64)), what);
		free(f.b);
	}
}
END_TEST

START_TEST(test_probe_declines)
{
	uint8_t h[PCAPFILE_HDR_LEN];
	uint32_t magic;
	uint16_t v[2];

	memset(h, 0, sizeof(h));
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_OTHER);
	magic = 0xa1b2c3d4u;
	memcpy(h, &magic, 4);
	v[0] = 2;
	v[1] = 4;
	memcpy(h + 4, v, 4);
	h[20] = 1;
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_USEC);
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h) - 1), PCAPFILE_OTHER);
	h[20] = 231; /* DBUS: 128 MiB packets */
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_OTHER);
	h[20] = 1;
	v[1] = 3; /* old version: libpcap may swap the lengths */
	memcpy(h + 4, v, 4);
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_OTHER);
	v[1] = 4;
	memcpy(h + 4, v, 4);
	magic = 0xd4c3b2a1u; /* the other byte order */
	memcpy(h, &magic, 4);
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_OTHER);
	magic = 0x0a0d0d0au; /* pcapng */
	memcpy(h, &magic, 4);
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_OTHER);
	magic = 0xa1b2cd34u; /* Kuznetzov's modified format */
	memcpy(h, &magic, 4);
	ck_assert_int_eq(pcapfile_probe(h, sizeof(h)), PCAPFILE_OTHER);
}
END_TEST

Suite *
pcapfile_suite(void)
{
	Suite *s = suite_create("pcapfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, testfiles_setup, testfiles_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_cut);
	tcase_add_test(tc, test_nanoseconds_and_stamps);
	tcase_add_test(tc, test_impossible_lengths);
	tcase_add_test(tc, test_random_records);
	tcase_add_test(tc, test_probe_declines);
	suite_add_tcase(s, tc);
	return s;
}

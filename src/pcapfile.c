/*
 * pcapfile.c - replay's reader for classic pcap savefiles (pcapfile.h).
 *
 * The buffer holds one gulp (SW_PCAPFILE_GULP) plus the largest record, so
 * a record is always whole in it once read; what is left of a gulp moves
 * to the front before the next pread().  Faults get libpcap's words
 * (sf-pcap.c), so a replay reports the same thing whichever reader read.
 */
#include "pcapfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "rd.h"

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du
/* libpcap's largest packet for every link type but these three */
#define MAX_CAPLEN 262144u
#define LT_DBUS	   231
#define LT_USBPCAP 249
#define LT_EBHSCR  279

struct pcapfile {
	int fd;
	int nsec;
	int eof;
	uint32_t snaplen;
	off_t base; /* file offset of buf[0] */
	size_t pos; /* next record in buf */
	size_t len; /* bytes read into buf */
	size_t cap;
	uint8_t *buf;
};

enum pcapfile_kind
pcapfile_probe(const uint8_t *hdr, size_t len)
{
	struct rd r;
	uint32_t magic, version, lt;

	/* little-endian files on a little-endian machine: the order in
	 * which libpcap swaps nothing */
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__ || len < PCAPFILE_HDR_LEN)
		return PCAPFILE_OTHER;
	rd_init(&r, hdr, len);
	magic = rd_le32(&r);
	version = rd_le32(&r); /* major, then minor, 16 bits each */
	rd_skip(&r, 12);       /* thiszone, sigfigs, snaplen */
	lt = rd_le32(&r) & 0xffffu;
	if ((magic != MAGIC_USEC && magic != MAGIC_NSEC) ||
	    version != (2u | 4u << 16))
		return PCAPFILE_OTHER;
	if (lt == LT_DBUS || lt == LT_USBPCAP || lt == LT_EBHSCR)
		return PCAPFILE_OTHER;
	return magic == MAGIC_NSEC ? PCAPFILE_NSEC : PCAPFILE_USEC;
}

struct pcapfile *
pcapfile_open(int fd, off_t start, enum pcapfile_kind kind, uint32_t snaplen)
{
	struct pcapfile *pf;

	if (kind == PCAPFILE_OTHER || (pf = calloc(1, sizeof(*pf))) == NULL)
		return NULL;
	pf->cap = SW_PCAPFILE_GULP + PCAPFILE_REC_LEN + MAX_CAPLEN;
	if ((pf->buf = malloc(pf->cap)) == NULL) {
		free(pf);
		return NULL;
	}
	pf->fd = fd;
	pf->nsec = kind == PCAPFILE_NSEC;
	pf->snaplen = snaplen > 0 ? snaplen : MAX_CAPLEN;
	pf->base = start;
	return pf;
}

/* Have n bytes from pos in buf, reading as needed: how many there are
 * (fewer only at the end of the file), or -1 on a read error (errno). */
static long
fill(struct pcapfile *pf, size_t n)
{
	ssize_t r;

	if (pf->len - pf->pos >= n)
		return (long)n;
	if (pf->pos > 0) {
		memmove(pf->buf, pf->buf + pf->pos, pf->len - pf->pos);
		pf->base += (off_t)pf->pos;
		pf->len -= pf->pos;
		pf->pos = 0;
	}
	while (pf->len < n && !pf->eof) {
		r = pread(pf->fd, pf->buf + pf->len, pf->cap - pf->len,
		    pf->base + (off_t)pf->len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			pf->eof = 1;
		pf->len += (size_t)r;
	}
	return (long)(pf->len < n ? pf->len : n);
}

static int
read_error(char *errbuf, size_t errlen)
{
	snprintf(errbuf, errlen, "error reading dump file: %s",
	    strerror(errno));
	return -1;
}

int
pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *pkt, char *errbuf,
    size_t errlen)
{
	struct rd h;
	uint32_t caplen, wirelen, want;
	int32_t sec, frac;
	long got;

	if ((got = fill(pf, PCAPFILE_REC_LEN)) < 0)
		return read_error(errbuf, errlen);
	if (got == 0)
		return 0;
	if (got < PCAPFILE_REC_LEN) {
		snprintf(errbuf, errlen,
		    "truncated dump file; tried to read "
		    "%d header bytes, only got %ld",
		    PCAPFILE_REC_LEN, got);
		return -1;
	}
	rd_init(&h, pf->buf + pf->pos, PCAPFILE_REC_LEN);
	/* libpcap's pcap_timeval is two bpf_int32s */
	sec = (int32_t)rd_le32(&h);
	frac = (int32_t)rd_le32(&h);
	caplen = rd_le32(&h);
	wirelen = rd_le32(&h);
	if (caplen > MAX_CAPLEN) {
		if (caplen > pf->snaplen)
			snprintf(errbuf, errlen,
			    "invalid packet capture "
			    "length %u, bigger than snaplen of %u",
			    caplen, pf->snaplen);
		else
			snprintf(errbuf, errlen,
			    "invalid packet capture "
			    "length %u, bigger than maximum of %u",
			    caplen, MAX_CAPLEN);
		return -1;
	}
	if ((got = fill(pf, PCAPFILE_REC_LEN + (size_t)caplen)) < 0)
		return read_error(errbuf, errlen);
	got -= PCAPFILE_REC_LEN;
	if (got < (long)caplen) {
		/* a record longer than the snapshot: libpcap reads the
		 * snapshot, then what it discards */
		want = caplen > pf->snaplen && got < (long)pf->snaplen ?
		    pf->snaplen :
		    caplen;
		snprintf(errbuf, errlen,
		    "truncated dump file; tried to read "
		    "%u captured bytes, only got %ld",
		    want, got);
		return -1;
	}
	if (pf->nsec)
		frac /= 1000;
	/* 32-bit fields: never near int64's range (capture.c bounds it) */
	pkt->ts_us = (int64_t)sec * 1000000 + frac;
	/* the two lengths written together: the reader loads them as one
	 * 8-byte word, which a store of each half cannot forward */
	pkt->caplen = caplen < pf->snaplen ? caplen : pf->snaplen;
	pkt->wirelen = wirelen;
	pkt->data = pf->buf + pf->pos + PCAPFILE_REC_LEN;
	pf->pos += PCAPFILE_REC_LEN + (size_t)caplen;
	return 1;
}

off_t
pcapfile_offset(const struct pcapfile *pf)
{
	return pf->base + (off_t)pf->pos;
}

void
pcapfile_close(struct pcapfile *pf)
{
	if (pf == NULL)
		return;
	free(pf->buf);
	free(pf);
}

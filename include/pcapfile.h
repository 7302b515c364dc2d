/*
 * pcapfile.h - replay's own reader for classic pcap savefiles.
 *
 * libpcap reads a savefile with two fread() calls per packet (header,
 * then data) and copies each packet from stdio's buffer into its own:
 * for a replay that is most of a bare read loop's time.  This reader
 * takes the file in SW_PCAPFILE_GULP-byte pread() gulps and hands out each
 * packet where it lies in its buffer, so the bytes are copied once, by
 * the kernel.
 *
 * It reads only what it can read exactly as libpcap does: the tcpdump
 * format, version 2.4, little-endian on a little-endian machine (libpcap
 * swaps some link types' pseudo-headers in the other order; the bytes
 * are read through rd.h), microsecond or nanosecond
 * stamps, link types whose largest packet is libpcap's default 262144
 * bytes.  pcapfile_probe() says whether a file is one; capture.c leaves
 * every other file (pcapng, a pipe, a BPF filter) to libpcap.  The
 * differential test (check_pcapfile.c) holds the two to the same packets,
 * stamps, lengths and end, byte for byte, at every truncation point.
 * Cost per packet: the record header and, once a gulp, the kernel's copy;
 * a record is at most 262144 bytes.
 */
#ifndef SW_PCAPFILE_H
#define SW_PCAPFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Bytes of the file header and of each record header. */
#define PCAPFILE_HDR_LEN 24
#define PCAPFILE_REC_LEN 16

/* What pcapfile_probe() finds. */
enum pcapfile_kind {
	PCAPFILE_OTHER = 0, /* leave it to libpcap */
	PCAPFILE_USEC,	    /* readable here, microsecond stamps */
	PCAPFILE_NSEC,	    /* readable here, nanosecond stamps */
};

/* A packet as libpcap's pcap_next_ex() would give it, stamp in us. */
struct pcapfile_pkt {
	int64_t ts_us;
	uint32_t caplen;
	uint32_t wirelen;
	const uint8_t *data; /* valid until the next pcapfile_next() */
};

struct pcapfile;

/* Whether the file header (len bytes of the file's start) is one this
 * reader reads, and with which stamps; its link type is dlt's. */
enum pcapfile_kind pcapfile_probe(const uint8_t *hdr, size_t len);

/*
 * Read the records of fd from offset start (PCAPFILE_HDR_LEN after a
 * probe), with libpcap's adjusted snapshot length (pcap_snapshot()): a
 * longer record is cut to it.  pread() only, so fd's offset and any
 * stream over it are left alone.  NULL when out of memory.
 */
struct pcapfile *pcapfile_open(int fd, off_t start, enum pcapfile_kind kind,
    uint32_t snaplen);

/*
 * The next packet: 1, 0 at the end of the file, or -1 with libpcap's
 * message for the same fault in errbuf (a record cut short, an
 * impossible capture length, a read error).
 */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *pkt, char *errbuf,
    size_t errlen);

/* File offset of the first byte not yet handed out. */
off_t pcapfile_offset(const struct pcapfile *pf);

void pcapfile_close(struct pcapfile *pf);

#endif /* SW_PCAPFILE_H */

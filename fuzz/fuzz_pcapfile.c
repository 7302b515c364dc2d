/*
 * fuzz_pcapfile.c - libFuzzer target for replay's pcap reader.
 *
 * Input: a savefile.  It is read twice, by pcapfile.c (through a memfd,
 * as replay reads a file: pread() only) and by libpcap (the reference,
 * through fmemopen()); the target aborts when the two disagree on a
 * packet's stamp, lengths or bytes, or on how the file ends.  A file the
 * probe leaves to libpcap is only probed.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Packets compared per input: enough to pass every record boundary of a
 * corpus file, bounded so one input cannot take long. */
#define FUZZ_MAX_PACKETS 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char perr[PCAP_ERRBUF_SIZE], oerr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	struct pcapfile_pkt pkt;
	enum pcapfile_kind kind;
	struct pcapfile *pf;
	const u_char *d;
	pcap_t *p;
	FILE *fp;
	int fd, rc, orc, n;

	kind = pcapfile_probe(data, size);
	if (kind == PCAPFILE_OTHER || size == 0)
		return 0;
	if ((fp = fmemopen((void *)(uintptr_t)data, size, "rb")) == NULL)
		return 0;
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (p == NULL) {
		fclose(fp);
		return 0; /* a header libpcap refuses: replay never
				 * gets this far */
	}
	fd = memfd_create("fuzz_pcapfile", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		pcap_close(p);
		return 0;
	}
	pf = pcapfile_open(fd, PCAPFILE_HDR_LEN, kind,
	    (uint32_t)pcap_snapshot(p));
	if (pf == NULL)
		abort();
	for (n = 0; n < FUZZ_MAX_PACKETS; n++) {
		rc = pcap_next_ex(p, &h, &d);
		orc = pcapfile_next(pf, &pkt, oerr, sizeof(oerr));
		if (rc == 1) {
			if (orc != 1 || pkt.caplen != h->caplen ||
			    pkt.wirelen != h->len ||
			    pkt.ts_us !=
				(int64_t)h->ts.tv_sec * 1000000 +
				    h->ts.tv_usec ||
			    memcmp(pkt.data, d, h->caplen) != 0)
				abort();
			continue;
		}
		if ((rc == PCAP_ERROR_BREAK) != (orc == 0) ||
		    (rc == PCAP_ERROR &&
			(orc != -1 || strcmp(pcap_geterr(p), oerr) != 0)))
			abort();
		break;
	}
	pcapfile_close(pf);
	close(fd);
	pcap_close(p);
	return 0;
}

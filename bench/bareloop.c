/*
 * bareloop.c - the benchmark's baseline: the cheapest complete read of a
 * capture file through libpcap, counting packets and doing nothing else.
 *
 *	bareloop FILE
 *
 * Prints "packets N seconds S" (CLOCK_MONOTONIC, from open to last
 * packet).  It opens the file as the sensor's replay does (fopen, a
 * SW_FILE_BUFFER stdio buffer, pcap_fopen_offline), so the sensor/bare
 * ratio measures the sensor's own work, not a difference in I/O.
 * Central data structure: none beyond the pcap_t.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long long n = 0, bytes = 0;
	double t0, t1;
	pcap_t *p;
	FILE *fp;
	char *buf;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bareloop FILE\n");
		return 2;
	}
	t0 = now();
	if ((fp = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "bareloop: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if ((buf = malloc(SW_FILE_BUFFER)) == NULL ||
	    setvbuf(fp, buf, _IOFBF, SW_FILE_BUFFER) != 0) {
		fprintf(stderr, "bareloop: cannot set the stdio buffer\n");
		return 1;
	}
	if ((p = pcap_fopen_offline(fp, errbuf)) == NULL) {
		fprintf(stderr, "bareloop: %s: %s\n", argv[1], errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		bytes += h->caplen;
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "bareloop: %s: %s\n", argv[1], pcap_geterr(p));
		return 1;
	}
	pcap_close(p);		/* closes fp too */
	t1 = now();
	free(buf);
	printf("packets %llu bytes %llu seconds %.6f\n", n, bytes, t1 - t0);
	return 0;
}

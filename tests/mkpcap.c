/*
 * mkpcap.c - writes one of the named synthetic captures of pcapgen.c:
 * the bundled demo, the golden-test scenarios and the benchmark capture.
 *
 *	mkpcap SCENARIO OUTFILE [COUNT] [--ip ADDR] [--count N] [--days N]
 *	    [--seed N]
 *	mkpcap -l
 *
 * OUTFILE "-" is standard output.  The same arguments always give the same
 * bytes.  Central data structure: struct pcapgen_opts, filled from argv.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pcapgen.h"

/* Same stdio buffer as the sensor's replay (config.h SW_FILE_BUFFER): the
 * bench capture is gigabytes. */
#define MKPCAP_BUFFER	(1 << 20)

static void
usage(FILE *f)
{
	const struct pcapgen_scenario *s;

	fprintf(f,
	    "usage: mkpcap SCENARIO OUTFILE [COUNT] [--ip ADDR] "
	    "[--count N] [--days N] [--seed N]\n       mkpcap -l\n"
	    "scenarios:\n");
	for (s = pcapgen_scenarios; s->name != NULL; s++)
		fprintf(f, "  %-10s %s\n", s->name, s->help);
}

static int
parse_ulong(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno != 0 || end == s || *end != '\0' || *s == '-' ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = { { "ip", required_argument,
						      NULL, 'a' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "days", required_argument, NULL, 'd' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct pcapgen_opts o;
	unsigned long long v;
	char errbuf[SW_ERRLEN];
	static char iobuf[MKPCAP_BUFFER];
	FILE *fp;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "a:n:s:d:lh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'a':
			o.ip = optarg;
			break;
		case 'n':
		case 's':
		case 'd':
			if (parse_ulong(optarg, &v) != 0) {
				fprintf(stderr, "mkpcap: %s: not a number\n",
				    optarg);
				return 2;
			}
			if (ch == 'n')
				o.count = (unsigned long)v;
			else if (ch == 'd')
				o.days = (unsigned long)v;
			else
				o.seed = v;
			break;
		case 'l':
			usage(stdout);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc > 3) {
		usage(stderr);
		return 2;
	}
	if (argc == 3) {
		if (parse_ulong(argv[2], &v) != 0 || v == 0) {
			fprintf(stderr, "mkpcap: %s: not a packet count\n",
			    argv[2]);
			return 2;
		}
		o.count = (unsigned long)v;
	}
	if (strcmp(argv[1], "-") == 0)
		fp = stdout;
	else if ((fp = fopen(argv[1], "wb")) == NULL) {
		fprintf(stderr, "mkpcap: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));
	rc = pcapgen_scenario_run(argv[0], fp, &o, errbuf, sizeof(errbuf));
	if (rc != 0)
		fprintf(stderr, "mkpcap: %s\n", errbuf);
	if (fp != stdout && fclose(fp) != 0 && rc == 0) {
		fprintf(stderr, "mkpcap: %s: %s\n", argv[1], strerror(errno));
		rc = -1;
	}
	if (rc != 0 && fp != stdout)
		remove(argv[1]);
	return rc != 0 ? 1 : 0;
}

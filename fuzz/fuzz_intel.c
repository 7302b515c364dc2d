/*
 * fuzz_intel.c - libFuzzer target for the indicator file readers.
 *
 * The input is one indicator file.  It goes into an anonymous memory file
 * (memfd: no temporary file on disk) that intel_load_file() reads through
 * /proc/self/fd, once leniently and once strictly, and the two loads must
 * agree.  The lenient set is finalized and matched against a few fixed
 * addresses and one taken from the input; a hit must really cover the
 * address.  Every warning must be a single "file:line: reason" line.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_warns {
	size_t n;
};

static void
fuzz_warn(void *ctx, const char *msg)
{
	struct fuzz_warns *w = ctx;

	if (strchr(msg, '\n') != NULL || strstr(msg, ":") == NULL)
		abort();
	w->n++;
}

static size_t
total(const struct intel *in)
{
	return intel_count(in, INTEL_ADDR) + intel_count(in, INTEL_SUBNET) +
	    intel_count(in, INTEL_DOMAIN) + intel_count(in, INTEL_OTHER);
}

/* A hit must cover the address: its network is the address, masked. */
static void
check_hit(const struct intel *in, const uint8_t a[16])
{
	const struct intel_item *it = intel_match_addr(in, a);
	unsigned i, bits;
	uint8_t m;

	if (it == NULL)
		return;
	if (it->type != INTEL_ADDR && it->type != INTEL_SUBNET)
		abort();
	for (i = 0; i < 16; i++) {
		bits = it->prefix > i * 8 ? it->prefix - i * 8 : 0;
		m = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);
		if ((a[i] & m) != it->addr[i])
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const probes[] = {
		"212.129.6.180", "10.1.2.3", "0.0.0.0", "255.255.255.255",
		"2001:db8::1", "::", "::ffff:1.2.3.4",
	};
	struct fuzz_warns w = { 0 }, ws = { 0 };
	struct intel_load_opts lenient = { 1, fuzz_warn, &w };
	struct intel_load_opts strict = { 0, fuzz_warn, &ws };
	struct intel *in, *st;
	char path[64], err[256];
	uint8_t a[16], pl;
	int fd, sub, rl, rs;
	size_t i, off;
	const char *why;

	if ((fd = memfd_create("fuzz.txt", MFD_CLOEXEC)) < 0)
		return 0;
	for (off = 0; off < size; ) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return 0;
		}
		off += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	in = intel_new();
	st = intel_new();
	if (in == NULL || st == NULL)
		abort();
	rl = intel_load_file(in, path, &lenient, err, sizeof(err));
	rs = intel_load_file(st, path, &strict, err, sizeof(err));
	if (strlen(err) >= sizeof(err))
		abort();
	/* strict and lenient see the same bad lines; strict keeps all or
	 * nothing */
	if (w.n != ws.n || (rs == 0) != (ws.n == 0) || rl != 0)
		abort();
	if (rs == 0 && total(st) != total(in))
		abort();
	if (rs != 0 && total(st) != 0)
		abort();
	if (intel_finalize(in, err, sizeof(err)) != 0)
		abort();
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (intel_parse_cidr(probes[i], a, &pl, &sub, &why) != 0)
			abort();
		check_hit(in, a);
	}
	/* the address parser alone, on the input's first bytes */
	off = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
	memcpy(path, data, off);
	path[off] = '\0';
	if (intel_parse_cidr(path, a, &pl, &sub, &why) == 0 && pl > 128)
		abort();
	if (size >= 16) {
		memcpy(a, data, 16);
		check_hit(in, a);
		memcpy(a, data + size - 16, 16);
		check_hit(in, a);
	}
	intel_free(st);
	intel_free(in);
	close(fd);
	return 0;
}

/*
 * fuzz_intel.c - libFuzzer target for the indicator file readers and
 * the address and name matchers.
 *
 * The first byte picks a head put before the rest of the input, so the
 * fuzzer reaches every format the loader detects from content (none,
 * Echap CSV, hosts, TinyCheck JSON, MISP JSON, Zeek Intel with our meta
 * columns), or says the file is a shared-platforms list.  The file goes
 * into an anonymous memory file (memfd: no temporary file on disk) that
 * the loader reads through /proc/self/fd, once leniently and once
 * strictly, and the two loads must agree.  The lenient set, with a few
 * fixed indicators and platforms, is finalized and matched against fixed
 * addresses and names and ones taken from the input; an address hit must
 * cover the address, a name hit must be the name or a parent of it at a
 * dot boundary with subdomains set.  Every warning must be a single
 * "file:line: reason" line.
 */
#include <sys/mman.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "intel_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
total(const struct intel *in)
{
	return intel_count(in, INTEL_ADDR) + intel_count(in, INTEL_SUBNET) +
	    intel_count(in, INTEL_DOMAIN) + intel_count(in, INTEL_OTHER);
}

static const char *const heads[] = {
	"",
	"type,indicator,app\n",
	"0.0.0.0 head.example\n",
	"{\"iocs\": [",
	"{\"Event\": {\"info\": \"f\", \"Attribute\": [",
	"{\"Object\": [{\"Attribute\": [{\"object_relation\": \"name\", "
	    "\"type\": \"text\", \"value\": \"App\"},",
	"#fields\tindicator\tindicator_type\tmeta.subdomains\tmeta.category"
	    "\tmeta.app\n",
	"",	/* a shared-platforms list */
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const probes[] = {
		"212.129.6.180", "10.1.2.3", "0.0.0.0", "255.255.255.255",
		"2001:db8::1", "::", "::ffff:1.2.3.4",
	};
	struct fuzz_warns w = { 0 }, ws = { 0 };
	struct intel_load_opts lenient = { .lenient = 1, .warn = fuzz_warn,
	    .warn_ctx = &w };
	struct intel_load_opts strict = { .lenient = 0, .warn = fuzz_warn,
	    .warn_ctx = &ws };
	struct intel *in, *st;
	char path[64], err[SW_ERRLEN];
	uint8_t a[16], pl;
	int fd, sub, rl, rs;
	size_t i, off, hl;
	const char *why, *head;
	char name[300], *nm;
	unsigned pick;
	int plat;

	if (size == 0)
		return 0;
	pick = data[0] % (sizeof(heads) / sizeof(heads[0]));
	plat = pick == sizeof(heads) / sizeof(heads[0]) - 1;
	head = heads[pick];
	data++;
	size--;
	if ((fd = memfd_create("fuzz.txt", MFD_CLOEXEC)) < 0)
		return 0;
	hl = strlen(head);
	if (hl > 0 && write(fd, head, hl) != (ssize_t)hl) {
		close(fd);
		return 0;
	}
	for (off = 0; off < size; ) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return 0;
		}
		off += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fuzz_path = path;	/* every message: "path:N: reason" */

	in = intel_new();
	st = intel_new();
	if (in == NULL || st == NULL)
		abort();
	if (plat) {
		rl = intel_load_platforms(in, path, &lenient, err,
		    sizeof(err));
		rs = intel_load_platforms(st, path, &strict, err, sizeof(err));
	} else {
		rl = intel_load_file(in, path, &lenient, err, sizeof(err));
		rs = intel_load_file(st, path, &strict, err, sizeof(err));
	}
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
	if (rs != 0 && intel_count_platforms(st) != 0)
		abort();
	if (rs == 0 && intel_count_platforms(st) != intel_count_platforms(in))
		abort();
	/* fixed indicators and platforms beside the input's */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fuzz_path = path;	/* every message: "path:N: reason" */
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if (!plat) {
		static const char fixed[] = "thd.cc\nmtechn.zendesk.com\n"
		    "# match: exact\nexact.example\n";

		if (write(fd, fixed, sizeof(fixed) - 1) !=
		    (ssize_t)(sizeof(fixed) - 1) || intel_load_file(in, path,
		    NULL, err, sizeof(err)) != 0)
			abort();
	} else {
		static const char fixed[] = "a.thd.cc\nzendesk.com\n";

		if (write(fd, fixed, sizeof(fixed) - 1) !=
		    (ssize_t)(sizeof(fixed) - 1) || intel_load_file(in, path,
		    NULL, err, sizeof(err)) != 0)
			abort();
	}
	if (intel_finalize(in, err, sizeof(err)) != 0)
		abort();
	/* platforms make entries exact: check_name() sees to it */
	check_name(in, "evilthd.cc");
	check_name(in, "x.y.THD.cc.");
	check_name(in, "sub.mtechn.zendesk.com");
	check_name(in, "www.exact.example");
	/* names from the input: the whole of it, and each token */
	off = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data, off);
	name[off] = '\0';
	check_name(in, name);
	for (nm = strtok(name, " \t\r\n,\"|"); nm != NULL;
	    nm = strtok(NULL, " \t\r\n,\"|"))
		check_name(in, nm);
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

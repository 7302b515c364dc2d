/*
 * intel_load.h - loading indicator files into an intel set: reading a
 * file (capped), telling its format from its content, handing it to the
 * reader of that format (intel_reader.h), and the "file:line: reason"
 * messages, lenient mode and roll-back of a file that fails.
 *
 * Formats (see man/stalkerwatch-iocs.5): Echap ioc.yaml / watchware.yaml
 * (YAML), STIX 2.1 bundles, TinyCheck/SpyGuard JSON and MISP event JSON,
 * Suricata rules, Zeek Intel framework files, Echap network.csv, hosts
 * files and plain lists (with `# app:`, `# category:`, `# role:`,
 * `# match:`, `# source:` directives).  A file named shared-platforms* is
 * the list of shared platforms (firebaseio.com, zendesk.com, ...).
 */
#ifndef SW_INTEL_LOAD_H
#define SW_INTEL_LOAD_H

#include "intel.h"

#include <stddef.h>

/* How a load reports bad lines, and what it counts. */
struct intel_load_opts {
	int lenient;		/* skip bad lines instead of failing */
	/* Called once per bad line with "file:line: reason" (may be NULL). */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	/* When not NULL, incremented per item a reader skipped on purpose
	 * (a Suricata rule on no name, ...) and per bad line skipped in
	 * lenient mode, and per file read. */
	size_t *skipped;
	size_t *bad;
	size_t *files;
};

/*
 * Add every indicator of one file.  Returns 0, or -1 with the first
 * problem in errbuf ("file:line: reason", or "file: reason" when the file
 * cannot be read).  A file with bad lines fails as a whole unless
 * opts->lenient; every bad line goes to opts->warn.
 */
int intel_load_file(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/*
 * Load every indicator file of a directory in name order: files ending in
 * .txt, .intel, .dat, .csv, .json, .yaml, .yml, .stix2 or .rules and files
 * named "hosts" (or ending in "-hosts", "_hosts", ".hosts"), except those
 * whose name starts with "known-good" (the allowlist) or "README".  A file
 * whose name starts with "shared-platforms" is read as by
 * intel_load_platforms().  Same return convention.
 */
int intel_load_dir(struct intel *in, const char *dir,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/*
 * Load a list of shared platforms: one domain suffix a line (plain list
 * syntax, `#` comments), see intel_add_platform().  intel_load_file() and
 * intel_load_dir() call this for files named shared-platforms*.  Same
 * return convention.
 */
int intel_load_platforms(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen);

/* Load from memory, as intel_load_file() would the file `path` holding
 * these bytes (for tests and fuzzing; buf is not changed). */
int intel_load_buf(struct intel *in, const char *path, const char *buf,
    size_t len, const struct intel_load_opts *opts, char *errbuf,
    size_t errlen);

#endif /* SW_INTEL_LOAD_H */

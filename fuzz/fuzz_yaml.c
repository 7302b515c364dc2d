/*
 * fuzz_yaml.c - libFuzzer target for the Echap ioc.yaml / watchware.yaml
 * reader (intel_yaml.c) and the matchers over what it reads.
 *
 * The first byte picks a head put before the rest of the input (none, a
 * c2.domains list, a websites flow list, a distribution list, c2.ips, a
 * document marker), so the fuzzer spends its time in values and not in
 * finding "- name:".  The document is loaded from memory as "f.yaml",
 * once leniently and once strictly: the two must report the same lines,
 * strict must keep all or nothing, and every message must be one
 * "f.yaml:N: reason" line.  The lenient set, with a fixed list and a
 * shared platforms list beside it, is finalized and matched: every name
 * and address read must match, an exact-only name must not cover the
 * names under it, and every hit must obey the policy of intel.h (as in
 * fuzz_intel.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PATH	"f.yaml"

static const char *const heads[] = {
	"",
	"- name: A\n  c2:\n    domains:\n    - ",
	"- name: A\n  type: watchware\n  websites: [",
	"- name: A\n  distribution:\n  - ",
	"- name: A\n  c2:\n    ips: ",
	"---\n",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_intel_heads(FUZZ_PATH, heads, sizeof(heads) / sizeof(heads[0]),
	    data, size);
	return 0;
}

/*
 * fuzz_rules.c - libFuzzer target for the Suricata rules reader
 * (intel_rules.c, through the line reader of intel_text.c) and the
 * matchers over what it reads.
 *
 * The first byte picks a head put before the rest of the input (none;
 * a rule header before the options; an `ip` rule before its destination;
 * a dns.query content before its value; a whole rule line, so every line
 * of the input is read as a rule), so the file is a rules file and the
 * fuzzer works on options, contents and address lists.  The document is
 * loaded from memory as "f.rules", once leniently and once strictly: the
 * two must report the same lines, strict must keep all or nothing, and
 * every message must be one "f.rules:N: reason" line.  The lenient set,
 * with a fixed list and a shared platforms list beside it, is finalized
 * and matched as in fuzz_yaml.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PATH	"f.rules"

static const char *const heads[] = {
	"",
	"alert dns $HOME_NET any -> any any (",
	"alert ip $HOME_NET any -> ",
	"alert dns $HOME_NET any -> any any (msg:\"PTS STALKERWARE X "
	    "(x[.]example)\"; metadata: type stalkerware; dns.query; "
	    "content:\"",
	"alert tls any any -> any any (tls.sni; content:\"h.example\";)\n",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_intel_heads(FUZZ_PATH, heads, sizeof(heads) / sizeof(heads[0]),
	    data, size);
	return 0;
}

/*
 * fuzz_stix.c - libFuzzer target for the STIX 2.1 bundle reader
 * (intel_json.c: stix_bundle, stix_pattern) and the matchers over what
 * it reads.
 *
 * The first byte picks how the rest becomes a document: as it is; as the
 * pattern of an indicator tied to a malware object by an `indicates`
 * relationship (the input JSON-escaped into the string, so every byte
 * reaches stix_pattern()); the same inside "[...]"; or after the head of
 * a bundle whose malware and relationship come first.  The document is
 * loaded from memory as "f.json", once leniently and once strictly: the
 * two must report the same lines, strict must keep all or nothing, and
 * every message must be one "f.json:N: reason" line.  The lenient set,
 * with a fixed list and a shared platforms list beside it, is finalized
 * and matched as in fuzz_yaml.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PATH	"f.json"

/* The JSON text of a bundle around a pattern or a tail. */
#define BUNDLE_HEAD "{\"type\": \"bundle\", \"id\": \"bundle--1\", " \
	"\"objects\": [{\"type\": \"malware\", \"id\": \"malware--1\", " \
	"\"name\": \"SpyApp\", \"description\": \"Stalkerware\"}, " \
	"{\"type\": \"relationship\", \"relationship_type\": \"indicates\", " \
	"\"source_ref\": \"indicator--1\", \"target_ref\": \"malware--1\"}, "
#define PATTERN_HEAD BUNDLE_HEAD "{\"type\": \"indicator\", \"id\": " \
	"\"indicator--1\", \"pattern_type\": \"stix\", \"pattern\": \""
#define PATTERN_TAIL "\"}]}\n"

/* Append the input as the body of a JSON string. */
static size_t
escape(char *out, const uint8_t *data, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < size; i++) {
		if (data[i] == '"' || data[i] == '\\') {
			out[o++] = '\\';
			out[o++] = (char)data[i];
		} else if (data[i] < 0x20) {
			o += (size_t)snprintf(out + o, 7, "\\u%04x", data[i]);
		} else
			out[o++] = (char)data[i];
	}
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	size_t len, cap;
	unsigned mode;

	if (size == 0)
		return 0;
	mode = data[0] % 4;
	data++;
	size--;
	/* room for the heads and the input escaped (6 bytes a byte) */
	cap = sizeof(PATTERN_HEAD) + 6 * size + sizeof(PATTERN_TAIL) + 4;
	if ((buf = malloc(cap)) == NULL)
		return 0;
	len = 0;
	switch (mode) {
	case 0:
		memcpy(buf, data, size);
		len = size;
		break;
	case 1:
	case 2:
		memcpy(buf, PATTERN_HEAD, sizeof(PATTERN_HEAD) - 1);
		len = sizeof(PATTERN_HEAD) - 1;
		if (mode == 2)
			buf[len++] = '[';
		len += escape(buf + len, data, size);
		if (mode == 2)
			buf[len++] = ']';
		memcpy(buf + len, PATTERN_TAIL, sizeof(PATTERN_TAIL) - 1);
		len += sizeof(PATTERN_TAIL) - 1;
		break;
	case 3:
		memcpy(buf, BUNDLE_HEAD, sizeof(BUNDLE_HEAD) - 1);
		len = sizeof(BUNDLE_HEAD) - 1;
		memcpy(buf + len, data, size);
		len += size;
		break;
	}
	if (len > cap)
		abort();

	fuzz_intel_check(FUZZ_PATH, buf, len, data, size);
	free(buf);
	return 0;
}

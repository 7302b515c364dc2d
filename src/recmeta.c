/*
 * recmeta.c - the fields every record carries (recmeta.h).
 */
#include "recmeta.h"

#include <string.h>

#include "jbuf.h"

static char sensor[RECMETA_NAME] = "stalkerwatch";
static int with_path;

void
recmeta_set(const char *sensor_name, int path)
{
	size_t n = sensor_name != NULL ? strlen(sensor_name) : 0;

	if (n > 0) {
		if (n >= sizeof(sensor))
			n = sizeof(sensor) - 1;
		memcpy(sensor, sensor_name, n);
		sensor[n] = '\0';
	}
	with_path = path;
}

const char *
recmeta_sensor(void)
{
	return sensor;
}

void
recmeta_path(struct jbuf *j, const char *path)
{
	if (with_path)
		jbuf_str(j, "_path", path);
}

void
recmeta_peer(struct jbuf *j)
{
	jbuf_str(j, "peer_descr", sensor);
}

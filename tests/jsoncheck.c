/*
 * jsoncheck.c - every line of each file is one JSON object (cJSON parses
 * it whole), so a SIEM tailing our logs never meets a broken line.
 * Usage: jsoncheck FILE...  Exit 0 when all lines parse, 1 otherwise.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno;
	int i, bad = 0;
	FILE *fp;
	cJSON *obj;

	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "r")) == NULL) {
			perror(argv[i]);
			return 1;
		}
		lineno = 0;
		while ((n = getline(&line, &cap, fp)) > 0) {
			lineno++;
			if (line[n - 1] != '\n') {
				fprintf(stderr, "%s:%lu: line not terminated\n",
				    argv[i], lineno);
				bad = 1;
				continue;
			}
			line[n - 1] = '\0';
			obj = cJSON_Parse(line);
			if (obj == NULL || !cJSON_IsObject(obj)) {
				fprintf(stderr, "%s:%lu: not a JSON object\n",
				    argv[i], lineno);
				bad = 1;
			}
			cJSON_Delete(obj);
		}
		fclose(fp);
	}
	free(line);
	return bad;
}

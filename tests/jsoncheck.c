/*
 * jsoncheck.c - every line of each file is one JSON object (cJSON parses
 * it whole), so a SIEM tailing our logs never meets a broken line.
 *
 *   jsoncheck FILE...             exit 0 when all lines parse, 1 otherwise
 *   jsoncheck -f F1,F2,... FILE   also print those fields of each line,
 *                                 TAB-separated ("-" when absent), for
 *                                 shell tests to compare with other tools
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
print_fields(const cJSON *obj, const char *fields)
{
	char buf[1024], *save = NULL, *f;
	const cJSON *v;
	int first = 1;

	snprintf(buf, sizeof(buf), "%s", fields);
	for (f = strtok_r(buf, ",", &save); f != NULL;
	    f = strtok_r(NULL, ",", &save)) {
		if (!first)
			putchar('\t');
		first = 0;
		v = cJSON_GetObjectItemCaseSensitive(obj, f);
		if (cJSON_IsString(v))
			fputs(v->valuestring, stdout);
		else if (cJSON_IsNumber(v))
			printf("%.0f", v->valuedouble);
		else if (cJSON_IsBool(v))
			fputs(cJSON_IsTrue(v) ? "T" : "F", stdout);
		else
			putchar('-');
	}
	putchar('\n');
}

int
main(int argc, char **argv)
{
	char *line = NULL;
	const char *fields = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno;
	int i = 1, bad = 0;
	FILE *fp;
	cJSON *obj;

	if (argc > 2 && strcmp(argv[1], "-f") == 0) {
		fields = argv[2];
		i = 3;
	}
	for (; i < argc; i++) {
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
			} else if (fields != NULL)
				print_fields(obj, fields);
			cJSON_Delete(obj);
		}
		fclose(fp);
	}
	free(line);
	return bad;
}

/*
 * jsoncheck.c - every line of each file is one JSON object (cJSON parses
 * it whole), so a SIEM tailing our logs never meets a broken line.
 *
 *   jsoncheck FILE...             exit 0 when all lines parse, 1 otherwise
 *   jsoncheck -f F1,F2,... FILE   also print those fields of each line,
 *                                 TAB-separated ("-" when absent), for
 *                                 shell tests to compare with other tools
 *   jsoncheck -d FILE...          each file is one JSON document (the
 *                                 shipped SIEM content, tests/contrib.sh)
 *   jsoncheck -y FILE...          each file is well-formed YAML (libyaml)
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <yaml.h>
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

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (fp == NULL) {
		perror(path);
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, fp) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
		fprintf(stderr, "%s: cannot read\n", path);
	}
	fclose(fp);
	return buf;
}

/* Whole documents: JSON (-d) or YAML (-y). */
static int
documents(int yaml, int argc, char **argv)
{
	yaml_parser_t p;
	yaml_document_t d;
	size_t len;
	char *buf;
	int i, bad = 0, done;
	cJSON *doc;

	for (i = 2; i < argc; i++) {
		if ((buf = slurp(argv[i], &len)) == NULL)
			return 1;
		if (!yaml) {
			if ((doc = cJSON_ParseWithLength(buf, len)) == NULL) {
				fprintf(stderr, "%s: not a JSON document\n",
				    argv[i]);
				bad = 1;
			}
			cJSON_Delete(doc);
		} else {
			yaml_parser_initialize(&p);
			yaml_parser_set_input_string(&p,
			    (const unsigned char *)buf, len);
			for (done = 0; !done;) {
				if (!yaml_parser_load(&p, &d)) {
					fprintf(stderr, "%s:%zu: %s\n", argv[i],
					    p.problem_mark.line + 1,
					    p.problem != NULL ? p.problem :
								"bad YAML");
					bad = 1;
					break;
				}
				done = yaml_document_get_root_node(&d) == NULL;
				yaml_document_delete(&d);
			}
			yaml_parser_delete(&p);
		}
		free(buf);
	}
	return bad;
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

	if (argc > 1 && (strcmp(argv[1], "-d") == 0 ||
	    strcmp(argv[1], "-y") == 0))
		return documents(argv[1][1] == 'y', argc, argv);
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

#!/bin/sh
# make lint: the C style of .clang-format on the lines a change touches,
# and mandoc -Tlint on the man pages.
#
#   LINT_BASE  the commit the change is measured from (default HEAD: the
#              work not yet committed; a clean clone has none and passes).
#              `make lint LINT_BASE=origin/main` checks a whole branch.
#
# Only changed lines are held to the style (git diff -U0 LINT_BASE, fed to
# clang-format-diff), so the tree need not be reformatted at once.  C files
# git does not know yet are checked whole.  clang-format cannot write the
# tab KNF puts between a macro's name and its value or before a trailing
# comment, so a difference in the width of whitespace inside a line is
# not reported; indentation, line breaks, braces and the presence of a
# space are.  Put a table laid out by hand between /* clang-format off */
# and /* clang-format on */.
#
# A missing tool is skipped, saying so (apt-get install clang-format
# mandoc), as the tests skip tshark; a bad LINT_BASE is an error.
set -eu
cd "$(dirname "$0")/.."

base=${LINT_BASE:-HEAD}
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

CF= CFD=
for v in -14 ""; do
	if [ -z "$CFD" ] && command -v "clang-format-diff$v" >/dev/null 2>&1 &&
	    command -v "clang-format$v" >/dev/null 2>&1; then
		CFD=clang-format-diff$v
		CF=clang-format$v
	fi
done

# Drop the hunks of a clang-format-diff output whose removed and added
# lines differ only in the width of whitespace runs inside a line
# (leading and trailing whitespace count as they are).
only_real() {
	awk '
	function norm(s,   lead, trail) {
		match(s, /^[ \t]*/)
		lead = substr(s, 1, RLENGTH)
		s = substr(s, RLENGTH + 1)
		match(s, /[ \t]*$/)
		trail = substr(s, RSTART)
		s = substr(s, 1, RSTART - 1)
		gsub(/[ \t]+/, " ", s)
		return lead s trail
	}
	function flush_group() {
		if (del != add)
			real = 1
		del = add = ""
	}
	function flush_hunk() {
		flush_group()
		if (real) {
			if (!shown[file]++)
				printf "%s", header
			printf "%s", hunk
			found = 1
		}
		hunk = ""
		real = 0
		inhunk = 0
	}
	# inside a hunk: count the lines its header announced
	inhunk && (left_old > 0 || left_new > 0) {
		hunk = hunk $0 "\n"
		c = substr($0, 1, 1)
		t = norm(substr($0, 2))
		if (c == "-") {
			del = del t "\n"
			left_old--
		} else if (c == "+") {
			add = add t "\n"
			left_new--
		} else {
			flush_group()
			left_old--
			left_new--
		}
		if (left_old <= 0 && left_new <= 0)
			flush_hunk()
		next
	}
	/^--- / {
		file = $2
		header = $0 "\n"
		next
	}
	/^\+\+\+ / {
		header = header $0 "\n"
		next
	}
	/^@@ / {
		split($2, o, ",")
		split($3, n, ",")
		left_old = (2 in o) ? o[2] + 0 : 1
		left_new = (2 in n) ? n[2] + 0 : 1
		hunk = $0 "\n"
		inhunk = 1
		del = add = ""
		real = 0
		next
	}
	END { exit found }
	'
}

echo "== lint: C style of the lines changed since $base"
if [ -z "$CFD" ]; then
	echo "   skipped: clang-format-diff not installed" \
	    "(apt-get install clang-format)"
elif ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "   skipped: not a git checkout"
elif ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
	echo "lint: LINT_BASE=$base is not a commit" >&2
	exit 2
else
	git diff -U0 --no-color --no-ext-diff "$base" -- '*.c' '*.h' \
	    >"$tmp/changes"
	git ls-files --others --exclude-standard -- '*.c' '*.h' |
	while IFS= read -r f; do
		git diff --no-index -U0 --no-color /dev/null "$f" || true
	done >>"$tmp/changes"
	"$CFD" -p1 -binary "$CF" -style file <"$tmp/changes" >"$tmp/fmt"
	if only_real <"$tmp/fmt" >"$tmp/report"; then
		echo "   $(grep -c '^+++ ' "$tmp/changes" || true) file(s)" \
		    "changed, formatted as .clang-format says"
	else
		cat "$tmp/report"
		echo "lint: the lines above are not formatted as .clang-format" \
		    "says (the + lines are)" >&2
		status=1
	fi
fi

echo "== lint: mandoc -Tlint"
if ! command -v mandoc >/dev/null 2>&1; then
	echo "   skipped: mandoc not installed (apt-get install mandoc)"
elif mandoc -Tlint -Wwarning man/*.[58]; then
	echo "   $(ls man/*.[58] | wc -l) man page(s) clean"
else
	status=1
fi
exit $status

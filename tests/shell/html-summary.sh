#!/bin/sh
# prun summary -f html from the command line: exit statuses, usage
# errors, a page that fetches nothing and holds the injected name and
# output as text only, whose output is shown, and --compare with runs
# given as directories or as shards.  Reads the pages with Python's
# html.parser (skips, 77, without python3).
set -eu
. "$top_srcdir/tests/shell/lib_html.sh"

command -v python3 >/dev/null || { echo "skip: needs python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Run prun, expecting exit status $1.
expect() {
	want=$1
	shift
	rc=0
	"$PRUN" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
	[ "$rc" -eq "$want" ] || {
		cat "$tmp/stderr"
		fail "prun $* exited $rc, not $want"
	}
}

html_single "$tmp" || true
html_compare "$tmp" || true

# Usage errors: exit 2, and a message that says what is wrong.
expect 2 summary --compare "$tmp/old" "$tmp/new" "$tmp/new"
grep -q -- 'or -f html, for two runs or more' "$tmp/stderr" ||
    fail "--compare of three runs without -f html"
expect 2 summary -f html --compare "$tmp/old"
grep -q -- 'two runs or more' "$tmp/stderr" || fail "-f html --compare ONE"
expect 2 summary --html-output all "$tmp/run"
grep -q 'are for -f html' "$tmp/stderr" || fail "--html-output with text"
expect 2 summary -f html --html-output some "$tmp/run"
expect 2 summary -f html --html-max-output 12Q "$tmp/run"
expect 2 summary -f html --compare "$tmp/old" "$tmp/new,"
grep -q 'empty directory name' "$tmp/stderr" || fail "empty shard name"
expect 2 summary -f html --compare "$tmp/old" "$tmp/nonexistent"
grep -q 'nonexistent' "$tmp/stderr" || fail "missing run not named"

# One run: some tests fail (exit 1), the page goes to stdout or -o.
expect 1 summary -f html "$tmp/run"
expect 1 summary -f html -o "$tmp/single.html" "$tmp/run"
[ ! -s "$tmp/stdout" ] || fail "-o FILE also wrote to stdout"
expect 1 summary -f html --html-output all --html-max-output 0 \
    -o "$tmp/all.html" "$tmp/run"
expect 1 summary -f html --html-output none -o "$tmp/none.html" "$tmp/run"

# Against a baseline: verdicts on the page, the same exit status as text.
printf 'basic/fail fail\nbasic/warn warn\ndeep/a/c/crash crash\n' \
    > "$tmp/fails.txt"
printf '^inject/\n' > "$tmp/flakes.txt"
expect 0 summary --baseline "$tmp/fails.txt" --flakes "$tmp/flakes.txt" \
    "$tmp/run"
expect 0 summary -f html --baseline "$tmp/fails.txt" \
    --flakes "$tmp/flakes.txt" -o "$tmp/judged.html" "$tmp/run"
expect 1 summary -f html --baseline "$tmp/fails.txt" -o "$tmp/judged1.html" \
    "$tmp/run"

# Comparisons: a regression exits 1, as the text comparison does; the
# same run twice exits 0.
expect 1 summary --compare "$tmp/old" "$tmp/new"
expect 1 summary -f html --compare -o "$tmp/compare.html" \
    "$tmp/old" "$tmp/new"
expect 1 summary -f html --compare -o "$tmp/shards.html" \
    "$tmp/old" "$tmp/new-1,$tmp/new-2"
expect 0 summary -f html --compare -o "$tmp/same.html" "$tmp/old" \
    "$tmp/old"

python3 - "$tmp" <<'PY'
import html.parser, json, re, sys

tmp = sys.argv[1]
failed = []


def check(what, ok):
    print(("ok " if ok else "FAIL ") + what)
    if not ok:
        failed.append(what)


class Page(html.parser.HTMLParser):
    """The elements of a page, the text of each test name, the data."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.tags, self.names, self.attrs = [], [], []
        self.stack, self.data, self.text = [], None, ""
        with open(path, encoding="utf-8") as f:
            self.raw = f.read()
        self.feed(self.raw)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.attrs.append((tag, a))
        self.stack.append((tag, a.get("class", ""), a.get("id", "")))
        if tag in ("span", "pre", "script"):
            self.text = ""

    def handle_endtag(self, tag):
        while self.stack:
            t, cls, ident = self.stack.pop()
            if t == tag:
                break
        if tag == "span" and cls == "n":
            self.names.append(self.text)
        if tag == "script" and ident == "prun-data":
            self.data = json.loads(self.text)

    def handle_data(self, data):
        self.text += data


single = Page(tmp + "/single.html")
check("two scripts, one of them data", single.tags.count("script") == 2
      and single.data is not None)
check("no element from test text", not {"img", "iframe", "object",
                                         "embed", "link"} & set(single.tags))
check("nothing fetched", not any(k in ("src", "srcset") or
                                 (k == "href" and not v.startswith("#"))
                                 for _, a in single.attrs
                                 for k, v in a.items()))
check("no event handler attribute", not any(k.startswith("on")
                                            for _, a in single.attrs
                                            for k in a))
check("injected name as text", "script>" in single.names and
      "<script>alert(1)<" in [a.get("data-g", "").split("/")[-1]
                               for _, a in single.attrs])
check("quoted name as text", "\"'&amp;<b>" in single.names)
check("injected output escaped",
      "&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img" in single.raw)
allp = Page(tmp + "/all.html")
check("controls in output made visible", "<pre>a]]&gt;b\\x01\\x02\\x03c" in
      allp.raw)
check("counts in the data", single.data["runs"][0]["counts"] == {
    "pass": 3, "warn": 1, "dmesg-warn": 0, "skip": 1, "notrun": 0, "fail": 2,
    "dmesg-fail": 0, "timeout": 0, "crash": 1, "incomplete": 0}
      and single.data["tests"] == 8)
check("passing output left out", "<pre>a passing test says this" not in
      single.raw and "<pre>it broke" in single.raw)
check("skipped output left out", "<pre>no device" not in single.raw)
check("--html-output all keeps it", "<pre>a passing test says this" in
      allp.raw and "<pre>no device" in allp.raw)
nonep = Page(tmp + "/none.html")
check("--html-output none", "<pre>" not in nonep.raw and
      "<code>echo &#39;it broke&#39; &gt;&amp;2; exit 1</code>" in nonep.raw)

cmp = Page(tmp + "/compare.html")
check("rows: union in order", cmp.names == [
    "clear", "flip", "added", "fixme", "gone", "pr1", "pr2"])
check("regressions and fixes counted",
      [(r["regressions"], r["fixes"]) for r in cmp.data["runs"]] ==
      [(0, 0), (1, 1)])
check("columns named by their directories",
      [r["label"] for r in cmp.data["runs"]] == [tmp + "/old", tmp + "/new"])
rows = re.findall(r'<(?:details|div) class="t([^"]*)" id="t\d+">'
                  r'(?:<summary>)?<span class="n">(\w+)', cmp.raw)
check("row classes", dict((n, c) for c, n in rows) == {
    "clear": " x-pass", "flip": " x-pass x-fail chg reg",
    "added": " x-fail x-none chg", "fixme": " x-pass x-fail chg fix",
    "gone": " x-pass x-none chg", "pr1": " x-pass", "pr2": " x-skip"})
shards = Page(tmp + "/shards.html")
check("shards make the same rows", shards.names == cmp.names)
check("shards make the same counts",
      [r["counts"] for r in shards.data["runs"]] ==
      [r["counts"] for r in cmp.data["runs"]] and
      shards.data["runs"][1]["dirs"] == [tmp + "/new-1", tmp + "/new-2"])
same = Page(tmp + "/same.html")
check("no change between a run and itself",
      same.data["runs"][1]["regressions"] == 0 and
      not re.search(r'<(details|div) class="t[^"]* chg', same.raw))
judged = Page(tmp + "/judged.html")
check("verdicts beside the tests",
      re.search(r'<span class="n">fail</span><b class="s fail">fail</b>'
                r'<i class="vd expected" title="the baseline says fail">'
                r'expected</i>', judged.raw) is not None and
      '<i class="vd flake">flake</i>' in judged.raw)
check("verdicts counted", "Against the baseline: 0 unexpected, 2 expected, "
      "1 known flake, 0 fixed" in judged.raw)
print("%d failed" % len(failed))
sys.exit(1 if failed else 0)
PY

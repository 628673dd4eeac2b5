#!/bin/sh
# output.sh: output capture: huge output on both streams cannot deadlock a
# test, a capped stream keeps its head and tail and never cuts inside a
# UTF-8 sequence, --max-output 0 keeps everything, and a report in the
# dropped middle still counts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/shell/lib.sh"

# 50 MiB on each stream, written alternately in blocking 1 MiB writes: a
# runner that drained one pipe at a time would deadlock here.
note "50 MiB on stdout and stderr, --max-output 1K"
cat >"$T/big.list" <<'EOF'
out/big printf BEGIN; printf BEGIN >&2; i=0; while [ $i -lt 50 ]; do head -c 1048576 /dev/zero | tr '\0' o; head -c 1048576 /dev/zero | tr '\0' e >&2; i=$((i + 1)); done; printf END; printf END >&2
out/parallel (head -c 52428800 /dev/zero | tr '\0' p) & head -c 52428800 /dev/zero | tr '\0' q >&2; wait
out/report head -c 1048576 /dev/zero | tr '\0' x; echo; echo 'PIGLIT: {"result": "fail"}'; head -c 1048576 /dev/zero | tr '\0' y
EOF
expect_exit 1 "$PRUN" run -j 3 --max-output 1K -o "$T/big" "$T/big.list"
pycheck "$T/big" <<'EOF'
R = sys.argv[1]
def capped(data, dropped):
    return data[:512] + "\n[prun: %d bytes dropped]\n" % dropped + data[-512:]
n = 50 << 20
f = frag(R, "out/big")
expect("big result", "pass", f["result"])
expect("big out", capped("BEGIN" + "o" * n + "END", n + 8 - 1024), f["out"])
expect("big err", capped("BEGIN" + "e" * n + "END", n + 8 - 1024), f["err"])
f = frag(R, "out/parallel")
expect("parallel result", "pass", f["result"])
expect("parallel out", capped("p" * n, n - 1024), f["out"])
expect("parallel err", capped("q" * n, n - 1024), f["err"])
# The report line was in the part that was dropped, and still counts.
f = frag(R, "out/report")
expect("report result", "fail", f["result"])
expect("report returncode", 0, f["returncode"])
expect("report line dropped", False, "PIGLIT" in f["out"])
EOF

# Multi-byte characters straddling both cuts, for several caps: the head
# ends and the tail starts on a character boundary, as close to the cut
# as that allows.
note "UTF-8 sequences across the cuts"
cat >"$T/utf8.list" <<'EOF'
utf8/2 printf 'éééééééééééé'
utf8/3 printf '€€€€€€€€€€€€'
utf8/4 printf '😀😀😀😀😀😀😀😀😀😀'
utf8/mixed printf 'a€b😀cé€😀é€ab😀€c'
utf8/err printf '€€€€€€€€€€€€' >&2
EOF
for max in 5 6 7 8 9 10 11; do
	expect_exit 0 "$PRUN" run --fsync never --max-output "$max" -o "$T/u$max" \
	    "$T/utf8.list"
done
pycheck "$T" <<'EOF'
T = sys.argv[1]
texts = {"utf8/2": "é" * 12, "utf8/3": "€" * 12, "utf8/4": "😀" * 10,
         "utf8/mixed": "a€b😀cé€😀é€ab😀€c", "utf8/err": "€" * 12}
def boundaries(s):
    b, n = [0], 0
    for c in s:
        n += len(c.encode())
        b.append(n)
    return b
for m in range(5, 12):
    for name, s in texts.items():
        data = s.encode()
        bs = boundaries(s)
        h = max(x for x in bs if x <= m // 2)
        t = min(x for x in bs if x >= len(data) - (m - m // 2))
        want = (data[:h] + b"\n[prun: %d bytes dropped]\n" %
                (len(data) - h - (len(data) - t)) + data[t:]).decode()
        key = "err" if name == "utf8/err" else "out"
        got = frag("%s/u%d" % (T, m), name)[key]
        expect("%s cut at %d" % (name, m), want, got)
        expect("%s at %d: no U+FFFD" % (name, m), False, "\ufffd" in got)
EOF

# --max-output 0 keeps everything; the default keeps 1 MiB.
note "--max-output 0 and the default cap"
cat >"$T/all.list" <<'EOF'
all/3m head -c 3145728 /dev/zero | tr '\0' z; echo end
EOF
expect_exit 0 "$PRUN" run --fsync never --max-output 0 -o "$T/all0" "$T/all.list"
expect_exit 0 "$PRUN" run --fsync never -o "$T/alldef" "$T/all.list"
pycheck "$T" <<'EOF'
T = sys.argv[1]
data = "z" * (3 << 20) + "end\n"
expect("max-output 0", data, frag(T + "/all0", "all/3m")["out"])
expect("options max_output 0", 0, md(T + "/all0")["options"]["max_output"])
expect("default cap", data[:1 << 19] + "\n[prun: %d bytes dropped]\n" %
       (len(data) - (1 << 20)) + data[-(1 << 19):],
       frag(T + "/alldef", "all/3m")["out"])
EOF
exit 0

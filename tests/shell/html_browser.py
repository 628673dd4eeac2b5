#!/usr/bin/env python3
"""Drive headless Chromium over the DevTools protocol to check prun's html
report as a person would use it: the counts it shows, the status filter
clicked with the mouse (with and without JavaScript), the name filter
typed in, the comparison filter, and that names and output injected no
markup.  Saves a screenshot.  Only the Python standard library: the
protocol runs over a pipe (--remote-debugging-pipe), not a socket.

usage: html_browser.py check SINGLE.html COMPARE.html SHOT.png EXPECT
       html_browser.py paint REPORT.html [RUNS]
EXPECT is JSON: {"counts": {status: n}, "tests": n, "pass_only": n,
"name": "basic", "name_shown": n, "injected": "name", "compare": {...}};
the comparison's screenshot is SHOT-compare.png.
paint prints when REPORT.html painted, RUNS times (see bench/).
"""
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--mute-audio", "--hide-scrollbars",
]


class Browser:
    """One Chromium, spoken to over fds 3 (to it) and 4 (from it)."""

    def __init__(self, exe):
        self.profile = tempfile.mkdtemp(prefix="prun-chromium-")
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()

        def child():
            # Through high fds, so that neither end clobbers the other.
            os.dup2(to_r, 100)
            os.dup2(from_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)

        self.proc = subprocess.Popen(
            [exe] + CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile,
                                      "--remote-debugging-pipe",
                                      "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, preexec_fn=child, pass_fds=(3, 4),
            close_fds=True)
        os.close(to_r)
        os.close(from_w)
        self.out = os.fdopen(to_w, "wb", buffering=0)
        self.inp = os.fdopen(from_r, "rb", buffering=0)
        self.buf = b""
        self.id = 0
        self.events = []

    def close(self):
        try:
            self.proc.kill()
            self.proc.wait(10)
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def _recv(self):
        while b"\0" not in self.buf:
            data = self.inp.read(1 << 16)
            if not data:
                raise RuntimeError("chromium closed the pipe")
            self.buf += data
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.id += 1
        msg = {"id": self.id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._recv()
            if reply.get("id") == self.id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, session, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method and \
                        ev.get("sessionId") == session:
                    del self.events[i]
                    return ev
            self.events.append(self._recv())
        raise RuntimeError("no %s within %d s" % (method, timeout))

    def tab(self, width=1280, height=900, javascript=True):
        target = self.call("Target.createTarget", url="about:blank")
        s = self.call("Target.attachToTarget", targetId=target["targetId"],
                      flatten=True)["sessionId"]
        self.call("Page.enable", s)
        self.call("Runtime.enable", s)
        self.call("Emulation.setDeviceMetricsOverride", s, width=width,
                  height=height, deviceScaleFactor=1, mobile=False)
        if not javascript:
            self.call("Emulation.setScriptExecutionDisabled", s, value=True)
        return Tab(self, s, target["targetId"])


class Tab:
    def __init__(self, browser, session, target):
        self.b = browser
        self.s = session
        self.target = target

    def close(self):
        self.b.call("Target.closeTarget", targetId=self.target)

    def open(self, path, query=""):
        url = "file://" + os.path.abspath(path) + query
        self.b.events = [e for e in self.b.events
                         if e.get("method") != "Page.loadEventFired"]
        self.b.call("Page.navigate", self.s, url=url)
        self.b.wait_event("Page.loadEventFired", self.s)

    def js(self, expr):
        """Evaluate expr in the page (works with scripts disabled too)."""
        r = self.b.call("Runtime.evaluate", self.s, expression=expr,
                        returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def click(self, selector):
        """A real mouse click in the middle of the element, once it has
        stopped moving (lines that come into view get laid out and may
        shift it) and nothing covers it."""
        where = """(() => { const e = document.querySelector(%s);
            const r = e.getBoundingClientRect();
            if (r.top < 0 || r.bottom > innerHeight)
                e.scrollIntoView({block: "center"});
            const s = e.getBoundingClientRect();
            const x = s.x + s.width / 2, y = s.y + s.height / 2;
            const hit = document.elementFromPoint(x, y);
            return [x, y, hit !== null && e.contains(hit)]; })()""" % (
            json.dumps(selector))
        box, last = None, None
        for _ in range(50):
            box = self.js(where)
            if box == last and box[2]:
                break
            last = box
            time.sleep(0.05)
        else:
            raise AssertionError("cannot click %s: %r" % (selector, box))
        for kind in ("mousePressed", "mouseReleased"):
            self.b.call("Input.dispatchMouseEvent", self.s, type=kind,
                        x=box[0], y=box[1], button="left", clickCount=1)

    def type(self, selector, text):
        self.click(selector)
        self.b.call("Input.insertText", self.s, text=text)

    def visible_tests(self):
        return self.js("""[...document.querySelectorAll("main .t")]
            .filter(e => getComputedStyle(e).display !== "none")
            .map(e => e.querySelector(".n").textContent)""")

    def wait_for(self, expr, want, timeout=10):
        end = time.time() + timeout
        got = None
        while time.time() < end:
            got = self.js(expr)
            if got == want:
                return got
            time.sleep(0.05)
        raise AssertionError("%s: want %r, got %r" % (expr, want, got))

    def screenshot(self, path, max_height=5000):
        m = self.b.call("Page.getLayoutMetrics", self.s)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": m["width"],
                "height": min(m["height"], max_height), "scale": 1}
        shot = self.b.call("Page.captureScreenshot", self.s, format="png",
                           clip=clip, captureBeyondViewport=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))


failures = 0


def check(what, got, want):
    global failures
    ok = got == want
    print("%s %s: %r%s" % ("ok" if ok else "FAIL", what, got,
                           "" if ok else " (want %r)" % (want,)))
    if not ok:
        failures += 1


def check_single(b, path, shot, ex):
    t = b.tab()
    b.call("Page.bringToFront", t.s)
    dialogs = []
    t.open(path)
    dialogs += [e for e in b.events
                if e.get("method") == "Page.javascriptDialogOpening"]
    # What a person reads: the totals table.
    for status, n in ex["counts"].items():
        check("total of " + status, t.js(
            "document.querySelector('#total-%s td.num').textContent"
            % status), str(n))
    check("total", t.js(
        "document.querySelector('#total-all td.num').textContent"),
        str(ex["tests"]))
    check("tests listed", len(t.visible_tests()), ex["tests"])
    check("counter", t.js("document.getElementById('shown').textContent"),
          "%d tests" % ex["tests"])
    # Nothing from a name or an output became markup or ran.
    check("scripts in the page", t.js("document.scripts.length"), 2)
    check("elements made from test text", t.js(
        "document.querySelectorAll('main img, main script, main iframe, "
        "main svg, main object').length"), 0)
    check("injected script ran", t.js("typeof window.pwned"), "undefined")
    check("injected name shown as text", t.js(
        "[...document.querySelectorAll('.n')].some(e => e.textContent === "
        "%s)" % json.dumps(ex["injected"].rsplit("/", 1)[1])), True)
    check("dialogs opened", len(dialogs), 0)
    print("painted (ms):", first_paint(t))
    # The status filter, clicked.
    t.click("label[for=f-pass]")
    check("pass filter unchecked", t.js(
        "document.getElementById('f-pass').checked"), False)
    shown = ex["tests"] - ex["pass_only"]
    check("tests listed without pass", len(t.visible_tests()), shown)
    check("counter without pass", t.js(
        "document.getElementById('shown').textContent"),
        "%d of %d tests shown" % (shown, ex["tests"]))
    check("groups left empty are hidden", t.js(
        "[...document.querySelectorAll('main details.g')].filter(g => "
        "getComputedStyle(g).display !== 'none' && !g.querySelector("
        "'.t:not(.h)')).length"), 0)
    # The name filter, typed.
    t.type("#q", ex["name"])
    t.wait_for("document.getElementById('shown').textContent",
               "%d of %d tests shown" % (ex["name_shown"], ex["tests"]))
    check("tests listed by name", len(t.visible_tests()), ex["name_shown"])
    t.js("document.getElementById('q').value = ''; "
         "document.getElementById('q').dispatchEvent(new Event('input'))")
    t.wait_for("document.getElementById('shown').textContent",
               "%d of %d tests shown" % (shown, ex["tests"]))
    # Open a failing test, so the screenshot shows its details.
    t.js("document.querySelector('main details.t.x-fail').open = true")
    t.js("window.scrollTo(0, 0)")
    t.screenshot(shot)
    print("screenshot:", shot)
    # The same filter from the address.
    t.open(path, "?hide=pass")
    check("tests listed with ?hide=pass", len(t.visible_tests()), shown)

    # Without JavaScript: statuses still filter, the name box is hidden.
    n = b.tab(javascript=False)
    n.open(path)
    check("no-js: tests listed", len(n.visible_tests()), ex["tests"])
    n.click("label[for=f-pass]")
    check("no-js: tests listed without pass", len(n.visible_tests()),
          shown)
    check("no-js: name box hidden", n.js(
        "getComputedStyle(document.getElementById('q')).display"), "none")
    check("no-js: note shown", n.js(
        "getComputedStyle(document.getElementById('nojs')).display !== "
        "'none'"), True)


def check_compare(b, path, shot, ex):
    t = b.tab()
    b.call("Page.bringToFront", t.s)
    t.open(path)
    check("compare: regressions in totals", t.js(
        "[...document.querySelectorAll('#total-reg td.num')].map(e => "
        "e.textContent)"), ex["regression_row"])
    t.click("label[for=c-reg]")
    check("compare: tests listed for regressions", t.visible_tests(),
          ex["regressed"])
    t.click("label[for=c-fix]")
    check("compare: tests listed for fixes", t.visible_tests(), ex["fixed"])
    t.click("label[for=c-all]")
    check("compare: all tests listed again", len(t.visible_tests()),
          ex["rows"])
    t.js("document.querySelector('main details.t.reg').open = true")
    t.js("window.scrollTo(0, 0)")
    t.screenshot(shot)
    print("screenshot:", shot)


def first_paint(t, timeout=60):
    """The paint entries (name: ms), once the browser has reported them
    (they arrive after the frame is presented, sometimes after load)."""
    end = time.time() + timeout
    while time.time() < end:
        got = t.js("Object.fromEntries(performance.getEntriesByType('paint')"
                   ".map(e => [e.name, Math.round(e.startTime)]))")
        if "first-contentful-paint" in got:
            return got
        time.sleep(0.05)
    raise RuntimeError("no first-contentful-paint within %d s" % timeout)


def paint(b, path, runs):
    """Open path in a fresh tab runs times; print when it painted."""
    for _ in range(runs):
        t = b.tab()
        b.call("Page.bringToFront", t.s)
        b.call("Performance.enable", t.s, timeDomain="threadTicks")
        t.open(path)
        p = first_paint(t)
        nav = t.js("(e => [Math.round(e.domContentLoadedEventEnd), "
                   "Math.round(e.loadEventEnd)])(performance."
                   "getEntriesByType('navigation')[0])")
        # CPU time, which a loaded machine does not inflate as it does
        # the wall-clock times above.
        m = dict((x["name"], x["value"]) for x in b.call(
            "Performance.getMetrics", t.s)["metrics"])
        print("first-paint %d ms, first-contentful-paint %d ms, "
              "DOMContentLoaded %d ms, load %d ms; renderer main thread "
              "CPU %.0f ms, %d DOM nodes" % (
                  p.get("first-paint", -1), p["first-contentful-paint"],
                  nav[0], nav[1], m.get("ThreadTime", 0) * 1000,
                  m.get("Nodes", 0)))
        sys.stdout.flush()
        t.close()


def main():
    exe = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.access(exe, os.X_OK):
        print("no chromium at", exe)
        return 77
    signal.alarm(int(os.environ.get("HTML_BROWSER_TIMEOUT", "120")))
    b = Browser(exe)
    try:
        if sys.argv[1] == "check":
            ex = json.loads(sys.argv[5])
            check_single(b, sys.argv[2], sys.argv[4], ex)
            check_compare(b, sys.argv[3], os.path.splitext(sys.argv[4])[0] +
                          "-compare.png", ex["compare"])
        elif sys.argv[1] == "paint":
            paint(b, sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3
                  else 3)
    finally:
        b.close()
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

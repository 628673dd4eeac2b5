/*
 * The filters of prun's html report (embedded by report_html.c).  The
 * page works without this: statuses filter through CSS, groups (and
 * chunks of the tests of a big group, class "g k") are <details>.  This adds the name filter, hides groups left empty, opens
 * the groups of a selection when that is cheap, counts what is shown,
 * and reads an
 * initial filter from the address: ?hide=pass,skip&change=reg&q=text.
 * It reads names from the page's text, never builds markup from them.
 */
"use strict";
(function () {
	var d = document;
	var data = JSON.parse(d.getElementById("prun-data").textContent);
	var statuses = data.statuses.concat(["none"]);
	var q = d.getElementById("q");
	var shown = d.getElementById("shown");
	var tests = null, groups = null, timer = 0;
	/* Opening a group makes the browser lay out all its lines, hidden or
	 * not: open a selection's groups only while they hold few. */
	var OPEN_MAX = 3000;

	/* The group that holds el (details.g > div.gc > el), or -1. */
	function groupOf(el, gi) {
		var p = el.parentElement;

		return p.className === "gc" ? gi.get(p.parentElement) : -1;
	}

	/* Every test and group once, in document order: parents first. */
	function index() {
		var gels = d.querySelectorAll("main details.g");
		var tels = d.querySelectorAll("main .t");
		var bit = {}, gi = new Map(), i, j, el, cls, m, g, p;

		statuses.forEach(function (s, k) { bit["x-" + s] = 1 << k; });
		groups = new Array(gels.length);
		for (i = 0; i < gels.length; i++) {
			el = gels[i];
			gi.set(el, i);
			/* A chunk of the top of the page has no data-g. */
			p = el.getAttribute("data-g");
			groups[i] = { el: el, parent: groupOf(el, gi),
			    prefix: p === null ? "" : p + "/", n: 0,
			    size: 0, hidden: false };
		}
		tests = new Array(tels.length);
		for (i = 0; i < tels.length; i++) {
			el = tels[i];
			cls = el.className.split(" ");
			m = 0;
			for (j = 1; j < cls.length; j++)
				m |= bit[cls[j]] || 0;
			g = groupOf(el, gi);
			if (g >= 0)
				groups[g].size++;
			tests[i] = { el: el, group: g, mask: m,
			    chg: cls.indexOf("chg") > 0,
			    reg: cls.indexOf("reg") > 0,
			    fix: cls.indexOf("fix") > 0, hidden: false,
			    name: null };
		}
	}

	/* A test's whole name in lower case, looked up when first asked. */
	function nameOf(t) {
		if (t.name === null)
			t.name = ((t.group >= 0 ? groups[t.group].prefix : "") +
			    t.el.querySelector(".n").textContent).toLowerCase();
		return t.name;
	}

	/* The filters as the inputs say. */
	function state() {
		var st = { mask: 0, change: "all", q: "", all: true }, s, el;

		for (s = 0; s < statuses.length; s++) {
			el = d.getElementById("f-" + statuses[s]);
			if (!el || el.checked)
				st.mask |= 1 << s;
			else
				st.all = false;
		}
		el = d.querySelector("input[name=change]:checked");
		if (el && el.value !== "all") {
			st.change = el.value;
			st.all = false;
		}
		st.q = q.value.trim().toLowerCase();
		if (st.q !== "")
			st.all = false;
		return st;
	}

	/* Whether test t passes the filters. */
	function keep(t, st) {
		if (!(t.mask & st.mask))
			return false;
		if ((st.change === "chg" && !t.chg) ||
		    (st.change === "reg" && !t.reg) ||
		    (st.change === "fix" && !t.fix))
			return false;
		return st.q === "" || nameOf(t).indexOf(st.q) >= 0;
	}

	/* Show what the filters keep, hide empty groups, count. */
	function apply() {
		var st = state(), vis = 0, cost = 0, i, t, g, ok;

		if (tests === null)
			index();
		for (i = 0; i < groups.length; i++)
			groups[i].n = 0;
		for (i = 0; i < tests.length; i++) {
			t = tests[i];
			ok = keep(t, st);
			if (ok === t.hidden) {
				t.hidden = !ok;
				t.el.classList.toggle("h", !ok);
			}
			if (!ok)
				continue;
			vis++;
			for (g = t.group; g >= 0 && groups[g].n++ === 0;
			    g = groups[g].parent)
				;
		}
		for (i = 0; i < groups.length; i++) {
			g = groups[i];
			if ((g.n === 0) !== g.hidden) {
				g.hidden = g.n === 0;
				g.el.classList.toggle("h", g.hidden);
			}
			if (g.n > 0 && !g.el.open)
				cost += g.size;
		}
		for (i = 0; !st.all && cost <= OPEN_MAX && i < groups.length; i++)
			if (groups[i].n > 0)
				groups[i].el.open = true;
		shown.textContent = vis + " of " + tests.length + " tests shown";
	}

	/* Take an initial filter from the address. */
	function fromAddress() {
		var p = new URLSearchParams(location.search), v, el, any = false;

		v = p.get("hide");
		if (v) {
			v.split(",").forEach(function (s) {
				var cb = d.getElementById("f-" + s);
				if (cb && statuses.indexOf(s) >= 0) {
					cb.checked = false;
					any = true;
				}
			});
		}
		v = p.get("change");
		el = v ? d.getElementById("c-" + v) : null;
		if (el && el.name === "change") {
			el.checked = true;
			any = true;
		}
		v = p.get("q");
		if (v) {
			q.value = v;
			any = true;
		}
		return any;
	}

	q.hidden = false;
	d.getElementById("nojs").hidden = true;
	d.querySelectorAll("input.fi").forEach(function (el) {
		el.addEventListener("change", apply);
	});
	q.addEventListener("input", function () {
		clearTimeout(timer);
		timer = setTimeout(apply, 150);
	});
	if (fromAddress())
		apply();
})();

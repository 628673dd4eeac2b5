/*
 * The filters of prun's html report (embedded by report_html.c).  The
 * page works without this: statuses filter through CSS, groups are
 * <details>.  This adds the name filter, hides groups left empty, opens
 * the groups of a short selection, counts what is shown, and reads an
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
	var OPEN_MAX = 2000;

	/* Every test and group once, in document order: parents first. */
	function index() {
		var gels = d.querySelectorAll("main details.g");
		var tels = d.querySelectorAll("main details.t");
		var gi = new Map(), i, el, p, cl, m, s, n;

		groups = new Array(gels.length);
		for (i = 0; i < gels.length; i++) {
			el = gels[i];
			p = el.parentElement.closest("details.g");
			gi.set(el, i);
			groups[i] = { el: el, parent: p ? gi.get(p) : -1,
			    prefix: el.getAttribute("data-g") + "/", n: 0,
			    hidden: false };
		}
		tests = new Array(tels.length);
		for (i = 0; i < tels.length; i++) {
			el = tels[i];
			p = el.parentElement.closest("details.g");
			cl = el.classList;
			m = 0;
			for (s = 0; s < statuses.length; s++)
				if (cl.contains("x-" + statuses[s]))
					m |= 1 << s;
			n = el.querySelector(".n").textContent;
			p = p ? gi.get(p) : -1;
			tests[i] = { el: el, group: p, mask: m,
			    chg: cl.contains("chg"), reg: cl.contains("reg"),
			    fix: cl.contains("fix"), hidden: false,
			    name: ((p >= 0 ? groups[p].prefix : "") +
			    n).toLowerCase() };
		}
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
		return st.q === "" || t.name.indexOf(st.q) >= 0;
	}

	/* Show what the filters keep, hide empty groups, count. */
	function apply() {
		var st = state(), vis = 0, i, t, g, ok;

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
			if (!st.all && vis <= OPEN_MAX && g.n > 0)
				g.el.open = true;
		}
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

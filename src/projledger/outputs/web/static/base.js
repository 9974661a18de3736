/* projledger dashboard, part 1 of 4: the data, small helpers, header, navigation and footer.
 * The four parts run in one function scope (page.py joins them in order); see main.js for the whole. */
  var DATA = JSON.parse(document.getElementById("pl-data").textContent);
  var META = DATA.meta;
  if (META.live) pollLedger(META.live);
  if (META.error) return;

  var M = META.month_number;
  var YTD = M === 1 ? "1月" : "1-" + M + "月";  // how offices name the year to date
  var DASH = META.dash;
  var LARGE = 300;  // projects; above this the page lets the browser skip laying out off-screen sections
  var MASKED = META.masked;
  var LIGHT_WORD = { red: "红灯", yellow: "黄灯", green: "绿灯" };
  var LIGHT_ORDER = { red: 0, yellow: 1, green: 2 };
  var BY_ID = new Map(DATA.projects.map(function (p) { return [p.id, p]; }));
  var charts = [];
  // A chart's SVG gets a viewBox on every render, so that paper (narrower than the screen) scales it
  // down whole (style.css, @media print) instead of cutting it off.
  function fitted(chart) {
    chart.on("finished", function () {
      var svg = chart.getDom().querySelector("svg");
      if (svg) svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
    });
    return chart;
  }
  var unitChartMade = false;

  // ---- small helpers -------------------------------------------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = String(v);
        else if (k === "on") Object.keys(v).forEach(function (ev) { node.addEventListener(ev, v[ev]); });
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function add(node, kid) {
    if (kid === null || kid === undefined || kid === false) return;
    if (Array.isArray(kid)) { kid.forEach(function (k) { add(node, k); }); return; }
    node.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  function txt(pair) { return pair ? pair[1] : DASH; }
  function val(pair) { return pair ? pair[0] : null; }
  function num(pair) { var v = val(pair); return v === null ? null : v; }
  function or(text) { return text === null || text === undefined || text === "" ? DASH : text; }
  function lightTag(light) { return el("span", { class: "light light-" + light, "data-light": light }, LIGHT_WORD[light]); }
  function projectLink(id, name) { return el("a", { href: "#p/" + encodeURIComponent(id), class: "plink" }, name); }
  function versus(gap, what) {
    var v = val(gap);
    if (v === null) return "无年度计划";
    var abs = txt(gap).replace(/^[+-]/, "");
    if (abs === "0.0") return "与" + what + "持平";
    return (v > 0 ? "超过" : "低于") + what + " " + abs + " 个百分点";
  }
  function section(id, title) {
    var s = el("section", { class: "block", id: id }, el("h2", null, title));
    return s;
  }
  function scrollTable(table) { return el("div", { class: "scroll" }, table); }
  function headRow(labels) {
    return el("thead", null, el("tr", null, labels.map(function (l) {
      return Array.isArray(l) ? el("th", { class: l[1] }, l[0]) : el("th", null, l);
    })));
  }
  function cell(label, content, cls) { return el("td", { "data-label": label, class: cls || null }, content); }

  // ---- header, navigation, footer ----------------------------------------------------------------
  function header() {
    var sub = el("div", { class: "sub" },
      el("span", null, "截至 " + META.as_of + "（" + YTD + "）"),
      el("span", null, "时间进度 ", el("b", { "data-figure": "time_progress" }, txt(DATA.time_progress))),
      MASKED ? el("span", { class: "badge badge-mask", "data-masked": "1" }, "脱敏版：不含金额和领导姓名") : null);
    if (META.live && META.months.length) {
      var select = el("select", { id: "month-switch", "aria-label": "报告月份", on: { change: function () {
        var q = new URLSearchParams({ month: select.value });
        if (MASKED) q.set("mask", "1");
        location.search = q.toString();
      } } }, META.months.map(function (m) {
        return el("option", { value: m, selected: m === META.month }, m.slice(0, 4) + "年" + Number(m.slice(5)) + "月");
      }));
      sub.appendChild(el("label", null, "月份 ", select));
    }
    return el("header", { class: "top" },
      el("h1", null, META.district + META.year + "年重点项目建设进展看板"), sub);
  }

  function nav() {
    var items = [["overview", "总体"], ["units", "单位排名"], ["projects", "项目"], ["lagging", "滞后项目"],
      ["problems", "存在问题"], ["supervision", "督办清单"], ["attention", "未报/停滞"], ["source", "数据来源"]];
    if (DATA.rollup) items.splice(2, 0, ["rollup", "全市排名"]);
    return el("nav", { class: "tabs", "aria-label": "栏目" }, items.map(function (it) {
      return el("a", { href: "#" + it[0] }, it[1]);
    }));
  }

  function footer() {
    var s = el("footer", { class: "block source", id: "source" }, el("h2", null, "数据来源"));
    var src = META.source;
    if (src) {
      s.appendChild(el("p", { "data-commit": src.commit }, "数字来自台账 git 提交 ",
        el("code", { title: src.commit }, src.short), "（" + src.date.slice(0, 10) + "，" + src.subject + "）",
        src.dirty ? "；台账文件在此提交之后有未提交的修改，数字按生成时的文件计算。" : "。"));
    } else {
      s.appendChild(el("p", null, "台账不在 git 仓库中（或尚无提交），数字按生成时的台账文件计算。"));
    }
    s.appendChild(el("p", null, "由 projledger " + META.version + " 生成；图表使用 Apache ECharts（Apache License 2.0）。" +
      "本文件不联网，可离线打开、转发和打印。"));
    if (META.warnings.length) {
      s.appendChild(el("details", null, el("summary", null, "倒排说明（" + META.warnings.length + " 条）"),
        el("ul", null, META.warnings.map(function (w) { return el("li", null, w); }))));
    }
    return s;
  }


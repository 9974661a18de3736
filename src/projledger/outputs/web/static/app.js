/* projledger dashboard: lays out the figures embedded in #pl-data. Computes nothing: every number and its
 * display text come from projledger's figures. Ledger text is hostile: it is only ever placed with
 * textContent (the el() helper) or drawn by ECharts as SVG text; no innerHTML anywhere. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("pl-data").textContent);
  var META = DATA.meta;
  if (META.live) pollLedger(META.live);
  if (META.error) return;

  var M = META.month_number;
  var YTD = M === 1 ? "1月" : "1-" + M + "月";  // how offices name the year to date
  var DASH = META.dash;
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

  // ---- headline ----------------------------------------------------------------------------------
  function kpi(label, figure, value, notes, cls) {
    return el("div", { class: "kpi " + (cls || "") },
      el("div", { class: "label" }, label),
      el("div", { class: "value", "data-figure": figure }, value),
      notes.map(function (n) { return el("div", { class: "note" }, n); }));
  }

  function headline() {
    var t = DATA.totals;
    var s = section("overview", "总体情况");
    var gap = val(t.gap);
    var rateNotes = [versus(t.gap, "时间进度")];
    if (t.plan_rate) rateNotes.push("完成" + YTD + "计划的 " + txt(t.plan_rate));
    if (!MASKED) rateNotes.push(el("span", null, YTD + "完成 ", el("b", { "data-figure": "completed" }, txt(t.completed)),
      " 万元 / 年度计划 ", el("b", { "data-figure": "annual_plan" }, txt(t.annual_plan)), " 万元"));
    var lights = el("div", { class: "kpi" }, el("div", { class: "label" }, "预警（红/黄/绿）"),
      el("div", { class: "lights" },
        el("span", { class: "down", "data-figure": "red" }, String(t.red)), "红",
        el("span", { style: "color:var(--yellow)", "data-figure": "yellow" }, String(t.yellow)), "黄",
        el("span", { class: "up", "data-figure": "green" }, String(t.green)), "绿"),
      el("div", { class: "note" }, "红灯、黄灯项目见“滞后项目”"));
    s.appendChild(el("div", { class: "kpis" },
      kpi("时间进度", "time_progress_kpi", txt(DATA.time_progress), [YTD + "，截至 " + META.as_of]),
      kpi("投资完成率", "completion_rate", txt(t.completion_rate), rateNotes, gap === null ? "" : gap >= 0 ? "good" : "bad"),
      kpi("开工率", "start_rate", txt(t.start_rate), ["计划新开工 " + t.new_starts + " 项，已开工 " + t.started + " 项"]),
      kpi("序时开工率", "due_start_rate", txt(t.due_start_rate), [YTD + "计划开工 " + t.due_to_start + " 项，已开工 " +
        t.due_started + " 项", "提前开工 " + t.early_starts + " 项，未按计划开工 " + t.overdue_starts + " 项"]),
      kpi("竣工", "finished", t.finished + " / " + t.finish_planned, ["计划年内竣工 " + t.finish_planned + " 项，已竣工 " + t.finished + " 项"]),
      lights,
      el("div", { class: "kpi" }, el("div", { class: "label" }, "本月未报 / 形象进度停滞"),
        el("div", { class: "lights" }, el("span", { class: t.unreported ? "down" : "", "data-figure": "unreported" }, String(t.unreported)), "未报",
          el("span", { class: t.stalled ? "down" : "", "data-figure": "stalled" }, String(t.stalled)), "停滞"),
        el("div", { class: "note" }, "名单见“未报/停滞”")),
      kpi("项目", "projects", String(t.projects), ["亿元以上 " + t.big_projects + " 个" +
        (MASKED ? "" : "，总投资 " + txt(t.total) + " 万元")])));
    return s;
  }

  // ---- unit ranking ------------------------------------------------------------------------------
  function rankChange(u) {
    var c = u.rank_change;
    if (c === null || c === undefined) return el("span", { class: "muted", "data-change": "" }, DASH);
    var title = u.previous_rank ? "上月第 " + u.previous_rank + " 名" : null;
    if (c > 0) return el("span", { class: "up", title: title, "data-change": c }, "↑" + c);
    if (c < 0) return el("span", { class: "down", title: title, "data-change": c }, "↓" + (-c));
    return el("span", { class: "muted", title: title, "data-change": 0 }, "持平");
  }

  function unitCells(u, isTotal) {
    var cells = [
      cell("排名", isTotal ? "" : String(u.rank), "num"),
      cell("位次变化", isTotal ? "" : rankChange(u), "num"),
      cell("责任单位", isTotal ? "合计" : u.name, "nowrap"),
      cell("项目", String(u.projects), "num hide-phone")];
    if (!MASKED) cells.push(cell("年度计划(万元)", txt(u.annual_plan), "num hide-phone"), cell(YTD + "完成(万元)", txt(u.completed), "num hide-phone"));
    cells.push(
      cell("完成率", el("b", null, txt(u.completion_rate)), "num"),
      cell("比时间进度", el("span", { class: val(u.gap) < 0 ? "delta-negative" : "delta-positive" }, txt(u.gap)), "num"),
      cell("开工率", txt(u.start_rate) + "（" + u.started + "/" + u.new_starts + "）", "num"),
      cell("红/黄/绿", u.red + "/" + u.yellow + "/" + u.green, "num"));
    return cells;
  }

  function units() {
    var s = section("units", "责任单位排名");
    var heads = [["排名", "num"], ["位次变化", "num"], "责任单位", ["项目", "num hide-phone"]];
    if (!MASKED) heads.push(["年度计划(万元)", "num hide-phone"], [YTD + "完成(万元)", "num hide-phone"]);
    heads.push(["完成率", "num"], ["比时间进度", "num"], ["开工率（已开/计划）", "num"], ["红/黄/绿", "num"]);
    var body = el("tbody", null, DATA.units.map(function (u) {
      return el("tr", { "data-unit": u.name }, unitCells(u, false));
    }));
    body.appendChild(el("tr", { class: "total" }, unitCells(DATA.totals, true)));
    var note = META.previous_month
      ? "排名按投资完成率（相同时比开工率）；位次变化与 " + META.previous_month + " 的排名相比。"
      : "排名按投资完成率（相同时比开工率）；1 月没有上月排名可比。";
    s.appendChild(el("p", { class: "muted" }, note));
    s.appendChild(scrollTable(el("table", { id: "unit-table" }, headRow(heads), body)));
    s.appendChild(el("h3", null, "投资完成率与时间进度"));
    s.appendChild(el("div", { class: "chart", id: "unit-chart", role: "img",
      "aria-label": "各单位投资完成率与时间进度 " + txt(DATA.time_progress) }));
    return s;
  }

  function makeUnitChart() {
    if (unitChartMade || !window.echarts) return;
    var box = document.getElementById("unit-chart");
    if (!box || !box.clientWidth) return;
    unitChartMade = true;
    var tp = val(DATA.time_progress) * 100;
    box.style.height = Math.max(260, DATA.units.length * 34 + 70) + "px";
    var chart = fitted(echarts.init(box, null, { renderer: "svg", locale: "ZH" }));
    var rows = DATA.units;
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 56, top: 34, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText",
        formatter: function (ps) { var u = rows[ps[0].dataIndex]; return u.name + "\n完成率 " + txt(u.completion_rate) + "\n比时间进度 " + txt(u.gap); } },
      xAxis: { type: "value", min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); },
        axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (u) { return u.rank + " " + u.name; }),
        axisLabel: { width: 120, overflow: "truncate" } },
      series: [{
        type: "bar", name: "投资完成率", barMaxWidth: 22,
        data: rows.map(function (u) {
          var v = val(u.completion_rate);
          return { value: v === null ? 0 : Math.round(v * 1000) / 10,
            itemStyle: { color: v !== null && v * 100 >= tp ? "#2e7d32" : "#e07b39" } };
        }),
        label: { show: true, position: "insideRight", color: "#fff", fontWeight: "bold",
          formatter: function (p) { return txt(rows[p.dataIndex].completion_rate); } },
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#6a1b9a", type: "dashed", width: 2 },
          label: { formatter: "时间进度 " + txt(DATA.time_progress), position: "start", color: "#6a1b9a", fontWeight: "bold" },
          data: [{ xAxis: Math.round(tp * 10) / 10 }] }
      }]
    });
    charts.push(chart);
  }

  // ---- project table -----------------------------------------------------------------------------
  var FILTERS = [["unit", "责任单位"], ["category", "类别"], ["level", "级别"], ["kind", "类型"], ["light", "预警"]];
  if (!MASKED) FILTERS.push(["leader", "包抓领导"]);
  var state = { filters: {}, search: "", sortKey: null, sortDir: 1 };

  function columns() {
    var cols = [
      { key: "light", label: "预警", sort: function (p) { return LIGHT_ORDER[p.light]; }, cell: function (p) { return lightTag(p.light); } },
      { key: "name", label: "项目名称", cls: "name", sort: function (p) { return p.name; }, cell: function (p) {
        return [projectLink(p.id, p.name), el("div", { class: "pid" }, p.id)]; } },
      { key: "unit", label: "责任单位", cls: "nowrap", sort: function (p) { return p.unit; } },
      { key: "category", label: "类别", cls: "hide-phone", sort: function (p) { return p.category; } },
      { key: "level", label: "级别", cls: "nowrap hide-phone", sort: function (p) { return p.level; } },
      { key: "kind", label: "类型", cls: "hide-phone", sort: function (p) { return p.kind; } }];
    if (!MASKED) cols.push(
      { key: "leader", label: "包抓领导", cls: "nowrap hide-phone", sort: function (p) { return p.leader || ""; }, cell: function (p) { return or(p.leader); } },
      { key: "annual_plan", label: "年度计划(万元)", cls: "num hide-phone", sort: function (p) { return num(p.annual_plan); }, cell: function (p) { return txt(p.annual_plan); } },
      { key: "completed", label: YTD + "完成(万元)", cls: "num hide-phone", sort: function (p) { return num(p.completed); }, cell: function (p) { return txt(p.completed); } });
    cols.push(
      { key: "completion_rate", label: "完成率", cls: "num", sort: function (p) { return num(p.completion_rate); }, cell: function (p) { return txt(p.completion_rate); } },
      { key: "gap", label: "比时间进度", cls: "num", sort: function (p) { return num(p.gap); }, cell: function (p) {
        return el("span", { class: val(p.gap) < 0 ? "delta-negative" : "" }, txt(p.gap)); } },
      { key: "state", label: "情况", sort: function (p) { return (p.reported ? 0 : 2) + (p.stalled ? 1 : 0); }, cell: stateTags });
    return cols;
  }

  function stateTags(p) {
    var tags = [];
    if (!p.reported) tags.push(el("span", { class: "tag tag-warn" }, "未报"));
    if (p.stalled) tags.push(el("span", { class: "tag tag-warn" }, "停滞"));
    if (p.overdue_start) tags.push(el("span", { class: "tag tag-bad" }, "逾期未开工" + p.days_late + "天"));
    if (p.early_start) tags.push(el("span", { class: "tag" }, "提前开工"));
    if (p.finished) tags.push(el("span", { class: "tag" }, "已竣工"));
    return tags.length ? tags : "";
  }

  function optionsFor(key) {
    if (key === "light") return [["red", "红灯"], ["yellow", "黄灯"], ["green", "绿灯"]];
    var seen = META.options[key] || [];
    var extra = DATA.projects.map(function (p) { return p[key]; }).filter(function (v) { return v && seen.indexOf(v) < 0; });
    return seen.concat(Array.from(new Set(extra))).map(function (v) { return [v, v]; });
  }

  function projectsSection() {
    var s = section("projects", "项目一览");
    var cols = columns();
    var filters = el("div", { class: "filters", role: "search" });
    FILTERS.forEach(function (f) {
      var select = el("select", { id: "filter-" + f[0], "data-filter": f[0], on: { change: function () {
        state.filters[f[0]] = select.value; renderRows();
      } } }, el("option", { value: "" }, "全部"), optionsFor(f[0]).map(function (o) { return el("option", { value: o[0] }, o[1]); }));
      filters.appendChild(el("label", null, f[1], select));
    });
    var search = el("input", { id: "search", type: "search", placeholder: "项目名称或编号", autocomplete: "off",
      on: { input: function () { state.search = search.value.trim().toLowerCase(); renderRows(); } } });
    filters.appendChild(el("label", { class: "search" }, "搜索", search));
    var count = el("span", { class: "count", id: "project-count" });
    var reset = el("button", { class: "link no-print", type: "button", on: { click: function () {
      state.filters = {}; state.search = ""; search.value = "";
      filters.querySelectorAll("select").forEach(function (sel) { sel.value = ""; });
      renderRows();
    } } }, "清除筛选");
    var heads = cols.map(function (c) {
      var th = el("th", { class: "sortable " + (c.cls || ""), "data-sort": c.key, tabindex: 0, scope: "col" }, c.label);
      function sort() {
        state.sortDir = state.sortKey === c.key ? -state.sortDir : 1;
        state.sortKey = c.key;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.sortDir > 0 ? "ascending" : "descending");
        renderRows();
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
      return th;
    });
    var body = el("tbody", { id: "project-rows" });
    s.appendChild(filters);
    s.appendChild(el("div", { class: "count-line" }, count, reset));
    s.appendChild(scrollTable(el("table", { id: "project-table", class: "cards" }, el("thead", null, el("tr", null, heads)), body)));

    function matches(p) {
      for (var k in state.filters) {
        if (state.filters[k] && String(p[k]) !== state.filters[k]) return false;
      }
      if (state.search && (p.name + " " + p.id).toLowerCase().indexOf(state.search) < 0) return false;
      return true;
    }
    function renderRows() {
      var rows = DATA.projects.filter(matches);
      if (state.sortKey) {
        var col = cols.filter(function (c) { return c.key === state.sortKey; })[0];
        rows = rows.map(function (p, i) { return [col.sort(p), i, p]; });
        rows.sort(function (a, b) {
          if (a[0] === null && b[0] === null) return a[1] - b[1];
          if (a[0] === null) return 1;
          if (b[0] === null) return -1;
          var c = typeof a[0] === "string" ? a[0].localeCompare(b[0], "zh-CN") : a[0] - b[0];
          return c !== 0 ? c * state.sortDir : a[1] - b[1];
        });
        rows = rows.map(function (r) { return r[2]; });
      }
      body.textContent = "";
      rows.forEach(function (p) {
        body.appendChild(el("tr", { "data-id": p.id, "data-light": p.light }, cols.map(function (c) {
          return cell(c.label, c.cell ? c.cell(p) : or(p[c.key]), c.cls);
        })));
      });
      if (!rows.length) body.appendChild(el("tr", null, el("td", { colspan: cols.length, class: "empty" }, "没有符合条件的项目。")));
      count.textContent = "显示 " + rows.length + " / " + DATA.projects.length + " 个项目";
    }
    renderRows();
    return s;
  }

  // ---- lists: lagging, problems, 督办, unreported/stalled --------------------------------------------
  function lagging() {
    var s = section("lagging", "滞后项目（红灯在前，按差距从大到小）");
    if (!DATA.lagging.length) { s.appendChild(el("p", { class: "empty" }, "没有红灯、黄灯项目。")); return s; }
    var heads = ["预警", "项目", "责任单位"];
    if (!MASKED) heads.push("包抓领导");
    heads.push(["完成率", "num"], "原因");
    s.appendChild(scrollTable(el("table", { id: "lagging-table", class: "cards" }, headRow(heads), el("tbody", null, DATA.lagging.map(function (id) {
      var p = BY_ID.get(id);
      return el("tr", { "data-id": id }, cell("预警", lightTag(p.light)), cell("项目", projectLink(p.id, p.name), "name"),
        cell("责任单位", p.unit, "nowrap"), MASKED ? null : cell("包抓领导", or(p.leader), "nowrap"),
        cell("完成率", txt(p.completion_rate), "num"), cell("原因", p.reasons.join("；")));
    })))));
    return s;
  }

  function problemRows(items, withProject) {
    var heads = ["状态"];
    if (withProject) heads.push("项目", "责任单位");
    heads.push("类型", "问题", "负责", "时限");
    return scrollTable(el("table", { class: "problems cards" }, headRow(heads), el("tbody", null, items.map(function (q) {
      var late = q.overdue_days;
      return el("tr", { "data-overdue": late === null ? null : late },
        cell("状态", late === null ? el("span", { class: "tag" }, "推进中") : el("span", { class: "tag tag-bad" }, "逾期 " + late + " 天"), "nowrap"),
        withProject ? cell("项目", projectLink(q.id, q.name), "name") : null,
        withProject ? cell("责任单位", q.unit, "nowrap") : null,
        cell("类型", or(q.type), "nowrap"), cell("问题", q.text), cell("负责", or(q.owner)), cell("时限", or(q.due), "nowrap"));
    }))));
  }

  function problemsSection() {
    var s = section("problems", "存在问题（未解决，逾期在前）");
    var late = DATA.problems.filter(function (q) { return q.overdue_days !== null; }).length;
    s.appendChild(el("p", { class: "muted" }, "共 " + DATA.problems.length + " 个未解决问题，其中逾期 " + late + " 个（时限早于 " + META.as_of + "）。"));
    if (DATA.problems.length) s.appendChild(problemRows(DATA.problems, true));
    return s;
  }

  function situation(step) {
    if (step.status === "overdue") return el("span", { class: "tag tag-bad" }, "逾期 " + step.overdue_days + " 天");
    if (step.start_in_days <= 0) return el("span", { class: "tag tag-warn" }, "已过最迟启动日");
    return el("span", { class: "tag tag-warn" }, step.start_in_days + " 天后须启动");
  }

  function supervision() {
    var s = section("supervision", "倒排督办清单（逾期和即将到期的前期手续）");
    if (!DATA.supervision.length) { s.appendChild(el("p", { class: "empty" }, "本月没有逾期或即将到期的手续。")); return s; }
    var heads = MASKED ? [] : ["包抓领导"];
    heads.push("项目", "手续", "最迟启动", "最迟办结", "情况");
    var table = el("table", { id: "supervision-table", class: "grouped cards" }, headRow(heads));
    DATA.supervision.forEach(function (g) {
      var body = el("tbody", { "data-unit": g.unit }, el("tr", { class: "group" }, el("th", { colspan: heads.length, scope: "rowgroup" },
        g.unit + "：逾期 " + g.overdue + " 项，即将到期 " + g.due_soon + " 项")));
      var last = ["", ""];
      g.steps.forEach(function (st) {
        // As on the printed list, a leader and a project are shown once for their run of rows (the repeats are
        // only hidden, so that a phone's one-card-per-row layout still names the project on every card).
        var who = MASKED ? "" : (st.leader || DASH);
        var sameLeader = !MASKED && who === last[0], sameProject = st.id === last[1];
        body.appendChild(el("tr", { "data-id": st.id, "data-status": st.status },
          MASKED ? null : cell("包抓领导", who, "nowrap" + (sameLeader ? " repeat" : "")),
          cell("项目", projectLink(st.id, st.name), "name" + (sameProject ? " repeat" : "")),
          cell("手续", st.step, "nowrap"), cell("最迟启动", st.latest_start, "nowrap"), cell("最迟办结", st.latest_finish, "nowrap"),
          cell("情况", situation(st))));
        last = [who, st.id];
      });
      table.appendChild(body);
    });
    s.appendChild(scrollTable(table));
    return s;
  }

  function nameList(id, title, ids, note) {
    var box = el("div", { id: id }, el("h3", null, title + "（" + ids.length + " 个）"));
    if (note) box.appendChild(el("p", { class: "muted" }, note));
    if (!ids.length) { box.appendChild(el("p", { class: "empty" }, "无。")); return box; }
    box.appendChild(el("ul", { class: "names" }, ids.map(function (pid) {
      var p = BY_ID.get(pid);
      return el("li", { "data-id": pid }, projectLink(p.id, p.name), "（" + p.unit + "）");
    })));
    return box;
  }

  function attention() {
    var s = section("attention", "未报与停滞");
    s.appendChild(el("div", { class: "split" },
      nameList("unreported-list", "本月未报", DATA.unreported, "数字沿用本年度此前最近一次填报。"),
      nameList("stalled-list", "形象进度停滞", DATA.stalled, "本月累计完成投资和形象进度都与上一次填报相同。")));
    return s;
  }

  // ---- one project's page ------------------------------------------------------------------------
  function facts(p) {
    var d = p.detail;
    var rows = [["编号", p.id], ["类别 / 级别 / 类型", p.category + " / " + p.level + " / " + p.kind], ["责任单位", p.unit]];
    if (!MASKED) rows.push(["包抓领导", or(p.leader)]);
    rows.push(["建设单位", or(d.owner)], ["建设内容", or(d.content)]);
    if (!MASKED) rows.push(["总投资", txt(p.total) + " 万元"], ["年度计划投资", txt(p.annual_plan) + " 万元"],
      [YTD + "完成", txt(p.completed) + " 万元"], ["开工以来累计", txt(p.cumulative) + " 万元"]);
    rows.push(["投资完成率", txt(p.completion_rate) + "（" + versus(p.gap, "时间进度") + "）"],
      ["计划开工 / 竣工", or(d.planned_start) + " / " + or(d.planned_finish)],
      ["实际开工 / 竣工", or(d.actual_start) + " / " + or(d.actual_finish)],
      ["本月填报", p.reported ? (p.stalled ? "已报（投资和形象进度与上次相同：停滞）" : "已报") : "未报（数字沿用上次填报）"],
      ["形象进度", or(p.image)]);
    return el("dl", { class: "facts", id: "project-facts" }, rows.map(function (r) {
      return [el("dt", null, r[0]), el("dd", null, r[1])];
    }));
  }

  function trendTable(p) {
    var heads = ["月份"];
    if (!MASKED) heads.push(["累计完成(万元)", "num"], ["序时计划(万元)", "num"]);
    heads.push(["完成率", "num"], ["序时进度", "num"], "形象进度");
    return scrollTable(el("table", { id: "trend-table", class: "cards" }, headRow(heads), el("tbody", null, p.detail.trend.map(function (t) {
      return el("tr", { "data-month": t.month }, cell("月份", t.label, "nowrap"),
        MASKED ? null : cell("累计完成(万元)", t.reported ? txt(t.completed) : "未报", "num"),
        MASKED ? null : cell("序时计划(万元)", txt(t.target), "num"),
        cell("完成率", t.reported ? txt(t.rate) : DASH, "num"), cell("序时进度", txt(t.expected), "num"),
        cell("形象进度", or(t.image)));
    }))));
  }

  function trendChart(box, p) {
    if (!window.echarts) return;
    var tr = p.detail.trend;
    var chart = fitted(echarts.init(box, null, { renderer: "svg", locale: "ZH" }));
    var unit = MASKED ? "%" : "万元";
    var bars = tr.map(function (t) {
      if (!t.reported) return null;
      return MASKED ? Math.round(val(t.rate) * 1000) / 10 : val(t.completed);
    });
    var line = tr.map(function (t) { return MASKED ? Math.round(val(t.expected) * 1000) / 10 : val(t.target); });
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText", formatter: function (ps) {
        var t = tr[ps[0].dataIndex];
        var lines = [t.label];
        if (MASKED) lines.push("完成率 " + (t.reported ? txt(t.rate) : "未报"), "序时进度 " + txt(t.expected));
        else lines.push("累计完成 " + (t.reported ? txt(t.completed) + " 万元" : "未报"), "序时计划 " + txt(t.target) + " 万元");
        return lines.join("\n");
      } },
      xAxis: { type: "category", data: tr.map(function (t) { return t.label; }) },
      yAxis: { type: "value", name: unit, axisLabel: { formatter: MASKED ? "{value}%" : "{value}" } },
      series: [
        { type: "bar", name: MASKED ? "累计完成率" : "累计完成", data: bars, barMaxWidth: 28, itemStyle: { color: "#0b4f8a" } },
        { type: "line", name: MASKED ? "序时进度" : "序时计划", data: line, symbol: "circle", symbolSize: 6,
          lineStyle: { color: "#6a1b9a", type: "dashed", width: 2 }, itemStyle: { color: "#6a1b9a" } }]
    });
    charts.push(chart);
  }

  function day(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000; }

  function gantt(p) {
    var sc = p.detail.schedule;
    var box = el("div", { id: "gantt" });
    if (!sc) {
      box.appendChild(el("p", { class: "empty" }, p.finished ? "项目已竣工，无需倒排。" : "本项目没有倒排工期（模板中无对应手续链或缺计划日期）。"));
      return box;
    }
    var dates = [META.as_of, sc.anchor_date];
    sc.steps.forEach(function (s) { dates.push(s.latest_start, s.latest_finish); if (s.done) dates.push(s.done); });
    var lo = Math.min.apply(null, dates.map(day)) - 3, hi = Math.max.apply(null, dates.map(day)) + 3;
    function x(iso) { return ((day(iso) - lo) / (hi - lo) * 100).toFixed(2) + "%"; }
    // Month ticks (every month, or every quarter over a long range) so the bars can be read as dates.
    var ticks = [], first = new Date((lo) * 86400000), last = new Date(hi * 86400000);
    var step = (hi - lo) > 550 ? 3 : 1;
    for (var t = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)); t <= last; t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + step, 1))) {
      var iso = t.toISOString().slice(0, 10);
      ticks.push([iso, t.getUTCMonth() === 0 ? t.getUTCFullYear() + "年" : (t.getUTCMonth() + 1) + "月"]);
    }
    function tickLines() { return ticks.map(function (k) { return el("div", { class: "g-tick", style: "left:" + x(k[0]) }); }); }
    var overdue = sc.steps.filter(function (s) { return s.status === "overdue"; }).length;
    box.appendChild(el("p", null, "按计划" + sc.anchor_word + "日 " + sc.anchor_date + " 倒排" +
      (sc.behind_workdays ? "；按剩余手续最快 " + or(sc.earliest) + " 才能" + sc.anchor_word + "，落后 " + sc.behind_workdays + " 个工作日" : "") +
      (overdue ? "；逾期手续 " + overdue + " 项" : "") + "。"));
    box.appendChild(el("div", { class: "legend" },
      el("span", null, el("i", { style: "background:#90a4c0" }), "未到期"), el("span", null, el("i", { style: "background:#f0a020" }), "即将到期"),
      el("span", null, el("i", { style: "background:var(--red)" }), "逾期"), el("span", null, el("i", { style: "background:#7fbf8e" }), "已办结"),
      el("span", null, el("i", { style: "background:#e0b04c" }), "超期办结"), el("span", null, "◆ 办结日"),
      el("span", null, el("i", { style: "background:var(--tp);width:3px" }), "报告月末 " + META.as_of),
      el("span", null, "┆ 计划" + sc.anchor_word + " " + sc.anchor_date)));
    var chart = el("div", { class: "gantt", role: "table", "aria-label": "倒排工期" });
    chart.appendChild(el("div", { class: "g-row g-head", role: "row" }, el("div", { class: "g-name" }, "手续（工作日）"),
      el("div", { class: "g-axis" }, ticks.map(function (k) { return el("span", { style: "left:" + x(k[0]) }, k[1]); })),
      el("div", { class: "g-when" }, "最迟启动 → 最迟办结")));
    sc.steps.forEach(function (s) {
      var track = el("div", { class: "g-track" }, tickLines(),
        el("div", { class: "g-anchor", style: "left:" + x(sc.anchor_date) }),
        el("div", { class: "g-bar s-" + s.status, style: "left:" + x(s.latest_start) + ";width:calc(" + x(s.latest_finish) + " - " + x(s.latest_start) + " + 3px)",
          title: s.name + "：" + s.latest_start + " → " + s.latest_finish }),
        el("div", { class: "g-now", style: "left:" + x(META.as_of) }),
        s.done ? el("div", { class: "g-done", style: "left:" + x(s.done), title: "办结 " + s.done }) : null);
      var when = s.latest_start + " → " + s.latest_finish + (s.done ? "，" + s.done + " 办结" : "");
      chart.appendChild(el("div", { class: "g-row" + (s.status === "overdue" ? " overdue" : ""), role: "row", "data-step": s.name, "data-status": s.status },
        el("div", { class: "g-name" }, s.name + "（" + s.days + "）",
          el("span", { class: "tag" + (s.status === "overdue" ? " tag-bad" : s.status === "due_soon" ? " tag-warn" : "") },
            s.status === "overdue" ? "逾期 " + s.overdue_days + " 天" : s.status_text)),
        track, el("div", { class: "g-when" }, when)));
    });
    box.appendChild(el("div", { class: "scroll" }, chart));
    return box;
  }

  function projectPage(id) {
    var p = BY_ID.get(id);
    var view = el("main", { id: "project-view" });
    if (!p) {
      view.appendChild(el("section", { class: "block" }, el("p", null, "没有编号为“" + id + "”的项目。"), el("a", { href: "#projects" }, "← 返回项目一览")));
      return view;
    }
    var head = el("section", { class: "block", id: "project-head" },
      el("a", { class: "back", href: "#projects" }, "← 返回项目一览"),
      el("h2", null, lightTag(p.light), " ", p.name),
      facts(p),
      el("p", { class: "reason" }, el("b", null, LIGHT_WORD[p.light] + "："), p.reasons.length ? p.reasons.join("；") : "进度正常"));
    var chartBox = el("div", { class: "chart chart-small", id: "trend-chart", role: "img", "aria-label": "月度累计完成与序时计划" });
    var trend = el("section", { class: "block", id: "project-trend" }, el("h2", null, MASKED ? "月度趋势（累计完成率与序时进度）" : "月度趋势（累计完成与序时计划）"),
      chartBox, trendTable(p));
    var sched = el("section", { class: "block", id: "project-schedule" }, el("h2", null, "倒排工期"), gantt(p));
    var probs = el("section", { class: "block", id: "project-problems" }, el("h2", null, "存在问题（未解决）"),
      p.detail.problems.length ? problemRows(p.detail.problems, false) : el("p", { class: "empty" }, "没有未解决的问题。"));
    view.appendChild(head); view.appendChild(trend); view.appendChild(sched); view.appendChild(probs);
    view._chart = function () { trendChart(chartBox, p); };
    return view;
  }

  // ---- routing, resizing, printing, live reload --------------------------------------------------
  var app = document.getElementById("app");
  var overview = el("main", { id: "overview-view" }, headline(), units(), projectsSection(), lagging(), problemsSection(),
    supervision(), attention(), footer());
  app.appendChild(header());
  app.appendChild(nav());
  app.appendChild(overview);
  var current = null;

  function dropProjectCharts() {
    charts = charts.filter(function (c) {
      var keep = document.getElementById("overview-view").contains(c.getDom());
      if (!keep) c.dispose();
      return keep;
    });
  }

  function route() {
    var h = location.hash;
    if (current) { dropProjectCharts(); current.remove(); current = null; }
    if (h.indexOf("#p/") === 0) {
      var id = decodeURIComponent(h.slice(3));
      overview.classList.add("hidden");
      current = projectPage(id);
      app.appendChild(current);
      if (current._chart) current._chart();
      document.title = (BY_ID.get(id) ? BY_ID.get(id).name + " - " : "") + META.district + "重点项目看板";
      window.scrollTo(0, 0);
    } else {
      overview.classList.remove("hidden");
      document.title = META.district + META.year + "年重点项目建设进展看板（" + YTD + "）";
      makeUnitChart();
      charts.forEach(function (c) { c.resize(); });
      var target = h.length > 1 ? document.getElementById(h.slice(1)) : null;
      if (target) target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  route();
  document.documentElement.setAttribute("data-ready", "1");

  function pollLedger(version) {
    setInterval(function () {
      fetch("/api/version", { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && j.version !== version) location.reload(); })
        .catch(function () { /* the server was stopped: keep showing the last figures */ });
    }, 3000);
  }
})();

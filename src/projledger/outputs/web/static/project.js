/* Part 3 of 4: one project's page: facts, monthly trend, the 倒排 Gantt, open problems. */
  // ---- one project's page ------------------------------------------------------------------------
  function facts(p) {
    var d = p.detail;
    var rows = [["编号", p.id], ["类别 / 级别 / 类型", p.category + " / " + p.level + " / " + p.kind], ["责任单位", p.unit]];
    if (!MASKED) rows.push(["包抓领导", or(p.leader)]);
    rows.push(["建设单位", or(d.owner)], ["建设内容", or(d.content)]);
    if (!MASKED) rows.push(["总投资", txt(p.total) + " 万元"], ["年度计划投资", txt(p.annual_plan) + " 万元"],
      [YTD + "完成", txt(p.completed) + " 万元"], ["开工以来累计", txt(p.cumulative) + " 万元"]);
    rows.push(["投资完成率", txt(p.completion_rate) + "（" + versus(p.gap, "序时进度") + "）"],
      ["序时进度", txt(p.expected_rate) + (MASKED ? "" : "（" + YTD + "计划投资 " + txt(p.plan_to_date) + " 万元）") +
        "，完成序时计划的 " + txt(p.achieved)],
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


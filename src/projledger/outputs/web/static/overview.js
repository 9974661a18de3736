/* Part 2 of 4: the overview: headline figures, unit ranking, project table, lists. */
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
    if (val(t.plan_rate) !== null) rateNotes.push(el("span", null, "完成" + YTD + "计划的 ", el("b", { "data-figure": "plan_rate" }, txt(t.plan_rate))));
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
      cell("完成" + YTD + "计划", txt(u.plan_rate), "num"),
      cell("开工率", txt(u.start_rate) + "（" + u.started + "/" + u.new_starts + "）", "num"),
      cell("红/黄/绿", u.red + "/" + u.yellow + "/" + u.green, "num"));
    return cells;
  }

  function units() {
    var s = section("units", "责任单位排名");
    var heads = [["排名", "num"], ["位次变化", "num"], "责任单位", ["项目", "num hide-phone"]];
    if (!MASKED) heads.push(["年度计划(万元)", "num hide-phone"], [YTD + "完成(万元)", "num hide-phone"]);
    heads.push(["完成率", "num"], ["比时间进度", "num"], ["完成" + YTD + "计划", "num"], ["开工率（已开/计划）", "num"], ["红/黄/绿", "num"]);
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

  // ---- 全市排名 (report --rollup) ----------------------------------------------------------------------
  function rollupSection() {
    var r = DATA.rollup;
    if (!r) return null;
    var s = section("rollup", (r.name ? r.name : "") + "全市排名（" + r.month + "）");
    if (r.sentence) s.appendChild(el("p", { "data-rollup-sentence": "1" }, META.district + r.sentence + "。"));
    var heads = [["排名", "num"], ["位次变化", "num"], "县区", "分组", ["组内排名", "num"], ["完成率", "num"],
      ["比时间进度", "num"], ["完成" + YTD + "计划", "num"], ["开工率", "num"], ["新开工", "num"], ["亿元以上新开工", "num"],
      ["红/黄", "num"]];
    var body = el("tbody", null, r.members.map(function (m) {
      return el("tr", { "data-member": m.name, class: m.own ? "own" : null },
        cell("排名", String(m.rank), "num"), cell("位次变化", rankChange(m), "num"),
        cell("县区", m.own ? el("b", null, m.name) : m.name, "nowrap"), cell("分组", or(m.group)),
        cell("组内排名", String(m.group_rank), "num"), cell("完成率", txt(m.completion_rate), "num"),
        cell("比时间进度", txt(m.gap), "num"), cell("完成" + YTD + "计划", txt(m.plan_rate), "num"),
        cell("开工率", txt(m.start_rate), "num"), cell("新开工", String(m.new_starts), "num"),
        cell("亿元以上新开工", String(m.big_new_starts), "num"), cell("红/黄", m.red + "/" + m.yellow, "num"));
    }));
    s.appendChild(scrollTable(el("table", { id: "rollup-table" }, headRow(heads), body)));
    if (r.peers.length) {
      s.appendChild(el("h3", null, "对标（外地公布的数字，不参与排名）"));
      s.appendChild(scrollTable(el("table", { id: "peer-table" },
        headRow(["地区", "分组", "月份", ["完成率", "num"], ["开工率", "num"], ["新开工", "num"], ["亿元以上新开工", "num"], "来源"]),
        el("tbody", null, r.peers.map(function (p) {
          return el("tr", { "data-peer": p.name }, cell("地区", p.name), cell("分组", or(p.group)), cell("月份", p.month),
            cell("完成率", txt(p.completion_rate), "num"), cell("开工率", txt(p.start_rate), "num"),
            cell("新开工", or(p.new_starts), "num"), cell("亿元以上新开工", or(p.big_new_starts), "num"), cell("来源", p.source));
        })))));
    }
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
        formatter: function (ps) { var u = rows[ps[0].dataIndex]; return u.name + "\n完成率 " + txt(u.completion_rate) + "\n比时间进度 " + txt(u.gap) + "\n完成" + YTD + "计划的 " + txt(u.plan_rate); } },
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
        return [projectLink(p.id, p.name), el("div", { class: "pid" }, p.id, stateTags(p))]; } },
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
      { key: "gap", label: "比序时进度", cls: "num", sort: function (p) { return num(p.gap); }, cell: function (p) {
        return el("span", { class: val(p.gap) < 0 ? "delta-negative" : "" }, txt(p.gap)); } },
      { key: "achieved", label: "完成序时计划", cls: "num hide-phone", sort: function (p) { return num(p.achieved); }, cell: function (p) { return txt(p.achieved); } });
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
    var built = new Map();
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
      // Each project's row is built once and reused: filtering, searching and sorting only re-order them.
      var frag = document.createDocumentFragment();
      rows.forEach(function (p) {
        var tr = built.get(p.id);
        if (!tr) {
          tr = el("tr", { "data-id": p.id, "data-light": p.light }, cols.map(function (c) {
            return cell(c.label, c.cell ? c.cell(p) : or(p[c.key]), c.cls);
          }));
          built.set(p.id, tr);
        }
        frag.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(frag);
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


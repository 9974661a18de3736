/* Part 4 of 4: routing between the overview and project pages, resizing, live reload. */
  // ---- routing, resizing, printing, live reload --------------------------------------------------
  var app = document.getElementById("app");
  if (DATA.projects.length > LARGE) document.documentElement.classList.add("large");
  var overview = el("main", { id: "overview-view" }, headline(), units(), rollupSection(), projectsSection(), lagging(), problemsSection(),
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

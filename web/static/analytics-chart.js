// The chart of an analytics page (赢单/战败分析, 销售漏斗), drawn with the locally served ECharts
// from the table's numbers in <script type="application/json" id="chart-data">. A page with several
// charts (销售漏斗, 客户画像分析) names each one's script in data-source or data-chart-data; `links` make
// a bar open its list. Without JavaScript the chart stays hidden and the table says it all.
(function () {
  "use strict";

  function barOption(data) {
    // Horizontal bars: long labels (竞品, 车型) stay readable on a phone.
    return {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true,
               axisLabel: { width: 120, overflow: "truncate" } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "deals", data: s.data, itemStyle: { color: s.color },
                 label: { show: true, position: "inside", formatter: function (p) { return p.value || ""; } } };
      })
    };
  }

  function funnelOption(data) {
    return {
      animation: false,
      tooltip: { trigger: "item" },
      series: [{
        type: "funnel", sort: "none", left: 8, right: 8, top: 8, bottom: 8, minSize: "12%", gap: 2,
        label: { show: true, position: "inside", formatter: "{b} {c}" },
        data: data.labels.map(function (name, i) { return { name: name, value: data.series[0].data[i] }; })
      }]
    };
  }

  function drawOne(holder) {
    var name = holder.getAttribute("data-source") || holder.getAttribute("data-chart-data") || "chart-data";
    var source = document.getElementById(name);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data || !data.labels.length) return;
    holder.hidden = false;
    var rows = data.labels.length;
    holder.style.height = (data.kind === "funnel" ? 320 : Math.max(160, 36 * rows + 56)) + "px";
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption(data.kind === "funnel" ? funnelOption(data) : barOption(data));
    if (data.links) {
      chart.on("click", function (p) {
        var url = data.links[p.dataIndex];
        if (url) window.location.href = url;
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    if (!window.echarts) return;
    Array.prototype.forEach.call(document.querySelectorAll(".chart, [data-chart-data]"), drawOne);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

// Who met whom: a small force-directed layout in plain JS, drawn as SVG.
// Deterministic start (nodes on a circle) so the same data gives the same picture.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var W = 1000, H = 640;
  var COLOR = {person: "#1b4f9c", organization: "#8e44ad", place: "#1f7a4d", group: "#b9770e", other: "#7f8c8d"};
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function layout(nodes, edges) {
    var n = nodes.length, idx = {};
    nodes.forEach(function (d, i) {
      idx[d.key] = i;
      d.x = W / 2 + Math.cos(2 * Math.PI * i / n) * W / 3;
      d.y = H / 2 + Math.sin(2 * Math.PI * i / n) * H / 3;
    });
    var links = edges.map(function (e) { return [idx[e.a], idx[e.b], e.weight]; });
    var k = Math.sqrt(W * H / Math.max(n, 1)) * 0.5;
    for (var it = 0; it < 300; it++) {
      var t = 10 * (1 - it / 300) + 0.5;
      var dx = new Float64Array(n), dy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y;
          var d2 = Math.max(ex * ex + ey * ey, 0.01);
          // Repulsion only within a few ideal lengths: far groups do not push each other off the canvas.
          if (d2 > 9 * k * k) { continue; }
          var f = k * k / d2;
          dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
        }
      }
      links.forEach(function (l) {
        var a = nodes[l[0]], b = nodes[l[1]];
        var ex = a.x - b.x, ey = a.y - b.y, d = Math.sqrt(ex * ex + ey * ey) || 0.01, f = d / k;
        dx[l[0]] -= ex * f; dy[l[0]] -= ey * f; dx[l[1]] += ex * f; dy[l[1]] += ey * f;
      });
      for (i = 0; i < n; i++) {
        // Gravity keeps separate groups on the canvas instead of pressed against its edges.
        dx[i] += (W / 2 - nodes[i].x) * 0.05; dy[i] += (H / 2 - nodes[i].y) * 0.05;
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        nodes[i].x = Math.min(W - 120, Math.max(20, nodes[i].x + dx[i] / len * Math.min(len, t)));
        nodes[i].y = Math.min(H - 20, Math.max(20, nodes[i].y + dy[i] / len * Math.min(len, t)));
      }
    }
    return links;
  }
  function draw(svg, data, status) {
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var nodes = data.nodes, links = layout(nodes, data.edges);
    var ge = el("g", {"class": "edges"}, svg), gn = el("g", {"class": "nodes"}, svg);
    links.forEach(function (l, i) {
      var a = nodes[l[0]], b = nodes[l[1]];
      var line = el("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: "#9aa6b2",
        "stroke-width": Math.min(1 + l[2], 8), "class": "edge"}, ge);
      var t = el("title", {}, line); t.textContent = a.name + " — " + b.name + ": " + l[2] + " (" + data.edges[i].type + ")";
    });
    nodes.forEach(function (d) {
      var link = el("a", {href: "/entity/" + encodeURIComponent(d.key)}, gn);
      el("circle", {cx: d.x, cy: d.y, r: 4 + Math.min(Math.sqrt(d.degree) * 2, 12), fill: COLOR[d.kind] || COLOR.other,
        "class": "node", stroke: "#fff", "stroke-width": 1.5}, link);
      var label = el("text", {x: d.x + 8, y: d.y + 4, "class": "node-label", "font-size": 12}, link);
      label.textContent = d.name;
    });
    status.textContent = nodes.length + " Beteiligte, " + links.length + " Verbindungen";
    svg.setAttribute("data-ready", "1");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var fig = document.getElementById("network");
    var svg = document.getElementById("network-svg");
    var status = document.getElementById("network-status");
    fetch(fig.getAttribute("data-api")).then(function (r) { return r.json(); })
      .then(function (data) { draw(svg, data, status); })
      .catch(function (err) { status.textContent = "Netzwerk nicht verfügbar: " + err; });
  });
})();

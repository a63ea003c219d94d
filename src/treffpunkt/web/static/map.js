// The map: world outline (Natural Earth, shipped with the package) in an equirectangular
// projection, trips as numbered routes through their legs, encounters as dots. Plain SVG, no library.
// Every name from the API goes into textContent, never into markup.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var W = 1000, H = 500;
  var COLORS = ["#c0392b", "#1b4f9c", "#117a8b", "#8e44ad", "#b9770e", "#1f7a4d", "#6c3483", "#a04000"];

  function x(lon) { return (lon + 180) / 360 * W; }
  function y(lat) { return (90 - lat) / 180 * H; }
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function ringPath(ring) {
    return ring.map(function (p, i) { return (i ? "L" : "M") + x(p[0]).toFixed(1) + " " + y(p[1]).toFixed(1); })
      .join("") + "Z";
  }
  function drawWorld(svg, world) {
    var g = el("g", {"class": "countries"}, svg);
    world.features.forEach(function (f) {
      var polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      var d = polys.map(function (poly) { return poly.map(ringPath).join(""); }).join("");
      var path = el("path", {"class": "country", d: d, "fill-rule": "evenodd"}, g);
      var t = el("title", {}, path); t.textContent = f.properties.name || "";
    });
  }
  function hasGeo(g) { return g && typeof g.lat === "number" && typeof g.lon === "number"; }

  function draw(svg, world, data, status) {
    drawWorld(svg, world);
    var defs = el("defs", {}, svg);
    var dots = el("g", {"class": "encounters"}, svg);
    var routes = el("g", {"class": "routes"}, svg);
    var labels = el("g", {"class": "labels"}, svg);
    var pts = [];
    data.trips.forEach(function (trip, i) {
      var color = COLORS[i % COLORS.length];
      var marker = el("marker", {id: "arrow" + i, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7",
        markerHeight: "7", orient: "auto-start-reverse", markerUnits: "userSpaceOnUse"}, defs);
      el("path", {d: "M0 0L10 5L0 10z", fill: color}, marker);
      var legs = trip.legs.filter(function (l) { return hasGeo(l.geo); });
      if (!legs.length) { return; }
      var coords = legs.map(function (l) { return [x(l.geo.lon), y(l.geo.lat)]; });
      if (coords.length > 1) {
        var line = el("polyline", {"class": "trip-line", stroke: color, "marker-end": "url(#arrow" + i + ")",
          points: coords.map(function (c) { return c[0].toFixed(2) + "," + c[1].toFixed(2); }).join(" "),
          "data-trip": trip.article + "/" + trip.id}, routes);
        var title = el("title", {}, line);
        title.textContent = (trip.traveler || "?") + ": " + legs.map(function (l) { return l.place; }).join(" → ");
      }
      legs.forEach(function (l, n) {
        var c = coords[n];
        pts.push(c);
        var dot = el("circle", {"class": "leg-dot", cx: c[0], cy: c[1], r: 3, fill: color, "data-place": l.place || ""},
          routes);
        var t = el("title", {}, dot);
        t.textContent = (n + 1) + ". " + (l.place || "") + (l.appointments.length ? " — " + l.appointments.join(", ") : "");
        var label = el("text", {"class": "leg-label", "data-cx": c[0], "data-cy": c[1]}, labels);
        label.textContent = (n + 1) + " " + (l.place || "");
      });
    });
    data.encounters.forEach(function (ev) {
      if (!hasGeo(ev.geo)) { return; }
      var c = [x(ev.geo.lon), y(ev.geo.lat)];
      pts.push(c);
      var dot = el("circle", {"class": "enc-dot " + ev.type, cx: c[0], cy: c[1], r: 2.5, "data-n": ev.n}, dots);
      var t = el("title", {}, dot);
      t.textContent = ev.n + " × " + ev.type + " in " + (ev.place || "?") + (ev.last ? " (zuletzt " + ev.last + ")" : "");
    });
    var view = fit(pts);
    setView(svg, view);
    zoomable(svg, view);
    var total = data.encounters.reduce(function (sum, ev) { return sum + ev.n; }, 0);
    status.textContent = data.trips.length + " Reisen, " + total + " verortete Begegnungen";
    svg.setAttribute("data-ready", "1");
  }

  function fit(pts) {
    if (!pts.length) { return {x: 0, y: 20, w: W, h: H - 60}; }
    var xs = pts.map(function (p) { return p[0]; }), ys = pts.map(function (p) { return p[1]; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var w = Math.max(x1 - x0, 60) * 1.4, h = Math.max(y1 - y0, 30) * 1.4;
    if (w / h > 2) { h = w / 2; } else { w = h * 2; }
    return {x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w: w, h: h};
  }
  function setView(svg, v) {
    svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].map(function (n) { return n.toFixed(2); }).join(" "));
    var size = v.w / 70;
    svg.querySelectorAll(".leg-label").forEach(function (t) {
      t.setAttribute("font-size", size.toFixed(2));
      t.setAttribute("stroke-width", (size * 0.25).toFixed(2));
      t.setAttribute("x", (+t.getAttribute("data-cx") + size * 0.5).toFixed(2));
      t.setAttribute("y", (+t.getAttribute("data-cy") - size * 0.4).toFixed(2));
    });
    svg.querySelectorAll("circle.leg-dot").forEach(function (c) { c.setAttribute("r", (v.w / 180).toFixed(2)); });
    svg.querySelectorAll("circle.enc-dot").forEach(function (c) { c.setAttribute("r", (v.w / 220).toFixed(2)); });
    svg.querySelectorAll("marker").forEach(function (m) {
      m.setAttribute("markerWidth", (v.w / 90).toFixed(2)); m.setAttribute("markerHeight", (v.w / 90).toFixed(2));
    });
  }
  function zoomable(svg, v) {
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = svg.getBoundingClientRect();
      var fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
      var k = e.deltaY < 0 ? 0.8 : 1.25;
      var nw = Math.min(Math.max(v.w * k, 8), W * 1.2), nh = nw / 2;
      v.x += (v.w - nw) * fx; v.y += (v.h - nh) * fy; v.w = nw; v.h = nh;
      setView(svg, v);
    }, {passive: false});
    var drag = null;
    svg.addEventListener("mousedown", function (e) { drag = [e.clientX, e.clientY, v.x, v.y]; });
    window.addEventListener("mouseup", function () { drag = null; });
    svg.addEventListener("mousemove", function (e) {
      if (!drag) { return; }
      var r = svg.getBoundingClientRect();
      v.x = drag[2] - (e.clientX - drag[0]) * v.w / r.width;
      v.y = drag[3] - (e.clientY - drag[1]) * v.h / r.height;
      setView(svg, v);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var fig = document.getElementById("map");
    var svg = document.getElementById("map-svg");
    var status = document.getElementById("map-status");
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    Promise.all([
      fetch("/static/world.geojson").then(function (r) { return r.json(); }),
      fetch(fig.getAttribute("data-api")).then(function (r) { return r.json(); })
    ]).then(function (res) { draw(svg, res[0], res[1], status); })
      .catch(function (err) { status.textContent = "Karte nicht verfügbar: " + err; });
  });
})();

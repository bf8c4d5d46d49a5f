// The Espwire live page. It only feeds uPlot: columnar arrays per device ([times, value1, value2, ...]), handed to
// setData on a timer; uPlot draws the axes, zoom, legend and cursor.
(() => {
  "use strict";
  const DRAW_MS = 250;          // setData at most this often per chart
  const TABLE_MS = 1000;        // devices table and counters refresh
  const MAX_POINTS = 20000;     // per device; older points leave the chart (the store keeps them)
  const LOG_KEEP = 500;         // raw lines kept for the log
  const STALE_MS = 10000;       // a device with nothing for this long is shown as stale
  const COLORS = ["#0969da", "#cf222e", "#1a7f37", "#bf8700", "#8250df", "#1b7c83", "#bc4c00", "#6e7781"];

  const $ = (id) => document.getElementById(id);
  const state = {
    paused: false,
    windowSec: Number($("window").value),
    devices: new Map(),   // name -> chart state
    log: [],              // newest last: {t, device, seq, raw}
    logDirty: true,
    events: null,
    generation: 0,
    ticks: 0,             // draw timer ticks, paused or not (tests wait on it)
  };

  // ---- per-device chart state -------------------------------------------------------------------------------------
  function deviceChart(name) {
    let d = state.devices.get(name);
    if (d) return d;
    d = { name, keys: [], cols: [[]], lastSeq: 0, hidden: new Set(), plot: null, dirty: true, zoomed: false, el: null };
    state.devices.set(name, d);
    const el = document.createElement("div");
    el.className = "chart";
    el.dataset.device = name;
    const title = document.createElement("h3");
    const label = document.createElement("span");
    label.textContent = name;
    const utc = document.createElement("span");
    utc.className = "utc";
    utc.title = "the time under the cursor, in UTC";
    title.append(label, utc);
    el.append(title);
    d.el = el;
    d.utc = utc;
    const charts = $("charts");
    const after = [...charts.children].find((c) => c.dataset.device > name);
    charts.insertBefore(el, after || null);
    addLogDevice(name);
    return d;
  }

  function width(d) { return Math.max(240, d.el.clientWidth - 12); }

  function makePlot(d) {
    if (d.plot) d.plot.destroy();
    const series = [{ label: "time", value: (u, v) => v == null ? "" : new Date(v * 1000).toLocaleString() }];
    d.keys.forEach((k, i) => series.push({
      label: k, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, show: !d.hidden.has(k),
    }));
    d.plot = new uPlot({
      width: width(d), height: 220,
      series,
      scales: { x: { time: true } },
      axes: [{}, { size: 60 }],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSeries: [(u, i) => {   // a legend click: remember it so a rebuilt chart keeps it
          if (i == null) return;
          const key = u.series[i].label;
          if (u.series[i].show) d.hidden.delete(key); else d.hidden.add(key);
        }],
        setSelect: [(u) => { if (u.select.width > 0) d.zoomed = true; }],
        setCursor: [(u) => {
          const i = u.cursor.idx;
          d.utc.textContent = i == null || u.data[0][i] == null ? "" : new Date(u.data[0][i] * 1000).toISOString().replace("T", " ").replace("Z", " UTC");
        }],
      },
    }, d.cols, d.el);
    d.plot.over.addEventListener("dblclick", () => { d.zoomed = false; d.dirty = true; });
    d.dirty = false;
  }

  // While live uPlot shares the page's arrays (no copying at 1,000 readings/s); on pause it gets a copy, so the
  // page's arrays keep growing while the chart, even redrawn under the cursor, stays as it was.
  function snapshot(d) { return d.cols.map((c) => c.slice()); }

  function addReading(r) {
    const d = deviceChart(r.device);
    if (r.seq <= d.lastSeq) return false;   // history and stream overlap: keep each (device, seq) once
    d.lastSeq = r.seq;
    const t = r.received_at_us / 1e6;
    const values = r.values || {};
    let grew = false;
    for (const k of Object.keys(values)) {
      if (!d.keys.includes(k)) {
        d.keys.push(k);
        d.cols.push(new Array(d.cols[0].length).fill(null));
        grew = true;
      }
    }
    if (d.keys.length > 0 || grew) {
      d.cols[0].push(t);
      d.keys.forEach((k, i) => { const v = values[k]; d.cols[i + 1].push(typeof v === "number" ? v : null); });
      d.dirty = true;
      if (grew) d.rebuild = true;
    }
    state.log.push({ t: r.received_at, device: r.device, seq: r.seq, raw: r.raw });
    if (state.log.length > LOG_KEEP * 2) state.log.splice(0, state.log.length - LOG_KEEP);
    state.logDirty = true;
    return true;
  }

  // Drops points older than the window (or beyond MAX_POINTS), once per draw, in one splice.
  function trim(d, nowSec) {
    const xs = d.cols[0];
    const cutoff = nowSec - state.windowSec;
    let lo = 0, hi = xs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid] < cutoff) lo = mid + 1; else hi = mid; }
    const drop = Math.max(lo, xs.length - MAX_POINTS);
    if (drop > 0) { for (const c of d.cols) c.splice(0, drop); d.dirty = true; }
  }

  function draw() {
    state.ticks++;
    if (state.paused) return;
    const now = Date.now() / 1000;
    for (const d of state.devices.values()) {
      trim(d, now);
      if (d.keys.length === 0) continue;
      if (!d.plot || d.rebuild) { d.rebuild = false; makePlot(d); continue; }
      if (d.dirty) { d.plot.setData(d.cols, !d.zoomed); d.dirty = false; }
      d.el.dataset.points = String(d.cols[0].length);
    }
    if (state.logDirty && state.ticks % 2 === 0) renderLog();   // the log twice a second is plenty to read
  }

  // ---- history, then live -----------------------------------------------------------------------------------------
  async function load() {
    const generation = ++state.generation;
    if (state.events) { state.events.close(); state.events = null; }
    for (const d of state.devices.values()) {
      d.cols = [[], ...d.keys.map(() => [])]; d.lastSeq = 0; d.dirty = true; d.zoomed = false;
    }
    state.log = [];
    setStatus("loading history…", "");
    let cursor = null;
    try {
      const response = await fetch(`api/readings?since=${state.windowSec}s&limit=100000`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      cursor = response.headers.get("Espwire-Last-Event-Id");
      const rows = await response.json();
      if (generation !== state.generation) return;
      rows.forEach(addReading);
    } catch (e) {
      setStatus(`history failed (${e.message}), live only`, "down");
    }
    if (generation !== state.generation) return;
    draw();
    // The stream starts where the history's cursor ends, so nothing falls between them; the browser resumes after a
    // reconnect with Last-Event-ID on its own.
    const events = new EventSource("api/readings/stream" + (cursor ? `?after=${encodeURIComponent(cursor)}` : ""));
    state.events = events;
    events.onopen = () => setStatus(state.paused ? "paused" : "live", state.paused ? "paused" : "live");
    events.onerror = () => setStatus("disconnected, retrying…", "down");
    events.onmessage = (e) => addReading(JSON.parse(e.data));
    events.addEventListener("gap", () => load());
  }

  function setStatus(text, kind) {
    const s = $("status");
    s.textContent = text;
    s.className = "status " + kind;
  }

  // ---- devices table, log, counters -------------------------------------------------------------------------------
  async function refreshDevices() {
    try {
      const response = await fetch("api/devices");
      if (!response.ok) return;
      const devices = await response.json();
      const body = $("devices").tBodies[0];
      const now = Date.now();
      const rows = devices.map((d) => {
        const seen = new Date(d.last_seen);
        const tr = document.createElement("tr");
        tr.dataset.device = d.device;
        tr.className = now - seen.getTime() < STALE_MS ? "live" : "stale";
        const cells = [
          [d.device], [d.remote], [d.style], [d.count.toLocaleString(), "num"], [d.readings_per_second.toFixed(1), "num"],
          [d.last_raw], [seen.toLocaleTimeString(), "", seen.toISOString()],
        ];
        for (const [text, cls, title] of cells) {
          const td = document.createElement("td");
          td.textContent = text;
          if (cls) td.className = cls;
          if (title) td.title = title;
          tr.append(td);
        }
        addLogDevice(d.device);
        return tr;
      });
      body.replaceChildren(...rows);
    } catch { /* the stream's status already says the receiver is away */ }
  }

  function addLogDevice(name) {
    const select = $("log-device");
    if ([...select.options].some((o) => o.value === name)) return;
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.append(option);
  }

  function renderLog() {
    state.logDirty = false;
    const filter = $("log-device").value;
    const lines = [];
    for (let i = state.log.length - 1; i >= 0 && lines.length < 100; i--) {
      if (!filter || state.log[i].device === filter) lines.push(state.log[i]);
    }
    const rows = lines.map((l) => {
      const tr = document.createElement("tr");
      tr.dataset.device = l.device;
      for (const text of [new Date(l.t).toLocaleTimeString(), l.device, l.seq, l.raw]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      tr.firstChild.title = l.t;
      return tr;
    });
    $("log").tBodies[0].replaceChildren(...rows);
  }

  const COUNTERS = [
    ["connections_open", "connections open"], ["connections_accepted", "connections accepted"],
    ["readings_received", "readings received"], ["readings_stored", "readings stored"],
    ["readings_queued", "queue depth"], ["store_lag", "store lag (readings)"], ["queue_full_waits", "queue-full waits"],
    ["refused_not_allowed", "refused: not in --allow"], ["refused_too_many_connections", "refused: too many connections"],
    ["refused_too_many_from_address", "refused: too many from one address"], ["idle_timeouts", "dropped: idle"],
    ["lines_too_long", "dropped: line too long"], ["lines_invalid_utf8", "dropped: invalid UTF-8"],
    ["lines_binary", "dropped: binary"], ["partial_lines", "partial lines"], ["stream_subscribers", "live pages open"],
  ];

  async function refreshCounters() {
    try {
      const response = await fetch("api/stats");
      if (!response.ok) return;
      const s = await response.json();
      const items = COUNTERS.filter(([k]) => k in s).map(([k, label]) => [label, s[k]]);
      if (s.mqtt) items.push(["MQTT forwarded", s.mqtt.forwarded], ["MQTT failed", s.mqtt.failed]);
      if (s.mqtt && "outbox_depth" in s.mqtt) items.push(["MQTT outbox depth", s.mqtt.outbox_depth]);
      $("counters").replaceChildren(...items.map(([label, value]) => {
        const div = document.createElement("div");
        const dt = document.createElement("dt"); dt.textContent = label;
        const dd = document.createElement("dd"); dd.textContent = Number(value).toLocaleString();
        div.append(dt, dd);
        return div;
      }));
    } catch { /* shown by the stream's status */ }
  }

  // ---- controls -----------------------------------------------------------------------------------------------------
  $("pause").addEventListener("click", () => {
    state.paused = !state.paused;
    const b = $("pause");
    b.textContent = state.paused ? "Resume" : "Pause";
    b.setAttribute("aria-pressed", String(state.paused));
    setStatus(state.paused ? "paused" : "live", state.paused ? "paused" : "live");
    for (const d of state.devices.values()) {
      if (!d.plot) continue;
      if (state.paused) d.plot.setData(snapshot(d), false);   // freeze what is drawn
      else d.dirty = true;
    }
    if (!state.paused) draw();   // catch up at once with what arrived meanwhile
  });
  $("window").addEventListener("change", () => { state.windowSec = Number($("window").value); load(); });
  $("log-device").addEventListener("change", renderLog);
  window.addEventListener("resize", () => {
    for (const d of state.devices.values()) if (d.plot) d.plot.setSize({ width: width(d), height: 220 });
  });

  // For tests and benchmarks: what each chart holds.
  window.espwireLive = {
    charts: () => Object.fromEntries([...state.devices.values()].map((d) => [d.name, {
      points: d.plot ? d.plot.data[0].length : 0,   // what the chart shows (frozen while paused)
      received: d.cols[0].length,                    // what the page holds (more than points while paused)
      series: d.plot ? d.plot.series.slice(1).map((s) => ({ label: s.label, show: s.show })) : [],
      first: d.plot && d.plot.data[0].length ? d.plot.data[0][0] : null,
      last: d.plot && d.plot.data[0].length ? d.plot.data[0][d.plot.data[0].length - 1] : null,
      xTime: d.plot ? d.plot.scales.x.time : null,
    }])),
    paused: () => state.paused,
    ticks: () => state.ticks,
  };

  setInterval(draw, DRAW_MS);
  setInterval(() => { refreshDevices(); refreshCounters(); }, TABLE_MS);
  refreshDevices();
  refreshCounters();
  load();
})();

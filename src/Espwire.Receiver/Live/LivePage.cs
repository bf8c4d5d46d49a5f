namespace Espwire.Receiver.Live;

/// <summary>The live page: plots each device's first value as readings arrive (server-sent events), no libraries.</summary>
internal static class LivePage
{
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Espwire live readings</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
          canvas { border: 1px solid #ccc; width: 100%; height: 360px; }
          #legend span { margin-right: 1rem; } table { border-collapse: collapse; margin-top: 1rem; font-size: 0.9rem; }
          td, th { border-bottom: 1px solid #eee; padding: 2px 8px; text-align: left; }
        </style></head>
        <body>
        <h1>Espwire live readings</h1>
        <p id="status">connecting…</p>
        <canvas id="plot" width="1200" height="360"></canvas>
        <div id="legend"></div>
        <table><thead><tr><th>received (UTC)</th><th>device</th><th>seq</th><th>raw</th></tr></thead><tbody id="rows"></tbody></table>
        <script>
        const series = new Map(), colors = ["#1f77b4","#d62728","#2ca02c","#ff7f0e","#9467bd","#8c564b","#e377c2","#17becf"];
        const canvas = document.getElementById("plot"), ctx = canvas.getContext("2d"), keep = 300;
        function add(r) {
          const values = Object.values(r.values);
          if (values.length > 0 && values[0] !== null) {
            if (!series.has(r.device)) series.set(r.device, []);
            const s = series.get(r.device); s.push(values[0]); if (s.length > keep) s.shift();
          }
          const row = document.createElement("tr");
          for (const text of [r.received_at, r.device, r.seq, r.raw]) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
          const rows = document.getElementById("rows"); rows.prepend(row); while (rows.children.length > 20) rows.lastChild.remove();
        }
        function draw() {
          ctx.clearRect(0, 0, canvas.width, canvas.height);
          let min = Infinity, max = -Infinity;
          for (const s of series.values()) for (const v of s) { min = Math.min(min, v); max = Math.max(max, v); }
          if (min === Infinity) return; if (min === max) { min -= 1; max += 1; }
          const legend = []; let i = 0;
          for (const [device, s] of series) {
            const color = colors[i++ % colors.length]; ctx.strokeStyle = color; ctx.beginPath();
            s.forEach((v, x) => { const px = x * canvas.width / (keep - 1), py = canvas.height - 10 - (v - min) / (max - min) * (canvas.height - 20); x ? ctx.lineTo(px, py) : ctx.moveTo(px, py); });
            ctx.stroke(); legend.push(`<span style="color:${color}">■ ${device.replace(/</g, "&lt;")}: ${s[s.length - 1]}</span>`);
          }
          document.getElementById("legend").innerHTML = legend.join("");
        }
        fetch("api/readings?limit=300").then(r => r.json()).then(list => { list.forEach(add); draw(); });
        const events = new EventSource("api/readings/stream");
        events.onopen = () => document.getElementById("status").textContent = "live";
        events.onerror = () => document.getElementById("status").textContent = "disconnected, retrying…";
        events.onmessage = e => { add(JSON.parse(e.data)); };
        setInterval(draw, 250);
        </script>
        </body></html>
        """;
}

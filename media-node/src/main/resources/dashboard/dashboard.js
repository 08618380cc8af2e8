'use strict';
/* Polls the node's samples once a second and redraws the charts; exposes window.relaymeshDashboard. */
(function () {
  const $ = (id) => document.getElementById(id);
  const KEEP = 300;

  const num = (v, unit) => {
    const a = Math.abs(v);
    const scaled = (d, prefix) => `${(v / d).toFixed(Math.abs(v / d) >= 100 ? 0 : 1)} ${prefix}${unit}`;
    if (a >= 1e9) return scaled(1e9, 'G');
    if (a >= 1e6) return scaled(1e6, 'M');
    if (a >= 1e3) return scaled(1e3, 'k');
    return `${Math.round(v)} ${unit}`;
  };
  const bytes = (v) => (v >= 1 << 30 ? `${(v / (1 << 30)).toFixed(1)} GiB` : `${Math.round(v / (1 << 20))} MiB`);
  const micros = (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} ms` : `${Math.round(v)} µs`);

  // id -> [chart, (sample) => value per series]
  const definitions = {
    sessions: [{title: 'Sessions', format: (v) => String(Math.round(v)), integer: true,
      series: [{label: 'publishing', color: '#0969da'}, {label: 'viewing', color: '#1a7f37'}]},
      (s) => [s.publishing, s.viewing]],
    tracks: [{title: 'Published tracks', format: (v) => String(Math.round(v)), integer: true,
      series: [{label: 'audio', color: '#8250df'}, {label: 'video', color: '#bc4c00'}]},
      (s) => [s.audioTracks, s.videoTracks]],
    bitrate: [{title: 'Bitrate', format: (v) => num(v, 'bit/s'),
      series: [{label: 'in', color: '#0969da'}, {label: 'out', color: '#1a7f37'}]},
      (s) => [s.bitsInPerSecond, s.bitsOutPerSecond]],
    packets: [{title: 'Packet rate', format: (v) => num(v, '/s'),
      series: [{label: 'in', color: '#0969da'}, {label: 'out', color: '#1a7f37'}]},
      (s) => [s.packetsInPerSecond, s.packetsOutPerSecond]],
    cpu: [{title: 'CPU', format: (v) => `${v.toFixed(v < 10 ? 1 : 0)} %`, max: 100,
      series: [{label: 'node', color: '#cf222e'}, {label: 'machine', color: '#57606a'}]},
      (s) => [s.processCpu, s.systemCpu]],
    memory: [{title: 'Memory', format: bytes,
      series: [{label: 'heap', color: '#8250df'}, {label: 'direct buffers', color: '#bc4c00'}]},
      (s) => [s.heapUsedBytes, s.directUsedBytes]],
    latency: [{title: 'In-node latency', format: micros,
      series: [{label: 'p50', color: '#1a7f37'}, {label: 'p99', color: '#cf222e'}]},
      (s) => [s.latencyP50Micros, s.latencyP99Micros]],
  };
  const charts = {};
  for (const [id, [options]] of Object.entries(definitions)) charts[id] = new LineChart($(id), options);

  let samples = [];
  let lastSeq = 0;
  let polls = 0;

  $('secret').value = sessionStorage.getItem('relaymesh-secret') || '';
  $('connect').onclick = () => {
    sessionStorage.setItem('relaymesh-secret', $('secret').value);
    samples = [];
    lastSeq = 0;
    poll();
  };

  function redraw() {
    const times = samples.map((s) => s.timeMillis);
    for (const [id, [, pick]] of Object.entries(definitions)) {
      const columns = charts[id].series.map(() => []);
      for (const s of samples) pick(s).forEach((v, i) => columns[i].push(v === undefined ? null : v));
      charts[id].setData(times, columns);
    }
  }

  async function poll() {
    const headers = {};
    const secret = $('secret').value;
    if (secret) headers.Authorization = `Bearer ${secret}`;
    try {
      const r = await fetch(`/dashboard/api/samples?after=${lastSeq}`, {headers, cache: 'no-store'});
      if (!r.ok) throw new Error(`${r.status}: ${(await r.text()).trim()}`);
      const body = await r.json();
      $('node').textContent = body.node;
      if (body.samples.length) {
        samples = samples.concat(body.samples).slice(-KEEP);
        lastSeq = samples[samples.length - 1].seq;
      }
      polls++;
      $('error').textContent = '';
      redraw();
    } catch (e) {
      $('error').textContent = `cannot read the node's samples: ${e.message}`;
    }
  }

  window.addEventListener('resize', redraw);
  setInterval(poll, 1000);
  poll();

  window.relaymeshDashboard = {
    charts,
    /** Samples held, polls that succeeded, and points drawn per chart and series. */
    state() {
      const drawn = {};
      for (const [id, chart] of Object.entries(charts)) drawn[id] = chart.drawnPoints();
      return {samples: samples.length, lastSeq, polls, drawn};
    },
  };
})();

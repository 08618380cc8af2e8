'use strict';
/*
 * A compact time-series line chart on <canvas>, written for the relaymesh dashboard so the page needs no
 * library and works offline. One chart draws a few series over a shared time axis, with a zero-based y axis
 * rounded to a readable maximum, a legend with each series' latest value, and gaps where a value is null.
 */
(function (global) {
  const PAD = {left: 78, right: 12, top: 28, bottom: 22};

  /** 1, 2 or 5 times a power of ten, at least v. */
  function niceCeil(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function clock(ms) {
    const d = new Date(ms);
    return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  }

  class LineChart {
    /**
     * @param canvas  the <canvas> to draw on
     * @param options {title, format: (number) => string, series: [{label, color}], max: fixed top of the
     *                y axis (e.g. 100 for percent), integer: y steps are whole numbers}
     */
    constructor(canvas, options) {
      this.canvas = canvas;
      this.title = options.title;
      this.format = options.format || ((v) => String(Math.round(v)));
      this.maxWindowMs = options.maxWindowMs || 300000;
      this.minWindowMs = options.minWindowMs || 60000;
      this.fixedMax = options.max;
      this.integer = !!options.integer;
      this.series = options.series;
      this.times = [];
      this.values = this.series.map(() => []);
      this.drawn = this.series.map(() => 0);
    }

    /** times: epoch ms, ascending; values: one array per series, same length as times (null = no value). */
    setData(times, values) {
      this.times = times;
      this.values = values;
      this.draw();
    }

    /** Points each series had drawn in the last draw, by label (what tests and people can check). */
    drawnPoints() {
      const out = {};
      this.series.forEach((s, i) => { out[s.label] = this.drawn[i]; });
      return out;
    }

    draw() {
      const c = this.canvas;
      const ratio = global.devicePixelRatio || 1;
      const width = c.clientWidth || 420;
      const height = c.clientHeight || 180;
      if (c.width !== Math.round(width * ratio) || c.height !== Math.round(height * ratio)) {
        c.width = Math.round(width * ratio);
        c.height = Math.round(height * ratio);
      }
      const g = c.getContext('2d');
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, width, height);

      const plotW = width - PAD.left - PAD.right;
      const plotH = height - PAD.top - PAD.bottom;
      // The time axis spans the data held, between one and five minutes, so a young history is not a sliver.
      const end = this.times.length ? this.times[this.times.length - 1] : Date.now();
      const span = this.times.length ? end - this.times[0] : 0;
      const windowMs = Math.min(this.maxWindowMs, Math.max(this.minWindowMs, span));
      const start = end - windowMs;
      let max = 0;
      this.values.forEach((vs) => vs.forEach((v, i) => {
        if (v !== null && v !== undefined && this.times[i] >= start && v > max) max = v;
      }));
      let top = niceCeil(max * 1.1);
      if (this.integer) top = Math.max(4, Math.ceil(top / 4) * 4);
      if (this.fixedMax !== undefined) top = Math.min(top, this.fixedMax);
      const x = (t) => PAD.left + ((t - start) / windowMs) * plotW;
      const y = (v) => PAD.top + plotH - (v / top) * plotH;

      // Title, grid and axis labels.
      g.font = '12px system-ui, sans-serif';
      g.fillStyle = '#1b1f24';
      g.textBaseline = 'alphabetic';
      g.fillText(this.title, PAD.left, 16);
      g.strokeStyle = '#d0d7de';
      g.lineWidth = 1;
      g.fillStyle = '#57606a';
      g.textAlign = 'right';
      for (let k = 0; k <= 4; k++) {
        const v = (top * k) / 4;
        const yy = Math.round(y(v)) + 0.5;
        g.beginPath();
        g.moveTo(PAD.left, yy);
        g.lineTo(PAD.left + plotW, yy);
        g.stroke();
        g.fillText(this.format(v), PAD.left - 6, yy + 4);
      }
      g.textAlign = 'left';
      g.fillText(clock(start), PAD.left, height - 6);
      g.textAlign = 'right';
      g.fillText(clock(end), PAD.left + plotW, height - 6);

      // Series, then the legend with latest values.
      let legendX = PAD.left + g.measureText(this.title).width + 16;
      this.series.forEach((s, i) => {
        const vs = this.values[i] || [];
        let drawn = 0;
        let open = false;
        g.strokeStyle = s.color;
        g.lineWidth = 2;
        g.beginPath();
        for (let j = 0; j < this.times.length; j++) {
          const v = vs[j];
          if (v === null || v === undefined || this.times[j] < start) {
            open = false;
            continue;
          }
          const px = x(this.times[j]);
          const py = y(v);
          if (open) g.lineTo(px, py); else g.moveTo(px, py);
          open = true;
          drawn++;
        }
        g.stroke();
        this.drawn[i] = drawn;
        let latest = null;
        for (let j = vs.length - 1; j >= 0; j--) if (vs[j] !== null && vs[j] !== undefined) { latest = vs[j]; break; }
        const text = `${s.label} ${latest === null ? '–' : this.format(latest)}`;
        g.fillStyle = s.color;
        g.fillRect(legendX, 8, 10, 10);
        g.fillStyle = '#1b1f24';
        g.textAlign = 'left';
        g.fillText(text, legendX + 14, 17);
        legendX += g.measureText(text).width + 30;
      });
    }
  }

  global.LineChart = LineChart;
})(window);

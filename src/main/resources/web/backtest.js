// tickvault dashboard: the backtest panel (POST /api/backtest): one or two sources, their equity curves
// on one chart, the trades marked on the price chart, metrics and lineage. Server text goes in with textContent.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const COLORS = ['#4ea1ff', '#f0a030'];
  const b = { source: null, symbol: null, equity: null, price: null, lines: [], priceLine: null, markers: null };

  const td = window.tickvaultCommon.td;

  function pct(v) { return v === null || v === undefined ? '-' : (Number(v) * 100).toFixed(2) + '%'; }
  function num(v, d) { return v === null || v === undefined ? '-' : Number(v).toFixed(d); }

  function chart(div) {
    const LC = window.LightweightCharts;
    return LC.createChart(div, {
      autoSize: true,
      layout: { background: { type: 'solid', color: '#161c23' }, textColor: '#d8dee6' },
      grid: { vertLines: { color: '#222b36' }, horzLines: { color: '#222b36' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#263040' },
    });
  }

  function body() {
    const req = { symbol: b.symbol, source: $('bt-source').value || b.source, strategy: $('bt-strategy').value,
      cash: $('bt-cash').value, feeBps: $('bt-fee').value, params: {} };
    if (req.strategy === 'sma-cross') {
      req.params.fast = Number($('bt-fast').value);
      req.params.slow = Number($('bt-slow').value);
    } else if (req.strategy === 'rsi-reversion') {
      req.params.period = Number($('bt-period').value);
      req.params.lower = $('bt-lower').value;
      req.params.upper = $('bt-upper').value;
    }
    if ($('bt-from').value) req.from = $('bt-from').value;
    if ($('bt-to').value) req.to = $('bt-to').value;
    if ($('bt-interval').value) req.interval = $('bt-interval').value;
    if ($('bt-compare').value) req.compareWith = $('bt-compare').value;
    return req;
  }

  function renderCharts(doc) {
    const LC = window.LightweightCharts;
    if (!b.equity) {
      b.equity = chart($('bt-equity'));
      b.price = chart($('bt-price'));
      b.priceLine = b.price.addSeries(LC.LineSeries, { color: COLORS[0], lineWidth: 2 });
      b.markers = LC.createSeriesMarkers(b.priceLine, []);
    }
    for (const s of b.lines) b.equity.removeSeries(s);
    b.lines = [];
    doc.runs.forEach((run, i) => {
      const s = b.equity.addSeries(LC.LineSeries, { color: COLORS[i % 2], lineWidth: 2, title: run.source });
      s.setData(run.equity.map((p) => ({ time: Date.parse(p.time) / 1000, value: Number(p.equity) })));
      b.lines.push(s);
    });
    b.equity.timeScale().fitContent();
    const a = doc.runs[0];
    b.priceLine.setData(a.equity.map((p) => ({ time: Date.parse(p.time) / 1000, value: Number(p.close) })));
    const marks = [];
    const labels = a.trades.length <= 40; // many trades: arrows only, labels would hide the line
    for (const t of a.trades) {
      marks.push({ time: Date.parse(t.entry) / 1000, position: 'belowBar', color: '#26a69a', shape: 'arrowUp',
        text: labels ? 'buy ' + t.shares : '' });
      if (!t.closedAtEnd) {
        marks.push({ time: Date.parse(t.exit) / 1000, position: 'aboveBar', color: '#ef5350', shape: 'arrowDown',
          text: labels ? 'sell' : '' });
      }
    }
    marks.sort((x, y) => x.time - y.time);
    b.markers.setMarkers(marks);
    b.price.timeScale().fitContent();
    $('bt-equity').dataset.series = String(doc.runs.length);
    $('bt-equity').dataset.state = 'rendered';
    $('bt-price').dataset.markers = String(marks.length);
    $('bt-price').dataset.state = 'rendered';
  }

  function renderTables(doc) {
    const runs = doc.runs;
    const head = $('bt-metrics').querySelector('thead tr');
    head.replaceChildren();
    const th = (t) => { const c = document.createElement('th'); c.textContent = t; head.appendChild(c); };
    th('');
    runs.forEach((r) => th(r.source));
    if (runs.length > 1) th('B - A');
    const rows = [
      ['total return', (m) => pct(m.totalReturn), doc.differences && pct(doc.differences.totalReturn)],
      ['annualised return', (m) => pct(m.annualisedReturn)],
      ['sharpe', (m) => num(m.sharpe, 2)],
      ['max drawdown', (m) => pct(m.maxDrawdown)],
      ['trades', (m) => m.trades, doc.differences && doc.differences.trades],
      ['win rate', (m) => pct(m.winRate)],
      ['exposure', (m) => pct(m.exposure)],
      ['final equity', (m) => num(m.finalEquity, 2)],
      ['bars', (m) => m.bars],
    ];
    const tbody = $('bt-metrics').querySelector('tbody');
    tbody.replaceChildren();
    for (const [label, f, delta] of rows) {
      const tr = document.createElement('tr');
      td(tr, label);
      runs.forEach((r) => td(tr, f(r.metrics), 'num'));
      if (runs.length > 1) td(tr, delta === undefined ? '' : delta, 'num');
      tbody.appendChild(tr);
    }
    const lin = $('bt-lineage').querySelector('tbody');
    lin.replaceChildren();
    for (const r of runs) {
      const l = r.lineage;
      const tr = document.createElement('tr');
      td(tr, l.source);
      td(tr, l.kind);
      td(tr, l.width + ' · ' + l.zone);
      td(tr, l.origins.map((o) => o.origin + ' ' + o.rows).join(', '));
      td(tr, (l.first || '-') + ' … ' + (l.last || '-'));
      td(tr, l.rows, 'num');
      td(tr, l.mirror ? 'last sync ' + l.mirror.lastSyncAt + ' of ' + l.mirror.production : l.mode);
      td(tr, r.data.digest.slice(0, 16) + '…');
      tr.lastChild.title = r.data.digest;
      lin.appendChild(tr);
    }
    const cmp = doc.compare;
    $('bt-compare-summary').textContent = !cmp ? '' : cmp.identical
      ? 'The two sources hold the same ' + cmp.common + ' bars in this range.'
      : cmp.common + ' common bars, ' + cmp.differingBars + ' differ; ' + cmp.onlyA + ' only in ' + cmp.source + ', '
        + cmp.onlyB + ' only in ' + cmp.target + (cmp.bars.length ? '. First: ' + cmp.bars.slice(0, 5)
          .map((x) => x.time + ' (' + x.what + ')').join('; ') : '');
  }

  async function run() {
    const button = $('bt-run');
    button.disabled = true;
    $('bt-status').textContent = 'Running…';
    $('bt-equity').dataset.state = 'loading';
    try {
      const response = await fetch('/api/backtest', { method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body()) });
      const text = await response.text();
      const doc = text ? JSON.parse(text) : null;
      if (!response.ok) throw new Error((doc && doc.message) || 'HTTP ' + response.status);
      renderCharts(doc);
      renderTables(doc);
      $('bt-status').textContent = doc.request.strategy + ' on ' + doc.request.symbol + ': done';
    } catch (e) {
      $('bt-equity').dataset.state = 'failed';
      $('bt-status').textContent = 'Backtest failed: ' + e.message;
    } finally {
      button.disabled = false;
    }
  }

  function showParams() {
    const s = $('bt-strategy').value;
    for (const el of document.querySelectorAll('[data-strategy]')) el.hidden = el.dataset.strategy !== s;
  }

  async function fillSources() {
    try {
      const r = await fetch('/api/sources', { headers: { Accept: 'application/json' } });
      const list = await r.json();
      for (const id of ['bt-source', 'bt-compare']) {
        const sel = $(id);
        const keep = sel.value;
        sel.replaceChildren();
        const none = document.createElement('option');
        none.value = '';
        none.textContent = id === 'bt-source' ? '(selected source)' : '(none)';
        sel.appendChild(none);
        for (const s of list.sources.filter((x) => x.status === 'has data')) {
          const o = document.createElement('option');
          o.value = s.name;
          o.textContent = s.name;
          sel.appendChild(o);
        }
        sel.value = keep;
      }
    } catch (e) {
      $('bt-status').textContent = 'Could not list sources: ' + e.message;
    }
  }

  document.addEventListener('tickvault:selection', (e) => {
    b.source = e.detail.source;
    b.symbol = e.detail.symbol;
    $('bt-symbol').textContent = b.symbol || '-';
  });
  $('bt-strategy').addEventListener('change', showParams);
  $('bt-run').addEventListener('click', run);
  showParams();
  fillSources();
})();

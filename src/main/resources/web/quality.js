// tickvault dashboard: the data-quality view (coverage heat map, a day's chart and findings).
// Listens for the selection app.js announces ('tickvault:selection'); all server text goes in with textContent.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const API_WIDTH = { '1Min': '1m', '5Min': '5m', '15Min': '15m', '1Hour': '1h', '1Day': '1d' };
  const q = { source: null, symbol: null, request: 0, report: null, chart: null, series: null };

  const { api, td } = window.tickvaultCommon;

  function fmt(n) { return Number(n).toLocaleString('en-US'); }

  // the colour class of one day: how much of the expected session is there
  function shade(d) {
    if (d.kind === 'weekend') return d.outside > 0 ? 'cov-offday-bars' : 'cov-weekend';
    if (d.kind === 'holiday') return d.outside > 0 ? 'cov-offday-bars' : 'cov-holiday';
    if (d.expected === 0) return 'cov-future';
    const share = d.present / d.expected;
    if (share >= 1) return 'cov-full';
    if (share >= 0.9) return 'cov-most';
    if (share > 0) return 'cov-part';
    return 'cov-none';
  }

  function describe(d) {
    const parts = [d.day, d.kind.replace('-', ' ')];
    if (d.note) parts.push(d.note);
    if (d.expected > 0) parts.push(fmt(d.present) + ' of ' + fmt(d.expected) + ' bars');
    if (d.outside > 0) parts.push(fmt(d.outside) + ' outside the session');
    return parts.join(' · ');
  }

  function renderHeatmap(report) {
    const box = $('coverage');
    box.replaceChildren();
    const days = report.days;
    if (!days.length) {
      box.dataset.state = 'empty';
      return;
    }
    // one column per week (Monday first), one row per weekday
    const first = new Date(days[0].day + 'T00:00:00Z');
    const offset = (first.getUTCDay() + 6) % 7;
    const grid = document.createElement('div');
    grid.className = 'cov-grid';
    for (let i = 0; i < offset; i++) {
      const pad = document.createElement('div');
      pad.className = 'cov-day cov-pad';
      grid.appendChild(pad);
    }
    for (const d of days) {
      const cell = document.createElement('div');
      cell.className = 'cov-day ' + shade(d) + (d.kind === 'early-close' ? ' cov-early' : '');
      cell.dataset.day = d.day;
      cell.dataset.kind = d.kind;
      cell.dataset.expected = String(d.expected);
      cell.dataset.present = String(d.present);
      cell.title = describe(d);
      cell.addEventListener('click', () => selectDay(d));
      grid.appendChild(cell);
    }
    box.appendChild(grid);
    box.dataset.state = 'rendered';
    box.dataset.days = String(days.length);
  }

  function renderSummary(report) {
    const s = report.symbols[0];
    $('quality-summary').textContent = report.source + ' (' + report.kind + ') · ' + s.symbol + ' · ' + report.width
      + ' bars · calendar ' + report.calendar + ' · ' + s.firstDay + ' to ' + s.lastDay + ': ' + fmt(s.sessions)
      + ' sessions, ' + fmt(s.missingSessions) + ' missing, ' + fmt(s.missingBarsInSessions)
      + ' bars missing inside sessions, ' + fmt(s.barsOutsideSessions) + ' outside sessions · ' + fmt(s.errors)
      + ' errors, ' + fmt(s.warnings) + ' warnings';
  }

  function renderFindings(findings, caption) {
    const body = $('quality-findings').querySelector('tbody');
    body.replaceChildren();
    for (const f of findings) {
      const tr = document.createElement('tr');
      tr.className = 'sev-' + f.severity;
      td(tr, f.severity);
      td(tr, f.check);
      td(tr, f.bar ? f.bar.replace('T', ' ').replace(':00Z', 'Z') : f.day);
      td(tr, f.detail);
      body.appendChild(tr);
    }
    $('quality-findings-caption').textContent = caption;
  }

  async function selectDay(d) {
    for (const c of $('coverage').querySelectorAll('.cov-day.selected')) c.classList.remove('selected');
    const cell = $('coverage').querySelector('[data-day="' + d.day + '"]');
    if (cell) cell.classList.add('selected');
    const report = q.report;
    const findings = report.symbols[0].findings.filter((f) => f.day === d.day);
    renderFindings(findings, describe(d) + ' · ' + findings.length + ' finding(s) on this day');
    const chartDiv = $('quality-day-chart');
    chartDiv.dataset.state = 'loading';
    chartDiv.dataset.day = d.day;
    try {
      const params = new URLSearchParams({ from: d.day, to: d.day, interval: API_WIDTH[report.width] || '1m',
        source: report.source });
      const body = await api('/api/market-data/history/' + encodeURIComponent(report.symbols[0].symbol) + '?' + params);
      if (!q.chart) {
        const LC = window.LightweightCharts;
        q.chart = LC.createChart(chartDiv, {
          autoSize: true,
          layout: { background: { type: 'solid', color: '#161c23' }, textColor: '#d8dee6' },
          grid: { vertLines: { color: '#222b36' }, horzLines: { color: '#222b36' } },
          timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#263040' },
        });
        q.series = q.chart.addSeries(LC.CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350',
          borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
      }
      q.series.setData(body.data.map((c) => ({ time: Date.parse(c.time) / 1000, open: Number(c.open),
        high: Number(c.high), low: Number(c.low), close: Number(c.close) })));
      q.chart.timeScale().fitContent();
      chartDiv.dataset.count = String(body.data.length);
      chartDiv.dataset.state = 'rendered';
      $('quality-day-title').textContent = d.day + ': ' + body.data.length + ' bars (UTC day)';
    } catch (e) {
      chartDiv.dataset.state = 'failed';
      $('quality-day-title').textContent = 'Chart of ' + d.day + ' failed: ' + e.message;
    }
  }

  async function load() {
    const box = $('coverage');
    if (!q.symbol) {
      box.dataset.state = 'empty';
      return;
    }
    const request = ++q.request;
    box.dataset.state = 'loading';
    $('quality-status').textContent = 'Checking ' + q.symbol + '…';
    const params = new URLSearchParams({ symbol: q.symbol, calendar: $('quality-calendar').value });
    if (q.source) params.set('source', q.source);
    if ($('quality-from').value) params.set('from', $('quality-from').value);
    if ($('quality-to').value) params.set('to', $('quality-to').value);
    try {
      const report = await api('/api/quality?' + params);
      if (request !== q.request) return;
      q.report = report;
      renderSummary(report);
      renderHeatmap(report);
      const s = report.symbols[0];
      renderFindings(s.findings, 'All findings (' + s.findings.length + ' listed; click a day for its own)');
      $('quality-status').textContent = '';
    } catch (e) {
      if (request !== q.request) return;
      box.dataset.state = 'failed';
      $('quality-status').textContent = 'Quality check failed: ' + e.message;
    }
  }

  document.addEventListener('tickvault:selection', (e) => {
    if (e.detail.source === q.source && e.detail.symbol === q.symbol) return;
    q.source = e.detail.source;
    q.symbol = e.detail.symbol;
    load();
  });
  $('quality-run').addEventListener('click', load);
})();

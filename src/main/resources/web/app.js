// tickvault dashboard: plain JavaScript, no build step, every asset served by tickvault itself.
// All text from the server is inserted with textContent (never innerHTML): names and messages are data.
(function () {
  'use strict';

  const RANGE_DAYS = { '1D': 0, '5D': 6, '1M': 30, '3M': 91, '1Y': 365, 'ALL': null };
  const AUTO_INTERVAL = { '1D': '1m', '5D': '5m', '1M': '1h', '3M': '1h', '1Y': '1d', 'ALL': '1d' };
  // candle widths from finest to widest (API spelling), and the registry's spelling of each
  const WIDTHS = ['1m', '5m', '15m', '30m', '1h', '1d', '1w', '1mo'];
  const API_WIDTH = { '1Min': '1m', '5Min': '5m', '15Min': '15m', '30Min': '30m', '1Hour': '1h', '1Day': '1d',
    '1Week': '1w', '1Month': '1mo' };

  // width: the source's bar width (API spelling, null when unknown); zone: its market time zone;
  // showUtc: whether times are shown in UTC instead of the source's zone
  const state = { source: null, symbol: null, range: '5D', interval: 'auto', asOf: {}, chart: null, candles: null,
    volume: null, chartRequest: 0, width: null, zone: 'America/New_York', showUtc: false, sources: {} };
  const $ = (id) => document.getElementById(id);
  // live.js (loaded first) adds live updates, the URL state and more through these hooks
  const hooks = window.tickvaultHooks || {};
  Object.assign(state, hooks.initialState ? hooks.initialState() : {});

  // ---- errors: every failure is shown, none is swallowed ------------------------------------

  const errors = new Map();

  function showError(context, err) {
    errors.set(context, context + ': ' + (err && err.message ? err.message : String(err)));
    renderErrors();
  }

  function clearError(context) {
    errors.delete(context);
    renderErrors();
  }

  function renderErrors() {
    const box = $('error');
    box.textContent = Array.from(errors.values()).join('\n');
    box.hidden = errors.size === 0;
  }

  window.addEventListener('error', (e) => showError('Dashboard', e.error || e.message));
  window.addEventListener('unhandledrejection', (e) => showError('Dashboard', e.reason));

  // ---- API ---------------------------------------------------------------------------------

  const api = window.tickvaultCommon.api;

  function withSource(path, extra) {
    const params = new URLSearchParams(extra || {});
    if (state.source) params.set('source', state.source);
    const q = params.toString();
    return q ? path + (path.includes('?') ? '&' : '?') + q : path;
  }

  // ---- formatting --------------------------------------------------------------------------

  function price(v) {
    if (v === null || v === undefined) return '-';
    const n = Number(v);
    return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: Math.abs(n) < 1 ? 4 : 2 });
  }

  function signed(v, suffix) {
    if (v === null || v === undefined) return '-';
    const n = Number(v);
    return (n > 0 ? '+' : '') + n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      + (suffix || '');
  }

  function count(v) {
    return v === null || v === undefined ? '-' : Number(v).toLocaleString('en-US');
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '') : '-';
  }

  // ---- time zones: times are shown in the source's market zone, or in UTC -------------------

  const zoneFormats = {};

  /** The zone times are shown in. */
  function shownZone() {
    return state.showUtc ? 'UTC' : state.zone;
  }

  /** Offset in seconds of the zone at the instant (ms since 1970), from the browser's time-zone data. */
  function zoneOffset(ms, zone) {
    if (zone === 'UTC') return 0;
    let f = zoneFormats[zone];
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      zoneFormats[zone] = f;
    }
    const p = {};
    for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
    const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24,
      Number(p.minute), Number(p.second));
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000);
  }

  // live.js draws streamed candles on the same clock as the loaded ones: chart time = instant moved by the
  // shown zone's offset (the chart library shows times as UTC).
  window.tickvaultChartTime = (iso) => {
    const ms = Date.parse(iso);
    return ms / 1000 + zoneOffset(ms, shownZone());
  };
  window.tickvaultShownZone = () => shownZone();

  /** An instant as local date and time in the shown zone ('2024-03-04 00:00'). */
  function zoned(iso) {
    if (!iso) return '-';
    const ms = Date.parse(iso);
    return new Date(ms + zoneOffset(ms, shownZone()) * 1000).toISOString().slice(0, 16).replace('T', ' ');
  }

  /** The finest candle width the source allows for a wanted one. */
  function atLeastWidth(interval) {
    if (!state.width) return interval;
    return WIDTHS.indexOf(interval) < WIDTHS.indexOf(state.width) ? state.width : interval;
  }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  // ---- data source indicator ---------------------------------------------------------------

  function renderDataSource(ds) {
    const ind = $('data-source-indicator');
    ind.textContent = ds.indicator.text;
    ind.className = 'indicator ' + ds.indicator.level;
    ind.title = ds.description;
    $('sync-now').hidden = !(ds.indicator.level === 'stale' && ds.indicator.canSync);
    const parts = [ds.description, 'mode ' + ds.mode, 'store ' + ds.store];
    if (ds.mode === 'mirror') {
      parts.push(ds.lastSync ? 'last sync ' + time(ds.lastSync) + ' UTC' : 'never synced');
      parts.push('stale after ' + ds.staleAfter);
      if (ds.stale && !ds.indicator.canSync) parts.push('no production store configured to sync from');
    }
    const leftOut = $('mirror-left-out');
    leftOut.textContent = (ds.leftOut || []).map((n) => 'Not in this mirror: ' + n).join('\n');
    leftOut.hidden = !(ds.leftOut && ds.leftOut.length);
    parts.push(ds.sourceExists ? 'data through ' + time(ds.dataThrough) + ' UTC' : 'source ' + ds.source + ' has no table');
    if (ds.indicator.reason) parts.push(ds.indicator.reason);
    $('data-source-details').textContent = parts.join(' · ');
  }

  async function loadDataSource() {
    try {
      const ds = await api(withSource('/api/data-source'));
      renderDataSource(ds);
      clearError('Data source');
      return ds;
    } catch (e) {
      const ind = $('data-source-indicator');
      ind.textContent = 'Data source unknown';
      ind.className = 'indicator failed';
      showError('Data source', e);
      return null;
    }
  }

  async function syncNow() {
    const button = $('sync-now');
    button.disabled = true;
    $('sync-status').textContent = 'Syncing…';
    try {
      const r = await api('/api/sync', { method: 'POST' });
      $('sync-status').textContent = 'Synced: ' + count(r.rowsAdded) + ' added, ' + count(r.rowsChanged) + ' changed, '
        + count(r.rowsDeleted) + ' deleted in ' + r.elapsedSeconds.toFixed(1) + ' s';
      clearError('Sync');
      await loadAll();
    } catch (e) {
      $('sync-status').textContent = 'Sync failed';
      showError('Sync', e);
    } finally {
      button.disabled = false;
    }
  }

  // ---- sources and summary -----------------------------------------------------------------

  function renderSources(list) {
    const body = $('sources-table').querySelector('tbody');
    body.replaceChildren();
    for (const s of list.sources) {
      const tr = document.createElement('tr');
      cell(tr, s.name + (s.isDefault ? ' (default)' : ''));
      cell(tr, s.kind);
      cell(tr, s.timeframe || '-', s.timeframe === 'mixed' ? 'down' : '');
      cell(tr, s.timezone || '-');
      cell(tr, s.status);
      cell(tr, count(s.rows), 'num');
      cell(tr, count(s.symbols), 'num');
      cell(tr, time(s.first));
      cell(tr, time(s.last));
      cell(tr, s.lastIngest ? time(s.lastIngest.started) + ' ' + s.lastIngest.status + ' (' + count(s.lastIngest.rows)
        + ' rows)' : '-');
      cell(tr, '-', 'health');
      tr.dataset.source = s.name;
      body.appendChild(tr);
    }
    const select = $('source');
    const current = state.source || list.metadata.source;
    select.replaceChildren();
    for (const s of list.sources.filter((x) => x.status !== 'not created' || x.name === current)) {
      const opt = document.createElement('option');
      opt.value = s.name;
      opt.textContent = s.name + ' (' + s.status + ')';
      select.appendChild(opt);
    }
    select.value = current;
    state.source = current;
    state.sources = {};
    for (const s of list.sources) state.sources[s.name] = s;
    applySourceModel();
  }

  /**
   * The Health column (GET /api/health/sources, as `tickvault health`): the state in colour (fresh green,
   * late amber, failed and abandoned red, empty grey) with the reason on hover.
   */
  function renderHealth(health) {
    const table = $('sources-table');
    for (const h of health.sources) {
      const tr = table.querySelector('tbody tr[data-source="' + CSS.escape(h.source) + '"]');
      if (!tr) continue;
      const td = tr.querySelector('td.health');
      td.textContent = h.state;
      td.className = 'health health-' + h.state;
      td.dataset.state = h.state;
      td.title = h.reason;
    }
    table.dataset.health = health.healthy ? 'healthy' : 'alert';
  }

  /** The chosen source's width and zone: the interval choices and the zone switch follow them. */
  function applySourceModel() {
    const s = state.sources[state.source] || {};
    state.width = s.timeframe && API_WIDTH[s.timeframe] ? API_WIDTH[s.timeframe] : null;
    state.zone = s.timezone || 'America/New_York';
    for (const opt of $('interval').querySelectorAll('option')) {
      opt.disabled = opt.value !== 'auto' && state.width !== null
        && WIDTHS.indexOf(opt.value) < WIDTHS.indexOf(state.width);
    }
    $('time-zone').querySelector('option[value="source"]').textContent = state.zone + ' (source)';
  }

  function renderSummary(summary) {
    $('summary-period').textContent = 'Period: ' + summary.period + '.'
      + (summary.timezone ? ' Days are cut in ' + summary.timezone + '.' : '');
    $('summary-asof').textContent = 'As of (' + shownZone() + ')';
    const body = $('market-summary').querySelector('tbody');
    body.replaceChildren();
    state.asOf = {};
    for (const r of summary.symbols) {
      state.asOf[r.symbol] = r.asOf;
      const tr = document.createElement('tr');
      tr.className = 'clickable' + (r.symbol === state.symbol ? ' selected' : '');
      tr.dataset.symbol = r.symbol;
      cell(tr, r.symbol);
      cell(tr, price(r.lastPrice), 'num');
      const dir = Number(r.change) > 0 ? 'up' : Number(r.change) < 0 ? 'down' : '';
      cell(tr, signed(r.change), 'num ' + dir);
      cell(tr, signed(r.changePercent, '%'), 'num ' + dir);
      cell(tr, price(r.high), 'num');
      cell(tr, price(r.low), 'num');
      cell(tr, count(r.volume), 'num');
      cell(tr, r.day);
      cell(tr, zoned(r.asOf));
      tr.addEventListener('click', () => selectSymbol(r.symbol));
      body.appendChild(tr);
    }
    const select = $('symbol');
    select.replaceChildren();
    for (const r of summary.symbols) {
      const opt = document.createElement('option');
      opt.value = r.symbol;
      opt.textContent = r.symbol;
      select.appendChild(opt);
    }
    if (!state.symbol || !(state.symbol in state.asOf)) {
      state.symbol = summary.symbols.length ? summary.symbols[0].symbol : null;
    }
    if (state.symbol) select.value = state.symbol;
    const failed = summary.errors || [];
    if (failed.length) {
      showError('Market summary of ' + failed.length + ' symbol' + (failed.length > 1 ? 's' : ''),
        new Error(failed.map((e) => e.symbol + ': ' + e.message).join('; ')));
    } else {
      for (const k of Array.from(errors.keys())) if (k.startsWith('Market summary of ')) clearError(k);
    }
  }

  function selectSymbol(symbol) {
    state.symbol = symbol;
    $('symbol').value = symbol;
    for (const tr of $('market-summary').querySelectorAll('tbody tr')) {
      tr.classList.toggle('selected', tr.dataset.symbol === symbol);
    }
    loadChart();
    announce();
  }

  // the selection, for the views in their own files (quality.js, backtest.js)
  function announce() {
    document.dispatchEvent(new CustomEvent('tickvault:selection', { detail: { source: state.source, symbol: state.symbol } }));
  }

  // ---- chart -------------------------------------------------------------------------------

  function ensureChart() {
    if (state.chart) return;
    if (!window.LightweightCharts) {
      throw new Error('the chart library did not load (/vendor/lightweight-charts.standalone.production.js)');
    }
    const LC = window.LightweightCharts;
    state.chart = LC.createChart($('chart'), {
      autoSize: true,
      layout: { background: { type: 'solid', color: '#161c23' }, textColor: '#d8dee6' },
      grid: { vertLines: { color: '#222b36' }, horzLines: { color: '#222b36' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#263040' },
      rightPriceScale: { borderColor: '#263040' },
    });
    state.candles = state.chart.addSeries(LC.CandlestickSeries, {
      upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
    });
    state.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.28 } });
    state.volume = state.chart.addSeries(LC.HistogramSeries, {
      priceFormat: { type: 'volume' }, priceScaleId: 'volume', lastValueVisible: false, priceLineVisible: false,
    });
    state.volume.priceScale().applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
  }

  function rangeParams(symbol) {
    const days = RANGE_DAYS[state.range];
    const asOf = state.asOf[symbol];
    const params = { interval: atLeastWidth(state.interval === 'auto' ? AUTO_INTERVAL[state.range] : state.interval) };
    if (days !== null && asOf) {
      const last = new Date(asOf.slice(0, 10) + 'T00:00:00Z');
      const from = new Date(last.getTime() - days * 86400000);
      params.from = from.toISOString().slice(0, 10);
      params.to = asOf.slice(0, 10);
    }
    return params;
  }

  /** A note over the chart (no data, no bars in the range), or none. */
  function chartNote(text) {
    const chartDiv = $('chart');
    let note = chartDiv.querySelector('.empty-note');
    if (text && !note) {
      note = document.createElement('div');
      note.className = 'empty-note';
      chartDiv.appendChild(note);
    }
    if (text) note.textContent = text;
    else if (note) note.remove();
  }

  /** A source without symbols: nothing of the previous source stays on the chart, and the page says so. */
  function clearChart() {
    state.chartRequest++; // a load still in flight for the previous source is dropped
    const chartDiv = $('chart');
    if (state.candles) state.candles.setData([]);
    if (state.volume) state.volume.setData([]);
    if (hooks.chartCleared) hooks.chartCleared();
    const text = 'No data in source ' + state.source + ': it has no symbols yet';
    $('chart-title').textContent = text;
    $('chart-status').textContent = 'Nothing to chart: source ' + state.source + ' holds no bars';
    chartNote(text);
    for (const k of ['first', 'last', 'interval']) delete chartDiv.dataset[k];
    chartDiv.dataset.count = '0';
    chartDiv.dataset.drawn = String(state.candles ? state.candles.data().length : 0);
    chartDiv.dataset.state = 'empty';
  }

  // candles asked for per request, and the most the chart loads (more: a wider interval or a shorter range)
  const PAGE = 50000;
  const MAX_CANDLES = 200000;

  /** The history, page after page (the API's metadata.next), until done or MAX_CANDLES are loaded. */
  async function loadHistory(symbol, params, request) {
    let body = await api(withSource('/api/market-data/history/' + encodeURIComponent(symbol),
      Object.assign({ limit: String(PAGE) }, params)));
    const data = body.data;
    let pages = 1;
    while (body.metadata.next && data.length < MAX_CANDLES) {
      if (request !== state.chartRequest) return null;
      $('chart-status').textContent = 'Loading ' + symbol + '… ' + count(data.length) + ' candles so far';
      body = await api(body.metadata.next);
      for (const c of body.data) data.push(c);
      pages++;
    }
    const more = Boolean(body.metadata.next);
    return { data, pages, more, metadata: Object.assign({}, body.metadata, { count: data.length }) };
  }

  async function loadChart() {
    const chartDiv = $('chart');
    const symbol = state.symbol;
    if (!symbol) {
      clearChart();
      return;
    }
    const request = ++state.chartRequest;
    const params = rangeParams(symbol);
    chartDiv.dataset.state = 'loading';
    $('chart-status').textContent = 'Loading ' + symbol + '…';
    try {
      const body = await loadHistory(symbol, params, request);
      if (!body || request !== state.chartRequest) return; // a newer selection is loading
      ensureChart();
      const candles = [];
      const volumes = [];
      const zone = shownZone();
      // the chart library shows times as UTC: candles are moved by the shown zone's offset, so a Hong Kong
      // daily candle starting 2024-03-03T16:00Z is drawn on 2024-03-04
      for (const c of body.data) {
        const ms = Date.parse(c.time);
        const t = ms / 1000 + zoneOffset(ms, zone);
        const o = Number(c.open), h = Number(c.high), l = Number(c.low), cl = Number(c.close);
        candles.push({ time: t, open: o, high: h, low: l, close: cl });
        volumes.push({ time: t, value: Number(c.volume), color: cl >= o ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)' });
      }
      state.candles.setData(candles);
      state.volume.setData(volumes);
      state.chart.timeScale().fitContent();
      const m = body.metadata;
      $('chart-title').textContent = m.symbol + ' · ' + m.source + ' · ' + m.interval + ' · ' + m.description
        + ' · ' + (m.sourceTimeframe ? m.sourceTimeframe + ' bars' : 'bar width unknown') + ' · times in ' + zone;
      const first = body.data.length ? body.data[0].time : null;
      const last = body.data.length ? body.data[body.data.length - 1].time : null;
      $('chart-status').textContent = (body.more ? 'first ' : '') + count(m.count) + ' ' + m.interval + ' candles'
        + (first ? ' from ' + zoned(first) + ' to ' + zoned(last) : '') + ' (' + zone + ')'
        + (body.pages > 1 ? ' in ' + body.pages + ' pages' : '')
        + (body.more ? ' · more exist: the chart loads at most ' + count(MAX_CANDLES)
          + ' candles, pick a wider interval or a shorter range' : '')
        + ' · data through ' + zoned(m.dataThrough) + (m.lastSync ? ' · last sync ' + zoned(m.lastSync) : '')
        + (m.readOnly ? ' · read-only' : '')
        + (m.sourceTimeframe === 'mixed' ? ' · WARNING: this source mixes bar widths; its candles are not reliable'
          : '');
      chartDiv.dataset.first = first ? zoned(first) : '';
      chartDiv.dataset.last = last ? zoned(last) : '';
      chartDiv.dataset.interval = m.interval;
      chartDiv.dataset.zone = zone;
      chartDiv.dataset.pages = String(body.pages);
      chartDiv.dataset.more = String(body.more);
      chartNote(m.count === 0 ? 'No bars for ' + m.symbol + ' in this range' : null);
      chartDiv.dataset.count = String(m.count);
      chartDiv.dataset.drawn = String(state.candles.data().length); // what the chart library holds
      chartDiv.dataset.state = 'rendered';
      clearError('Chart');
      if (hooks.chartLoaded) hooks.chartLoaded({ state, body, candles, volumes, request });
    } catch (e) {
      if (request !== state.chartRequest) return;
      chartDiv.dataset.state = 'failed';
      $('chart-status').textContent = 'Chart failed: ' + e.message;
      showError('Chart', e);
    }
  }

  // ---- loading -----------------------------------------------------------------------------

  async function loadAll() {
    await loadDataSource();
    const [sources, summary, health] = await Promise.allSettled([
      api(withSource('/api/sources')), api(withSource('/api/market-summary')), api('/api/health/sources')]);
    if (sources.status === 'fulfilled') {
      renderSources(sources.value);
      clearError('Sources');
      if (health.status === 'fulfilled') {
        renderHealth(health.value);
        clearError('Health');
      } else {
        showError('Health', health.reason);
      }
    } else {
      showError('Sources', sources.reason);
    }
    if (summary.status === 'fulfilled') {
      renderSummary(summary.value);
      announce();
      clearError('Market summary');
      await loadChart();
    } else {
      $('market-summary').querySelector('tbody').replaceChildren();
      $('chart').dataset.state = 'failed';
      showError('Market summary', summary.reason);
    }
  }

  function wire() {
    $('sync-now').addEventListener('click', syncNow);
    $('source').addEventListener('change', (e) => {
      state.source = e.target.value;
      state.symbol = null;
      applySourceModel();
      loadAll();
    });
    $('symbol').addEventListener('change', (e) => selectSymbol(e.target.value));
    $('interval').addEventListener('change', (e) => {
      state.interval = e.target.value;
      loadChart();
    });
    $('time-zone').addEventListener('change', (e) => {
      state.showUtc = e.target.value === 'utc';
      $('summary-asof').textContent = 'As of (' + shownZone() + ')';
      loadAll();
    });
    for (const b of $('ranges').querySelectorAll('button')) {
      b.addEventListener('click', () => {
        state.range = b.dataset.range;
        for (const x of $('ranges').querySelectorAll('button')) x.classList.toggle('active', x === b);
        loadChart();
      });
    }
    setInterval(loadDataSource, 60000);
  }

  wire();
  for (const x of $('ranges').querySelectorAll('button')) x.classList.toggle('active', x.dataset.range === state.range);
  $('interval').value = state.interval;
  if (hooks.ready) {
    hooks.ready({ state, api, withSource, selectSymbol, loadChart, showError, clearError,
      refreshSummary: async () => renderSummary(await api(withSource('/api/market-summary'))) });
  }
  loadAll();
})();

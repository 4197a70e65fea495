// tickvault dashboard, live part: the state in the URL, live chart updates (Server-Sent Events from one shared
// reader on the server), an OHLCV readout under the cursor, a symbol search, and the simulated candle of
// `serve --simulate-live` (mirror only, drawn hollow and labelled). Loaded before app.js, which calls the hooks.
// All text from the server is inserted with textContent (never innerHTML).
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const RANGES = ['1D', '5D', '1M', '3M', '1Y', 'ALL'];
  const INTERVALS = ['auto', '1m', '5m', '15m', '1h', '1d'];
  const AUTO_INTERVAL = { '1D': '1m', '5D': '5m', '1M': '1h', '3M': '1h', '1Y': '1d', 'ALL': '1d' };
  const live = { app: null, config: null, source: null, bars: new Map(), volumes: new Map(), updates: 0,
    lastSummary: 0, sim: null, simMarkers: null, crosshair: false };
  window.tickvaultLive = live;

  // ---- the state in the URL: ?source=&symbol=&range=&interval= ----------------------------------

  function initialState() {
    const q = new URLSearchParams(window.location.search);
    const s = {};
    if (q.get('source')) s.source = q.get('source');
    if (q.get('symbol')) s.symbol = q.get('symbol');
    if (RANGES.includes(q.get('range'))) s.range = q.get('range');
    if (INTERVALS.includes(q.get('interval'))) s.interval = q.get('interval');
    return s;
  }

  function writeUrl(state) {
    const q = new URLSearchParams();
    if (state.source) q.set('source', state.source);
    if (state.symbol) q.set('symbol', state.symbol);
    q.set('range', state.range);
    q.set('interval', state.interval);
    const url = window.location.pathname + '?' + q.toString();
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(null, '', url);
  }

  // ---- OHLCV readout under the cursor -------------------------------------------------------

  function readout(state) {
    let box = $('ohlcv');
    if (!box) {
      box = document.createElement('div');
      box.id = 'ohlcv';
      box.className = 'ohlcv muted';
      $('chart').insertAdjacentElement('afterend', box);
    }
    if (live.crosshair) return;
    live.crosshair = true;
    state.chart.subscribeCrosshairMove((param) => {
      const c = param && param.seriesData ? (param.seriesData.get(state.candles) || (live.sim
        && param.seriesData.get(live.sim))) : null;
      if (!c) {
        box.textContent = '';
        return;
      }
      const v = param.seriesData.get(state.volume);
      const simulated = live.sim && param.seriesData.get(live.sim) ? ' · simulated' : '';
      const zone = window.tickvaultShownZone ? window.tickvaultShownZone() : 'UTC';
      box.textContent = new Date(c.time * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' ' + zone + '  O ' + c.open
        + '  H ' + c.high + '  L ' + c.low + '  C ' + c.close + '  V ' + (v ? v.value.toLocaleString('en-US') : '-')
        + simulated;
    });
  }

  // ---- symbol search ------------------------------------------------------------------------

  function searchBox() {
    if ($('symbol-search')) return;
    const input = document.createElement('input');
    input.id = 'symbol-search';
    input.type = 'search';
    input.placeholder = 'Search symbol';
    input.setAttribute('list', 'symbol-list');
    input.setAttribute('aria-label', 'Search symbol');
    const list = document.createElement('datalist');
    list.id = 'symbol-list';
    $('symbol').insertAdjacentElement('afterend', input);
    input.insertAdjacentElement('afterend', list);
    const pick = () => {
      const want = input.value.trim().toUpperCase();
      const found = Array.from($('symbol').options).find((o) => o.value.toUpperCase() === want);
      if (found) {
        input.value = '';
        live.app.selectSymbol(found.value);
      }
    };
    input.addEventListener('change', pick);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') pick();
    });
  }

  function fillSearch() {
    const list = $('symbol-list');
    if (!list) return;
    list.replaceChildren();
    for (const o of $('symbol').options) {
      const opt = document.createElement('option');
      opt.value = o.value;
      list.appendChild(opt);
    }
  }

  // ---- live updates -------------------------------------------------------------------------

  function interval(state) {
    return state.interval === 'auto' ? AUTO_INTERVAL[state.range] : state.interval;
  }

  function follow(state, body, candles, volumes) {
    if (live.source) {
      live.source.close();
      live.source = null;
    }
    live.bars = new Map(candles.map((c) => [c.time, c]));
    live.newestMs = body.data && body.data.length ? Date.parse(body.data[body.data.length - 1].time) : -Infinity;
    live.volumes = new Map(volumes.map((v) => [v.time, v]));
    const chart = $('chart');
    if (!live.config || !live.config.liveUpdates) {
      chart.dataset.live = 'off';
      return;
    }
    const q = new URLSearchParams({ interval: interval(state) });
    if (state.source) q.set('source', state.source);
    const es = new EventSource('/api/market-data/stream/' + encodeURIComponent(body.metadata.symbol) + '?' + q);
    live.source = es;
    chart.dataset.live = 'connecting';
    es.onopen = () => {
      chart.dataset.live = 'on';
    };
    es.onerror = () => {
      chart.dataset.live = 'reconnecting'; // EventSource retries by itself
    };
    es.addEventListener('candles', (e) => apply(state, JSON.parse(e.data)));
  }

  function apply(state, update) {
    if (!state.candles || update.symbol !== state.symbol) return;
    const last = live.bars.size ? Math.max(...live.bars.keys()) : -Infinity;
    let older = false;
    const fresh = [];
    for (const c of update.candles) {
      const t = window.tickvaultChartTime ? window.tickvaultChartTime(c.time) : Date.parse(c.time) / 1000;
      const o = Number(c.open), h = Number(c.high), l = Number(c.low), cl = Number(c.close);
      const bar = { time: t, open: o, high: h, low: l, close: cl };
      const vol = { time: t, value: Number(c.volume), color: cl >= o ? 'rgba(38,166,154,0.45)' : 'rgba(239,83,80,0.45)' };
      const before = live.bars.get(t);
      if (before && before.open === o && before.high === h && before.low === l && before.close === cl
        && live.volumes.get(t) && live.volumes.get(t).value === vol.value) continue;
      live.bars.set(t, bar);
      live.volumes.set(t, vol);
      if (t < last) older = true;
      fresh.push([bar, vol]);
    }
    if (!fresh.length) return;
    if (older) { // a correction of an older candle: redraw from the merged data
      state.candles.setData(Array.from(live.bars.values()).sort((a, b) => a.time - b.time));
      state.volume.setData(Array.from(live.volumes.values()).sort((a, b) => a.time - b.time));
    } else {
      fresh.sort((a, b) => a[0].time - b[0].time);
      for (const [bar, vol] of fresh) {
        state.candles.update(bar);
        state.volume.update(vol);
      }
    }
    live.updates += 1;
    const chart = $('chart');
    chart.dataset.updates = String(live.updates);
    // the newest candle's real instant (chart times are moved by the shown zone's offset)
    live.newestMs = Math.max(live.newestMs || -Infinity, ...update.candles.map((c) => Date.parse(c.time)));
    chart.dataset.lastTime = new Date(live.newestMs).toISOString();
    chart.dataset.count = String(live.bars.size);
    const now = Date.now();
    if (now - live.lastSummary > 10000) { // the market summary follows, at most every 10 s per tab
      live.lastSummary = now;
      live.app.refreshSummary().then(fillSearch).catch((e) => live.app.showError('Market summary', e));
    }
  }

  // ---- Option B: the simulated current candle (mirror, serve --simulate-live) ---------------

  async function simulated(state, body) {
    const chart = $('chart');
    if (live.sim) {
      live.sim.setData([]);
      if (live.simMarkers) live.simMarkers.setMarkers([]);
    }
    delete chart.dataset.simulated;
    if (!live.config || !live.config.simulateLive || !body.data.length) return;
    const q = new URLSearchParams({ interval: interval(state) });
    if (state.source) q.set('source', state.source);
    const r = await live.app.api('/api/market-data/simulated/' + encodeURIComponent(body.metadata.symbol) + '?' + q);
    const c = r.data[0];
    const LC = window.LightweightCharts;
    if (!live.sim) {
      live.sim = state.chart.addSeries(LC.CandlestickSeries, {
        upColor: 'rgba(0,0,0,0)', downColor: 'rgba(0,0,0,0)', borderVisible: true, borderUpColor: '#f5a623',
        borderDownColor: '#f5a623', wickUpColor: '#f5a623', wickDownColor: '#f5a623', lastValueVisible: false,
        priceLineVisible: false, title: 'simulated',
      });
      if (LC.createSeriesMarkers) live.simMarkers = LC.createSeriesMarkers(live.sim, []);
    }
    const t = window.tickvaultChartTime ? window.tickvaultChartTime(c.time) : Date.parse(c.time) / 1000;
    const v = Number(c.close);
    live.sim.setData([{ time: t, open: v, high: v, low: v, close: v }]);
    if (live.simMarkers) {
      live.simMarkers.setMarkers([{ time: t, position: 'aboveBar', color: '#f5a623', shape: 'arrowDown',
        text: 'simulated' }]);
    }
    chart.dataset.simulated = c.time;
    $('chart-status').textContent += ' · simulated candle at ' + c.time.replace('T', ' ').slice(0, 16)
      + ' (from the last close; not stored)';
  }

  // ---- hooks called by app.js ---------------------------------------------------------------

  window.tickvaultHooks = {
    initialState,
    ready(app) {
      live.app = app;
      searchBox();
      app.api('/api/live').then((c) => {
        live.config = c;
      }).catch(() => {
        live.config = { liveUpdates: false, simulateLive: false };
      });
    },
    chartCleared() {
      // a source without symbols: stop following the previous chart, drop its simulated candle
      if (live.source) {
        live.source.close();
        live.source = null;
      }
      if (live.sim) live.sim.setData([]);
      const chart = $('chart');
      chart.dataset.live = 'off';
      delete chart.dataset.simulated;
      if (live.app) writeUrl(live.app.state);
    },
    async chartLoaded({ state, body, candles, volumes }) {
      writeUrl(state);
      fillSearch();
      readout(state);
      if (!live.config) {
        try {
          live.config = await live.app.api('/api/live');
        } catch (e) {
          live.config = { liveUpdates: false, simulateLive: false };
        }
      }
      follow(state, body, candles, volumes);
      try {
        await simulated(state, body);
        live.app.clearError('Simulated candle');
      } catch (e) {
        live.app.showError('Simulated candle', e);
      }
    },
  };
})();

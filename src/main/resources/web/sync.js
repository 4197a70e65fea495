// tickvault dashboard: the sync monitoring view (mirror mode): the mirror's log of sync attempts
// (GET /api/sync/log), a chart of the mirror's age over time (a saw-tooth: each successful sync
// drops it to zero, a missed one lets it climb), the last failure with its reason, and Sync now.
// Server text goes in with textContent.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const s = { chart: null, line: null };

  const { api, td } = window.tickvaultCommon;

  function when(iso) { return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'); }
  function count(n) { return Number(n).toLocaleString('en-US'); }

  function renderTable(log) {
    const body = $('sync-log').querySelector('tbody');
    body.replaceChildren();
    for (const e of log) {
      const tr = document.createElement('tr');
      tr.dataset.ok = String(e.ok);
      td(tr, when(e.started));
      td(tr, e.seconds.toFixed(2));
      td(tr, e.mode);
      td(tr, e.ok ? 'ok' : 'failed', e.ok ? '' : 'down');
      td(tr, count(e.rowsAdded));
      td(tr, count(e.rowsChanged));
      td(tr, count(e.rowsDeleted));
      td(tr, e.production);
      td(tr, e.error || (e.notes.length ? e.notes.join('; ') : ''));
      body.appendChild(tr);
    }
  }

  function renderFailure(log) {
    const box = $('sync-last-failure');
    const failed = log.find((e) => !e.ok);
    if (!failed) {
      box.textContent = 'No failed sync in the log.';
      box.dataset.state = 'none';
      return;
    }
    box.textContent = 'Last failure: ' + when(failed.started) + ' (' + failed.mode + ', from ' + failed.production
      + '): ' + failed.error;
    box.dataset.state = 'failed';
  }

  // the age of the mirror (hours since the last successful sync), sampled on an even grid from the
  // first successful sync to now: the chart's time axis spaces points evenly, so an even grid keeps
  // the saw-tooth's shape (at most 2,000 samples; each drop lands within one step)
  function agePoints(log, now) {
    const oks = log.filter((e) => e.ok).map((e) => Math.floor(Date.parse(e.finished) / 1000)).sort((a, b) => a - b);
    if (!oks.length) return [];
    const start = oks[0];
    const end = Math.max(Math.floor(now / 1000), start + 60);
    const step = Math.max(60, Math.ceil((end - start) / 2000));
    const points = [];
    let k = 0;
    for (let t = start; t <= end; t += step) {
      while (k + 1 < oks.length && oks[k + 1] <= t) k++;
      points.push({ time: t, value: (t - oks[k]) / 3600 });
    }
    return points;
  }

  function renderChart(log) {
    const div = $('sync-age-chart');
    const points = agePoints(log, Date.now());
    if (!s.chart) {
      const LC = window.LightweightCharts;
      s.chart = LC.createChart(div, {
        autoSize: true,
        layout: { background: { type: 'solid', color: '#161c23' }, textColor: '#d8dee6' },
        grid: { vertLines: { color: '#222b36' }, horzLines: { color: '#222b36' } },
        timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#263040' },
      });
      s.line = s.chart.addSeries(LC.LineSeries, { color: '#4ea1ff', lineWidth: 2, lineType: 0 });
    }
    s.line.setData(points);
    s.chart.timeScale().fitContent();
    div.dataset.points = String(points.length);
    div.dataset.maxAgeHours = points.length ? String(Math.max.apply(null, points.map((p) => p.value)).toFixed(2)) : '0';
    div.dataset.state = points.length ? 'rendered' : 'empty';
  }

  async function load() {
    const status = $('sync-monitor-status');
    try {
      const log = await api('/api/sync/log?limit=500');
      renderTable(log);
      renderFailure(log);
      renderChart(log);
      status.textContent = log.length ? count(log.length) + ' attempts' : 'No sync attempts logged yet.';
      $('sync-panel').dataset.state = 'loaded';
    } catch (e) {
      status.textContent = 'Sync log: ' + e.message;
      $('sync-panel').dataset.state = 'failed';
    }
  }

  async function syncNow() {
    const button = $('sync-monitor-now');
    button.disabled = true;
    $('sync-monitor-status').textContent = 'Syncing…';
    try {
      await api('/api/sync', { method: 'POST' });
    } catch (e) {
      // the attempt and its error are in the log, shown below
    } finally {
      button.disabled = false;
    }
    await load();
  }

  async function start() {
    try {
      const ds = await api('/api/data-source');
      if (ds.mode !== 'mirror') return; // the view belongs to the mirror
    } catch (e) {
      return;
    }
    $('sync-panel').hidden = false;
    $('sync-monitor-now').addEventListener('click', syncNow);
    await load();
  }

  window.addEventListener('DOMContentLoaded', start);
})();
